package io.chirp.platform.web;

import java.util.Optional;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/**
 * Puts the id of the request being served ({@link RequestIds}) on every outgoing HTTP call
 * made with Micronaut's client (timeline-service hydrating tweets from tweet-service, the
 * gateway fetching the JWKS), unless the call already carries one.
 */
@ClientFilter(ClientFilter.MATCH_ALL_PATTERN)
public final class RequestIdClientFilter {

    @RequestFilter
    public void propagate(MutableHttpRequest<?> request) {
        if (request.getHeaders().contains(RequestIds.HEADER)) {
            return;
        }
        Optional<String> id = PropagatedContext.find()
                .flatMap(context -> context.find(MdcPropagationContext.class))
                .map(mdc -> mdc.state().get(RequestIds.MDC_KEY))
                .or(RequestIds::current);
        id.ifPresent(value -> request.getHeaders().set(RequestIds.HEADER, value));
    }
}
