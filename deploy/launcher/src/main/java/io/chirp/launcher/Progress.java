package io.chirp.launcher;

import java.io.PrintStream;
import java.util.Locale;

/** Timestamped progress lines: {@code [  4.2s] kafka ready at 127.0.0.1:19092}. */
final class Progress {

    private final PrintStream out;
    private final long start = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    synchronized void say(String message) {
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsedSeconds(), message);
        out.flush();
    }

    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
