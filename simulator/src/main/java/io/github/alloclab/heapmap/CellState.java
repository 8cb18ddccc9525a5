package io.github.alloclab.heapmap;

/**
 * What the bytes of a heap-map cell hold, in order of precedence: a cell that covers bytes in several states
 * shows the first of them, so that a small allocated block or header stays visible however far the picture is
 * scaled down. Each state has its own character, for plain text, and its own colour, for terminals.
 */
public enum CellState {
    /** Payload bytes a caller asked for, in a block {@code malloc} handed out. */
    ALLOCATED('#', "allocated", "fg(black),bg(green)"),
    /** Guard bytes around a payload that a checked allocator fills with {@code 0xcc} and verifies. */
    RED_ZONE('!', "red zone", "fg(white),bg(red)"),
    /** The allocator's own bytes: block headers and footers (boundary tags), slab and arena headers, maps. */
    METADATA('=', "header or metadata", "fg(white),bg(blue)"),
    /** Bytes of an allocated block beyond the request: alignment and rounding up to a block size. */
    PADDING('+', "padding", "fg(black),bg(yellow)"),
    /** Bytes of a free block, waiting in the allocator's free structures. */
    FREE('.', "free", "fg(black),bg(white)"),
    /** Bytes of a region that no block covers: break space or a mapping the allocator holds but has not carved. */
    UNUSED('_', "no block", "fg(white),bg(black)");

    private final char symbol;
    private final String label;
    private final String colour;

    CellState(char symbol, String label, String colour) {
        this.symbol = symbol;
        this.label = label;
        this.colour = colour;
    }

    /** {@return the character that stands for this state in plain text} */
    public char symbol() {
        return symbol;
    }

    /** {@return the legend's word for this state} */
    public String label() {
        return label;
    }

    /** {@return the picocli markup style of this state's colours, such as {@code fg(black),bg(green)}} */
    public String colour() {
        return colour;
    }
}
