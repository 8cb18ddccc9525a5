package io.github.alloclab.trace;

import java.util.Arrays;

/**
 * Invents addresses for a trace that has only ids, for the address-based formats: a bump allocator that
 * never reuses memory, so no two blocks ever share an address and readers map addresses back to the same
 * blocks.
 *
 * <pre>
 *  address(first block) = 0x555555559010            (a glibc heap at the Linux x86-64 brk start, + header)
 *  next                  = address + roundUp(max(size, 1) + 16, 16)
 *  realloc that fits in roundUp(max(old size, 1), 16): the block keeps its address; otherwise it moves to next
 * </pre>
 */
final class SyntheticAddresses {

    private static final long FIRST = 0x5555_5555_9010L;

    private long next = FIRST;
    /** Ids renumbered densely, so that the arrays grow with the blocks, not with the largest id. */
    private final DenseIds slots = new DenseIds();
    private long[] addresses = new long[1024];
    private long[] capacities = new long[1024];

    /** {@return the address of a new block {@code id} of {@code byteSize} bytes} */
    long allocate(int id, long byteSize) {
        return allocateSlot(slot(id), byteSize);
    }

    private long allocateSlot(int slot, long byteSize) {
        long capacity = roundUp(Math.max(byteSize, 1));
        addresses[slot] = next;
        capacities[slot] = capacity;
        next += capacity + 16;
        return addresses[slot];
    }

    /** {@return the address block {@code id} has after a realloc to {@code byteSize} bytes} */
    long reallocate(int id, long byteSize) {
        int slot = slot(id);
        if (Math.max(byteSize, 1) <= capacities[slot]) {
            return addresses[slot];
        }
        return allocateSlot(slot, byteSize);
    }

    /** {@return the address of live block {@code id}} */
    long addressOf(int id) {
        return addresses[slot(id)];
    }

    private int slot(int id) {
        int slot = slots.of(id);
        if (slot >= addresses.length) {
            addresses = Arrays.copyOf(addresses, addresses.length * 2);
            capacities = Arrays.copyOf(capacities, capacities.length * 2);
        }
        return slot;
    }

    private static long roundUp(long byteSize) {
        return (byteSize + 15) & -16L;
    }
}
