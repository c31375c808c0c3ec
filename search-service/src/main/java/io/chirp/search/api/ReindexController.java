package io.chirp.search.api;

import io.chirp.search.domain.ReindexService;
import io.chirp.search.domain.ReindexStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

/**
 * Operators' rebuild of both indices from the event log (see README, "Reindex"): {@code POST}
 * starts one in the background (202 with its status; 409 while one runs), {@code GET} reports
 * the last one. Not routed by the gateway: internal, like every {@code /internal} path.
 */
@Controller("/internal/search/reindex")
class ReindexController {

    private final ReindexService reindex;

    ReindexController(ReindexService reindex) {
        this.reindex = reindex;
    }

    @Post
    HttpResponse<ReindexStatus> start() {
        return HttpResponse.accepted().body(reindex.start());
    }

    @Get
    ReindexStatus status() {
        return reindex.status();
    }
}
