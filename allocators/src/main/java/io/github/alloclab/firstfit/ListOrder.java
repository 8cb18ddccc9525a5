package io.github.alloclab.firstfit;

/**
 * Where a freed block goes in an explicit free list (OSTEP's {@code -l}). For a size order, ties keep their
 * earlier order, as a stable sort does.
 *
 * <p>When a search splits a block, the remainder keeps the split block's place in the list, as in OSTEP's
 * malloc.py. In a size order that place may be too early; the list is marked unsorted and sorted again (stably)
 * at the next insertion, again as malloc.py does.
 */
public enum ListOrder {
    /** Sorted by address (malloc.py {@code ADDRSORT}). */
    ADDRESS("address"),
    /** Inserted at the front: last in, first out (malloc.py {@code INSERT-FRONT}). */
    LIFO("lifo"),
    /** Inserted at the back: first in, first out (malloc.py {@code INSERT-BACK}). */
    FIFO("fifo"),
    /** Sorted by size, smallest first (malloc.py {@code SIZESORT+}). */
    SIZE_ASC("size-asc"),
    /** Sorted by size, largest first (malloc.py {@code SIZESORT-}). */
    SIZE_DESC("size-desc");

    private final String text;

    ListOrder(String text) {
        this.text = text;
    }

    /** {@return whether the list is kept sorted by block size} */
    public boolean bySize() {
        return this == SIZE_ASC || this == SIZE_DESC;
    }

    @Override
    public String toString() {
        return text;
    }
}
