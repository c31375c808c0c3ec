package io.chirp.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes our children die with us even when we are killed with -9 (no shutdown hook runs then).
 * A detached {@code sh} loop polls our pid once a second; when we are gone it sends SIGTERM to
 * every pid in the {@link ProcessRegistry} file whose command line contains the run directory
 * (so a recycled pid is never hit), waits up to 20 s, then SIGKILLs what is left.
 */
public final class Watchdog {

    private static final String SCRIPT = """
            parent=$1; pids=$2; marker=$3
            while kill -0 "$parent" 2>/dev/null; do sleep 1; done
            [ -f "$pids" ] || exit 0
            ours() { grep -qaF -- "$marker" "/proc/$1/cmdline" 2>/dev/null; }
            list=$(awk '{print $2}' "$pids")
            for p in $list; do ours "$p" && kill -TERM "$p" 2>/dev/null; done
            i=0
            while [ $i -lt 20 ]; do
              alive=0
              for p in $list; do ours "$p" && alive=1; done
              [ $alive -eq 0 ] && exit 0
              sleep 1; i=$((i+1))
            done
            for p in $list; do ours "$p" && kill -KILL "$p" 2>/dev/null; done
            exit 0
            """;

    private Watchdog() {
    }

    /** Starts the watchdog for the current JVM over {@code runDir}'s pids file. */
    public static void guard(Path runDir) {
        try {
            Path script = runDir.resolve("watchdog.sh");
            Files.createDirectories(runDir);
            Files.writeString(script, SCRIPT);
            List<String> command = List.of("/bin/sh", script.toString(),
                    Long.toString(ProcessHandle.current().pid()),
                    runDir.resolve("pids").toString(),
                    runDir.toAbsolutePath().getParent().toString());
            ProcessBuilder builder = Files.isExecutable(Path.of("/usr/bin/setsid"))
                    ? new ProcessBuilder(prepend("/usr/bin/setsid", command))
                    : new ProcessBuilder(command);
            builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new EngineStartException("Could not start the process watchdog: " + e.getMessage(), e);
        }
    }

    private static List<String> prepend(String first, List<String> rest) {
        var list = new java.util.ArrayList<String>();
        list.add(first);
        list.addAll(rest);
        return list;
    }
}
