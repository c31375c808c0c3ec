package io.chirp.platform.web;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import jakarta.inject.Singleton;

/**
 * When the HTTP server has stopped (no access line comes after), waits until every logback
 * {@code AsyncAppender} has handed its queued lines to its appenders, for at most
 * {@link #MAX_WAIT_MILLIS} ms, so the last access lines are not lost when the JVM exits: an
 * AsyncAppender's worker is a daemon thread. Unlike logback's {@code <shutdownHook/>}, which
 * stops the whole logging context as soon as the JVM starts to exit, this leaves synchronous
 * logging working for whatever the application logs while it closes, and it stops nothing (a
 * test JVM runs several servers, one after the other).
 */
@Singleton
@Requires(classes = {LoggerContext.class, ServerShutdownEvent.class})
final class AsyncLogFlusher implements ApplicationEventListener<ServerShutdownEvent> {

    static final long MAX_WAIT_MILLIS = 2000;

    @Override
    public void onApplicationEvent(ServerShutdownEvent event) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        List<AsyncAppenderBase<ILoggingEvent>> queues = new ArrayList<>();
        for (Logger logger : context.getLoggerList()) {
            collect(logger.iteratorForAppenders(), queues);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
        while (queues.stream().anyMatch(queue -> queue.isStarted() && queue.getNumberOfElementsInQueue() > 0)
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Async appenders, also behind a wrapping appender (OpenTelemetryAppender → ASYNC → JSON). */
    private static void collect(Iterator<Appender<ILoggingEvent>> appenders, List<AsyncAppenderBase<ILoggingEvent>> found) {
        while (appenders.hasNext()) {
            Appender<ILoggingEvent> appender = appenders.next();
            if (appender instanceof AsyncAppenderBase<ILoggingEvent> async && !found.contains(async)) {
                found.add(async);
            }
            if (appender instanceof AppenderAttachable<?> attachable) {
                @SuppressWarnings("unchecked")
                Iterator<Appender<ILoggingEvent>> nested = ((AppenderAttachable<ILoggingEvent>) attachable).iteratorForAppenders();
                collect(nested, found);
            }
        }
    }
}
