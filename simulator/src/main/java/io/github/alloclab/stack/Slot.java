package io.github.alloclab.stack;

/**
 * One row of a stack picture: a live slot of the simulated stack, as the JSON's {@code stack} lists it.
 *
 * @param address the slot's lowest address
 * @param size    its size in bytes
 * @param label   what it holds: a parameter or local by name ({@code a}, {@code buf[4..7]}), {@code return
 *                address}, {@code saved ebp} / {@code saved rbp}, {@code (padding)}, {@code (alignment)}, or a
 *                summary of frames not shown
 * @param value   its contents, loaded from the simulated stack as its type reads them (little-endian,
 *                signed for integers, unsigned for addresses and raw words); {@code null} for a summary row,
 *                or if it could not be read
 * @param hex     whether the value is an address or raw bytes, best shown in hex
 * @param frame   the frame it belongs to, numbered as gdb does (0 is the innermost); {@link #NEXT_FRAME} for
 *                the arguments of a call not made yet; {@link #SUMMARY} for a row standing for frames not shown
 * @param pendingCall for an argument pushed for a call not made yet, the function it is for; else {@code null}.
 *                Under cdecl a nested call can run while an outer call's later arguments wait on the stack.
 */
public record Slot(long address, long size, String label, Long value, boolean hex, int frame, String pendingCall) {

    /** The frame of arguments pushed for a call that has not happened yet. */
    public static final int NEXT_FRAME = -1;
    /** The frame of a row that stands for several frames left out of a picture. */
    public static final int SUMMARY = -2;
}
