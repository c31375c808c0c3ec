package io.chirp.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The bad-input corpus (issue #10, item 2): every endpoint of API.md, through the gateway, fed
 * malformed JSON, wrong types, missing fields, huge bodies, out-of-range and non-numeric
 * parameters, ids that are no ids, forged cursors, Unicode edge cases at the length limits,
 * injection strings and path traversal. Every rejected case must answer the 4xx API.md gives
 * (problem+json naming the field, no internals) and change nothing.
 * <p>
 * Decisions, following what the services do (Micronaut Serialization defaults):
 * <ul>
 *   <li>extra (unknown) fields are ignored, as a tolerant reader of a contract that may grow;
 *       they can never set a server-owned field (id, author, counts): checked below;</li>
 *   <li>a JSON number or boolean where a string is expected is read as its text (Micronaut
 *       Serialization 2.x has no strict scalar mode) and then validated as that text, so those
 *       are not in the rejected corpus; objects and arrays of several values are rejected;</li>
 *   <li>a body without any {@code Content-Type} is read as JSON; a non-JSON one is 415;</li>
 *   <li>a JSON body that is not well-formed UTF-8 (RFC 3629: also overlong forms and raw
 *       surrogates) is refused whole before it is parsed: 400 naming the body, not a field;</li>
 *   <li>a well-formed cursor is a position, not a secret: a forged one answers a page (or
 *       400), never a 5xx; malformed ones are 400 naming {@code cursor};</li>
 *   <li>injection strings are data: in a query they match literally (never query syntax), in a
 *       tweet they are stored verbatim; in a username they are invalid (400) or unknown (404).</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";
    private static final Map<String, String> AS_JSON = Map.of("Content-Type", "application/json");
    /** What must never reach a client (unless the client sent it itself, e.g. an injection string). */
    private static final List<String> LEAKS = List.of("Exception", "at io.", "at java.", "io.chirp", "org.postgresql",
            "PSQL", "SQLSTATE", "jdbc:", "127.0.0.1", "localhost", "SELECT ", "INSERT ", "UPDATE ", "Caused by",
            ".java:", "elasticsearch", "lettuce", "netty", "micronaut", "StreamReadFeature", "class ");

    private static final String EMOJI = "\uD83D\uDE00";                 // 😀, one code point, two UTF-16 chars
    private static final String COMBINING = "e\u0301";                  // e + COMBINING ACUTE, two code points
    private static final String RTL = "\u202Eשלום\u202C";                // RLO, Hebrew, PDF: six code points
    private static final String ZERO_WIDTH = "\u200B\u200D\uFEFF";       // ZWSP, ZWJ, BOM-as-ZWNBSP
    private static final byte[] RAW_SURROGATE = {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // U+D800 as CESU bytes
    private static final byte[] OVERLONG_SLASH = {(byte) 0xC0, (byte) 0xAF};                // '/' in two bytes

    private static final List<String> SQL_INJECTIONS = List.of("' OR '1'='1", "'; DROP TABLE users; --",
            "1 UNION SELECT password_hash FROM users", "\" OR \"\"=\"", "admin'--");
    private static final List<String> ES_INJECTIONS = List.of("*", "*:*", "{\"query\":{\"match_all\":{}}}",
            "text:* OR _exists_:text", "/.*/", "a\\\" OR \\\"b", "#tag) OR (*", "_id:1", "*canary*", "q~ AND NOT z");

    private Api api;
    /** The user whose state must not move: {id, token, username}. */
    private String[] victim;
    private String victimTweet;
    private String victimDisplayName;
    private String victimBio;
    private long victimTweetCount;
    private List<String> victimTimeline;
    /** A user for the accepted cases (limits, extra fields), so they do not touch the victim. */
    private String[] tolerant;
    /** A tweet no injection may find: its one word is random. */
    private String canaryWord;
    private String canaryTweet;

    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private int cases;

    @BeforeAll
    void setUp() {
        api = new Api(SharedCluster.gateway());
        String name = unique("bad_");
        victim = register(name);
        victimDisplayName = "Victim " + name;
        victimBio = "a bio that must not change";
        Api.Answer patched = api.send("PATCH", "/api/v1/users/me", "{\"displayName\":\"" + victimDisplayName
                + "\",\"bio\":\"" + victimBio + "\"}", victim[1], "bad-input-setup");
        assertEquals(200, patched.status(), String.valueOf(patched.body()));
        Api.Answer posted = api.post("/api/v1/tweets", "{\"text\":\"the victim's only tweet\"}", victim[1]);
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        victimTweet = posted.body().path("id").asText();
        // tweetCount follows TweetCreated (user-service consumes tweet-service's events): 1, shortly
        await().atMost(Duration.ofSeconds(20)).until(() -> user(victim[0]).path("tweetCount").asLong() == 1);
        victimTweetCount = 1;
        victimTimeline = timelineIds(victim[0]);

        tolerant = register(unique("tol_"));
        canaryWord = "canary" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        canaryTweet = api.post("/api/v1/tweets", "{\"text\":\"" + canaryWord + "\"}", tolerant[1]).body().path("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                ids(api.get("/api/v1/search/tweets?q=" + canaryWord, null).body()).contains(canaryTweet));
    }

    @AfterAll
    void summary() {
        System.out.println("BadInputIT: " + cases + " cases through the gateway, statuses seen " + statuses
                + " (no 5xx)");
    }

    // ------------------------------------------------------------------ the rejected corpus

    @TestFactory
    @Order(1)
    Stream<DynamicNode> malformedBodies() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (BodyEndpoint endpoint : bodyEndpoints()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (Map.Entry<String, String> bad : Map.of(
                    "truncated", "{\"" + endpoint.field() + "\":",
                    "not JSON", "hello",
                    "trailing comma", "{\"" + endpoint.field() + "\":\"x\",}",
                    "single quotes", "{'" + endpoint.field() + "':'x'}",
                    "a JSON array", "[]",
                    "a JSON string", "\"x\"",
                    "JSON null", "null",
                    "empty", "",
                    "deeply nested", "[".repeat(5000) + "]".repeat(5000)).entrySet()) {
                tests.add(rejected(bad.getKey(), endpoint.method(), endpoint.path(), utf8(bad.getValue()), AS_JSON,
                        endpoint.token(), 400, null, endpoint.unchanged()));
            }
            nodes.add(DynamicContainer.dynamicContainer(endpoint.method() + " " + endpoint.path(), tests));
        }
        return nodes.stream();
    }

    @TestFactory
    @Order(2)
    Stream<DynamicNode> wrongTypesAndMissingFields() {
        String name = unique("wt_");
        String email = "\"email\":\"" + name + "@bad.chirp\"";
        String password = "\"password\":\"correct horse battery\"";
        String username = "\"username\":\"" + name + "\"";
        Supplier<Boolean> noSuchUser = () -> api.get("/api/v1/users/by-username/" + name, null).status() == 404;
        List<DynamicNode> register = List.of(
                rejected("username an object", "POST", "/api/v1/users", utf8("{\"username\":{\"n\":\"" + name + "\"},"
                        + email + "," + password + "}"), AS_JSON, null, 400, "column", noSuchUser),
                rejected("username an array of two", "POST", "/api/v1/users", utf8("{\"username\":[\"" + name + "\",\"b\"],"
                        + email + "," + password + "}"), AS_JSON, null, 400, "column", noSuchUser),
                rejected("password an object", "POST", "/api/v1/users", utf8("{" + username + "," + email
                        + ",\"password\":{}}"), AS_JSON, null, 400, "column", noSuchUser),
                rejected("password a boolean (read as 'true', too short)", "POST", "/api/v1/users", utf8("{" + username
                        + "," + email + ",\"password\":true}"), AS_JSON, null, 400, "password", noSuchUser),
                rejected("bio an object", "POST", "/api/v1/users", utf8("{" + username + "," + email + "," + password
                        + ",\"bio\":{}}"), AS_JSON, null, 400, "column", noSuchUser),
                rejected("missing username", "POST", "/api/v1/users", utf8("{" + email + "," + password + "}"), AS_JSON,
                        null, 400, "username", noSuchUser),
                rejected("missing email", "POST", "/api/v1/users", utf8("{" + username + "," + password + "}"), AS_JSON,
                        null, 400, "email", noSuchUser),
                rejected("missing password", "POST", "/api/v1/users", utf8("{" + username + "," + email + "}"), AS_JSON,
                        null, 400, "password", noSuchUser),
                rejected("null username", "POST", "/api/v1/users", utf8("{\"username\":null," + email + "," + password
                        + "}"), AS_JSON, null, 400, "username", noSuchUser),
                rejected("empty object", "POST", "/api/v1/users", utf8("{}"), AS_JSON, null, 400, "username", noSuchUser),
                rejected("email not an address", "POST", "/api/v1/users", utf8("{" + username
                        + ",\"email\":\"not-an-address\"," + password + "}"), AS_JSON, null, 400, "email", noSuchUser),
                rejected("email of 255 characters", "POST", "/api/v1/users", utf8("{" + username + ",\"email\":\""
                        + "a".repeat(243) + "@bad.chirp.x\"," + password + "}"), AS_JSON, null, 400, "email", noSuchUser),
                rejected("password of 7 characters", "POST", "/api/v1/users", utf8("{" + username + "," + email
                        + ",\"password\":\"1234567\"}"), AS_JSON, null, 400, "password", noSuchUser),
                rejected("password of 129 characters", "POST", "/api/v1/users", utf8("{" + username + "," + email
                        + ",\"password\":\"" + "p".repeat(129) + "\"}"), AS_JSON, null, 400, "password", noSuchUser));
        List<DynamicNode> token = List.of(
                rejected("missing password", "POST", "/api/v1/auth/token", utf8("{\"username\":\"" + victim[2] + "\"}"),
                        AS_JSON, null, 400, "password", null),
                rejected("missing username", "POST", "/api/v1/auth/token", utf8("{\"password\":\"correct horse battery\"}"),
                        AS_JSON, null, 400, "username", null),
                rejected("username an object", "POST", "/api/v1/auth/token", utf8("{\"username\":{},"
                        + "\"password\":\"correct horse battery\"}"), AS_JSON, null, 400, "column", null));
        List<DynamicNode> tweets = List.of(
                rejected("missing text", "POST", "/api/v1/tweets", utf8("{}"), AS_JSON, victim[1], 400, "text", this::victimUnchanged),
                rejected("null text", "POST", "/api/v1/tweets", utf8("{\"text\":null}"), AS_JSON, victim[1], 400, "text",
                        this::victimUnchanged),
                rejected("text an object", "POST", "/api/v1/tweets", utf8("{\"text\":{\"a\":1}}"), AS_JSON, victim[1], 400,
                        "column", this::victimUnchanged),
                rejected("text an array of two", "POST", "/api/v1/tweets", utf8("{\"text\":[\"a\",\"b\"]}"), AS_JSON,
                        victim[1], 400, "column", this::victimUnchanged),
                rejected("blank text", "POST", "/api/v1/tweets", utf8("{\"text\":\"  \\n\\t \"}"), AS_JSON, victim[1], 400,
                        "text", this::victimUnchanged),
                rejected("text with a NUL", "POST", "/api/v1/tweets", utf8("{\"text\":\"a\\u0000b\"}"), AS_JSON, victim[1],
                        400, "text", this::victimUnchanged),
                rejected("text with an escape character", "POST", "/api/v1/tweets", utf8("{\"text\":\"a\\u001bb\"}"),
                        AS_JSON, victim[1], 400, "text", this::victimUnchanged),
                rejected("replyToId an object", "POST", "/api/v1/tweets", utf8("{\"text\":\"hi\",\"replyToId\":{}}"),
                        AS_JSON, victim[1], 400, "column", this::victimUnchanged),
                rejected("replyToId not a number", "POST", "/api/v1/tweets", utf8("{\"text\":\"hi\",\"replyToId\":\"abc\"}"),
                        AS_JSON, victim[1], 400, "replyToId", this::victimUnchanged),
                rejected("replyToId over 64 bits", "POST", "/api/v1/tweets",
                        utf8("{\"text\":\"hi\",\"replyToId\":99999999999999999999}"), AS_JSON, victim[1], 400, "replyToId",
                        this::victimUnchanged),
                rejected("replyToId negative", "POST", "/api/v1/tweets", utf8("{\"text\":\"hi\",\"replyToId\":\"-1\"}"),
                        AS_JSON, victim[1], 400, "replyToId", this::victimUnchanged),
                rejected("replyToId unknown", "POST", "/api/v1/tweets", utf8("{\"text\":\"hi\",\"replyToId\":\"1\"}"),
                        AS_JSON, victim[1], 404, null, this::victimUnchanged));
        List<DynamicNode> profile = List.of(
                rejected("displayName an object", "PATCH", "/api/v1/users/me", utf8("{\"displayName\":{}}"), AS_JSON,
                        victim[1], 400, "column", this::victimUnchanged),
                rejected("bio an array of two", "PATCH", "/api/v1/users/me", utf8("{\"bio\":[\"a\",\"b\"]}"), AS_JSON,
                        victim[1], 400, "column", this::victimUnchanged),
                rejected("displayName with a NUL", "PATCH", "/api/v1/users/me", utf8("{\"displayName\":\"a\\u0000b\"}"),
                        AS_JSON, victim[1], 400, "displayName", this::victimUnchanged),
                rejected("bio with a NUL", "PATCH", "/api/v1/users/me", utf8("{\"bio\":\"a\\u0000b\"}"),
                        AS_JSON, victim[1], 400, "bio", this::victimUnchanged));
        return Stream.of(DynamicContainer.dynamicContainer("POST /api/v1/users", register),
                DynamicContainer.dynamicContainer("POST /api/v1/auth/token", token),
                DynamicContainer.dynamicContainer("POST /api/v1/tweets", tweets),
                DynamicContainer.dynamicContainer("PATCH /api/v1/users/me", profile));
    }

    @TestFactory
    @Order(3)
    Stream<DynamicNode> hugeBodiesAndWrongContentTypes() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (BodyEndpoint endpoint : bodyEndpoints()) {
            String huge = "{\"" + endpoint.field() + "\":\"" + "a".repeat(70 * 1024) + "\"}";
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(rejected("a body over 64 KiB", endpoint.method(), endpoint.path(), utf8(huge), AS_JSON,
                    endpoint.token(), 413, null, endpoint.unchanged()));
            tests.add(rejected("a body of 1 MiB", endpoint.method(), endpoint.path(),
                    utf8("{\"" + endpoint.field() + "\":\"" + "b".repeat(1024 * 1024) + "\"}"), AS_JSON, endpoint.token(), 413,
                    null, endpoint.unchanged()));
            for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/octet-stream")) {
                tests.add(rejected("Content-Type " + type, endpoint.method(), endpoint.path(),
                        utf8(endpoint.valid()), Map.of("Content-Type", type), endpoint.token(), 415, null,
                        endpoint.unchanged()));
            }
            nodes.add(DynamicContainer.dynamicContainer(endpoint.method() + " " + endpoint.path(), tests));
        }
        return nodes.stream();
    }

    @TestFactory
    @Order(4)
    Stream<DynamicNode> limitsOutOfRange() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Listing listing : listings()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (String limit : List.of("0", "-1", "101", "1000000", "99999999999999999999", "abc", "1.5", "%00")) {
                tests.add(rejected("limit=" + limit, "GET", listing.path() + listing.separator() + "limit=" + limit, null,
                        Map.of(), listing.token(), 400, "limit", null));
            }
            nodes.add(DynamicContainer.dynamicContainer("GET " + listing.path(), tests));
        }
        nodes.add(DynamicContainer.dynamicContainer("GET /api/v1/trends", List.of(
                rejected("window=7d", "GET", "/api/v1/trends?window=7d", null, Map.of(), null, 400, "window", null),
                rejected("window=%00", "GET", "/api/v1/trends?window=%00", null, Map.of(), null, 400, "window", null),
                rejected("q missing (search/tweets)", "GET", "/api/v1/search/tweets", null, Map.of(), null, 400, "q", null),
                rejected("q blank (search/users)", "GET", "/api/v1/search/users?q=%20", null, Map.of(), null, 400, "q", null),
                rejected("q of 201 characters", "GET", "/api/v1/search/tweets?q=" + "a".repeat(201), null, Map.of(), null,
                        400, "q", null),
                rejected("q of 201 emoji", "GET", "/api/v1/search/tweets?q=" + encode(EMOJI.repeat(201)), null, Map.of(),
                        null, 400, "q", null))));
        return nodes.stream();
    }

    @TestFactory
    @Order(5)
    Stream<DynamicNode> idsThatAreNotIds() {
        Map<String, String> badIds = new java.util.LinkedHashMap<>();
        badIds.put("not a number", "abc");
        badIds.put("over 64 bits", "99999999999999999999");
        badIds.put("Long.MAX_VALUE + 1", "9223372036854775808");
        badIds.put("negative", "-1");
        badIds.put("zero", "0");
        badIds.put("hexadecimal", "0x10");
        badIds.put("with a sign", "+1");
        badIds.put("with spaces", "%201%20");
        badIds.put("SQL injection", encode("1 OR 1=1"));
        badIds.put("path traversal", "..%2F..%2Fetc%2Fpasswd");
        badIds.put("path traversal to internal", "..%2F..%2F..%2Finternal%2Ftweets%2Fbatch");
        badIds.put("NUL", "%00");
        badIds.put("id then NUL", "1%00");
        badIds.put("lone surrogate bytes", "%ED%A0%80");
        List<DynamicNode> nodes = new ArrayList<>();
        for (IdEndpoint endpoint : idEndpoints()) {
            List<DynamicNode> tests = new ArrayList<>();
            // "+1" does not even match the route's {id} segment: the router's 404
            badIds.forEach((what, id) -> tests.add(rejected(what, endpoint.method(), endpoint.path().replace("{id}", id),
                    null, Map.of(), endpoint.token(), id.startsWith("+") ? Set.of(400, 404) : Set.of(400),
                    id.startsWith("+") ? null : endpoint.field(),
                    endpoint.token() == null ? null : this::victimUnchanged)));
            nodes.add(DynamicContainer.dynamicContainer(endpoint.method() + " " + endpoint.path(), tests));
        }
        // by-username takes any text: names that cannot exist are simply unknown
        List<DynamicNode> byName = new ArrayList<>();
        for (String name : List.of("..%2F..%2Fetc%2Fpasswd", "%00", "a%00b", "%ED%A0%80", encode(EMOJI),
                encode("' OR '1'='1"), encode("'; DROP TABLE users; --"), "a".repeat(16))) {
            byName.add(rejected(name, "GET", "/api/v1/users/by-username/" + name, null, Map.of(), null, 404, null, null));
        }
        nodes.add(DynamicContainer.dynamicContainer("GET /api/v1/users/by-username/{username}", byName));
        return nodes.stream();
    }

    @TestFactory
    @Order(6)
    Stream<DynamicNode> garbageCursors() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Listing listing : listings()) {
            if (!listing.paged()) {
                continue;
            }
            List<DynamicNode> tests = new ArrayList<>();
            for (String cursor : List.of("garbage!!", "%00", "AAAA", encode("' OR 1=1 --"), "..%2F..%2Fetc%2Fpasswd",
                    "A".repeat(4000), encode(EMOJI), encode(Base64.getUrlEncoder().encodeToString(new byte[15])))) {
                tests.add(rejected("cursor=" + abbreviate(cursor), "GET", listing.path() + listing.separator() + "cursor="
                        + cursor, null, Map.of(), listing.token(), 400, "cursor", null));
            }
            nodes.add(DynamicContainer.dynamicContainer("GET " + listing.path(), tests));
        }
        return nodes.stream();
    }

    @TestFactory
    @Order(7)
    Stream<DynamicNode> unicodeOverTheLimits() {
        String name = unique("uni_");
        Supplier<Boolean> noSuchUser = () -> api.get("/api/v1/users/by-username/" + name, null).status() == 404;
        String account = "\"email\":\"" + name + "@bad.chirp\",\"password\":\"correct horse battery\"";
        List<DynamicNode> tests = new ArrayList<>();
        for (Map.Entry<String, String> over : Map.of(
                "16 characters", "u".repeat(16),
                "an emoji", "u" + EMOJI,
                "a combining mark", "u" + COMBINING,
                "RTL override", "u" + RTL,
                "a zero-width space", "u\u200B" + name.substring(1),
                "a full-width letter", "ｕ" + name.substring(1)).entrySet()) {
            tests.add(rejected("username with " + over.getKey(), "POST", "/api/v1/users",
                    utf8("{\"username\":\"" + over.getValue() + "\"," + account + "}"), AS_JSON, null, 400, "username",
                    noSuchUser));
        }
        for (Map.Entry<String, String> over : overLimit(50).entrySet()) {
            tests.add(rejected("displayName of " + over.getKey(), "PATCH", "/api/v1/users/me",
                    utf8("{\"displayName\":\"" + over.getValue() + "\"}"), AS_JSON, victim[1], 400, "displayName",
                    this::victimUnchanged));
            tests.add(rejected("registration with displayName of " + over.getKey(), "POST", "/api/v1/users",
                    utf8("{\"username\":\"" + name + "\"," + account + ",\"displayName\":\"" + over.getValue() + "\"}"),
                    AS_JSON, null, 400, "displayName", noSuchUser));
        }
        for (Map.Entry<String, String> over : overLimit(160).entrySet()) {
            tests.add(rejected("bio of " + over.getKey(), "PATCH", "/api/v1/users/me",
                    utf8("{\"bio\":\"" + over.getValue() + "\"}"), AS_JSON, victim[1], 400, "bio", this::victimUnchanged));
        }
        for (Map.Entry<String, String> over : overLimit(280).entrySet()) {
            tests.add(rejected("tweet of " + over.getKey(), "POST", "/api/v1/tweets",
                    utf8("{\"text\":\"" + over.getValue() + "\"}"), AS_JSON, victim[1], 400, "text", this::victimUnchanged));
        }
        // lone surrogates: as a JSON escape, and as raw (invalid) UTF-8 bytes
        for (String field : List.of("displayName", "bio")) {
            tests.add(rejected(field + " with a \\ud800 escape", "PATCH", "/api/v1/users/me",
                    utf8("{\"" + field + "\":\"a\\ud800b\"}"), AS_JSON, victim[1], 400, field, this::victimUnchanged));
            tests.add(rejected(field + " with a lone low surrogate \\udc00 escape", "PATCH", "/api/v1/users/me",
                    utf8("{\"" + field + "\":\"\\udc00\"}"), AS_JSON, victim[1], 400, field, this::victimUnchanged));
            tests.add(rejected(field + " with raw surrogate bytes", "PATCH", "/api/v1/users/me",
                    concat("{\"" + field + "\":\"a", RAW_SURROGATE, "b\"}"), AS_JSON, victim[1], 400, "body",
                    this::victimUnchanged));
            tests.add(rejected(field + " with an invalid byte 0xFF", "PATCH", "/api/v1/users/me",
                    concat("{\"" + field + "\":\"a", new byte[] {(byte) 0xFF}, "b\"}"), AS_JSON, victim[1], 400, "body",
                    this::victimUnchanged));
        }
        tests.add(rejected("tweet with a \\ud800 escape", "POST", "/api/v1/tweets", utf8("{\"text\":\"a\\ud800b\"}"),
                AS_JSON, victim[1], 400, "text", this::victimUnchanged));
        tests.add(rejected("tweet with reversed surrogates \\udc00\\ud800", "POST", "/api/v1/tweets",
                utf8("{\"text\":\"\\udc00\\ud800\"}"), AS_JSON, victim[1], 400, "text", this::victimUnchanged));
        tests.add(rejected("tweet with raw surrogate bytes", "POST", "/api/v1/tweets", concat("{\"text\":\"a", RAW_SURROGATE,
                "b\"}"), AS_JSON, victim[1], 400, "body", this::victimUnchanged));
        tests.add(rejected("tweet with an invalid byte 0xFF", "POST", "/api/v1/tweets", concat("{\"text\":\"a",
                new byte[] {(byte) 0xFF}, "b\"}"), AS_JSON, victim[1], 400, "body", this::victimUnchanged));
        // the JSON parser alone would read these leniently ({"text":"a<C0 AF>b"} posted "a/b")
        tests.add(rejected("tweet with an overlong UTF-8 '/' (C0 AF)", "POST", "/api/v1/tweets", concat("{\"text\":\"a",
                OVERLONG_SLASH, "b\"}"), AS_JSON, victim[1], 400, "body", this::victimUnchanged));
        tests.add(rejected("bio with an overlong UTF-8 '/' (C0 AF)", "PATCH", "/api/v1/users/me", concat("{\"bio\":\"a",
                OVERLONG_SLASH, "b\"}"), AS_JSON, victim[1], 400, "body", this::victimUnchanged));
        tests.add(rejected("registration with a \\ud800 username", "POST", "/api/v1/users",
                utf8("{\"username\":\"u\\ud800\"," + account + "}"), AS_JSON, null, 400, "username", noSuchUser));
        tests.add(rejected("token for a \\u0000 username", "POST", "/api/v1/auth/token",
                utf8("{\"username\":\"a\\u0000\",\"password\":\"correct horse battery\"}"), AS_JSON, null, 401, null, null));
        tests.add(rejected("token for a \\ud800 username", "POST", "/api/v1/auth/token",
                utf8("{\"username\":\"a\\ud800\",\"password\":\"correct horse battery\"}"), AS_JSON, null, 401, null, null));
        tests.add(rejected("search q with raw surrogate bytes", "GET", "/api/v1/search/tweets?q=a%ED%A0%80b", null,
                Map.of(), null, 400, "query", null));
        tests.add(rejected("search q with malformed percent-encoding", "GET", "/api/v1/search/users?q=%E2%82", null,
                Map.of(), null, 400, "query", null));
        return tests.stream();
    }

    @TestFactory
    @Order(8)
    Stream<DynamicNode> injectionStrings() {
        List<DynamicNode> tests = new ArrayList<>();
        for (String sql : SQL_INJECTIONS) {
            String name = "x" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
            tests.add(rejected("SQL as username: " + sql, "POST", "/api/v1/users", utf8(json(Map.of("username", sql,
                            "email", name + "@bad.chirp", "password", "correct horse battery"))), AS_JSON, null, 400,
                    "username", () -> api.get("/api/v1/users/by-username/" + encode(sql), null).status() == 404));
            tests.add(rejected("SQL as login: " + sql, "POST", "/api/v1/auth/token", utf8(json(Map.of("username", sql,
                    "password", sql + sql))), AS_JSON, null, Set.of(400, 401), null, null));
            tests.add(rejected("SQL as a password for the victim: " + sql, "POST", "/api/v1/auth/token",
                    utf8(json(Map.of("username", victim[2], "password", sql + " -- padding"))), AS_JSON, null, 401, null, null));
            tests.add(rejected("SQL in by-username: " + sql, "GET", "/api/v1/users/by-username/" + encode(sql), null,
                    Map.of(), null, 404, null, null));
        }
        return tests.stream();
    }

    // ------------------------------------------------------------------ accepted, but harmless

    @TestFactory
    @Order(9)
    Stream<DynamicNode> injectionsAreDataNotSyntax() {
        List<DynamicNode> tests = new ArrayList<>();
        for (String q : concatLists(ES_INJECTIONS, SQL_INJECTIONS)) {
            tests.add(accepted("search/tweets q=" + q, "GET", "/api/v1/search/tweets?q=" + encode(q), null, Map.of(), null,
                    Set.of(200, 400), answer -> {
                        if (answer.status() == 200) {
                            assertFalse(ids(parse(answer.body())).contains(canaryTweet), "query syntax was obeyed: " + q);
                        }
                    }));
            tests.add(accepted("search/users q=" + q, "GET", "/api/v1/search/users?q=" + encode(q), null, Map.of(), null,
                    Set.of(200, 400), answer -> {
                        if (answer.status() == 200) {
                            assertFalse(answer.body().contains(tolerant[0]), "query syntax was obeyed: " + q);
                        }
                    }));
        }
        for (String text : concatLists(SQL_INJECTIONS, ES_INJECTIONS.subList(0, 3))) {
            tests.add(accepted("tweet text stored verbatim: " + text, "POST", "/api/v1/tweets", utf8(json(Map.of("text", text))),
                    AS_JSON, tolerant[1], Set.of(201), answer -> {
                        JsonNode tweet = parse(answer.body());
                        assertEquals(text, tweet.path("text").asText());
                        assertEquals(text, parse(api.raw("GET", "/api/v1/tweets/" + tweet.path("id").asText(), null,
                                Map.of()).body()).path("text").asText());
                    }));
        }
        return tests.stream();
    }

    @TestFactory
    @Order(10)
    Stream<DynamicNode> extraFieldsAreIgnoredAndNeverSetServerFields() {
        String name = unique("ext_");
        return Stream.of(
                accepted("registration with id, counts and admin", "POST", "/api/v1/users", utf8("{\"username\":\"" + name
                        + "\",\"email\":\"" + name + "@bad.chirp\",\"password\":\"correct horse battery\",\"id\":\"1\","
                        + "\"followersCount\":1000,\"tweetCount\":7,\"admin\":true,\"role\":\"ADMIN\","
                        + "\"passwordHash\":\"x\",\"createdAt\":\"2000-01-01T00:00:00.000Z\"}"), AS_JSON, null, Set.of(201),
                        answer -> {
                            JsonNode user = parse(answer.body());
                            assertNotEquals("1", user.path("id").asText());
                            assertEquals(0, user.path("followersCount").asLong());
                            assertEquals(0, user.path("tweetCount").asLong());
                            assertFalse(user.has("admin") || user.has("role") || user.has("passwordHash"), user.toString());
                            assertNotEquals("2000-01-01T00:00:00.000Z", user.path("createdAt").asText());
                        }),
                accepted("tweet with authorId, counts and id", "POST", "/api/v1/tweets", utf8("{\"text\":\"extra fields\","
                        + "\"authorId\":\"" + victim[0] + "\",\"authorUsername\":\"" + victim[2] + "\",\"id\":\"1\","
                        + "\"likeCount\":99,\"retweetOfId\":\"" + victimTweet + "\",\"hashtags\":[\"x\"]}"), AS_JSON,
                        tolerant[1], Set.of(201), answer -> {
                            JsonNode tweet = parse(answer.body());
                            assertEquals(tolerant[0], tweet.path("authorId").asText());
                            assertEquals(0, tweet.path("likeCount").asLong());
                            assertTrue(tweet.path("retweetOfId").isNull(), tweet.toString());
                            assertEquals(0, tweet.path("hashtags").size());
                            assertTrue(victimUnchanged(), "the victim is untouched");
                        }),
                accepted("profile with username and counts", "PATCH", "/api/v1/users/me", utf8("{\"bio\":\"tolerant\","
                        + "\"username\":\"" + victim[2] + "\",\"id\":\"" + victim[0] + "\",\"followersCount\":5}"), AS_JSON,
                        tolerant[1], Set.of(200), answer -> {
                            JsonNode user = parse(answer.body());
                            assertEquals(tolerant[0], user.path("id").asText());
                            assertNotEquals(victim[2], user.path("username").asText());
                            assertEquals(0, user.path("followersCount").asLong());
                            assertTrue(victimUnchanged(), "the victim is untouched");
                        }));
    }

    @TestFactory
    @Order(11)
    Stream<DynamicNode> unicodeAtTheLimitsIsAccepted() {
        List<DynamicNode> tests = new ArrayList<>();
        for (Map.Entry<String, String> at : atLimit(50).entrySet()) {
            tests.add(accepted("displayName of " + at.getKey(), "PATCH", "/api/v1/users/me",
                    utf8(json(Map.of("displayName", at.getValue()))), AS_JSON, tolerant[1], Set.of(200),
                    answer -> assertEquals(at.getValue(), parse(answer.body()).path("displayName").asText())));
        }
        for (Map.Entry<String, String> at : atLimit(160).entrySet()) {
            tests.add(accepted("bio of " + at.getKey(), "PATCH", "/api/v1/users/me", utf8(json(Map.of("bio", at.getValue()))),
                    AS_JSON, tolerant[1], Set.of(200), answer -> assertEquals(at.getValue(), parse(answer.body()).path("bio").asText())));
        }
        for (Map.Entry<String, String> at : atLimit(280).entrySet()) {
            tests.add(accepted("tweet of " + at.getKey(), "POST", "/api/v1/tweets", utf8(json(Map.of("text", at.getValue()))),
                    AS_JSON, tolerant[1], Set.of(201), answer -> assertEquals(at.getValue().strip(),
                            parse(answer.body()).path("text").asText())));
        }
        String fifteen = ("u" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36) + "_xxxxxxxxxxxxxx")
                .substring(0, 15);
        tests.add(accepted("username of 15 characters", "POST", "/api/v1/users", utf8(json(Map.of("username", fifteen,
                "email", fifteen + "@bad.chirp", "password", "correct horse battery"))), AS_JSON, null, Set.of(201),
                answer -> assertEquals(fifteen, parse(answer.body()).path("username").asText())));
        return tests.stream();
    }

    @TestFactory
    @Order(12)
    Stream<DynamicNode> forgedWellFormedCursorsAreJustPositions() {
        List<DynamicNode> tests = new ArrayList<>();
        for (Listing listing : listings()) {
            if (!listing.paged()) {
                continue;
            }
            for (long[] key : new long[][] {{Long.MIN_VALUE, Long.MIN_VALUE}, {Long.MAX_VALUE, Long.MAX_VALUE}, {0, 0}, {-1, 1}}) {
                String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        ByteBuffer.allocate(16).putLong(key[0]).putLong(key[1]).array());
                tests.add(accepted(listing.path() + " cursor(" + key[0] + "," + key[1] + ")", "GET",
                        listing.path() + listing.separator() + "cursor=" + cursor, null, Map.of(), listing.token(),
                        Set.of(200, 400), answer -> {
                            if (answer.status() == 200) {
                                assertTrue(parse(answer.body()).path("items").isArray(), answer.body());
                            }
                        }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    @Order(13)
    Stream<DynamicNode> finallyTheVictimsCountsSettledUnchanged() {
        return Stream.of(DynamicTest.dynamicTest("tweetCount and timeline after every rejected case", () ->
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(this::victimUnchanged)));
    }

    // ------------------------------------------------------------------ the checks

    /**
     * A case that must be refused: the given 4xx, problem+json naming {@code field} (when given;
     * "column" means the parser's position of the offending value), no internals, and
     * {@code unchanged} (when given) still true afterwards.
     */
    private DynamicTest rejected(String name, String method, String path, byte[] body, Map<String, String> headers,
                                 String token, int status, String field, Supplier<Boolean> unchanged) {
        return rejected(name, method, path, body, headers, token, Set.of(status), field, unchanged);
    }

    /** As above, where API.md allows several statuses (e.g. 400 or 401 for a login). */
    private DynamicTest rejected(String name, String method, String path, byte[] body, Map<String, String> headers,
                                 String token, Set<Integer> status, String field, Supplier<Boolean> unchanged) {
        return DynamicTest.dynamicTest(name, () -> {
            Api.Raw answer = call(method, path, body, headers, token);
            String sent = decoded(path) + (body == null ? "" : new String(body, StandardCharsets.UTF_8));
            assertTrue(status.contains(answer.status()), method + " " + abbreviate(path) + " → " + answer.status() + " "
                    + answer.body() + ", expected " + status);
            assertProblem(answer, sent);
            if (field != null) {
                String detail = parse(answer.body()).path("detail").asText();
                assertTrue(detail.contains(field), "the detail names " + field + ": " + detail);
            }
            if (unchanged != null) {
                assertTrue(unchanged.get(), "state changed after " + method + " " + abbreviate(path));
            }
        });
    }

    /** A case the API accepts: one of {@code statuses}, never a 5xx nor a leak, then {@code check}. */
    private DynamicTest accepted(String name, String method, String path, byte[] body, Map<String, String> headers,
                                 String token, Set<Integer> statuses, java.util.function.Consumer<Api.Raw> check) {
        return DynamicTest.dynamicTest(name, () -> {
            Api.Raw answer = call(method, path, body, headers, token);
            assertTrue(statuses.contains(answer.status()), method + " " + abbreviate(path) + " → " + answer.status() + " "
                    + answer.body());
            if (answer.status() >= 400) {
                assertProblem(answer, decoded(path) + (body == null ? "" : new String(body, StandardCharsets.UTF_8)));
            }
            check.accept(answer);
        });
    }

    private Api.Raw call(String method, String path, byte[] body, Map<String, String> headers, String token) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        if (token != null) {
            all.put("Authorization", "Bearer " + token);
        }
        Api.Raw answer = api.raw(method, path, body, all);
        synchronized (this) {
            cases++;
            statuses.merge(answer.status(), 1, Integer::sum);
        }
        if (answer.status() >= 500) {
            fail("5xx: " + method + " " + abbreviate(path) + " → " + answer.status() + " " + answer.body());
        }
        return answer;
    }

    private static void assertProblem(Api.Raw answer, String sent) {
        String type = answer.header("Content-Type");
        assertTrue(type != null && type.startsWith(PROBLEM), "Content-Type " + type + ": " + answer.body());
        JsonNode problem = parse(answer.body());
        for (String member : List.of("type", "title", "status", "detail")) {
            assertTrue(problem.hasNonNull(member), "problem without " + member + ": " + answer.body());
        }
        assertEquals(answer.status(), problem.path("status").asInt());
        String lowerSent = sent.toLowerCase(Locale.ROOT);
        for (String leak : LEAKS) {
            if (answer.body().contains(leak) && !lowerSent.contains(leak.toLowerCase(Locale.ROOT))) {
                fail("the answer leaks '" + leak + "': " + answer.body());
            }
        }
    }

    /** The victim's profile, tweet count and user timeline are as they were set up. */
    private boolean victimUnchanged() {
        JsonNode user = user(victim[0]);
        return victimDisplayName.equals(user.path("displayName").asText()) && victimBio.equals(user.path("bio").asText())
                && user.path("tweetCount").asLong() == victimTweetCount && victimTimeline.equals(timelineIds(victim[0]))
                && api.get("/api/v1/tweets/" + victimTweet, null).status() == 200;
    }

    // ------------------------------------------------------------------ the endpoints

    private record BodyEndpoint(String method, String path, String field, String valid, String token,
                                Supplier<Boolean> unchanged) {
    }

    private List<BodyEndpoint> bodyEndpoints() {
        String name = unique("body_");
        return List.of(
                new BodyEndpoint("POST", "/api/v1/users", "username", "{\"username\":\"" + name + "\",\"email\":\"" + name
                        + "@bad.chirp\",\"password\":\"correct horse battery\"}", null,
                        () -> api.get("/api/v1/users/by-username/" + name, null).status() == 404),
                new BodyEndpoint("POST", "/api/v1/auth/token", "username", "{\"username\":\"" + victim[2]
                        + "\",\"password\":\"correct horse battery\"}", null, null),
                new BodyEndpoint("POST", "/api/v1/tweets", "text", "{\"text\":\"valid but not JSON-typed\"}", victim[1],
                        this::victimUnchanged),
                new BodyEndpoint("PATCH", "/api/v1/users/me", "bio", "{\"bio\":\"valid but not JSON-typed\"}", victim[1],
                        this::victimUnchanged));
    }

    private record Listing(String path, String token, boolean paged) {
        String separator() {
            return path.contains("?") ? "&" : "?";
        }
    }

    private List<Listing> listings() {
        return List.of(
                new Listing("/api/v1/users/" + victim[0] + "/followers", null, true),
                new Listing("/api/v1/users/" + victim[0] + "/following", null, true),
                new Listing("/api/v1/users/" + victim[0] + "/tweets", null, true),
                new Listing("/api/v1/users/" + victim[0] + "/likes", null, true),
                new Listing("/api/v1/tweets/" + victimTweet + "/replies", null, true),
                new Listing("/api/v1/tweets/" + victimTweet + "/likes", null, true),
                new Listing("/api/v1/timelines/home", victim[1], true),
                new Listing("/api/v1/search/tweets?q=victim", null, true),
                new Listing("/api/v1/search/users?q=bad", null, false),
                new Listing("/api/v1/trends", null, false));
    }

    private record IdEndpoint(String method, String path, String field, String token) {
    }

    private List<IdEndpoint> idEndpoints() {
        return List.of(
                new IdEndpoint("GET", "/api/v1/users/{id}", "id", null),
                new IdEndpoint("GET", "/api/v1/users/{id}/followers", "id", null),
                new IdEndpoint("GET", "/api/v1/users/{id}/following", "id", null),
                new IdEndpoint("GET", "/api/v1/users/{id}/tweets", "id", null),
                new IdEndpoint("GET", "/api/v1/users/{id}/likes", "id", null),
                new IdEndpoint("PUT", "/api/v1/users/me/following/{id}", "userId", victim[1]),
                new IdEndpoint("DELETE", "/api/v1/users/me/following/{id}", "userId", victim[1]),
                new IdEndpoint("GET", "/api/v1/tweets/{id}", "id", null),
                new IdEndpoint("DELETE", "/api/v1/tweets/{id}", "id", victim[1]),
                new IdEndpoint("POST", "/api/v1/tweets/{id}/retweets", "id", victim[1]),
                new IdEndpoint("GET", "/api/v1/tweets/{id}/replies", "id", null),
                new IdEndpoint("GET", "/api/v1/tweets/{id}/likes", "id", null),
                new IdEndpoint("PUT", "/api/v1/tweets/{id}/likes/me", "id", victim[1]),
                new IdEndpoint("DELETE", "/api/v1/tweets/{id}/likes/me", "id", victim[1]));
    }

    // ------------------------------------------------------------------ Unicode at and over a limit

    /** Strings of exactly {@code limit} code points, each built from one kind of edge case. */
    private static Map<String, String> atLimit(int limit) {
        Map<String, String> at = new TreeMap<>();
        at.put(limit + " emoji", EMOJI.repeat(limit));
        at.put(limit + " code points of combining marks", COMBINING.repeat(limit / 2));
        at.put(limit + " code points of RTL text", RTL.repeat(limit / 6) + "x".repeat(limit % 6));
        at.put(limit + " code points with zero-width characters", ("a" + ZERO_WIDTH).repeat(limit / 4) + "b".repeat(limit % 4));
        at.put(limit + " ASCII letters", "z".repeat(limit));
        return at;
    }

    /** The same kinds, one code point over {@code limit}. */
    private static Map<String, String> overLimit(int limit) {
        Map<String, String> over = new TreeMap<>();
        atLimit(limit).forEach((what, text) -> over.put(what + " + 1", text + (what.contains("emoji") ? EMOJI : "\u0301")));
        return over;
    }

    // ------------------------------------------------------------------ helpers

    private String[] register(String name) {
        String[] user = api.register(name);
        return new String[] {user[0], user[1], name};
    }

    private JsonNode user(String id) {
        return api.get("/api/v1/users/" + id, null).body();
    }

    private List<String> timelineIds(String userId) {
        return ids(api.get("/api/v1/users/" + userId + "/tweets?limit=100", null).body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String before, byte[] raw, String after) {
        byte[] a = utf8(before);
        byte[] c = utf8(after);
        byte[] all = new byte[a.length + raw.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(raw, 0, all, a.length, raw.length);
        System.arraycopy(c, 0, all, a.length + raw.length, c.length);
        return all;
    }

    private static String decoded(String path) {
        try {
            return java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> concatLists(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + ")";
    }

    static String unique(String prefix) {
        return prefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 6);
    }
}
