package io.chirp.platform.database.move;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.sharding.ShardMap;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Named;

/**
 * The service's side of an online shard move ({@code ./chirp shards move}, see
 * docs/adr/0008-online-shard-move.md), under {@code /internal/shards}; like every
 * {@code /internal} path it is not routed by the gateway.
 *
 * <ul>
 *   <li>{@code POST /internal/shards/{logical}/fence?drainTimeoutMs=&maxHoldMs=}: raises the
 *       logical shard's write fence once the work in flight there has finished; 200
 *       {@code {"logical":…, "drainMicros":…}}. The fence lifts by itself after {@code maxHoldMs}
 *       (default 30 000) so a tool that died cannot leave the shard closed. 409 when it is
 *       already fenced or the work in flight did not finish within {@code drainTimeoutMs}
 *       (default 10 000; the fence is then not raised).</li>
 *   <li>{@code DELETE /internal/shards/{logical}/fence}: lifts it; 204 (also when not fenced).</li>
 *   <li>{@code GET /internal/shards/map}: the current map, as range entries, the physical names
 *       and the fenced logical shards.</li>
 *   <li>{@code PUT /internal/shards/map} {@code {"logical":…, "physical":…}}: routes that logical
 *       shard to that database from now on; 204 (no body: it is on the fence's clock); 400 for an unknown shard or
 *       database. The move tool persists the override first ({@link PersistedShardMap}), or
 *       the next reload ({@link ShardMapReloader}) switches back.</li>
 * </ul>
 * Errors are {@code application/problem+json}.
 */
@Controller("/internal/shards")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class ShardMoveController {

    private static final Logger LOG = LoggerFactory.getLogger(ShardMoveController.class);

    private final ShardedDataSources shards;
    private final TaskScheduler scheduler;
    private final Map<Integer, ScheduledFuture<?>> autoLifts = new ConcurrentHashMap<>();

    ShardMoveController(ShardedDataSources shards, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.shards = shards;
        this.scheduler = scheduler;
    }

    @Post("/{logical}/fence")
    HttpResponse<?> fence(@PathVariable int logical, @QueryValue(defaultValue = "10000") long drainTimeoutMs,
                          @QueryValue(defaultValue = "30000") long maxHoldMs) {
        if (!valid(logical) || drainTimeoutMs <= 0 || maxHoldMs <= 0) {
            return problem(HttpStatus.BAD_REQUEST, "logical must be within 0.." + LogicalShards.MAX
                    + " and the timeouts positive");
        }
        Duration drained;
        try {
            drained = shards.fences().fence(logical, Duration.ofMillis(drainTimeoutMs));
        } catch (IllegalStateException e) {
            return problem(HttpStatus.CONFLICT, e.getMessage());
        }
        autoLifts.put(logical, scheduler.schedule(Duration.ofMillis(maxHoldMs), () -> {
            if (autoLifts.remove(logical) != null) {
                shards.fences().lift(logical);
                LOG.warn("the fence on logical shard {} was held {} ms without being lifted; lifted", logical, maxHoldMs);
            }
        }));
        LOG.info("logical shard {} fenced for a move (work in flight drained in {} µs)", logical,
                drained.toNanos() / 1_000);
        return HttpResponse.ok(new FenceResponse(logical, drained.toNanos() / 1_000));
    }

    @Delete("/{logical}/fence")
    HttpResponse<?> lift(@PathVariable int logical) {
        if (!valid(logical)) {
            return problem(HttpStatus.BAD_REQUEST, "logical must be within 0.." + LogicalShards.MAX);
        }
        ScheduledFuture<?> autoLift = autoLifts.remove(logical);
        if (autoLift != null) {
            autoLift.cancel(false);
        }
        shards.fences().lift(logical);
        LOG.info("logical shard {} unfenced", logical);
        return HttpResponse.noContent();
    }

    @Get("/map")
    MapResponse map() {
        return describe(shards.map());
    }

    @Put("/map")
    HttpResponse<?> switchMap(@Body SwitchRequest request) {
        if (!valid(request.logical()) || request.physical() == null
                || !shards.map().physicalNames().contains(request.physical())) {
            return problem(HttpStatus.BAD_REQUEST, "unknown logical shard " + request.logical() + " or database '"
                    + request.physical() + "'; known: " + shards.map().physicalNames());
        }
        shards.switchMap(shards.map().withMove(request.logical(), request.physical()));
        LOG.info("logical shard {} now routed to {}", request.logical(), request.physical());
        return HttpResponse.noContent();
    }

    private MapResponse describe(ShardMap map) {
        List<Integer> fenced = new ArrayList<>();
        for (int logical = 0; logical < LogicalShards.COUNT; logical++) {
            if (shards.fences().isFenced(logical)) {
                fenced.add(logical);
            }
        }
        return new MapResponse(map.toRangeEntries(), List.copyOf(map.physicalNames()), fenced);
    }

    private static boolean valid(int logical) {
        return logical >= 0 && logical <= LogicalShards.MAX;
    }

    private static HttpResponse<ProblemBody> problem(HttpStatus status, String detail) {
        return HttpResponse.<ProblemBody>status(status)
                .contentType(MediaType.of("application/problem+json"))
                .body(new ProblemBody("about:blank", status.getReason(), status.getCode(), detail));
    }

    /** The fence is up; {@code drainMicros}: how long the work in flight took to finish. */
    @Serdeable
    record FenceResponse(int logical, long drainMicros) {
    }

    /** {@code ranges}: e.g. {@code ["0-4095: shard0", "4096-8191: shard1"]}. */
    @Serdeable
    record MapResponse(List<String> ranges, List<String> physical, List<Integer> fenced) {
    }

    @Serdeable
    record SwitchRequest(int logical, String physical) {
    }

    /** RFC 9457 problem details (chirp-web's Problem, which this library does not depend on). */
    @Serdeable
    record ProblemBody(String type, String title, int status, String detail) {
    }
}
