package io.chirp.baseline;

import io.micronaut.runtime.Micronaut;

/** Starts the baseline application (port {@code BASELINE_PORT}, default 8090). */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
