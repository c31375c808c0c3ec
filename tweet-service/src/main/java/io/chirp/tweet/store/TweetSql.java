package io.chirp.tweet.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import io.chirp.platform.sharding.ChirpId;
import io.chirp.tweet.domain.Tweet;

/**
 * The statements of the tweets tables and their row mapping. Public so that integration tests
 * can EXPLAIN the very statement the store runs.
 * <p>
 * Every lookup by id also names {@code created_at = ChirpId.timestamp(id)} (the value it was
 * stored with), so PostgreSQL reads one monthly partition instead of probing them all.
 */
public final class TweetSql {

    /** The Tweet columns, with the author's username joined from the same shard. */
    static final String COLUMNS = "t.id, t.author_id, a.username, t.text, t.reply_to_id, t.retweet_of_id,"
            + " t.hashtags, t.mentions, t.like_count, t.retweet_count, t.reply_count, t.created_at";
    static final String FROM = " FROM tweets t LEFT JOIN authors a ON a.user_id = t.author_id";

    /**
     * One page of a user timeline: the author's live tweets below an id, newest first. Parameters:
     * author id, the id the page starts below, {@link #createdAtBound} of that id, limit. Served
     * by the {@code (author_id, id DESC)} index of each partition, newest partition first.
     */
    public static final String USER_TIMELINE = "SELECT " + COLUMNS + FROM
            + " WHERE t.author_id = ? AND t.deleted_at IS NULL AND t.id < ? AND t.created_at <= ?"
            + " ORDER BY t.id DESC LIMIT ?";

    /** Replies to one tweet on one shard below an id, newest first: parent id, below, limit. */
    static final String REPLIES = "SELECT " + COLUMNS + FROM
            + " WHERE t.reply_to_id = ? AND t.deleted_at IS NULL AND t.id < ? ORDER BY t.id DESC LIMIT ?";

    static final String FIND = "SELECT " + COLUMNS + FROM
            + " WHERE t.id = ? AND t.created_at = ? AND t.deleted_at IS NULL";

    /** Many tweets of one shard: ids, their creation times (for partition pruning). */
    static final String FIND_ALL = "SELECT " + COLUMNS + FROM
            + " WHERE t.id = ANY(?) AND t.created_at = ANY(?) AND t.deleted_at IS NULL";

    static final String INSERT = "INSERT INTO tweets (id, author_id, text, reply_to_id, retweet_of_id, hashtags,"
            + " mentions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private TweetSql() {
    }

    /** The {@code created_at} a tweet with this id is stored with: the id's millisecond. */
    public static OffsetDateTime createdAt(long id) {
        return at(ChirpId.timestamp(id));
    }

    /** The upper bound of {@code created_at} for a page below {@code before} (exclusive). */
    public static OffsetDateTime createdAtBound(long before) {
        return at(before == Long.MAX_VALUE ? ChirpId.LAST_INSTANT : ChirpId.timestamp(before));
    }

    static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A Tweet from a row of {@link #COLUMNS}. */
    static Tweet tweet(ResultSet rs) throws SQLException {
        return new Tweet(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), nullableLong(rs, 5),
                nullableLong(rs, 6), strings(rs.getArray(7)), strings(rs.getArray(8)), rs.getLong(9), rs.getLong(10),
                rs.getLong(11), rs.getObject(12, OffsetDateTime.class).toInstant());
    }

    /** Inserts one tweet; its created_at is its id's timestamp. */
    static void insert(Connection c, Tweet tweet) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setLong(1, tweet.id());
            s.setLong(2, tweet.authorId());
            s.setString(3, tweet.text());
            s.setObject(4, tweet.replyToId(), Types.BIGINT);
            s.setObject(5, tweet.retweetOfId(), Types.BIGINT);
            s.setArray(6, c.createArrayOf("text", tweet.hashtags().toArray()));
            s.setArray(7, c.createArrayOf("text", tweet.mentions().toArray()));
            s.setObject(8, createdAt(tweet.id()));
            s.executeUpdate();
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
