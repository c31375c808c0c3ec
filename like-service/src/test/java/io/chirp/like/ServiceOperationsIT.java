package io.chirp.like;

import java.net.URI;
import java.util.Set;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.OperationsContract;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

@RealEngines({Engine.CASSANDRA, Engine.KAFKA})
@MicronautTest
class ServiceOperationsIT extends OperationsContract {

    @Inject
    EmbeddedServer server;

    @Override
    protected URI baseUrl() {
        return server.getURI();
    }

    @Override
    protected String serviceName() {
        return "like-service";
    }

    @Override
    protected Set<String> storeHealthComponents() {
        return Set.of("cassandra", "kafka");
    }
}
