package io.github.alloclab.replay;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.trace.TraceOp;

/**
 * Sees every operation of a checked replay right after it was applied and checked, with the allocator in the
 * state that operation left it: what a picture of the heap over time ({@code alloclab report}) is drawn from.
 *
 * <p>Only the checked pass calls an observer; timed passes never do, so watching costs them nothing. Calls come
 * from the replaying thread. An observer may read the allocator ({@link Allocator#walk}, {@link Allocator#stats},
 * its {@link Allocator#memory() memory}) but must not change it.
 */
@FunctionalInterface
public interface ReplayObserver {

    /** An observer that does nothing. */
    ReplayObserver NONE = (number, op, address, allocator, liveBytes) -> {
    };

    /**
     * Called after operation {@code number} (1-based) was applied.
     *
     * @param number    the operation's position in the trace, counting from 1
     * @param op        the operation
     * @param address   the payload address it concerns: what {@code malloc} or {@code realloc} returned, or
     *                  the address {@code free} released
     * @param allocator the allocator, as the operation left it
     * @param liveBytes the payload bytes the trace has live now, {@code L(t)}
     */
    void afterOperation(long number, TraceOp op, long address, Allocator allocator, long liveBytes);
}
