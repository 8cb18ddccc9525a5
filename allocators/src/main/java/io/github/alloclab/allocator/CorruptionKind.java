package io.github.alloclab.allocator;

/**
 * What kind of misuse a {@link HeapCorruptionException} reports, so that callers (tests, replay, a teaching
 * view) can tell the cases apart without parsing messages.
 */
public enum CorruptionKind {
    /** A block freed (or reallocated) a second time: glibc's {@code free(): double free detected}. */
    DOUBLE_FREE,
    /** A pointer the allocator never returned: glibc's {@code free(): invalid pointer}. */
    INVALID_POINTER,
    /** A pointer into the middle of a live block, not to its start. glibc says {@code free(): invalid pointer}. */
    INTERIOR_POINTER,
    /** A block whose size field is implausible: glibc's {@code free(): invalid size}. */
    INVALID_SIZE,
    /** Bytes written past the end of a payload, into its red zone (glibc mcheck's wording). */
    OVERFLOW,
    /** Bytes written before the start of a payload, into its red zone (glibc mcheck's wording). */
    UNDERFLOW,
    /** A write into a freed block, found because its poison bytes changed. */
    USE_AFTER_FREE,
    /** The block at the top of the heap has an implausible size: glibc's {@code malloc(): corrupted top size}. */
    CORRUPTED_TOP,
    /** Anything else an allocator detects. */
    OTHER
}
