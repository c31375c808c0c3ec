package io.chirp.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;

@RealEngines(Engine.ELASTICSEARCH)
class ElasticsearchEngineIT {

    @Test
    void indexedDocumentIsFoundByAMatchQuery() throws Exception {
        String index = TestNames.unique("it");
        try (RestClient rest = RestClient.builder(HttpHost.create(SharedEngines.get().elasticsearchUrl())).build();
             RestClientTransport transport = new RestClientTransport(rest, new JacksonJsonpMapper())) {
            ElasticsearchClient client = new ElasticsearchClient(transport);
            client.indices().create(c -> c.index(index)
                    .settings(s -> s.numberOfShards("1").numberOfReplicas("0")));
            client.index(i -> i.index(index).id("1").refresh(Refresh.True)
                    .document(Map.of("text", "hello real search engines")));
            client.index(i -> i.index(index).id("2").refresh(Refresh.True)
                    .document(Map.of("text", "nothing to see here")));
            @SuppressWarnings("rawtypes")
            SearchResponse<Map> response = client.search(s -> s.index(index)
                    .query(q -> q.match(m -> m.field("text").query("engines"))), Map.class);
            List<String> ids = response.hits().hits().stream().map(Hit::id).toList();
            assertEquals(List.of("1"), ids);
        }
    }
}
