package io.chirp.platform.sharding;

/**
 * Thrown by {@link IdGenerator#next(int)} when the clock reads earlier than the millisecond of
 * the last id it issued for the shard by more than the generator's tolerance. Issuing ids then
 * could repeat an id already handed out, so the generator refuses until the clock catches up;
 * callers should fail the request (it is safe to retry later), not retry in a loop.
 */
public final class ClockMovedBackwardsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long millisBackwards;

    /**
     * @param millisBackwards how far the clock is behind the last issued id, in ms, &gt; 0
     * @param toleranceMillis the generator's tolerance, in ms
     */
    public ClockMovedBackwardsException(long millisBackwards, long toleranceMillis) {
        super("clock moved backwards by " + millisBackwards + " ms (tolerance " + toleranceMillis
                + " ms); refusing to issue ids until it catches up");
        this.millisBackwards = millisBackwards;
    }

    /** How far the clock was behind the last issued id, in milliseconds (&gt; 0). */
    public long millisBackwards() {
        return millisBackwards;
    }
}
