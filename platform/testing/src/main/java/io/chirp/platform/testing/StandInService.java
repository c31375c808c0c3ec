package io.chirp.platform.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Another Chirp service as its caller sees it over HTTP, in a caller's tests of what it does
 * when that service hangs, refuses connections or comes back (circuit breakers, timeouts): a
 * JDK HTTP server on {@code 127.0.0.1} answering every request with {@code answer}, recording the
 * requests that reach it. {@link #hang()} makes it accept requests and never answer (until
 * {@link #recover()} or {@link #close()}); {@link #stop()} closes the port (connections
 * refused) and {@link #restart()} opens it again on the same port. Not a store: stores are real
 * engines ({@link RealEngines}).
 */
public final class StandInService implements AutoCloseable {

    /** What reached it: the method and the path with its query. */
    public record Request(String method, String path) {
    }

    /** The answer to one request: a status and a JSON body. */
    public record Answer(int status, String json) {

        /** 200 with {@code json}. */
        public static Answer ok(String json) {
            return new Answer(200, json);
        }
    }

    private final int port;
    private final Function<Request, Answer> answer;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private volatile CountDownLatch hung = new CountDownLatch(0);
    private volatile HttpServer server;

    private StandInService(int port, Function<Request, Answer> answer) {
        this.port = port;
        this.answer = answer;
    }

    /** Started on a free port. */
    public static StandInService start(Function<Request, Answer> answer) {
        StandInService service = new StandInService(io.chirp.engines.Ports.freePort(), answer);
        service.restart();
        return service;
    }

    /** Its base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** How many requests have reached it since it started. */
    public int calls() {
        return received.size();
    }

    /** The requests that have reached it since it started, in the order they did. */
    public List<Request> received() {
        return List.copyOf(received);
    }

    /** From now on, requests are read and never answered (until {@link #recover()}). */
    public void hang() {
        hung = new CountDownLatch(1);
    }

    /** Answers again, the requests it was holding too. */
    public void recover() {
        hung.countDown();
    }

    /** Closes its port: connections are refused. */
    public void stop() {
        server.stop(0);
    }

    /** Opens its port again (the same one) and answers. */
    public void restart() {
        try {
            HttpServer started = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
            started.setExecutor(threads);
            started.createContext("/", this::handle);
            started.start();
            server = started;
        } catch (IOException e) {
            throw new IllegalStateException("stand-in service could not listen on " + port, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString()));
            exchange.getRequestBody().readAllBytes();
            if (!hung.await(5, TimeUnit.MINUTES)) {
                return;
            }
            Answer reply = answer.apply(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString()));
            byte[] body = reply.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        recover();
        server.stop(0);
        threads.shutdownNow();
    }
}
