package io.chirp.platform.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * One access-log line per request on logger {@code io.chirp.access}: method, path, status and
 * duration in ms ({@code GET /api/v1/timelines/home 200 3.214 ms}), written in the request's
 * propagated context, so the line carries its {@code requestId} ({@link RequestIdFilter}) and
 * its {@code traceId}/{@code spanId} when the application traces.
 * <p>
 * Runs just inside the tracing filter ({@link ServerFilterPhase#TRACING}{@code .after()}): when
 * the request comes in, the server span already exists; when the answer goes out, it is not
 * ended yet. The context is captured on the way in and re-entered for the log call, because the
 * answer may come back on a thread (an event loop) where nothing of the request is current.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class AccessLogFilter implements Ordered {

    private static final Logger ACCESS = LoggerFactory.getLogger("io.chirp.access");
    private static final String STARTED = AccessLogFilter.class.getName() + ".started";
    private static final String CONTEXT = AccessLogFilter.class.getName() + ".context";

    @RequestFilter
    public void start(HttpRequest<?> request, MutablePropagatedContext context) {
        request.setAttribute(STARTED, System.nanoTime());
        request.setAttribute(CONTEXT, context.getContext());
    }

    @ResponseFilter
    public void log(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        long micros = request.getAttribute(STARTED, Long.class).map(t -> (System.nanoTime() - t) / 1000).orElse(-1L);
        PropagatedContext context = request.getAttribute(CONTEXT, PropagatedContext.class).orElse(PropagatedContext.empty());
        try (PropagatedContext.Scope ignored = context.propagate()) {
            ACCESS.info("{} {} {} {}.{} ms", request.getMethod(), request.getPath(), response.code(),
                    micros / 1000, String.format("%03d", micros % 1000));
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.TRACING.after();
    }
}
