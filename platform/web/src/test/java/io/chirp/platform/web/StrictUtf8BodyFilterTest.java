package io.chirp.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An embedded Netty server with chirp-web and Micronaut Serialization, as every service runs,
 * fed raw bytes: ill-formed UTF-8 in a JSON body is a 400 problem+json naming the body before
 * the parser sees it; well-formed text is read as sent; other bodies and GETs are not touched.
 */
class StrictUtf8BodyFilterTest {

    private static final String PROBLEM = "application/problem+json";

    private static ApplicationContext context;
    private static URI base;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        context = ApplicationContext.run(Map.of("spec.name", "StrictUtf8BodyFilterTest", "micronaut.server.port", -1,
                "micronaut.server.max-request-size", 65536,
                // micronaut-security-jwt is on this module's test class path (the token cache); no tokens here
                "micronaut.security.enabled", false));
        EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
        base = server.getURI();
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "overlong '/' C0 AF          | C0 AF",
            "overlong '/' E0 80 AF       | E0 80 AF",
            "overlong '/' F0 80 80 AF    | F0 80 80 AF",
            "surrogate U+D800 ED A0 80   | ED A0 80",
            "U+110000 F4 90 80 80        | F4 90 80 80",
            "lead byte F5                | F5 80 80 80",
            "invalid byte FF             | FF",
            "three bytes cut short E2 82 | E2 82",
    })
    void illFormedUtf8InAJsonBodyIsRefusedNamingTheBody(String what, String hex) throws Exception {
        byte[] body = concat("{\"text\":\"a", hex(hex), "b\"}");
        HttpResponse<String> answer = send("POST", "/notes", body, "application/json");
        assertProblem(answer, 400, "body: is not valid UTF-8 (byte offset 10)");
    }

    @Test
    void aSequenceCutShortAtTheEndOfTheBodyIsRefused() throws Exception {
        byte[] body = concat("{\"text\":\"a\"}", hex("F0 9F 98"), "");
        assertProblem(send("POST", "/notes", body, "application/json"), 400, "body: is not valid UTF-8 (byte offset 12)");
    }

    @Test
    void everyJsonMediaTypeAndNoneAtAllIsChecked() throws Exception {
        byte[] body = concat("{\"text\":\"a", hex("C0 AF"), "b\"}");
        assertProblem(send("PATCH", "/notes", body, "application/merge-patch+json"), 400, "body: is not valid UTF-8");
        assertProblem(send("POST", "/notes", body, "application/json; charset=utf-8"), 400, "body: is not valid UTF-8");
        assertProblem(send("POST", "/notes", body, null), 400, "body: is not valid UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ascii                | a/b",
            "two- and three-byte  | é € ß",
            "an emoji             | 😀",
            "a combining mark     | e\u0301",
            "a ZWJ sequence       | 👩‍👩‍👧‍👦",
            "right-to-left        | \u202Eשלום\u202C",
            "the last code point  | \uDBFF\uDFFF",
    })
    void wellFormedTextIsReadAsSent(String what, String text) throws Exception {
        HttpResponse<String> answer = send("POST", "/notes", json(text), "application/json");
        assertEquals(201, answer.statusCode(), answer.body());
        assertEquals(new Note(text), context.getBean(JsonMapper.class).readValue(answer.body(), Note.class));
    }

    @Test
    void anEmojiAtTheLengthLimitIsAcceptedAndOneMoreCharacterIsNot() throws Exception {
        String atLimit = "a".repeat(Notes.LIMIT - 1) + "😀"; // 280 code points, 283 bytes
        HttpResponse<String> accepted = send("POST", "/notes", json(atLimit), "application/json");
        assertEquals(201, accepted.statusCode(), accepted.body());
        assertEquals(new Note(atLimit), context.getBean(JsonMapper.class).readValue(accepted.body(), Note.class));
        assertEquals(200, send("PATCH", "/notes", json(atLimit), "application/merge-patch+json").statusCode());
        assertProblem(send("POST", "/notes", json("b" + atLimit), "application/json"), 400, "text: is over 280 characters");
    }

    @Test
    void aLargeWellFormedBodyIsReadWhole() throws Exception {
        // several network reads, every chunk boundary likely inside a sequence
        String text = "ab€😀".repeat(4000); // 36 000 bytes
        HttpResponse<String> answer = send("POST", "/notes/count", json(text), "application/json");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(String.valueOf(text.codePointCount(0, text.length())), answer.body());
        byte[] bad = json(text);
        int at = "{\"text\":\"".length() + 3333 * "ab€😀".getBytes(StandardCharsets.UTF_8).length; // an 'a'
        bad[at] = (byte) 0xC0;
        assertProblem(send("POST", "/notes/count", bad, "application/json"), 400, "body: is not valid UTF-8 (byte offset " + at + ")");
    }

    @Test
    void aChunkedBodyOverTheServersLimitIsStill413() throws Exception {
        byte[] huge = json("c".repeat(70 * 1024));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/notes")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))) // no Content-Length
                .build();
        HttpResponse<String> answer = HTTP.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(413, answer.statusCode(), answer.body());
    }

    @Test
    void aBodyOfAnotherTypeIsNotTouched() throws Exception {
        byte[] bytes = hex("61 C0 AF FF ED A0 80 62");
        HttpResponse<String> answer = send("POST", "/notes/raw", bytes, "application/octet-stream");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("61c0afffeda08062", answer.body());
    }

    @Test
    void aRouteThatReadsNoBodyIsNotTouched() throws Exception {
        byte[] bad = concat("{\"text\":\"a", hex("C0 AF"), "b\"}");
        HttpResponse<String> answer = send("GET", "/notes", bad, "application/json");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(404, send("POST", "/nowhere", bad, "application/json").statusCode());
    }

    @Test
    void wellFormedButMalformedJsonIsLeftToTheParser() throws Exception {
        HttpResponse<String> answer = send("POST", "/notes", "{\"text\":".getBytes(StandardCharsets.UTF_8), "application/json");
        assertProblem(answer, 400, "Invalid JSON: Unexpected end-of-input");
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String detail) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith(PROBLEM), answer.headers().toString());
        assertTrue(answer.body().contains("\"status\":" + status), answer.body());
        assertTrue(answer.body().contains("\"detail\":\"" + detail), answer.body());
    }

    private static HttpResponse<String> send(String method, String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static byte[] json(String text) {
        return ("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String spaced) {
        return java.util.HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    private static byte[] concat(String before, byte[] bytes, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Serdeable
    record Note(String text) {
    }

    @Requires(property = "spec.name", value = "StrictUtf8BodyFilterTest")
    @Controller("/notes")
    static class Notes {

        static final int LIMIT = 280;

        @Post
        @Status(HttpStatus.CREATED)
        Note create(@Body Note request) {
            return limited(request);
        }

        @Patch(consumes = "application/merge-patch+json")
        Note patch(@Body Note request) {
            return limited(request);
        }

        @Post(value = "/count", produces = MediaType.TEXT_PLAIN)
        String count(@Body Note request) {
            return String.valueOf(request.text().codePointCount(0, request.text().length()));
        }

        @Post(value = "/raw", consumes = MediaType.APPLICATION_OCTET_STREAM, produces = MediaType.TEXT_PLAIN)
        String raw(@Body byte[] bytes) {
            return java.util.HexFormat.of().formatHex(bytes);
        }

        @Get
        Note get() {
            return new Note("ok");
        }

        private static Note limited(Note note) {
            if (note.text().codePointCount(0, note.text().length()) > LIMIT) {
                throw new InvalidRequestException("text", "is over " + LIMIT + " characters");
            }
            return note;
        }
    }
}
