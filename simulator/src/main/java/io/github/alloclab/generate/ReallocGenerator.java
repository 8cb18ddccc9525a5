package io.github.alloclab.generate;

import io.github.alloclab.trace.TraceOp;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realloc growth chains, as growable buffers, strings and vectors make them ({@code git}'s strbuf, C++'s
 * {@code std::vector}).
 *
 * <p>Eight chains grow side by side. Each step picks a chain at random and grows it by half, plus 16 bytes
 * ({@code n -> 3n/2 + 16}, capped at {@code maxSize}); then allocates a short-lived small block (16 to 64
 * bytes) that a first-fit allocator places right after the chain, so the next growth cannot extend in
 * place. Small blocks live 4 steps. A chain that reaches {@code maxSize} is freed and starts again at
 * {@code max(minSize, 1)} bytes. Reads {@code seed}, {@code ops}, {@code minSize} and {@code maxSize}. The
 * trace is balanced.
 */
final class ReallocGenerator implements TraceGenerator {

    private static final int CHAINS = 8;
    private static final int SMALL_LIFETIME = 4;

    @Override
    public List<TraceOp> generate(GeneratorSettings s) {
        SplittableRandom random = new SplittableRandom(s.seed());
        TraceBuilder trace = new TraceBuilder();
        long start = Math.max(1, s.minSize());
        int[] chains = new int[CHAINS];
        for (int c = 0; c < CHAINS; c++) {
            chains[c] = trace.alloc(start);
        }
        ArrayDeque<Integer> smalls = new ArrayDeque<>();
        while (trace.size() < s.ops()) {
            int c = random.nextInt(CHAINS);
            long size = trace.sizeOf(chains[c]);
            if (size >= s.maxSize()) {
                trace.free(chains[c]);
                chains[c] = trace.alloc(start);
            } else {
                trace.realloc(chains[c], Math.min(s.maxSize(), size + size / 2 + 16));
            }
            smalls.add(trace.alloc(random.nextLong(16, 65)));
            if (smalls.size() > SMALL_LIFETIME) {
                trace.free(smalls.poll());
            }
        }
        smalls.forEach(trace::free);
        for (int id : chains) {
            trace.free(id);
        }
        return trace.ops();
    }
}
