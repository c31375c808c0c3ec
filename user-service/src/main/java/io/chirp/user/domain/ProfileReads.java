package io.chirp.user.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of active users' public profiles that may be answered from a cache: what anyone may see
 * ({@code GET /users/{id}}, by username, the users of a follower page, a user's existence before a
 * read). A cached profile can be stale for a moment after a change (see
 * {@code io.chirp.user.cache.ProfileCache}), so never use these reads to compute a write or to
 * guard one: read {@link UserStore} for that.
 * <p>
 * A profile read here carries no {@link User#email()} (null): the cache holds only the public
 * fields of the API's User.
 */
public interface ProfileReads {

    /** The active user with this id. */
    Optional<User> find(long id);

    /** Active users by id; missing ids are left out. */
    Map<Long, User> findAll(Collection<Long> ids);
}
