package io.chirp.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.propagation.PropagatedContext;

class ResumeInCallerContextInterceptorTest {

    private final ExecutorService ioThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        ioThread.shutdownNow();
    }

    @Test
    void aContinuationOfAStageCompletedOnAnIoThreadRunsInTheCallersContext() throws Exception {
        PropagatedContext caller = PropagatedContext.empty().plus(new MdcPropagationContext(Map.of("requestId", "r-42")));
        CompletableFuture<String> io = new CompletableFuture<>();

        CompletableFuture<String> plain;
        CompletableFuture<String> resumed;
        try (PropagatedContext.Scope ignored = caller.propagate()) {
            plain = io.thenApply(v -> String.valueOf(MDC.get("requestId")));
            resumed = ResumeInCallerContextInterceptor.resumeIn(caller, io)
                    .thenApply(v -> String.valueOf(MDC.get("requestId"))).toCompletableFuture();
        }
        ioThread.submit(() -> io.complete("done")); // as Lettuce completes a command on its event loop

        assertEquals("null", plain.get(5, TimeUnit.SECONDS), "without it the I/O thread has no request id");
        assertEquals("r-42", resumed.get(5, TimeUnit.SECONDS), "with it the continuation has the caller's");
        assertNull(ioThread.submit(() -> MDC.get("requestId")).get(5, TimeUnit.SECONDS), "the I/O thread is left clean");
    }

    @Test
    void aFailureReachesTheCallerUnchanged() {
        PropagatedContext caller = PropagatedContext.empty().plus(new MdcPropagationContext(Map.of("requestId", "r-7")));
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Object> resumed = ResumeInCallerContextInterceptor
                .resumeIn(caller, CompletableFuture.failedFuture(boom)).toCompletableFuture();
        assertEquals(boom, resumed.handle((v, e) -> e).join());
    }
}
