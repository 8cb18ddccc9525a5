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
    private long[] addresses = new long[1024];
    private long[] capacities = new long[1024];

    /** {@return the address of a new block {@code id} of {@code byteSize} bytes} */
    long allocate(int id, long byteSize) {
        grow(id);
        long capacity = roundUp(Math.max(byteSize, 1));
        addresses[id] = next;
        capacities[id] = capacity;
        next += capacity + 16;
        return addresses[id];
    }

    /** {@return the address block {@code id} has after a realloc to {@code byteSize} bytes} */
    long reallocate(int id, long byteSize) {
        grow(id);
        if (Math.max(byteSize, 1) <= capacities[id]) {
            return addresses[id];
        }
        return allocate(id, byteSize);
    }

    /** {@return the address of live block {@code id}} */
    long addressOf(int id) {
        grow(id);
        return addresses[id];
    }

    private void grow(int id) {
        if (id >= addresses.length) {
            int size = Math.max(id + 1, addresses.length * 2);
            addresses = Arrays.copyOf(addresses, size);
            capacities = Arrays.copyOf(capacities, size);
        }
    }

    private static long roundUp(long byteSize) {
        return (byteSize + 15) & -16L;
    }
}
