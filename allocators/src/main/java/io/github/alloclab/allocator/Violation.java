package io.github.alloclab.allocator;

/**
 * One broken invariant that a heap checker found.
 *
 * @param address where it was found
 * @param message what is wrong, in a sentence that names the invariant
 */
public record Violation(long address, String message) {

    @Override
    public String toString() {
        return "0x%x: %s".formatted(address, message);
    }
}
