package io.chirp.tweet.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.platform.sharding.ShardedDataSources;
import jakarta.inject.Singleton;

/**
 * The monthly partitions of {@code tweets} (UTC months, named {@code tweets_YYYY_MM}) on every
 * physical shard. An insert into a month without a partition fails, so partitions are created
 * ahead of time: V2 creates the current and next month's, {@link #ensure} more. Idempotent
 * (a partition that exists is left alone; {@code CREATE TABLE IF NOT EXISTS}); a race with
 * another instance creating the same partition is tolerated. Creating a partition briefly locks
 * {@code tweets}; it waits at most {@value #LOCK_TIMEOUT} for that lock and otherwise fails, to
 * be tried again on the next run.
 */
@Singleton
public class TweetPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(TweetPartitions.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'tweets_'yyyy_MM");
    private static final String DUPLICATE_TABLE = "42P07";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String LOCK_TIMEOUT = "5s";

    private final ShardedDataSources shards;

    TweetPartitions(ShardedDataSources shards) {
        this.shards = shards;
    }

    /**
     * Makes sure {@code from} and the {@code monthsAhead} months after it have their partition on
     * every physical shard.
     *
     * @return the partition names now guaranteed to exist
     */
    public List<String> ensure(YearMonth from, int monthsAhead) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= monthsAhead; i++) {
            names.add(NAME.format(from.plusMonths(i)));
        }
        for (Map.Entry<String, DataSource> shard : shards.all().entrySet()) {
            for (int i = 0; i <= monthsAhead; i++) {
                create(shard.getKey(), shard.getValue(), from.plusMonths(i));
            }
        }
        return names;
    }

    private static void create(String physical, DataSource db, YearMonth month) {
        String name = NAME.format(month);
        boolean exists = ShardJdbc.read(db, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
        if (exists) {
            return;
        }
        try {
            ShardJdbc.inTransaction(db, c -> {
                try (Statement s = c.createStatement()) {
                    // attaching a partition locks the parent: give up rather than queue every tweet behind us
                    s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
                    s.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF tweets FOR VALUES FROM ('"
                            + month.atDay(1) + " 00:00:00+00') TO ('" + month.plusMonths(1).atDay(1) + " 00:00:00+00')");
                }
                return null;
            });
            LOG.info("created partition {} on {}", name, physical);
        } catch (ShardJdbc.ShardUnavailableException e) {
            String state = e.getCause() instanceof SQLException sql ? sql.getSQLState() : null;
            if (!DUPLICATE_TABLE.equals(state) && !UNIQUE_VIOLATION.equals(state)) {
                throw e;
            }
            LOG.debug("partition {} on {} was created concurrently", name, physical);
        }
    }
}
