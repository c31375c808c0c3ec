package io.chirp.timeline;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "timeline-service", version = "1", description = "Home timelines of Chirp"))
public class Application {

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
