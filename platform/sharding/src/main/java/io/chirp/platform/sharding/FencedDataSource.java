package io.chirp.platform.sharding;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * A physical database seen through one logical shard's fence ({@link LogicalShardFences}):
 * {@link #getConnection()} first enters the fence, and the permit is released when the
 * connection is closed, so a fence waits for the transactions in flight to end.
 *
 * <p>The physical database is looked up <em>after</em> the fence is entered: work that waited
 * at a fence raised for a shard move must go to the database the map names once the fence
 * lifts (the move's target), not to the one named when the caller asked for this data source.
 */
final class FencedDataSource extends ForwardingDataSource {

    private final Supplier<DataSource> route;
    private final LogicalShardFences fences;
    private final int logicalShard;

    /**
     * @param current the database the map names now (log writer, login timeout, unwrap)
     * @param route   the database the map names when a connection is taken
     */
    FencedDataSource(DataSource current, Supplier<DataSource> route, LogicalShardFences fences, int logicalShard) {
        super(current);
        this.route = route;
        this.fences = fences;
        this.logicalShard = logicalShard;
    }

    @Override
    public Connection getConnection() throws SQLException {
        LogicalShardFences.Permit permit = fences.enter(logicalShard);
        try {
            return releasingOnClose(route.get().getConnection(), permit);
        } catch (SQLException | RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    private static Connection releasingOnClose(Connection connection, LogicalShardFences.Permit permit) {
        InvocationHandler handler = new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                if (method.getName().equals("close") && method.getParameterCount() == 0) {
                    try {
                        connection.close();
                    } finally {
                        permit.close();
                    }
                    return null;
                }
                try {
                    return method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(FencedDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }
}
