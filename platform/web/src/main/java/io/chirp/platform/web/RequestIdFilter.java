package io.chirp.platform.web;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Gives every request an id ({@link RequestIds}): the client's {@code X-Request-Id} or a new
 * one, set on the request (so the gateway forwards it), put in the MDC of everything that
 * serves the request, echoed on the response, and written in one access-log line per request
 * (logger {@code io.chirp.access}: method, path, status, duration in ms).
 * <p>
 * Runs before every other filter. Outgoing calls made while serving the request carry the
 * same header ({@link RequestIdClientFilter}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestIdFilter implements Ordered {

    private static final Logger ACCESS = LoggerFactory.getLogger("io.chirp.access");
    private static final String STARTED = RequestIdFilter.class.getName() + ".started";

    @RequestFilter
    public void assign(MutableHttpRequest<?> request, MutablePropagatedContext context) {
        String id = RequestIds.acceptOrGenerate(request.getHeaders().findFirst(RequestIds.HEADER));
        request.getHeaders().set(RequestIds.HEADER, id);
        request.setAttribute(STARTED, System.nanoTime());
        context.add(new MdcPropagationContext(Map.of(RequestIds.MDC_KEY, id)));
    }

    @ResponseFilter
    public void echoAndLog(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = request.getHeaders().get(RequestIds.HEADER);
        if (id == null) {
            return;
        }
        response.getHeaders().set(RequestIds.HEADER, id);
        if (ACCESS.isInfoEnabled()) {
            long micros = request.getAttribute(STARTED, Long.class).map(t -> (System.nanoTime() - t) / 1000).orElse(-1L);
            try (MDC.MDCCloseable ignored = MDC.putCloseable(RequestIds.MDC_KEY, id)) {
                ACCESS.info("{} {} {} {}.{} ms", request.getMethod(), request.getPath(), response.code(),
                        micros / 1000, String.format("%03d", micros % 1000));
            }
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
