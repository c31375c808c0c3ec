package io.chirp.gateway.routing;

import java.net.URI;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import jakarta.validation.constraints.NotNull;

/**
 * One service behind the gateway ({@code chirp.gateway.services.<name>.url}).
 *
 * @param name the service name, e.g. {@code user-service}
 * @param url  its base URL
 */
@EachProperty("chirp.gateway.services")
public record ServiceEndpoint(@Parameter String name, @NotNull URI url) {

    /** {@code <url>/health}, keeping any path prefix of the base URL. */
    public URI healthUri() {
        return URI.create(url.toString().replaceAll("/+$", "") + "/health");
    }
}
