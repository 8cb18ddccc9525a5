package io.github.alloclab.firstfit;

/** When free neighbours are merged into one block (CS:APP 9.9.10, OSTEP 17.2). */
public enum Coalescing {
    /** At every free, with both neighbours, found through boundary tags. No two free blocks are ever adjacent. */
    IMMEDIATE("immediate"),
    /** Only when a search fails: one sweep over the heap merges every run of free blocks, then the search runs again. */
    DEFERRED("deferred"),
    /** Never. Freed blocks keep their sizes; the heap grows when nothing fits. */
    NONE("none"),
    /**
     * OSTEP malloc.py's {@code -C}: after every free, one pass over the free list merges each block with the
     * next block <em>in the list</em> when that one starts where it ends. Exact for {@link ListOrder#ADDRESS};
     * in other orders, neighbours in memory that are not neighbours in the list stay apart.
     */
    LIST("list");

    private final String text;

    Coalescing(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
