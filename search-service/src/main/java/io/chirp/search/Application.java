package io.chirp.search;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "search-service", version = "1", description = "Search of Chirp"))
public class Application {

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
