package io.chirp.platform.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class the real engines it names, started once per test JVM and shared by every
 * test class of the module (see {@link SharedEngines}). Put it <em>before</em>
 * {@code @MicronautTest}: the engines' addresses are published as system properties
 * ({@link SharedEngines#properties()}) before the application context starts.
 *
 * <pre>{@code
 * @RealEngines({Engine.POSTGRES, Engine.KAFKA})
 * @MicronautTest
 * class FollowSagaIT { ... }
 * }</pre>
 *
 * Tests isolate themselves by name ({@link TestNames#unique(String)}): their own schema, key
 * prefix, topic, keyspace or index, never by restarting an engine.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RealEnginesExtension.class)
public @interface RealEngines {

    Engine[] value();
}
