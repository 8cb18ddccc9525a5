package io.github.alloclab.allocator;

/** What a {@link Block} holds. */
public enum BlockState {
    /** Handed out by {@code malloc} and not yet freed. */
    ALLOCATED,
    /** Free, waiting in the allocator's free structures. */
    FREE,
    /** The allocator's own: a prologue, an epilogue, a bitmap or other metadata. */
    METADATA
}
