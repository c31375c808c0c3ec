package io.chirp.like.store;

import com.datastax.oss.driver.api.core.CqlSession;

import io.chirp.like.config.CassandraProperties;
import jakarta.inject.Singleton;

/**
 * The service's own schema step: the tables of its keyspace, created if missing. One table
 * per query; the comment on each says which query it serves.
 */
@Singleton
class LikeSchema {

    private final CqlSession session;
    private final String keyspace;
    private volatile boolean done;

    LikeSchema(CqlSession session, CassandraProperties properties) {
        this.session = session;
        this.keyspace = properties.keyspace();
    }

    synchronized void ensure() {
        if (done) {
            return;
        }
        // "who liked this tweet?" — also the claim: its primary key makes a like unique
        session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".likes_by_tweet (tweet_id bigint, user_id bigint,"
                + " liked_at timestamp, saga_id uuid, PRIMARY KEY (tweet_id, user_id))");
        // "what did this user like?", newest first
        session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".likes_by_user (user_id bigint, liked_at timestamp,"
                + " tweet_id bigint, PRIMARY KEY (user_id, liked_at, tweet_id))"
                + " WITH CLUSTERING ORDER BY (liked_at DESC, tweet_id DESC)");
        // "how many likes?" — counters live in their own table
        session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".like_counts (tweet_id bigint PRIMARY KEY,"
                + " count counter)");
        // "which sagas are in flight?" — small: rows go when a saga ends
        session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".like_sagas (bucket int, saga_id uuid,"
                + " tweet_id bigint, user_id bigint, delta int, state text, updated_at timestamp,"
                + " PRIMARY KEY (bucket, saga_id))");
        done = true;
    }
}
