package io.chirp.platform.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Immutable map from each of the {@value LogicalShards#COUNT} logical shards to the name of the
 * physical database holding it (e.g. {@code shard0}, the name of a datasource).
 *
 * <p>Many logical shards per physical database is Instagram's scheme (Instagram engineering,
 * "Sharding &amp; IDs at Instagram", 2012): to add capacity, copy some logical shards to a new
 * database and change this map, with no re-hashing and no schema change. {@link #withMove}
 * gives the map after such a move; copying the rows is the caller's job.
 *
 * <p>Built from configuration: the known physical names, ranges that cover every logical shard
 * exactly once, and optional overrides that move single logical shards (or ranges) elsewhere.
 * In a Micronaut service, for instance:
 *
 * <pre>{@code
 * chirp:
 *   sharding:
 *     physical: [shard0, shard1]
 *     ranges:
 *       "0-4095": shard0
 *       "4096-8191": shard1
 *     overrides:
 *       "1234": shard1
 *
 * @ConfigurationProperties("chirp.sharding")
 * record ShardingProperties(List<String> physical, Map<String, String> ranges,
 *                           @Nullable Map<String, String> overrides) {}
 *
 * ShardMap map = ShardMap.parse(props.ranges(), props.overrides(), props.physical());
 * }</pre>
 *
 * <p>{@link #parseEntries} takes the same content as lists of {@code "0-4095: shard0"} strings
 * (handy for environment variables), and {@link #toRangeEntries()} writes a map back in that form.
 *
 * <p>Validation (all {@link IllegalArgumentException}, naming the offending entry): a key that
 * is not {@code from-to} or a single shard number, {@code from > to}, a shard beyond
 * 0..{@value LogicalShards#MAX}, a physical name not among the known ones, a logical shard
 * covered by two ranges or two overrides, and logical shards covered by no range.
 */
public final class ShardMap {

    private static final Pattern KEY = Pattern.compile("(\\d{1,9})(?:\\s*-\\s*(\\d{1,9}))?");

    /** Known physical names, in declaration order; the index is what {@link #assignment} holds. */
    private final List<String> names;
    private final Set<String> nameSet;
    /** Index into {@link #names} for each logical shard. */
    private final short[] assignment;

    private ShardMap(List<String> names, short[] assignment) {
        this.names = names;
        this.nameSet = Collections.unmodifiableSet(new LinkedHashSet<>(names));
        this.assignment = assignment;
    }

    /**
     * Builds a map from configuration maps.
     *
     * @param ranges        key {@code "from-to"} (inclusive) or {@code "n"}, value a physical
     *                      name; together they must cover 0..{@value LogicalShards#MAX} exactly
     *                      once
     * @param overrides     same form, may be null or empty; each moves its logical shards to the
     *                      given physical database, whatever the ranges say; overrides must not
     *                      overlap each other
     * @param physicalNames the physical databases that exist (e.g. the configured datasources);
     *                      at least one, none blank. A known name may hold no logical shard yet.
     * @throws IllegalArgumentException naming the offending entry (see class doc)
     */
    public static ShardMap parse(Map<String, String> ranges, Map<String, String> overrides,
                                 Collection<String> physicalNames) {
        Objects.requireNonNull(ranges, "ranges");
        List<String> rangeEntries = new ArrayList<>();
        ranges.forEach((k, v) -> rangeEntries.add(k + ": " + v));
        List<String> overrideEntries = new ArrayList<>();
        if (overrides != null) {
            overrides.forEach((k, v) -> overrideEntries.add(k + ": " + v));
        }
        return parseEntries(rangeEntries, overrideEntries, physicalNames);
    }

    /**
     * Builds a map from entries of the form {@code "from-to: physical"} or {@code "n: physical"}
     * (whitespace around the parts is ignored); otherwise as
     * {@link #parse(Map, Map, Collection)}.
     *
     * @param ranges        entries covering 0..{@value LogicalShards#MAX} exactly once
     * @param overrides     entries applied after the ranges; may be null or empty
     * @param physicalNames the known physical databases, at least one, none blank
     * @throws IllegalArgumentException naming the offending entry (see class doc)
     */
    public static ShardMap parseEntries(List<String> ranges, List<String> overrides,
                                        Collection<String> physicalNames) {
        Objects.requireNonNull(ranges, "ranges");
        List<String> names = knownNames(physicalNames);

        List<Entry> rangeList = parseAll("range", ranges, names);
        short[] assignment = new short[LogicalShards.COUNT];
        Entry[] coveredBy = cover(rangeList);
        StringJoiner gaps = new StringJoiner(", ");
        for (int shard = 0; shard < LogicalShards.COUNT; shard++) {
            if (coveredBy[shard] == null) {
                int end = shard;
                while (end + 1 < LogicalShards.COUNT && coveredBy[end + 1] == null) {
                    end++;
                }
                gaps.add(span(shard, end));
                shard = end;
            } else {
                assignment[shard] = (short) names.indexOf(coveredBy[shard].physical);
            }
        }
        if (gaps.length() > 0) {
            throw new IllegalArgumentException(
                    "logical shards not covered by any range: " + gaps);
        }

        List<Entry> overrideList = parseAll("override", overrides == null ? List.of() : overrides,
                names);
        cover(overrideList);
        for (Entry override : overrideList) {
            short index = (short) names.indexOf(override.physical);
            Arrays.fill(assignment, override.from, override.to + 1, index);
        }
        return new ShardMap(names, assignment);
    }

    /**
     * The physical database holding {@code logicalShard}.
     *
     * @throws IllegalArgumentException if {@code logicalShard} is outside 0..{@value LogicalShards#MAX}
     */
    public String physicalFor(int logicalShard) {
        return names.get(assignment[LogicalShards.requireValid(logicalShard)]);
    }

    /**
     * The physical database holding the row named by {@code chirpId}, from the logical shard
     * the id carries.
     *
     * @throws IllegalArgumentException if {@code chirpId} is negative
     */
    public String physicalForId(long chirpId) {
        return physicalFor(ChirpId.logicalShard(chirpId));
    }

    /** The known physical names, in configuration order, including any holding no shard. */
    public Set<String> physicalNames() {
        return nameSet;
    }

    /**
     * The logical shards held by {@code physical}, ascending; a new array on every call, empty
     * if the database holds none.
     *
     * @throws IllegalArgumentException if {@code physical} is not a known name
     */
    public int[] logicalShardsOn(String physical) {
        short index = indexOf(physical, "physical");
        int[] result = new int[LogicalShards.COUNT];
        int count = 0;
        for (int shard = 0; shard < LogicalShards.COUNT; shard++) {
            if (assignment[shard] == index) {
                result[count++] = shard;
            }
        }
        return Arrays.copyOf(result, count);
    }

    /**
     * The map after moving {@code logicalShard} to {@code toPhysical}; this map is unchanged
     * (it is returned itself if the shard is already there).
     *
     * @throws IllegalArgumentException if {@code logicalShard} is out of range or
     *                                  {@code toPhysical} is not a known name
     */
    public ShardMap withMove(int logicalShard, String toPhysical) {
        LogicalShards.requireValid(logicalShard);
        short index = indexOf(toPhysical, "toPhysical");
        if (assignment[logicalShard] == index) {
            return this;
        }
        short[] moved = assignment.clone();
        moved[logicalShard] = index;
        return new ShardMap(names, moved);
    }

    /**
     * This map as the fewest range entries ({@code "0-1233: shard0"}, {@code "1234: shard1"},
     * ...) in logical shard order, so that {@code parseEntries(toRangeEntries(), null,
     * physicalNames())} equals this map. For writing a map changed by {@link #withMove} back to
     * configuration.
     */
    public List<String> toRangeEntries() {
        List<String> entries = new ArrayList<>();
        int start = 0;
        for (int shard = 1; shard <= LogicalShards.COUNT; shard++) {
            if (shard == LogicalShards.COUNT || assignment[shard] != assignment[start]) {
                entries.add(span(start, shard - 1) + ": " + names.get(assignment[start]));
                start = shard;
            }
        }
        return List.copyOf(entries);
    }

    /** Equal when the same physical names are known and every logical shard maps alike. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ShardMap other) || !nameSet.equals(other.nameSet)) {
            return false;
        }
        for (int shard = 0; shard < LogicalShards.COUNT; shard++) {
            if (!physicalFor(shard).equals(other.physicalFor(shard))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = nameSet.hashCode();
        for (short index : assignment) {
            hash = 31 * hash + names.get(index).hashCode();
        }
        return hash;
    }

    /** E.g. {@code ShardMap[0-4095: shard0, 4096-8191: shard1; physical [shard0, shard1]]}. */
    @Override
    public String toString() {
        return "ShardMap[" + String.join(", ", toRangeEntries()) + "; physical " + nameSet + "]";
    }

    private short indexOf(String physical, String what) {
        int index = names.indexOf(physical);
        if (index < 0) {
            throw new IllegalArgumentException(what + " '" + physical
                    + "' is not a known physical database; known: " + names);
        }
        return (short) index;
    }

    private static List<String> knownNames(Collection<String> physicalNames) {
        Objects.requireNonNull(physicalNames, "physicalNames");
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String name : physicalNames) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(
                        "physical names contain a blank name: " + physicalNames);
            }
            names.add(name.strip());
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no physical databases are named");
        }
        if (names.size() > Short.MAX_VALUE) {
            throw new IllegalArgumentException("more than " + Short.MAX_VALUE + " physical names");
        }
        return List.copyOf(names);
    }

    private static List<Entry> parseAll(String kind, List<String> sources, List<String> names) {
        List<Entry> entries = new ArrayList<>();
        for (String source : sources) {
            entries.add(Entry.parse(kind, source, names));
        }
        entries.sort(Comparator.comparingInt((Entry e) -> e.from)
                .thenComparingInt(e -> e.to)
                .thenComparing(e -> e.source));
        return entries;
    }

    /** Which entry covers each logical shard; throws if two entries cover the same one. */
    private static Entry[] cover(List<Entry> entries) {
        Entry[] coveredBy = new Entry[LogicalShards.COUNT];
        for (Entry entry : entries) {
            for (int shard = entry.from; shard <= entry.to; shard++) {
                Entry earlier = coveredBy[shard];
                if (earlier != null) {
                    throw new IllegalArgumentException("logical shards "
                            + span(shard, Math.min(entry.to, earlier.to)) + " are covered by both "
                            + earlier + " and " + entry);
                }
                coveredBy[shard] = entry;
            }
        }
        return coveredBy;
    }

    private static String span(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }

    /** One configuration entry, {@code from..to} (inclusive) on {@code physical}. */
    private record Entry(String kind, String source, int from, int to, String physical) {

        static Entry parse(String kind, String source, List<String> names) {
            if (source == null) {
                throw new IllegalArgumentException(kind + " entry is null");
            }
            int colon = source.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(kind + " '" + source
                        + "' is not of the form 'from-to: physical' or 'n: physical'");
            }
            String key = source.substring(0, colon).strip();
            String physical = source.substring(colon + 1).strip();
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                throw new IllegalArgumentException(kind + " '" + source
                        + "': '" + key + "' is not a logical shard 'n' or a range 'from-to' within 0.."
                        + LogicalShards.MAX);
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (from > to) {
                throw new IllegalArgumentException(kind + " '" + source
                        + "' starts after it ends");
            }
            if (to > LogicalShards.MAX) {
                throw new IllegalArgumentException(kind + " '" + source
                        + "' goes beyond the last logical shard, " + LogicalShards.MAX);
            }
            if (!names.contains(physical)) {
                throw new IllegalArgumentException(kind + " '" + source + "' names physical '"
                        + physical + "', which is not a known physical database; known: " + names);
            }
            return new Entry(kind, source.strip(), from, to, physical);
        }

        @Override
        public String toString() {
            return kind + " '" + source + "'";
        }
    }
}
