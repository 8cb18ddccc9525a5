package io.github.alloclab.generate;

import io.github.alloclab.trace.TraceOp;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Patterns that only coalescing can serve without growing the heap.
 *
 * <p>Each round, with a block size {@code s} drawn log-uniformly so that {@code 32 s <= maxSize}:
 * <ol>
 *   <li>allocate 32 blocks of {@code s} bytes, one after the other;</li>
 *   <li>free the even ones: 16 holes of one block each, none adjacent to another;</li>
 *   <li>free the odd ones from the last to the first: each free has a free neighbour on both sides, so a
 *       coalescing allocator merges three blocks into one every time;</li>
 *   <li>allocate one block of {@code 32 s} bytes: it fits in the merged space only if every merge happened
 *       (and the allocator's headers leave room), otherwise the heap grows; then free it.</li>
 * </ol>
 * Reads {@code seed}, {@code ops} (rounds of 66 operations until about {@code ops}), {@code minSize} and
 * {@code maxSize}. The trace is balanced.
 */
final class CoalesceGenerator implements TraceGenerator {

    private static final int BLOCKS = 32;

    @Override
    public List<TraceOp> generate(GeneratorSettings s) {
        long maxBlock = s.maxSize() / BLOCKS;
        if (maxBlock < Math.max(1, s.minSize())) {
            throw new IllegalArgumentException("the coalesce generator needs maxSize >= 32 * max(1, minSize): "
                    + "raise maxSize to at least " + BLOCKS * Math.max(1, s.minSize()));
        }
        SplittableRandom random = new SplittableRandom(s.seed());
        TraceBuilder trace = new TraceBuilder();
        int[] ids = new int[BLOCKS];
        while (trace.size() < s.ops()) {
            long size = TraceBuilder.logUniform(random, Math.max(1, s.minSize()), maxBlock);
            for (int i = 0; i < BLOCKS; i++) {
                ids[i] = trace.alloc(size);
            }
            for (int i = 0; i < BLOCKS; i += 2) {
                trace.free(ids[i]);
            }
            for (int i = BLOCKS - 1; i > 0; i -= 2) {
                trace.free(ids[i]);
            }
            trace.free(trace.alloc(BLOCKS * size));
        }
        return trace.ops();
    }
}
