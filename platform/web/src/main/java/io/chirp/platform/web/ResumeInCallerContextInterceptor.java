package io.chirp.platform.web;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.micronaut.aop.InterceptorBean;
import io.micronaut.aop.MethodInterceptor;
import io.micronaut.aop.MethodInvocationContext;
import io.micronaut.core.propagation.PropagatedContext;
import jakarta.inject.Singleton;

/**
 * Completes the {@link CompletionStage} a {@link ResumeInCallerContext} method returns inside
 * the {@link PropagatedContext} that was current when the method was called, so continuations
 * chained on it run in that context (see the annotation). Other return types pass through.
 */
@Singleton
@InterceptorBean(ResumeInCallerContext.class)
final class ResumeInCallerContextInterceptor implements MethodInterceptor<Object, Object> {

    @Override
    public Object intercept(MethodInvocationContext<Object, Object> invocation) {
        Object result = invocation.proceed();
        if (!(result instanceof CompletionStage<?> stage)) {
            return result;
        }
        PropagatedContext caller = PropagatedContext.getOrEmpty();
        if (caller == PropagatedContext.empty()) {
            return stage;
        }
        return resumeIn(caller, stage);
    }

    static <T> CompletionStage<T> resumeIn(PropagatedContext caller, CompletionStage<T> stage) {
        CompletableFuture<T> resumed = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            try (PropagatedContext.Scope ignored = caller.propagate()) {
                if (failure != null) {
                    resumed.completeExceptionally(failure);
                } else {
                    resumed.complete(value);
                }
            }
        });
        return resumed;
    }
}
