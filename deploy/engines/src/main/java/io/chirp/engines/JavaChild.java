package io.chirp.engines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line of a child JVM: java, heap and flags, tmpdir, classpath, main class. */
final class JavaChild {

    private JavaChild() {
    }

    static List<String> command(Path java, Path dir, List<String> jvmFlags, String classpath,
                                String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmFlags);
        command.add("-Djava.io.tmpdir=" + dir.resolve("tmp").toAbsolutePath());
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** The {@code java} of the JVM we run in. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
