package io.chirp.engines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A base backup of a local primary for a streaming replica, with PostgreSQL's low-level backup
 * API (PostgreSQL 17 docs, 25.3.4): {@code pg_backup_start} and {@code pg_backup_stop} on one
 * session around a plain copy of the data directory. The copy may see files mid-write; WAL
 * replay from the backup's start point repairs them (full-page writes are forced during a
 * backup). What is left out follows {@code pg_basebackup}'s exclusions (docs, 53.4
 * "Streaming Replication Protocol", BASE_BACKUP): the WAL, replication slots, and the
 * directories PostgreSQL empties at start.
 */
final class BaseBackup {

    /** Directories copied empty. */
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
            "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    /** Files not copied. */
    private static final Set<String> SKIPPED = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "standby.signal", "recovery.signal");

    private BaseBackup() {
    }

    /**
     * Copies {@code primary} into {@code target} (replaced if it holds a failed earlier attempt)
     * and configures it as a standby streaming from {@code primary} through slot {@code slot}.
     */
    static void copy(PostgresEngine primary, String slot, Path target) throws SQLException, IOException {
        deleteTree(target);
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl("postgres"), PostgresEngine.USER, "");
             Statement s = c.createStatement()) {
            boolean slotExists;
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                slotExists = rs.next();
            }
            if (!slotExists) {
                // reserve WAL from now on: the replica will need it from the backup's start
                s.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
            }
            s.execute("SELECT pg_backup_start('chirp replica " + slot + "', true)");
            String label;
            String tablespaceMap;
            try {
                copyTree(primary.dataDirectory(), target);
            } finally {
                try (ResultSet rs = s.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(true)")) {
                    rs.next();
                    label = rs.getString(1);
                    tablespaceMap = rs.getString(2);
                }
            }
            Files.writeString(target.resolve("backup_label"), label, StandardCharsets.UTF_8);
            if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
                Files.writeString(target.resolve("tablespace_map"), tablespaceMap, StandardCharsets.UTF_8);
            }
        }
        Files.createFile(target.resolve("standby.signal"));
        Files.writeString(target.resolve("postgresql.auto.conf"), "\n"
                        + "primary_conninfo = 'host=127.0.0.1 port=" + primary.port() + " user=" + PostgresEngine.USER
                        + " application_name=" + slot + "'\n"
                        + "primary_slot_name = '" + slot + "'\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Path copy = target.resolve(source.relativize(dir).toString());
                Files.createDirectories(copy);
                // PostgreSQL refuses a data directory others can read
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwx------"));
                if (!dir.equals(source) && dir.getParent().equals(source) && EMPTIED.contains(dir.getFileName().toString())) {
                    if (dir.getFileName().toString().equals("pg_wal")) {
                        Files.createDirectories(copy.resolve("archive_status"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String name = file.getFileName().toString();
                boolean topLevel = file.getParent().equals(source);
                if ((topLevel && SKIPPED.contains(name)) || name.startsWith("pgsql_tmp")) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (NoSuchFileException gone) {
                    // removed while copying (a temporary file): replay does not need it
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
