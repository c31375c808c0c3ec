package io.chirp.platform.database;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A caller's read-your-writes pin: per physical database, the primary's WAL position right after
 * the caller's latest write ({@link io.chirp.platform.sharding.ReplicaMonitor#insertPosition}). The
 * caller may read a database's replica once it has replayed at least that far; a database with no
 * position, or an {@link #UNKNOWN} one (the primary could not be asked), is read on the primary
 * until the pin expires. {@link #PRIMARIES} sends every read to the primaries.
 * <p>
 * Positions are byte offsets in the WAL (PostgreSQL {@code pg_lsn}). In Redis each is a hash field
 * holding 16 lower-case hexadecimal digits ({@link #hex}), so that string order is numeric order
 * and a Lua script can keep the larger of two pins without number conversion (Lua's numbers are
 * doubles, exact only below 2<sup>53</sup>).
 */
final class WritePositions {

    /** The position of a primary that could not be asked: no replica ever reaches it. */
    static final long UNKNOWN = Long.MAX_VALUE;

    /** Every read on the primaries (a read-model builder's request, or the pin could not be read). */
    static final WritePositions PRIMARIES = new WritePositions(Map.of());

    /** No pin: the caller has not written lately, every replica in rotation will do. */
    static final WritePositions NONE = new WritePositions(Map.of());

    private final Map<String, Long> byDatabase;

    private WritePositions(Map<String, Long> byDatabase) {
        this.byDatabase = Map.copyOf(byDatabase);
    }

    /** @param byDatabase physical database → WAL position (byte offset) after the caller's write */
    static WritePositions of(Map<String, Long> byDatabase) {
        return new WritePositions(byDatabase);
    }

    /** Whether the caller may read {@code physical}'s replica, which has replayed up to {@code replayed}. */
    boolean allowsReplica(String physical, long replayed) {
        if (this == NONE) {
            return true;
        }
        Long written = byDatabase.get(physical);
        return this != PRIMARIES && written != null && written != UNKNOWN && replayed >= written;
    }

    /** Per database, the later of the two positions: a caller's newest write must be visible, not only their last-pinned one. */
    WritePositions max(WritePositions other) {
        if (this == PRIMARIES || other == PRIMARIES) {
            return PRIMARIES;
        }
        if (this == NONE || other == NONE) {
            return this == NONE ? other : this;
        }
        Map<String, Long> merged = new HashMap<>(byDatabase);
        other.byDatabase.forEach((database, position) -> merged.merge(database, position, Math::max));
        return new WritePositions(merged);
    }

    /** The Redis hash fields: database → {@link #hex} position. */
    Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        byDatabase.forEach((database, position) -> fields.put(database, hex(position)));
        return fields;
    }

    /**
     * From the Redis hash; null when there is none (the caller is not pinned).
     *
     * @throws NumberFormatException when a field is not a {@link #hex} position
     */
    static WritePositions fromFields(Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return null;
        }
        Map<String, Long> positions = new HashMap<>();
        fields.forEach((database, position) -> positions.put(database, Long.parseUnsignedLong(position, 16)));
        return new WritePositions(positions);
    }

    /** A non-negative position as exactly 16 lower-case hexadecimal digits. */
    static String hex(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("not a WAL position: " + position);
        }
        String digits = Long.toHexString(position);
        return "0".repeat(16 - digits.length()) + digits;
    }

    @Override
    public String toString() {
        return this == PRIMARIES ? "primaries" : this == NONE ? "none" : byDatabase.toString();
    }
}
