package io.chirp.platform.web;

import java.util.Map;

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
 * serves the request, and echoed on the response ({@link AccessLogFilter} writes the access log).
 * <p>
 * Runs before every other filter. Outgoing calls made while serving the request carry the
 * same header ({@link RequestIdClientFilter}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestIdFilter implements Ordered {

    @RequestFilter
    public void assign(MutableHttpRequest<?> request, MutablePropagatedContext context) {
        String id = RequestIds.acceptOrGenerate(request.getHeaders().findFirst(RequestIds.HEADER));
        request.getHeaders().set(RequestIds.HEADER, id);
        context.add(new MdcPropagationContext(Map.of(RequestIds.MDC_KEY, id)));
    }

    @ResponseFilter
    public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = request.getHeaders().get(RequestIds.HEADER);
        if (id != null) {
            response.getHeaders().set(RequestIds.HEADER, id);
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
