package io.chirp.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/** The Users and auth section of API.md through the service's HTTP API, on two real shards and Kafka. */
@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsersApiIT {

    @Inject
    @Client("/")
    HttpClient httpClient;

    @Inject
    EmbeddedServer server;

    @Inject
    ShardedDataSources shards;

    UserEventsProbe events;

    @BeforeAll
    void startProbe() {
        events = new UserEventsProbe();
    }

    @AfterAll
    void stopProbe() throws InterruptedException {
        events.close();
    }

    BlockingHttpClient http() {
        return httpClient.toBlocking();
    }

    static String unique(String prefix) {
        return prefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> register(String username) {
        return http().retrieve(HttpRequest.POST("/api/v1/users", Map.of("username", username,
                "email", username + "@example.com", "password", "correct horse battery")), Map.class);
    }

    @SuppressWarnings("unchecked")
    String token(String username) {
        Map<String, Object> body = http().retrieve(HttpRequest.POST("/api/v1/auth/token",
                Map.of("username", username, "password", "correct horse battery")), Map.class);
        return (String) body.get("accessToken");
    }

    HttpClientResponseException failure(MutableHttpRequest<?> request) {
        return assertThrows(HttpClientResponseException.class, () -> http().exchange(request, String.class));
    }

    static void assertProblem(HttpClientResponseException e, HttpStatus status, String mentioned) {
        assertEquals(status, e.getStatus(), e.getResponse().getBody(String.class).orElse(""));
        assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
        String body = e.getResponse().getBody(String.class).orElseThrow();
        assertTrue(body.contains(mentioned), "problem names " + mentioned + ": " + body);
    }

    @Test
    void registerThenReadByIdAndByUsernameInAnyCase() {
        String name = unique("Reg_");
        HttpResponse<Map> created = http().exchange(HttpRequest.POST("/api/v1/users", Map.of("username", name,
                "email", name + "@example.com", "password", "correct horse battery", "displayName", "Reg",
                "bio", "hello")), Map.class);
        assertEquals(HttpStatus.CREATED, created.getStatus());
        Map<?, ?> user = created.body();
        String id = (String) user.get("id");
        assertEquals("/api/v1/users/" + id, created.getHeaders().get("Location"));
        assertEquals(name, user.get("username"));
        assertEquals("Reg", user.get("displayName"));
        assertEquals(0, user.get("followersCount"));
        assertTrue(((String) user.get("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertNull(user.get("email"), "email is not part of the public User");
        assertEquals(id, http().retrieve(HttpRequest.GET("/api/v1/users/" + id), Map.class).get("id"));
        assertEquals(id, http().retrieve(HttpRequest.GET("/api/v1/users/by-username/" + name.toUpperCase()), Map.class)
                .get("id"));
        awaitEvents("UserRegistered", Map.of("userId", id), 1);
    }

    @Test
    void invalidRegistrationsAreRefusedNamingTheField() {
        assertProblem(failure(HttpRequest.POST("/api/v1/users", Map.of("username", "bad name!", "email", "a@b.co",
                "password", "long enough"))), HttpStatus.BAD_REQUEST, "username");
        assertProblem(failure(HttpRequest.POST("/api/v1/users", Map.of("username", "sixteen_chars_xx", "email",
                "a@b.co", "password", "long enough"))), HttpStatus.BAD_REQUEST, "username");
        assertProblem(failure(HttpRequest.POST("/api/v1/users", Map.of("username", unique("e_"), "email", "not-an-email",
                "password", "long enough"))), HttpStatus.BAD_REQUEST, "email");
        assertProblem(failure(HttpRequest.POST("/api/v1/users", Map.of("username", unique("p_"), "email", "a@b.co",
                "password", "short"))), HttpStatus.BAD_REQUEST, "password");
        assertProblem(failure(HttpRequest.POST("/api/v1/users", Map.of("username", unique("d_"), "email", "a@b.co",
                "password", "long enough", "displayName", "x".repeat(51)))), HttpStatus.BAD_REQUEST, "displayName");
        assertProblem(failure(HttpRequest.POST("/api/v1/users", "{not json").contentType("application/json")),
                HttpStatus.BAD_REQUEST, "");
        assertProblem(failure(HttpRequest.GET("/api/v1/users/not-a-number")), HttpStatus.BAD_REQUEST, "id");
        assertProblem(failure(HttpRequest.GET("/api/v1/users/99999999999999999999")), HttpStatus.BAD_REQUEST, "id");
        assertProblem(failure(HttpRequest.GET("/api/v1/users/123456789")), HttpStatus.NOT_FOUND, "123456789");
    }

    @Test
    void duplicateUsernameOrEmailInAnyCaseIsAConflict() {
        String name = unique("Dup_");
        register(name);
        assertProblem(failure(HttpRequest.POST("/api/v1/users", Map.of("username", name.toLowerCase(),
                "email", unique("other") + "@example.com", "password", "correct horse battery"))),
                HttpStatus.CONFLICT, "username");
        assertProblem(failure(HttpRequest.POST("/api/v1/users", Map.of("username", unique("x_"),
                "email", name.toUpperCase() + "@EXAMPLE.COM", "password", "correct horse battery"))),
                HttpStatus.CONFLICT, "email");
    }

    @Test
    void ofFiftyConcurrentRegistrationsOfOneNameInAnyCaseExactlyOneWins() throws Exception {
        String base = unique("Alice");
        List<String> variants = List.of(base, base.toLowerCase(), base.toUpperCase());
        List<Thread> threads = new ArrayList<>();
        List<HttpStatus> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        String emailPrefix = unique("al").toLowerCase();
        for (int i = 0; i < 50; i++) {
            String username = variants.get(i % 3);
            String email = emailPrefix + "_" + i + "@example.com";
            threads.add(start(() -> {
                try {
                    statuses.add(http().exchange(HttpRequest.POST("/api/v1/users", Map.of("username", username,
                            "email", email, "password", "correct horse battery")), String.class).getStatus());
                } catch (HttpClientResponseException e) {
                    statuses.add(e.getStatus());
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(1, statuses.stream().filter(HttpStatus.CREATED::equals).count(), statuses.toString());
        assertEquals(49, statuses.stream().filter(HttpStatus.CONFLICT::equals).count(), statuses.toString());
        // exactly one username claim, and no email claim left behind by the 49 losers
        assertEquals(1, countOnAllShards("SELECT count(*) FROM claims WHERE kind = 'USERNAME' AND value = '"
                + base.toLowerCase() + "'"));
        assertEquals(1, countOnAllShards("SELECT count(*) FROM claims WHERE kind = 'EMAIL' AND value LIKE '"
                + emailPrefix + "\\_%'"), "only the winner's email stays claimed");
        assertEquals(0, countOnAllShards("SELECT count(*) FROM registrations WHERE state = 'STARTED'"
                + " AND username_key = '" + base.toLowerCase() + "'"));
    }

    @Test
    void aFailedCreateStepLeavesNoClaimBehind() throws Exception {
        String doomed = unique("doomed");
        for (DataSource db : shards.all().values()) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE OR REPLACE FUNCTION refuse_" + doomed + "() RETURNS trigger AS $$ BEGIN"
                        + " IF NEW.username = '" + doomed + "' THEN RAISE EXCEPTION 'injected failure'; END IF;"
                        + " RETURN NEW; END $$ LANGUAGE plpgsql");
                s.execute("CREATE TRIGGER refuse_" + doomed + " BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION"
                        + " refuse_" + doomed + "()");
            }
        }
        try {
            HttpClientResponseException e = failure(HttpRequest.POST("/api/v1/users", Map.of("username", doomed,
                    "email", doomed + "@example.com", "password", "correct horse battery")));
            assertEquals(HttpStatus.SERVICE_UNAVAILABLE, e.getStatus());
            assertTrue(!e.getResponse().getBody(String.class).orElse("").contains("injected"), "no internals leak");
        } finally {
            for (DataSource db : shards.all().values()) {
                try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TRIGGER refuse_" + doomed + " ON users");
                }
            }
        }
        assertEquals(0, countOnAllShards("SELECT count(*) FROM claims WHERE value IN ('" + doomed + "', '"
                + doomed + "@example.com')"), "compensation released both claims");
        assertEquals(1, countOnAllShards("SELECT count(*) FROM registrations WHERE username_key = '" + doomed
                + "' AND state = 'COMPENSATED'"));
        assertEquals(HttpStatus.CREATED.getCode(), register(doomed) != null ? 201 : 0, "the name is free again");
        awaitEvents("UserRegistered", Map.of("username", doomed), 1);
    }

    @Test
    void usersLandOnBothPhysicalShardsWithTheirRows() throws Exception {
        Set<String> physical = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            long id = Long.parseLong((String) register(unique("spread")).get("id"));
            String name = shards.physicalNameOf(id);
            physical.add(name);
            try (Connection c = shards.all().get(name).getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM users WHERE id = " + id)) {
                rs.next();
                assertEquals(1, rs.getInt(1), "user " + id + " lives on " + name);
            }
        }
        assertEquals(Set.of("shard0", "shard1"), physical, "24 users chosen evenly land on both shards");
    }

    @Test
    void tokenIsAnRs256JwtVerifiableWithTheJwks() throws Exception {
        String name = unique("tok_");
        String id = (String) register(name).get("id");
        SignedJWT jwt = SignedJWT.parse(token(name));
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        assertEquals(id, jwt.getJWTClaimsSet().getSubject());
        assertEquals(name, jwt.getJWTClaimsSet().getStringClaim("username"));
        long ttl = (jwt.getJWTClaimsSet().getExpirationTime().getTime() - jwt.getJWTClaimsSet().getIssueTime().getTime()) / 1000;
        assertEquals(900, ttl, "15 minutes by default");
        JWKSet jwks = JWKSet.load(new URL(server.getURL() + "/.well-known/jwks.json"));
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertNotNull(key, "the token's kid is in the JWKS");
        assertTrue(jwt.verify(new RSASSAVerifier(key)));
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSame401() {
        String name = unique("pw_");
        register(name);
        HttpClientResponseException wrong = failure(HttpRequest.POST("/api/v1/auth/token",
                Map.of("username", name, "password", "not the password")));
        HttpClientResponseException unknown = failure(HttpRequest.POST("/api/v1/auth/token",
                Map.of("username", unique("nobody"), "password", "not the password")));
        assertEquals(HttpStatus.UNAUTHORIZED, wrong.getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, unknown.getStatus());
        assertEquals(wrong.getResponse().getBody(String.class), unknown.getResponse().getBody(String.class));
    }

    @Test
    void writesNeedAToken() {
        assertEquals(HttpStatus.UNAUTHORIZED, failure(HttpRequest.PUT("/api/v1/users/me/following/123", "")).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, failure(HttpRequest.PATCH("/api/v1/users/me", Map.of("bio", "x"))).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, failure(HttpRequest.DELETE("/api/v1/users/me")).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, failure(HttpRequest.PATCH("/api/v1/users/me", Map.of("bio", "x"))
                .bearerAuth("not.a.jwt")).getStatus());
    }

    @Test
    void followWritesBothEdgesAndCountsAndPublishesOnceUnfollowReverses() throws Exception {
        String a = unique("fa_");
        String b = unique("fb_");
        long aId = Long.parseLong((String) register(a).get("id"));
        long bId = Long.parseLong((String) register(b).get("id"));
        String token = token(a);
        for (int i = 0; i < 3; i++) { // idempotent
            assertEquals(HttpStatus.NO_CONTENT, http().exchange(HttpRequest.PUT("/api/v1/users/me/following/" + bId, "")
                    .bearerAuth(token)).getStatus());
        }
        assertEquals(1, count(shards.physicalNameOf(aId), "SELECT count(*) FROM following WHERE follower_id = " + aId
                + " AND followee_id = " + bId), "following row on the follower's shard");
        assertEquals(1, count(shards.physicalNameOf(bId), "SELECT count(*) FROM followers WHERE follower_id = " + aId
                + " AND followee_id = " + bId), "followers row on the followee's shard");
        assertEquals(1, http().retrieve(HttpRequest.GET("/api/v1/users/" + aId), Map.class).get("followingCount"));
        assertEquals(1, http().retrieve(HttpRequest.GET("/api/v1/users/" + bId), Map.class).get("followersCount"));
        Map<String, Object> pair = Map.of("followerId", aId, "followeeId", bId);
        awaitEvents("UserFollowed", pair, 1);

        for (int i = 0; i < 2; i++) {
            assertEquals(HttpStatus.NO_CONTENT, http().exchange(HttpRequest.DELETE("/api/v1/users/me/following/" + bId)
                    .bearerAuth(token)).getStatus());
        }
        assertEquals(0, count(shards.physicalNameOf(aId), "SELECT count(*) FROM following WHERE follower_id = " + aId));
        assertEquals(0, count(shards.physicalNameOf(bId), "SELECT count(*) FROM followers WHERE followee_id = " + bId));
        assertEquals(0, http().retrieve(HttpRequest.GET("/api/v1/users/" + bId), Map.class).get("followersCount"));
        awaitEvents("UserUnfollowed", pair, 1);
        assertEquals(1, events.matching("UserFollowed", pair).size(), "still exactly one");
    }

    @Test
    void followRefusals() {
        String a = unique("fr_");
        long aId = Long.parseLong((String) register(a).get("id"));
        String token = token(a);
        assertProblem(failure(HttpRequest.PUT("/api/v1/users/me/following/" + aId, "").bearerAuth(token)),
                HttpStatus.BAD_REQUEST, "userId");
        assertProblem(failure(HttpRequest.PUT("/api/v1/users/me/following/424242", "").bearerAuth(token)),
                HttpStatus.NOT_FOUND, "424242");
        assertProblem(failure(HttpRequest.PUT("/api/v1/users/me/following/abc", "").bearerAuth(token)),
                HttpStatus.BAD_REQUEST, "userId");
    }

    @Test
    @SuppressWarnings("unchecked")
    void followersAndFollowingPageByCursorWithoutDuplicatesOrGaps() {
        String star = unique("star");
        long starId = Long.parseLong((String) register(star).get("id"));
        Set<String> fans = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            String fan = unique("fan");
            fans.add((String) register(fan).get("id"));
            http().exchange(HttpRequest.PUT("/api/v1/users/me/following/" + starId, "").bearerAuth(token(fan)));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> page = http().retrieve(HttpRequest.GET("/api/v1/users/" + starId + "/followers?limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor)), Map.class);
            ((List<Map<String, Object>>) page.get("items")).forEach(u -> seen.add((String) u.get("id")));
            cursor = (String) page.get("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(25, seen.size());
        assertEquals(fans, new HashSet<>(seen));
        String someFan = seen.get(0);
        Map<String, Object> following = http().retrieve(HttpRequest.GET("/api/v1/users/" + someFan + "/following"), Map.class);
        assertEquals(List.of(Long.toString(starId)), ((List<Map<String, Object>>) following.get("items")).stream()
                .map(u -> u.get("id")).toList());
        assertProblem(failure(HttpRequest.GET("/api/v1/users/" + starId + "/followers?limit=101")), HttpStatus.BAD_REQUEST, "limit");
        assertProblem(failure(HttpRequest.GET("/api/v1/users/" + starId + "/followers?limit=0")), HttpStatus.BAD_REQUEST, "limit");
        assertProblem(failure(HttpRequest.GET("/api/v1/users/" + starId + "/followers?cursor=forged!")), HttpStatus.BAD_REQUEST, "cursor");
        assertProblem(failure(HttpRequest.GET("/api/v1/users/424242/followers")), HttpStatus.NOT_FOUND, "424242");
        Map<String, Object> ids = http().retrieve(HttpRequest.GET("/internal/users/" + starId + "/follower-ids?limit=1000"), Map.class);
        assertEquals(fans, new HashSet<>((List<String>) ids.get("ids")));
    }

    @Test
    void patchMeUpdatesTheProfileAndDeleteMeStartsTheDeletionSaga() {
        String name = unique("me_");
        String id = (String) register(name).get("id");
        String token = token(name);
        Map<?, ?> updated = http().retrieve(HttpRequest.PATCH("/api/v1/users/me", Map.of("displayName", "New Name"))
                .bearerAuth(token), Map.class);
        assertEquals("New Name", updated.get("displayName"));
        assertEquals("", updated.get("bio"), "fields not sent are kept");
        assertProblem(failure(HttpRequest.PATCH("/api/v1/users/me", Map.of("bio", "b".repeat(161))).bearerAuth(token)),
                HttpStatus.BAD_REQUEST, "bio");
        HttpResponse<Map> deleted = http().exchange(HttpRequest.DELETE("/api/v1/users/me").bearerAuth(token), Map.class);
        assertEquals(HttpStatus.ACCEPTED, deleted.getStatus());
        assertNotNull(deleted.body().get("deletionId"));
        assertProblem(failure(HttpRequest.GET("/api/v1/users/" + id)), HttpStatus.NOT_FOUND, id);
        awaitEvents("UserDeletionRequested", Map.of("userId", id), 1);
        awaitEvents("UserUpdated", Map.of("userId", id, "displayName", "New Name"), 1);
    }

    /** Waits until exactly {@code count} such events were published (and, for a while, no more). */
    private void awaitEvents(String type, Map<String, Object> fields, int count) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(count,
                events.matching(type, fields).size(), type + " " + fields + "; seen: " + events.summary()));
    }

    private static Thread start(Runnable work) {
        return new Thread(work);
    }

    private int countOnAllShards(String sql) throws Exception {
        int total = 0;
        for (String name : shards.all().keySet()) {
            total += count(name, sql);
        }
        return total;
    }

    private int count(String physical, String sql) throws Exception {
        try (Connection c = shards.all().get(physical).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

}
