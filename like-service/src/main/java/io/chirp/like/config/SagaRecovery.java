package io.chirp.like.config;

import java.time.Duration;

import io.chirp.like.domain.LikeService;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/** Resumes like sagas left in flight by a crash or a lost message. */
@Singleton
class SagaRecovery {

    private final LikeService likes;
    private final Duration stalledAfter;

    SagaRecovery(LikeService likes, @Value("${chirp.likes.stalled-after:15s}") Duration stalledAfter) {
        this.likes = likes;
        this.stalledAfter = stalledAfter;
    }

    @Scheduled(fixedDelay = "${chirp.likes.recovery-interval:10s}", initialDelay = "10s")
    void recover() {
        likes.recoverStalled(stalledAfter);
    }
}
