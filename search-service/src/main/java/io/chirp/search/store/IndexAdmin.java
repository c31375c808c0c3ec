package io.chirp.search.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.search.config.SearchProperties;
import io.chirp.search.domain.IndexGenerations;
import io.chirp.search.domain.IndexTarget;
import io.chirp.search.domain.SearchUnavailableException;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

/**
 * The versioned indices behind the {@code tweets} and {@code users} aliases: generation
 * {@code n} is the pair {@code tweets-vn}, {@code users-vn}, created from
 * {@code resources/elasticsearch/*.json} (settings, analyzers and mappings, valid on
 * Elasticsearch 7.17 with the embedded node's analysis plugin and on Elasticsearch 8). A mapping
 * change is a new generation filled by a reindex, then an alias swap: never an outage.
 * <p>
 * Uses the low-level REST client: index and alias administration answers differ in shape
 * between 7.17 and 8, and the requests are plain JSON documents anyway.
 */
@Singleton
public class IndexAdmin implements IndexGenerations {

    private static final Logger LOG = LoggerFactory.getLogger(IndexAdmin.class);
    private static final int CREATE_ATTEMPTS = 5;

    private final RestClient rest;
    private final JsonMapper json;
    private final SearchProperties properties;
    private volatile boolean liveReady;

    IndexAdmin(RestClient rest, JsonMapper json, SearchProperties properties) {
        this.rest = rest;
        this.json = json;
        this.properties = properties;
    }

    /** The live aliases, as a write target. */
    public IndexTarget live() {
        return new IndexTarget(properties.tweetsAlias(), properties.usersAlias(), true);
    }

    /**
     * Makes sure both aliases exist: when one is missing (first start, or the indices were lost)
     * a new generation of that index is created with the alias in the same request. Checked once
     * until {@link #forgetLive()} says an alias went missing.
     *
     * @throws SearchUnavailableException when the engine does not answer
     */
    public void ensureLive() {
        if (liveReady) {
            return;
        }
        synchronized (this) {
            if (liveReady) {
                return;
            }
            ensureAlias(properties.tweetsAlias(), "tweets.json");
            ensureAlias(properties.usersAlias(), "users.json");
            liveReady = true;
        }
    }

    /** An alias was found missing: check (and recreate) before the next live write. */
    public void forgetLive() {
        liveReady = false;
    }

    @Override
    public IndexTarget createNext() {
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            int generation = Math.max(nextGeneration(properties.tweetsAlias()), nextGeneration(properties.usersAlias()));
            String tweets = properties.tweetsAlias() + "-v" + generation;
            String users = properties.usersAlias() + "-v" + generation;
            if (create(tweets, "tweets.json", null)) {
                if (create(users, "users.json", null)) {
                    return new IndexTarget(tweets, users, false);
                }
                drop(List.of(tweets));
            }
        }
        throw new SearchUnavailableException("could not create a new index generation", null);
    }

    @Override
    public List<String> promote(IndexTarget generation) {
        Set<String> replaced = new LinkedHashSet<>();
        List<Map<String, Object>> actions = new ArrayList<>();
        for (String[] pair : new String[][] {{properties.tweetsAlias(), generation.tweets()},
                {properties.usersAlias(), generation.users()}}) {
            for (String holder : aliasHolders(pair[0])) {
                if (!holder.equals(pair[1])) {
                    replaced.add(holder);
                    actions.add(Map.of("remove", Map.of("index", holder, "alias", pair[0])));
                }
            }
            actions.add(Map.of("add", Map.of("index", pair[1], "alias", pair[0])));
        }
        // readers must find the whole generation the moment the aliases move, not after its next refresh
        perform(new Request("POST", "/" + generation.tweets() + "," + generation.users() + "/_refresh"));
        send("POST", "/_aliases", Map.of("actions", actions));
        liveReady = true;
        LOG.info("aliases {} and {} now name {} and {}", properties.tweetsAlias(), properties.usersAlias(),
                generation.tweets(), generation.users());
        return List.copyOf(replaced);
    }

    @Override
    public void drop(Collection<String> indices) {
        if (indices.isEmpty()) {
            return;
        }
        Request request = new Request("DELETE", "/" + String.join(",", indices));
        request.addParameter("ignore_unavailable", "true");
        perform(request);
    }

    /** The concrete indices the alias names (none when it is missing). */
    public List<String> aliasHolders(String alias) {
        Request request = new Request("GET", "/_alias/" + alias);
        try {
            Response response = rest.performRequest(request);
            return new ArrayList<>(read(response).keySet());
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return List.of();
            }
            throw unavailable(request, e);
        } catch (IOException e) {
            throw unavailable(request, e);
        }
    }

    private void ensureAlias(String alias, String definition) {
        for (int attempt = 0; attempt < CREATE_ATTEMPTS && aliasHolders(alias).isEmpty(); attempt++) {
            String index = alias + "-v" + nextGeneration(alias);
            if (create(index, definition, alias)) {
                LOG.info("created index {} behind alias {}", index, alias);
                return;
            }
        }
        if (aliasHolders(alias).isEmpty()) {
            throw new SearchUnavailableException("could not create an index behind alias " + alias, null);
        }
    }

    /** Creates an index; false when it exists already (another instance or reindex took the name). */
    private boolean create(String index, String definition, String alias) {
        Map<String, Object> body = new LinkedHashMap<>(definition(definition));
        if (alias != null) {
            body.put("aliases", Map.of(alias, Map.of()));
        }
        Request request = new Request("PUT", "/" + index);
        try {
            request.setJsonEntity(json.writeValueAsString(body));
            rest.performRequest(request);
            return true;
        } catch (ResponseException e) {
            String answer = e.getMessage();
            if (e.getResponse().getStatusLine().getStatusCode() == 400 && answer.contains("resource_already_exists_exception")) {
                return false;
            }
            throw unavailable(request, e);
        } catch (IOException e) {
            throw unavailable(request, e);
        }
    }

    /** One more than the highest generation number of {@code <alias>-v<n>} indices present. */
    private int nextGeneration(String alias) {
        Request request = new Request("GET", "/_cat/indices/" + alias + "-v*");
        request.addParameter("format", "json");
        request.addParameter("h", "index");
        request.addParameter("expand_wildcards", "all");
        Pattern name = Pattern.compile(Pattern.quote(alias) + "-v(\\d+)");
        int highest = 0;
        try (InputStream body = rest.performRequest(request).getEntity().getContent()) {
            for (Map<String, Object> row : json.readValue(body, Argument.listOf(Argument.mapOf(String.class, Object.class)))) {
                Matcher m = name.matcher(String.valueOf(row.get("index")));
                if (m.matches()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
            return highest + 1;
        } catch (IOException e) {
            throw unavailable(request, e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> definition(String resource) {
        try (InputStream in = IndexAdmin.class.getResourceAsStream("/elasticsearch/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource elasticsearch/" + resource);
            }
            return json.readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void send(String method, String path, Object body) {
        Request request = new Request(method, path);
        try {
            request.setJsonEntity(json.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        perform(request);
    }

    private void perform(Request request) {
        try {
            rest.performRequest(request);
        } catch (IOException e) {
            throw unavailable(request, e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(Response response) throws IOException {
        try (InputStream body = response.getEntity().getContent()) {
            return json.readValue(body, Map.class);
        }
    }

    private static SearchUnavailableException unavailable(Request request, IOException e) {
        return new SearchUnavailableException(request.getMethod() + " " + request.getEndpoint() + " failed: "
                + e.getMessage(), e);
    }
}
