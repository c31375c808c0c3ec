package io.chirp.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.chirp.platform.testing.TestTokens;

/**
 * The security suite (issue #10, item 3), through the gateway only: authentication on every
 * write, authorisation across users, forged JWTs, passwords at rest and in logs, login timing,
 * rate limits, CORS and the internal endpoints.
 * <p>
 * PostgreSQL ports of the user shards: {@code -Dchirp.e2e.postgres-ports} (default the local
 * cluster's 15432,15433 + 12000); the origin the gateway allows: {@code -Dchirp.e2e.cors-origin}
 * (default {@code http://localhost:3000}, the gateway's {@code CHIRP_CORS_ORIGINS} default).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Api api;
    /** {id, token, username} */
    private String[] alice;
    private String[] bob;
    private String[] carol;
    private String aliceTweet;

    @BeforeAll
    void setUp() {
        api = new Api(SharedCluster.gateway());
        alice = register(BadInputIT.unique("sec_a_"));
        bob = register(BadInputIT.unique("sec_b_"));
        carol = register(BadInputIT.unique("sec_c_"));
        Api.Answer posted = api.post("/api/v1/tweets", "{\"text\":\"alice's tweet\"}", alice[1]);
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        aliceTweet = posted.body().path("id").asText();
    }

    // ------------------------------------------------------------------ authentication

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyWriteWithoutATokenIs401() {
        List<String[]> writes = List.of(
                new String[] {"POST", "/api/v1/tweets", "{\"text\":\"anonymous\"}"},
                new String[] {"DELETE", "/api/v1/tweets/" + aliceTweet, null},
                new String[] {"POST", "/api/v1/tweets/" + aliceTweet + "/retweets", null},
                new String[] {"PUT", "/api/v1/tweets/" + aliceTweet + "/likes/me", null},
                new String[] {"DELETE", "/api/v1/tweets/" + aliceTweet + "/likes/me", null},
                new String[] {"PATCH", "/api/v1/users/me", "{\"bio\":\"anonymous\"}"},
                new String[] {"DELETE", "/api/v1/users/me", null},
                new String[] {"PUT", "/api/v1/users/me/following/" + alice[0], null},
                new String[] {"DELETE", "/api/v1/users/me/following/" + alice[0], null},
                new String[] {"GET", "/api/v1/timelines/home", null});
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] write : writes) {
            for (Map.Entry<String, String> auth : Map.of("no Authorization", "", "Basic credentials",
                    "Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8)),
                    "an empty bearer token", "Bearer ", "a garbage bearer token", "Bearer not.a.jwt").entrySet()) {
                tests.add(DynamicTest.dynamicTest(write[0] + " " + write[1] + " with " + auth.getKey(), () -> {
                    Api.Raw answer = call(write[0], write[1], write[2], auth.getValue().isEmpty() ? null : auth.getValue());
                    assertEquals(401, answer.status(), answer.body());
                    assertProblem(answer);
                }));
            }
        }
        tests.add(DynamicTest.dynamicTest("nothing happened", () -> {
            assertEquals(200, api.get("/api/v1/tweets/" + aliceTweet, null).status());
            assertEquals(0, api.get("/api/v1/tweets/" + aliceTweet, null).body().path("retweetCount").asLong());
            assertEquals(0, api.get("/api/v1/tweets/" + aliceTweet + "/likes", null).body().path("count").asLong());
            assertEquals(200, api.get("/api/v1/users/" + alice[0], null).status());
        }));
        return tests.stream();
    }

    @Test
    @Order(2)
    void anotherUsersTokenCannotActOnSomeoneElsesResource() {
        // DELETE someone else's tweet: 403, the tweet stays
        Api.Raw forbidden = call("DELETE", "/api/v1/tweets/" + aliceTweet, null, "Bearer " + bob[1]);
        assertEquals(403, forbidden.status(), forbidden.body());
        assertProblem(forbidden);
        assertEquals(200, api.get("/api/v1/tweets/" + aliceTweet, null).status());

        // /me endpoints act on the caller only: bob's token changes bob, never alice
        JsonNode aliceBefore = api.get("/api/v1/users/" + alice[0], null).body();
        Api.Answer patched = api.send("PATCH", "/api/v1/users/me", "{\"displayName\":\"bob was here\"}", bob[1], "sec-me");
        assertEquals(200, patched.status());
        assertEquals(bob[0], patched.body().path("id").asText());
        assertEquals(aliceBefore, api.get("/api/v1/users/" + alice[0], null).body());

        // alice likes and follows carol; bob removing "his" like and follow leaves alice's
        assertEquals(204, api.put("/api/v1/tweets/" + aliceTweet + "/likes/me", alice[1]).status());
        assertEquals(204, api.put("/api/v1/users/me/following/" + carol[0], alice[1]).status());
        assertEquals(204, api.delete("/api/v1/tweets/" + aliceTweet + "/likes/me", bob[1]).status());
        assertEquals(204, api.delete("/api/v1/users/me/following/" + carol[0], bob[1]).status());
        await().atMost(Duration.ofSeconds(20)).until(() ->
                api.get("/api/v1/tweets/" + aliceTweet + "/likes", null).body().path("count").asLong() == 1);
        JsonNode likers = api.get("/api/v1/tweets/" + aliceTweet + "/likes", null).body().path("items");
        assertEquals(alice[0], likers.get(0).path("userId").asText());
        // read as alice: her own follow is read back at once (read-your-writes); an anonymous read
        // is served by a replica, which may not have replayed it yet
        assertTrue(ids(api.get("/api/v1/users/" + carol[0] + "/followers", alice[1]).body()).contains(alice[0]));

        // a retweet with bob's token is bob's, whoever the original's author
        Api.Answer retweet = api.post("/api/v1/tweets/" + aliceTweet + "/retweets", "", bob[1]);
        assertEquals(201, retweet.status());
        assertEquals(bob[0], retweet.body().path("authorId").asText());
        // bob cannot delete alice's tweet through his own retweet's id either
        assertEquals(403, api.delete("/api/v1/tweets/" + aliceTweet, bob[1]).status());
    }

    @TestFactory
    @Order(3)
    Stream<DynamicTest> forgedTokensAre401AtTheGateway() throws Exception {
        RSAKey clusterKey = clusterSigningKey();
        Date now = new Date();
        Map<String, String> forged = new java.util.LinkedHashMap<>();
        forged.put("expired (the cluster's own key)", sign(clusterKey, bob[0], bob[2], new Date(now.getTime() - 120_000)));
        forged.put("tampered: payload names alice, bob's signature kept", tamper(bob[1], alice[0], alice[2]));
        forged.put("tampered: expiry pushed a year ahead, signature kept", tamperExpiry(bob[1]));
        forged.put("alg: none, no signature", unsigned(alice[0], alice[2], false));
        forged.put("alg: none, with bob's signature", unsigned(alice[0], alice[2], true));
        forged.put("wrong key (a fresh RSA key, TestTokens)", TestTokens.forUser(Long.parseLong(alice[0]), alice[2]));
        forged.put("wrong key with the cluster's key id", sign(new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                .keyID(clusterKey.getKeyID()).generate(), alice[0], alice[2], new Date(now.getTime() + 600_000)));
        forged.put("HS256 keyed with the cluster's public key (key confusion)", hmacWithPublicKey(clusterKey, alice[0], alice[2]));
        forged.put("not a JWT", "eyJhbGciOiJSUzI1NiJ9.e30");
        List<DynamicTest> tests = new ArrayList<>();
        // a control, so that the expired case proves expiry: the same key and claims, not expired, pass
        tests.add(DynamicTest.dynamicTest("control: a fresh token signed the same way is accepted", () ->
                assertEquals(200, api.get("/api/v1/timelines/home?limit=1",
                        sign(clusterKey, bob[0], bob[2], new Date(System.currentTimeMillis() + 600_000))).status())));
        JsonNode aliceBefore = api.get("/api/v1/users/" + alice[0], null).body();
        forged.forEach((what, token) -> {
            tests.add(DynamicTest.dynamicTest(what + " → GET home", () -> {
                Api.Raw answer = call("GET", "/api/v1/timelines/home", null, "Bearer " + token);
                assertEquals(401, answer.status(), answer.body());
                assertProblem(answer);
                assertEquals("Bearer", answer.header("WWW-Authenticate"));
                // the gateway's own refusal: it never reached timeline-service
                assertTrue(answer.body().contains("bearer token is invalid or expired"), answer.body());
            }));
            tests.add(DynamicTest.dynamicTest(what + " → PATCH alice", () -> {
                Api.Raw answer = call("PATCH", "/api/v1/users/me", "{\"bio\":\"forged\"}", "Bearer " + token);
                assertEquals(401, answer.status(), answer.body());
                assertProblem(answer);
                assertEquals(aliceBefore, api.get("/api/v1/users/" + alice[0], null).body());
            }));
        });
        return tests.stream();
    }

    // ------------------------------------------------------------------ passwords

    @Test
    @Order(4)
    void passwordsAreNeverStoredNorLoggedInClear() throws Exception {
        String password = "pw-" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36) + "-secret";
        String wrong = "wrong-" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        String name = BadInputIT.unique("pw_");
        String[] user = api.register(name, password);
        assertEquals(401, api.post("/api/v1/auth/token", "{\"username\":\"" + name + "\",\"password\":\"" + wrong + "\"}",
                null).status());
        assertEquals(400, api.post("/api/v1/users", "{\"username\":\"" + name + "!\",\"email\":\"x" + name
                + "@e2e.chirp\",\"password\":\"" + password + "\"}", null).status());
        // let the services write what they write (outbox relays, consumers) before looking
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/search/users?q=" + name, null).body()
                .path("items").size() == 1);

        Path logs = SharedCluster.log("gateway").getParent();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(logs)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertFalse(files.isEmpty(), "no logs under " + logs);
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(password), "the password is in " + file);
            assertFalse(text.contains(wrong), "a tried password is in " + file);
        }

        int textColumns = 0;
        String hash = null;
        for (int port : postgresPorts()) {
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/users", "postgres", "")) {
                List<String[]> columns = new ArrayList<>();
                try (ResultSet rs = db.createStatement().executeQuery("SELECT table_schema, table_name, column_name, "
                        + "data_type FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', "
                        + "'information_schema') AND data_type IN ('text', 'character varying', 'character', 'json', "
                        + "'jsonb', 'bytea')")) {
                    while (rs.next()) {
                        columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                    }
                }
                for (String[] column : columns) {
                    textColumns++;
                    String value = "\"" + column[2] + "\"";
                    String sql = "SELECT count(*) FROM \"" + column[0] + "\".\"" + column[1] + "\" WHERE "
                            + ("bytea".equals(column[3]) ? "position(convert_to(?, 'UTF8') in " + value + ") > 0"
                            : value + "::text LIKE '%' || ? || '%'");
                    try (PreparedStatement query = db.prepareStatement(sql)) {
                        query.setString(1, password);
                        try (ResultSet rs = query.executeQuery()) {
                            rs.next();
                            assertEquals(0, rs.getLong(1), "the password is in " + port + " "
                                    + String.join(".", column[0], column[1], column[2]));
                        }
                    }
                }
                try (PreparedStatement query = db.prepareStatement(
                        "SELECT password_hash FROM credentials WHERE user_id = ?")) {
                    query.setLong(1, Long.parseLong(user[0]));
                    try (ResultSet rs = query.executeQuery()) {
                        if (rs.next()) {
                            hash = rs.getString(1);
                        }
                    }
                }
            }
        }
        assertTrue(textColumns > 5, "text columns scanned: " + textColumns);
        assertNotNull(hash, "the user's row was found on a shard");
        assertTrue(hash.startsWith("$argon2id$"), "an Argon2id hash: " + hash.substring(0, Math.min(12, hash.length())));
        System.out.println("SecurityIT: password absent from " + files.size() + " log files and " + textColumns
                + " text columns of both user shards; stored as " + hash.substring(0, hash.indexOf('$', 10) + 1) + "…");
    }

    @Test
    @Order(5)
    void loginTimingDoesNotRevealWhetherAUserExists() {
        int rounds = 15;
        List<Long> existing = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        // warm up both paths (JIT, connection pools)
        for (int i = 0; i < 3; i++) {
            login(alice[2], "not-the-password-" + i);
            login(BadInputIT.unique("nobody_"), "not-the-password-" + i);
        }
        for (int i = 0; i < rounds; i++) {
            existing.add(login(alice[2], "not-the-password-" + i));
            unknown.add(login(BadInputIT.unique("nobody_"), "not-the-password-" + i));
        }
        double a = median(existing);
        double b = median(unknown);
        System.out.printf("SecurityIT: login with a wrong password, median over %d: existing user %.1f ms, unknown user "
                + "%.1f ms (ratio %.2f)%n", rounds, a / 1e6, b / 1e6, Math.max(a, b) / Math.min(a, b));
        assertTrue(Math.max(a, b) <= 2 * Math.min(a, b), "timings differ by more than a factor of 2: " + a / 1e6
                + " ms vs " + b / 1e6 + " ms");
    }

    // ------------------------------------------------------------------ rate limits

    @Test
    @Order(6)
    void rateLimitsTripWith429AndRecover() throws Exception {
        String[] user = register(BadInputIT.unique("rl_"));
        String path = "/api/v1/timelines/home?limit=1";
        AtomicReference<Api.Raw> limited = new AtomicReference<>();
        int sent = 0;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            while (limited.get() == null && sent < SharedCluster.PER_TOKEN_CAPACITY * 6) {
                List<Future<?>> wave = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    wave.add(pool.submit(() -> {
                        Api.Raw answer = call("GET", path, null, "Bearer " + user[1]);
                        assertTrue(answer.status() == 200 || answer.status() == 429, answer.status() + " " + answer.body());
                        if (answer.status() == 429) {
                            limited.compareAndSet(null, answer);
                        }
                    }));
                }
                for (Future<?> future : wave) {
                    future.get();
                }
                sent += wave.size();
            }
        } finally {
            pool.shutdownNow();
        }
        Api.Raw tooMany = limited.get();
        assertNotNull(tooMany, "no 429 after " + sent + " requests with one token");
        assertProblem(tooMany);
        String retryAfter = tooMany.header("Retry-After");
        assertNotNull(retryAfter, "Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1, retryAfter);
        assertEquals(Integer.toString(SharedCluster.PER_TOKEN_CAPACITY), tooMany.header("X-RateLimit-Limit"));
        assertEquals("0", tooMany.header("X-RateLimit-Remaining"));
        System.out.println("SecurityIT: 429 after " + sent + " requests or fewer with one token, Retry-After " + seconds + " s");

        await().pollDelay(Duration.ofSeconds(seconds)).atMost(Duration.ofSeconds(seconds + 10)).until(() ->
                call("GET", path, null, "Bearer " + user[1]).status() == 200);
        Api.Raw recovered = call("GET", path, null, "Bearer " + user[1]);
        assertEquals(200, recovered.status(), recovered.body());
        assertNotNull(recovered.header("X-RateLimit-Remaining"));
    }

    // ------------------------------------------------------------------ CORS

    @Test
    @Order(7)
    void corsOnlyForTheConfiguredOrigin() {
        String allowed = System.getProperty("chirp.e2e.cors-origin", "http://localhost:3000");
        Map<String, String> preflight = Map.of("Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type");
        for (String evil : List.of("http://evil.example", "null", allowed + ".evil.example", "https://localhost:3000x")) {
            Map<String, String> headers = new java.util.HashMap<>(preflight);
            headers.put("Origin", evil);
            Api.Raw answer = api.raw("OPTIONS", "/api/v1/tweets", null, headers);
            assertTrue(answer.status() < 500, answer.status() + " " + answer.body());
            assertNull(answer.header("Access-Control-Allow-Origin"), evil + " was allowed: " + answer.headers());
            Api.Raw simple = api.raw("GET", "/api/v1/users/" + alice[0], null, Map.of("Origin", evil));
            assertNull(simple.header("Access-Control-Allow-Origin"), evil + " was allowed: " + simple.headers());
        }
        Map<String, String> headers = new java.util.HashMap<>(preflight);
        headers.put("Origin", allowed);
        Api.Raw granted = api.raw("OPTIONS", "/api/v1/tweets", null, headers);
        assertEquals(204, granted.status(), granted.body());
        assertEquals(allowed, granted.header("Access-Control-Allow-Origin"), String.valueOf(granted.headers()));
        Api.Raw simple = api.raw("GET", "/api/v1/users/" + alice[0], null, Map.of("Origin", allowed));
        assertEquals(allowed, simple.header("Access-Control-Allow-Origin"), String.valueOf(simple.headers()));
    }

    // ------------------------------------------------------------------ internal endpoints

    @TestFactory
    @Order(8)
    Stream<DynamicTest> internalEndpointsAreNotReachableThroughTheGateway() {
        String batch = "{\"ids\":[\"" + aliceTweet + "\"]}";
        List<String[]> attempts = List.of(
                new String[] {"POST", "/internal/tweets/batch", batch},
                new String[] {"GET", "/internal/tweets/batch", null},
                new String[] {"POST", "/internal/search/reindex", "{}"},
                new String[] {"GET", "/internal/search/reindex", null},
                new String[] {"GET", "/internal/users/" + alice[0] + "/follower-ids", null},
                new String[] {"POST", "/api/v1/../internal/tweets/batch", batch},
                new String[] {"POST", "/api/v1/tweets/../../internal/tweets/batch", batch},
                new String[] {"POST", "/api/v1/tweets/..%2F..%2Finternal%2Ftweets%2Fbatch", batch},
                new String[] {"GET", "/api/v1/users/..%2F..%2Finternal%2Fusers%2F" + alice[0] + "%2Ffollower-ids", null},
                new String[] {"GET", "/api/v1/search/..%2F..%2Finternal%2Fsearch%2Freindex", null},
                new String[] {"POST", "/api/v1/internal/tweets/batch", batch},
                new String[] {"POST", "//internal/tweets/batch", batch},
                new String[] {"POST", "/INTERNAL/tweets/batch", batch},
                new String[] {"POST", "/internal%2Ftweets%2Fbatch", batch});
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] attempt : attempts) {
            for (String token : Collections.singletonList(alice[1])) {
                tests.add(DynamicTest.dynamicTest(attempt[0] + " " + attempt[1], () -> {
                    Api.Raw answer = call(attempt[0], attempt[1], attempt[2], token == null ? null : "Bearer " + token);
                    assertTrue(answer.status() >= 400 && answer.status() < 500, answer.status() + " " + answer.body());
                    assertFalse(answer.body().contains("\"items\"") || answer.body().contains("followerIds")
                            || answer.body().contains(aliceTweet) && answer.body().contains("authorId"),
                            "an internal answer came back: " + answer.body());
                    if (attempt[1].startsWith("/internal") || attempt[1].startsWith("//")
                            || attempt[1].startsWith("/INTERNAL")) {
                        assertTrue(answer.status() == 404 || answer.status() == 403, answer.status() + " " + answer.body());
                    }
                }));
            }
        }
        return tests.stream();
    }

    // ------------------------------------------------------------------ helpers

    private String[] register(String name) {
        String[] user = api.register(name);
        return new String[] {user[0], user[1], name};
    }

    private Api.Raw call(String method, String path, String json, String authorization) {
        Map<String, String> headers = new java.util.HashMap<>();
        if (json != null) {
            headers.put("Content-Type", "application/json");
        }
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        Api.Raw answer = api.raw(method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), headers);
        assertTrue(answer.status() < 500, "5xx: " + method + " " + path + " → " + answer.status() + " " + answer.body());
        return answer;
    }

    private static void assertProblem(Api.Raw answer) {
        assertTrue(String.valueOf(answer.header("Content-Type")).startsWith("application/problem+json"),
                answer.headers() + " " + answer.body());
        JsonNode problem;
        try {
            problem = JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(answer.body(), e);
        }
        assertEquals(answer.status(), problem.path("status").asInt());
        assertTrue(problem.hasNonNull("type") && problem.hasNonNull("title") && problem.hasNonNull("detail"), answer.body());
        for (String leak : List.of("Exception", "at io.", "io.chirp", "127.0.0.1", "SELECT ")) {
            assertFalse(answer.body().contains(leak), "leaks " + leak + ": " + answer.body());
        }
    }

    /** Nanoseconds of one refused login. */
    private long login(String username, String password) {
        long start = System.nanoTime();
        Api.Answer answer = api.post("/api/v1/auth/token", "{\"username\":\"" + username + "\",\"password\":\"" + password
                + "\"}", null);
        long took = System.nanoTime() - start;
        assertEquals(401, answer.status(), String.valueOf(answer.body()));
        return took;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static int[] postgresPorts() {
        String ports = System.getProperty("chirp.e2e.postgres-ports",
                (15432 + SharedCluster.PORT_OFFSET) + "," + (15433 + SharedCluster.PORT_OFFSET));
        return Stream.of(ports.split(",")).mapToInt(p -> Integer.parseInt(p.trim())).toArray();
    }

    /**
     * The cluster's token-signing key, read where the launcher keeps it ({@code <home>/keys}), with
     * the key id user-service publishes (the JWK thumbprint): only to sign an expired token, so
     * that the expiry check, not the signature check, is what refuses it.
     */
    private static RSAKey clusterSigningKey() throws Exception {
        Path home = SharedCluster.log("gateway").getParent().getParent();
        String pem = Files.readString(home.resolve("keys/jwt-rsa.pem")).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(pem)));
        RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(),
                privateKey.getPublicExponent()));
        RSAKey withoutId = new RSAKey.Builder(publicKey).privateKey(privateKey).build();
        return new RSAKey.Builder(withoutId).keyID(withoutId.toPublicJWK().computeThumbprint().toString()).build();
    }

    private static String sign(RSAKey key, String userId, String username, Date expiresAt) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject(userId).claim("username", username)
                        .issueTime(new Date(expiresAt.getTime() - 900_000)).expirationTime(expiresAt).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** A real token whose payload now names another user; header and signature untouched. */
    private static String tamper(String token, String userId, String username) throws Exception {
        String[] parts = token.split("\\.");
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode payload = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        payload.put("sub", userId).put("username", username);
        return parts[0] + "." + b64(json.writeValueAsBytes(payload)) + "." + parts[2];
    }

    private static String tamperExpiry(String token) throws Exception {
        String[] parts = token.split("\\.");
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode payload = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        payload.put("exp", System.currentTimeMillis() / 1000 + 365L * 24 * 3600);
        return parts[0] + "." + b64(json.writeValueAsBytes(payload)) + "." + parts[2];
    }

    private String unsigned(String userId, String username, boolean keepSignature) {
        long now = System.currentTimeMillis() / 1000;
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64(("{\"sub\":\"" + userId + "\",\"username\":\"" + username + "\",\"iat\":" + now + ",\"exp\":"
                + (now + 600) + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + (keepSignature ? bob[1].split("\\.")[2] : "");
    }

    private static String hmacWithPublicKey(RSAKey key, String userId, String username) throws Exception {
        byte[] secret = key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject(userId).claim("username", username)
                        .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
