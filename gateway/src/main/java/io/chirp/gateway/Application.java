package io.chirp.gateway;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "gateway", version = "1", description = "The Chirp gateway"))
public class Application {

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
