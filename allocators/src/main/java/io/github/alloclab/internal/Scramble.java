package io.github.alloclab.internal;

/**
 * The SplitMix64 finaliser (Steele, Lea and Flood, "Fast Splittable Pseudorandom Number Generators", 2014): a
 * bijection on {@code long} that spreads every input bit over every output bit. Allocators use it for header
 * canaries (a stray word is not mistaken for a header of this address) and for treap priorities.
 */
public final class Scramble {

    private Scramble() {
    }

    /** {@return the SplitMix64 scramble of {@code x}} */
    public static long splitMix64(long x) {
        long z = x * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
