package io.chirp.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.chirp.engines.Ports;
import io.chirp.gateway.routing.CountingTokenValidators;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;

/**
 * The edge verifies a token once, then serves it from platform/web's cache of verified tokens
 * (for both EdgeTokenFilter and Micronaut's security filter); refused tokens are verified in
 * full every time; the cache's hits and misses are on /prometheus.
 */
@RealEngines(Engine.REDIS)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeTokenCacheIT implements TestPropertyProvider {

    private final int port = Ports.freePort();
    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    CountingTokenValidators counter;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("micronaut.server.port", Integer.toString(port));
        properties.put("chirp.test.count-token-verifications", "true");
        properties.put("chirp.gateway.rate-limit.enabled", "false");
        properties.put("micronaut.security.token.jwt.signatures.jwks.users.url",
                "http://127.0.0.1:" + port + "/stub/user-service/.well-known/jwks.json");
        for (String service : GatewayOperationsIT.SERVICES) {
            properties.put("chirp.gateway.services." + service + ".url", "http://127.0.0.1:" + port + "/stub/" + service);
        }
        return properties;
    }

    @Test
    void aTokenIsVerifiedOnceAcrossManyRequests() throws Exception {
        String token = TestTokens.forUser(4242);
        int before = counter.verifications();
        for (int i = 0; i < 10; i++) {
            assertEquals(200, status("Bearer " + token), "request " + i);
        }
        assertEquals(1, counter.verifications() - before,
                "10 requests, each checked by EdgeTokenFilter and the security filter: one verification");
    }

    @Test
    void refusedTokensAreVerifiedInFullEveryTime() throws Exception {
        String valid = TestTokens.forUser(77);
        assertEquals(200, status("Bearer " + valid));
        String[] parts = valid.split("\\.");
        int at = 10;
        String tampered = parts[0] + "." + parts[1] + "." + parts[2].substring(0, at)
                + (parts[2].charAt(at) == 'A' ? 'B' : 'A') + parts[2].substring(at + 1);
        String none = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        var foreign = new RSAKeyGenerator(2048).keyID("foreign").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(foreign.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("77").expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        forged.sign(new RSASSASigner(foreign));
        String expired = TestTokens.expiredForUser(77);

        int before = counter.verifications();
        for (String refused : new String[] {tampered, none, forged.serialize(), expired}) {
            assertEquals(401, status("Bearer " + refused));
            assertEquals(401, status("Bearer " + refused), "still refused the second time");
        }
        assertEquals(8, counter.verifications() - before, "no refusal was cached");
        assertEquals(200, status("Bearer " + valid), "the untampered token is still accepted");
    }

    @Test
    void hitsAndMissesAreExportedForPrometheus() throws Exception {
        String token = TestTokens.forUser(99);
        double hits = gets("hit");
        double misses = gets("miss");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, status("Bearer " + token));
        }
        assertEquals(1, gets("miss") - misses, 0.0);
        assertEquals(5, gets("hit") - hits, 0.0, "3 requests x 2 checks, one of them the miss");
    }

    private int status(String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tweets/7"))
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private double gets(String result) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher line = Pattern.compile("(?m)^cache_gets_total\\{(?=[^}]*cache=\"chirp\\.security\\.token\\.cache\")"
                + "(?=[^}]*result=\"" + result + "\")[^}]*} (\\S+)$").matcher(metrics);
        assertTrue(line.find(), "cache_gets_total for the token cache, result " + result + ", in:\n" + metrics);
        return Double.parseDouble(line.group(1));
    }
}
