package io.chirp.user.cache;

import io.chirp.user.domain.FollowStore;
import io.chirp.user.domain.UserStore;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Wraps the {@link UserStore} and {@link FollowStore} beans, as they are created, in the
 * decorators that invalidate cached profiles after each committed change, so every writer
 * (services, listeners, sagas, recovery) goes through them without knowing the cache. The cache
 * is looked up on first use: it reads through the store it invalidates.
 */
final class StoreDecorators {

    private StoreDecorators() {
    }

    @Singleton
    static class Users implements BeanCreatedEventListener<UserStore> {

        private final BeanProvider<ProfileCache> cache;

        Users(BeanProvider<ProfileCache> cache) {
            this.cache = cache;
        }

        @Override
        public UserStore onCreated(BeanCreatedEvent<UserStore> event) {
            return new InvalidatingUserStore(event.getBean(), cache);
        }
    }

    @Singleton
    static class Follows implements BeanCreatedEventListener<FollowStore> {

        private final BeanProvider<ProfileCache> cache;

        Follows(BeanProvider<ProfileCache> cache) {
            this.cache = cache;
        }

        @Override
        public FollowStore onCreated(BeanCreatedEvent<FollowStore> event) {
            return new InvalidatingFollowStore(event.getBean(), cache);
        }
    }
}
