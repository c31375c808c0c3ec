package io.chirp.platform.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/** The shard map switch of an online shard move, as the callers of {@link ShardedDataSources} see it. */
class ShardedDataSourcesSwitchTest {

    @Test
    void aDataSourceTakenBeforeTheSwitchConnectsToTheNewDatabaseAfterIt() throws Exception {
        ShardedDataSources shards = new ShardedDataSources(ShardMapFixture.twoHalves(),
                Map.of("shard0", named("shard0"), "shard1", named("shard1")));
        long id = ChirpId.compose(1_000, 42, 0);
        // a request resolved its data source, then waited at the move's fence
        DataSource primary = shards.forId(id);
        DataSource reader = shards.forRead(id);
        DataSource claims = shards.forKey(keyOn(42));
        shards.fences().fence(42, Duration.ofSeconds(1));

        shards.switchMap(shards.map().withMove(42, "shard1"));
        shards.fences().lift(42);

        try (Connection c = primary.getConnection(); Connection r = reader.getConnection();
             Connection k = claims.getConnection()) {
            assertEquals("shard1", c.getCatalog(), "a write after the fence goes to the move's target");
            assertEquals("shard1", r.getCatalog());
            assertEquals("shard1", k.getCatalog());
        }
    }

    private static String keyOn(int logical) {
        for (int i = 0; ; i++) {
            if (LogicalShards.forKey("user" + i) == logical) {
                return "user" + i;
            }
        }
    }

    /** A data source whose connections answer {@code getCatalog()} with its name. */
    private static DataSource named(String name) {
        Connection connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getCatalog" -> name;
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getConnection" -> connection;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
