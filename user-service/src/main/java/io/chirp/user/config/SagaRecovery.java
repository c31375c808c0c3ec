package io.chirp.user.config;

import java.time.Duration;

import io.chirp.user.domain.AccountDeletionService;
import io.chirp.user.domain.FollowService;
import io.chirp.user.domain.RegistrationService;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * Finishes what a crash interrupted: registration sagas left STARTED are compensated and
 * follow sagas left between their steps are completed (or compensated), and account deletions
 * that every participant acknowledged are finished (also half-finished ones). Runs on every
 * instance; each step is idempotent, so overlapping runs are harmless.
 */
@Singleton
class SagaRecovery {

    private final RegistrationService registrations;
    private final FollowService follows;
    private final AccountDeletionService deletions;
    private final Duration stalledAfter;
    private final Duration askAgainAfter;

    SagaRecovery(RegistrationService registrations, FollowService follows, AccountDeletionService deletions,
                 @Value("${chirp.sagas.stalled-after:1m}") Duration stalledAfter,
                 @Value("${chirp.account-deletion.ask-again-after:2m}") Duration askAgainAfter) {
        this.registrations = registrations;
        this.follows = follows;
        this.deletions = deletions;
        this.stalledAfter = stalledAfter;
        this.askAgainAfter = askAgainAfter;
    }

    @Scheduled(fixedDelay = "${chirp.sagas.recovery-interval:30s}", initialDelay = "10s")
    void recover() {
        registrations.recoverStalled(stalledAfter);
        follows.recoverStalled(stalledAfter);
        deletions.finishReady();
        deletions.requestAgainWaitingLongerThan(askAgainAfter);
    }
}
