package io.chirp.user;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "user-service", version = "1",
        description = "Users, auth and the follow graph of Chirp"))
public class Application {

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
