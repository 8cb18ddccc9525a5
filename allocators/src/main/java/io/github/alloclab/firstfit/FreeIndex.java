package io.github.alloclab.firstfit;

/** How the first-fit family finds free blocks: which structure a search walks. */
public enum FreeIndex {
    /**
     * No free list: a search walks every block of the heap, allocated or free, through the size in each
     * header (CS:APP 9.9.6, the implicit free list).
     */
    IMPLICIT("implicit"),
    /** One doubly linked list of the free blocks, threaded through their payloads (CS:APP 9.9.13). */
    EXPLICIT("explicit"),
    /**
     * One list per size class (see {@link SizeClasses}); a search starts in the request's class and moves up
     * to larger classes (CS:APP 9.9.14, segregated fits).
     */
    SEGREGATED("segregated");

    private final String text;

    FreeIndex(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
