package io.github.alloclab.replay;

import io.github.alloclab.trace.TraceOp;

/**
 * Hears each operation of a checked replay once the allocator has done it and the replay has checked it, for
 * the views that show the heap as a trace goes ({@code alloclab heap}). Calls come from the replaying thread,
 * with the allocator open and in the state the operation left it.
 */
@FunctionalInterface
public interface OperationObserver {

    /** An observer that does nothing. */
    OperationObserver NONE = (op, address) -> { };

    /**
     * Operation {@code op} is done.
     *
     * @param op      the operation, with its trace line
     * @param address the payload address {@code malloc} or {@code realloc} returned; for {@code free}, the
     *                address freed
     */
    void applied(TraceOp op, long address);
}
