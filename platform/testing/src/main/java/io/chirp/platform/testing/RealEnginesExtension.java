package io.chirp.platform.testing;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The JUnit 5 extension behind {@link RealEngines}. */
public final class RealEnginesExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        EnumSet<Engine> wanted = EnumSet.noneOf(Engine.class);
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RealEngines.class)
                .ifPresent(a -> wanted.addAll(List.of(a.value())));
        SharedEngines.get().require(wanted);
    }
}
