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

    /** A currently free ephemeral loopback port (for tests; racy by nature, but only briefly). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
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
