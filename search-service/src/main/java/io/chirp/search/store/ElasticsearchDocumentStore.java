package io.chirp.search.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Conflicts;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.DeleteByQueryResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import io.chirp.platform.web.ApiTimestamps;
import io.chirp.search.domain.DocumentStore;
import io.chirp.search.domain.IndexChange;
import io.chirp.search.domain.IndexTarget;
import io.chirp.search.domain.SearchUnavailableException;
import io.chirp.search.domain.TweetView;
import io.chirp.search.domain.UserProfile;
import io.chirp.search.domain.WriteOutcome;
import jakarta.inject.Singleton;

/**
 * Writes the search documents with the bulk API. Every write is an index operation with
 * {@code version_type: external} and the event time as version, so Elasticsearch itself
 * refuses anything older than what a document holds (409, counted as stale). Deletions are
 * tombstones ({@code deleted: true}, no text), which every read filters out. Live writes
 * ({@link IndexTarget#aliases()}) set {@code require_alias}: a lost alias must fail the write,
 * not auto-create an index with guessed mappings under the alias's name.
 */
@Singleton
class ElasticsearchDocumentStore implements DocumentStore {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchDocumentStore.class);
    /** Failures of the document itself: writing it again can never succeed (7.17 and 8 names). */
    private static final Set<String> REFUSALS = Set.of("mapper_parsing_exception", "document_parsing_exception",
            "strict_dynamic_mapping_exception", "illegal_argument_exception", "x_content_parse_exception",
            "parse_exception");

    private final ElasticsearchClient client;
    private final IndexAdmin admin;

    ElasticsearchDocumentStore(ElasticsearchClient client, IndexAdmin admin) {
        this.client = client;
        this.admin = admin;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Set<Long> erasedUsers(Collection<Long> userIds, IndexTarget target) {
        prepare(target);
        try {
            MgetResponse<Map> response = client.mget(m -> m.index(target.users())
                    .ids(userIds.stream().map(String::valueOf).toList()).sourceIncludes("deleted"), Map.class);
            Set<Long> erased = new HashSet<>();
            for (MultiGetResponseItem<Map> item : response.docs()) {
                if (item.isFailure()) {
                    missing(target);
                    throw new SearchUnavailableException("reading user tombstones failed: "
                            + item.failure().error().reason(), null);
                }
                var doc = item.result();
                if (doc.found() && doc.source() != null && Boolean.TRUE.equals(doc.source().get("deleted"))) {
                    erased.add(Long.parseLong(doc.id()));
                }
            }
            return erased;
        } catch (ElasticsearchException e) {
            missingIfNotFound(e, target);
            throw new SearchUnavailableException("reading user tombstones failed", e);
        } catch (IOException e) {
            throw new SearchUnavailableException("reading user tombstones failed", e);
        }
    }

    @Override
    public List<WriteOutcome> write(List<IndexChange> changes, IndexTarget target) {
        prepare(target);
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        if (target.aliases()) {
            bulk.requireAlias(true);
        }
        for (IndexChange change : changes) {
            String index = change instanceof IndexChange.TweetUpsert || change instanceof IndexChange.TweetTombstone
                    ? target.tweets() : target.users();
            String id = id(change);
            Map<String, Object> document = document(change);
            bulk.operations(op -> op.index(i -> i.index(index).id(id).version(change.version())
                    .versionType(VersionType.External).document(document)));
        }
        BulkResponse response;
        try {
            response = client.bulk(bulk.build());
        } catch (ElasticsearchException e) {
            missingIfNotFound(e, target);
            throw new SearchUnavailableException("bulk write failed", e);
        } catch (IOException e) {
            throw new SearchUnavailableException("bulk write failed", e);
        }
        List<WriteOutcome> outcomes = new ArrayList<>(changes.size());
        for (BulkResponseItem item : response.items()) {
            outcomes.add(outcome(item, target));
        }
        return outcomes;
    }

    @Override
    public void removeTweetsOf(long userId, IndexTarget target) {
        prepare(target);
        try {
            // delete_by_query sees only refreshed documents: make the author's latest tweets visible first
            client.indices().refresh(r -> r.index(target.tweets()));
            DeleteByQueryResponse response = client.deleteByQuery(d -> d.index(target.tweets())
                    .query(q -> q.term(t -> t.field("authorId").value(Long.toString(userId))))
                    .conflicts(Conflicts.Proceed).refresh(true));
            if (!response.failures().isEmpty()) {
                throw new SearchUnavailableException("removing the tweets of " + userId + " failed: "
                        + response.failures().get(0).cause().reason(), null);
            }
            LOG.info("removed {} tweet document(s) of erased user {} from {}", response.deleted(), userId, target.tweets());
        } catch (ElasticsearchException e) {
            missingIfNotFound(e, target);
            throw new SearchUnavailableException("removing the tweets of " + userId + " failed", e);
        } catch (IOException e) {
            throw new SearchUnavailableException("removing the tweets of " + userId + " failed", e);
        }
    }

    private WriteOutcome outcome(BulkResponseItem item, IndexTarget target) {
        if (item.error() == null) {
            return WriteOutcome.APPLIED;
        }
        if (item.status() == 409) {
            return WriteOutcome.STALE;
        }
        if ("index_not_found_exception".equals(item.error().type())) {
            missing(target);
            return WriteOutcome.RETRYABLE;
        }
        if (!REFUSALS.contains(item.error().type())) {
            return WriteOutcome.RETRYABLE; // e.g. overloaded (429), shard unavailable, index closed
        }
        LOG.warn("{} {} refused: {} {}", item.index(), item.id(), item.error().type(), item.error().reason());
        return WriteOutcome.REJECTED;
    }

    private void prepare(IndexTarget target) {
        if (target.aliases()) {
            admin.ensureLive();
        }
    }

    private void missingIfNotFound(ElasticsearchException e, IndexTarget target) {
        if (e.status() == 404) {
            missing(target);
        }
    }

    /** A live alias went missing (indices deleted): recreate it before the retry. */
    private void missing(IndexTarget target) {
        if (target.aliases()) {
            admin.forgetLive();
        }
    }

    private static String id(IndexChange change) {
        if (change instanceof IndexChange.TweetUpsert c) {
            return c.tweet().id();
        } else if (change instanceof IndexChange.TweetTombstone c) {
            return Long.toString(c.tweetId());
        } else if (change instanceof IndexChange.UserUpsert c) {
            return Long.toString(c.user().id());
        } else {
            return Long.toString(((IndexChange.UserErasure) change).userId());
        }
    }

    /** The _source of each document: the API's Tweet (or User) fields, or a tombstone. */
    static Map<String, Object> document(IndexChange change) {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (change instanceof IndexChange.TweetUpsert c) {
            TweetView t = c.tweet();
            doc.put("id", t.id());
            doc.put("deleted", false);
            doc.put("authorId", t.authorId());
            doc.put("authorUsername", t.authorUsername());
            doc.put("text", t.text());
            doc.put("hashtags", t.hashtags());
            doc.put("mentions", t.mentions());
            doc.put("createdAt", t.createdAt());
            doc.put("replyToId", t.replyToId());
            doc.put("retweetOfId", t.retweetOfId());
            doc.put("likeCount", t.likeCount());
            doc.put("retweetCount", t.retweetCount());
            doc.put("replyCount", t.replyCount());
        } else if (change instanceof IndexChange.TweetTombstone c) {
            doc.put("id", Long.toString(c.tweetId()));
            doc.put("deleted", true);
            doc.put("authorId", Long.toString(c.authorId()));
        } else if (change instanceof IndexChange.UserUpsert c) {
            UserProfile u = c.user();
            doc.put("id", Long.toString(u.id()));
            doc.put("deleted", false);
            doc.put("username", u.username());
            doc.put("displayName", u.displayName());
            doc.put("bio", u.bio());
            doc.put("createdAt", ApiTimestamps.format(u.createdAt()));
        } else if (change instanceof IndexChange.UserErasure c) {
            doc.put("id", Long.toString(c.userId()));
            doc.put("deleted", true);
        }
        return doc;
    }
}
