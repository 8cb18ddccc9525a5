package io.github.alloclab.generate;

import io.github.alloclab.trace.TraceOp;
import java.util.List;

/**
 * Sizes that defeat binary buddy systems.
 *
 * <p>A binary buddy allocator rounds every request up to a power of two, and merges a free block only with
 * its buddy. Each round of this trace hits both weaknesses, for a power {@code 2^k} that cycles through the
 * range the settings allow:
 * <ol>
 *   <li>allocate 32 pairs: a "big" block of {@code 2^k + 1} bytes (rounded to {@code 2^(k+1)}: almost half of
 *       it wasted inside) and a small block of {@code minSize} bytes right after it;</li>
 *   <li>free the 32 big blocks: 32 holes, each pinned by the small block beside it, so no hole finds its buddy
 *       free and none merge;</li>
 *   <li>allocate 16 blocks of {@code 2^(k+1) + 1} bytes, which fit none of the holes, so the heap grows;</li>
 *   <li>free everything.</li>
 * </ol>
 * Reads {@code ops} (rounds of 160 operations until about {@code ops}), {@code minSize} (at least 1) and
 * {@code maxSize} ({@code 2^(k+1) + 1 <= maxSize}). The seed is not needed: the trace is the same for every
 * seed. The trace is balanced.
 */
final class BinaryGenerator implements TraceGenerator {

    private static final int PAIRS = 32;

    @Override
    public List<TraceOp> generate(GeneratorSettings s) {
        long small = Math.max(1, s.minSize());
        int kMin = Math.max(4, 64 - Long.numberOfLeadingZeros(small)); // 2^kMin + 1 > small
        int kMax = 62 - Long.numberOfLeadingZeros(Math.max(1, s.maxSize() - 1)); // 2^(kMax+1) + 1 <= maxSize
        if (kMax < kMin) {
            throw new IllegalArgumentException(("the binary generator needs room for sizes 2^k + 1 and 2^(k+1) + 1 "
                    + "above minSize: raise maxSize to at least %d").formatted((1L << (kMin + 1)) + 1));
        }
        TraceBuilder trace = new TraceBuilder();
        int[] bigs = new int[PAIRS];
        int[] smalls = new int[PAIRS];
        int[] next = new int[PAIRS / 2];
        for (int round = 0; trace.size() < s.ops(); round++) {
            int k = kMin + round % (kMax - kMin + 1);
            for (int i = 0; i < PAIRS; i++) {
                bigs[i] = trace.alloc((1L << k) + 1);
                smalls[i] = trace.alloc(small);
            }
            for (int big : bigs) {
                trace.free(big);
            }
            for (int i = 0; i < next.length; i++) {
                next[i] = trace.alloc((1L << (k + 1)) + 1);
            }
            for (int id : smalls) {
                trace.free(id);
            }
            for (int id : next) {
                trace.free(id);
            }
        }
        return trace.ops();
    }
}
