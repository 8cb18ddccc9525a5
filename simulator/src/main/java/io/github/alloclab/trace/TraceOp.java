package io.github.alloclab.trace;

/**
 * One operation of a trace.
 *
 * @param kind     what the program called
 * @param id       the block's id: each id is allocated once, may be reallocated, and is freed at most once
 * @param byteSize the requested size for {@code ALLOC} and {@code REALLOC}; 0 for {@code FREE}
 * @param line     the line of the trace file the operation is on, counting from 1
 */
public record TraceOp(Kind kind, int id, long byteSize, long line) {

    /** The operations of a malloc trace. */
    public enum Kind {
        /** {@code a id bytes}: {@code malloc} (and {@code calloc}, {@code realloc(NULL, n)}). */
        ALLOC,
        /** {@code r id bytes}: {@code realloc} of a live block. */
        REALLOC,
        /** {@code f id}: {@code free}. */
        FREE
    }
}
