package io.chirp.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port checks. Every engine binds 127.0.0.1 only. */
public final class Ports {

    private Ports() {
    }

    /**
     * Fails with {@link PortInUseException} naming {@code owner} when something already
     * listens on (or holds) 127.0.0.1:{@code port}.
     */
    public static void requireFree(int port, String owner) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new PortInUseException(port, owner);
        }
    }

    /**
     * A currently free loopback port for an engine of a test, drawn at random from 20000–32767:
     * below Linux's ephemeral range (32768–60999), so the port cannot be handed to some
     * outgoing connection between this call and the engine binding it (which happened with
     * ports the kernel chose), and above the local cluster's defaults (up to 19300 + small
     * offsets). Racy only against another listener picking the same port, which the engine's
     * own start reports ({@link PortInUseException}).
     */
    public static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = random.nextInt(20_000, 32_768);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // in use: draw again
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when a TCP connection to 127.0.0.1:{@code port} succeeds within 200 ms. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
