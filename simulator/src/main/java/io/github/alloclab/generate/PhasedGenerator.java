package io.github.alloclab.generate;

import io.github.alloclab.trace.TraceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A phase-structured program. Wilson, Johnstone, Neely and Boles found that real programs are not random:
 * they go through phases (ramps, peaks and plateaus), each allocating a few characteristic sizes, and data
 * built in one phase tends to die together at its end. A random trace hides the fragmentation that such
 * phases cause, or the lack of it.
 *
 * <p>Each of {@code phases} phases has a budget of {@code ops / phases} operations and its own mix of six
 * sizes, drawn log-uniformly in {@code [minSize, maxSize]}, the first most frequent. A phase has three parts:
 * <ol>
 *   <li><b>build up</b> (40% of the budget): allocate, with one in ten blocks a temporary freed right after
 *       the next allocation;</li>
 *   <li><b>steady state</b> (the next 40%): free a random block of the phase, allocate another: live memory
 *       stays level while the heap churns;</li>
 *   <li><b>tear down</b>: free the phase's blocks, newest first, except one in twenty, which survives into
 *       the rest of the program (long-lived data interleaved with the next phase's).</li>
 * </ol>
 * The survivors are freed at the very end, so the trace is balanced. Reads {@code seed}, {@code ops},
 * {@code phases}, {@code minSize} and {@code maxSize}.
 */
final class PhasedGenerator implements TraceGenerator {

    private static final int SIZES_PER_PHASE = 6;

    @Override
    public List<TraceOp> generate(GeneratorSettings s) {
        SplittableRandom random = new SplittableRandom(s.seed());
        TraceBuilder trace = new TraceBuilder();
        List<Integer> survivors = new ArrayList<>();
        int perPhase = Math.max(10, s.ops() / s.phases());
        for (int phase = 0; phase < s.phases(); phase++) {
            long[] sizes = new long[SIZES_PER_PHASE];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = TraceBuilder.logUniform(random, s.minSize(), s.maxSize());
            }
            List<Integer> live = new ArrayList<>();
            int buildEnd = trace.size() + perPhase * 4 / 10;
            int steadyEnd = trace.size() + perPhase * 8 / 10;
            Integer temporary = null;
            while (trace.size() < buildEnd) {
                int id = trace.alloc(pick(sizes, random));
                if (temporary != null) {
                    trace.free(temporary);
                    temporary = null;
                }
                if (random.nextInt(10) == 0) {
                    temporary = id;
                } else {
                    live.add(id);
                }
            }
            if (temporary != null) {
                trace.free(temporary);
            }
            while (trace.size() + 1 < steadyEnd && !live.isEmpty()) {
                trace.free(live.remove(random.nextInt(live.size())));
                live.add(trace.alloc(pick(sizes, random)));
            }
            for (int i = live.size() - 1; i >= 0; i--) {
                if (random.nextInt(20) == 0) {
                    survivors.add(live.get(i));
                } else {
                    trace.free(live.get(i));
                }
            }
        }
        survivors.forEach(trace::free);
        return trace.ops();
    }

    /** {@return one of the phase's sizes, the first most often: weights 6, 5, 4, 3, 2, 1} */
    private static long pick(long[] sizes, SplittableRandom random) {
        int total = sizes.length * (sizes.length + 1) / 2;
        int u = random.nextInt(total);
        for (int i = 0; i < sizes.length; i++) {
            u -= sizes.length - i;
            if (u < 0) {
                return sizes[i];
            }
        }
        return sizes[sizes.length - 1];
    }
}
