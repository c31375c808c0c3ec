package io.chirp.search.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.search.domain.SearchUnavailableException;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * Creates the live indices at start when their aliases are missing, so searches answer (empty)
 * before the first event. Elasticsearch down at start is not fatal: the first write tries again.
 */
@Singleton
class IndexBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(IndexBootstrap.class);

    private final IndexAdmin indices;

    IndexBootstrap(IndexAdmin indices) {
        this.indices = indices;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        try {
            indices.ensureLive();
        } catch (SearchUnavailableException e) {
            LOG.warn("could not check the search indices at start ({}); the first write will", e.getMessage());
        }
    }
}
