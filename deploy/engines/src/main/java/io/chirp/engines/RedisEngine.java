package io.chirp.engines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Redis 7: {@code redis-server} from the PATH when present, else the linux binary bundled in
 * the {@code org.signal:embedded-redis} jar, extracted once. With {@code persistent} the
 * append-only file keeps feeds across restarts (the local cluster); without it Redis is a
 * pure cache (tests).
 */
public final class RedisEngine implements RunningEngine {

    private static final String BUNDLED = "redis-server-7.0.15-linux-";
    /** The shell's exit code for a command found but not executable (here: ETXTBSY). */
    private static final int TEXT_FILE_BUSY = 126;

    private final ChildProcess process;
    private final int port;

    private RedisEngine(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisEngine start(Path dir, int port, boolean persistent, ProcessRegistry registry) {
        Ports.requireFree(port, "redis");
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("redis.conf");
            Files.writeString(config, String.join("\n",
                    "bind 127.0.0.1",
                    "port " + port,
                    "dir " + dir.toAbsolutePath(),
                    "save \"\"",
                    "appendonly " + (persistent ? "yes" : "no"),
                    "protected-mode yes",
                    "maxclients 2000",
                    "") );
            Path binary = binary(dir);
            for (int attempt = 1; ; attempt++) {
                ChildProcess process = ChildProcess.start("redis",
                        List.of(binary.toString(), config.toAbsolutePath().toString()),
                        dir, dir.resolve("redis.log"), Map.of(), registry);
                try {
                    process.awaitReady(() -> ping(port), Duration.ofSeconds(20));
                    return new RedisEngine(process, port);
                } catch (EngineStartException e) {
                    // 126 "text file busy": the binary extracted just now was still open for writing
                    // in a child another thread forked meanwhile (before the JDK closed its
                    // descriptors); a moment later it is not. Seen once when engines start in parallel.
                    if (process.exitCode() != TEXT_FILE_BUSY || attempt == 3) {
                        throw e;
                    }
                    ChildProcess.sleep(300);
                }
            }
        } catch (IOException e) {
            throw new EngineStartException("redis did not start: " + e.getMessage(), e);
        }
    }

    private static Path binary(Path dir) throws IOException {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
        Path target = dir.resolve("bin/redis-server");
        if (!Files.isExecutable(target)) {
            Files.createDirectories(target.getParent());
            try (InputStream in = RedisEngine.class.getClassLoader().getResourceAsStream(BUNDLED + arch)) {
                if (in == null) {
                    throw new EngineStartException("No redis-server on the PATH and no bundled binary for "
                            + arch + ": install redis-server");
                }
                Path tmp = target.resolveSibling("redis-server.tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                tmp.toFile().setExecutable(true);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    /** True when {@code PING} answers {@code +PONG}. */
    static boolean ping(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[7];
            int n = socket.getInputStream().read(buf);
            return n >= 5 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String endpoint() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
