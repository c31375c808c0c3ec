package io.chirp.search.config;

import java.time.Clock;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

@Factory
class Beans {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
