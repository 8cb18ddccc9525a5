package io.github.alloclab.generate;

import io.github.alloclab.trace.TraceOp;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random sizes and lifetimes: the classic synthetic workload, and the one Wilson et al. warn about, since real
 * programs are not random.
 *
 * <p>{@code ops / 2} allocations; sizes log-uniform in {@code [minSize, maxSize]} (as many 16-32 byte requests
 * as 2-4 KiB ones); lifetimes exponential with mean {@code meanLifetime} allocations. Every block is freed by
 * the end: the trace is balanced.
 */
final class RandomGenerator implements TraceGenerator {

    @Override
    public List<TraceOp> generate(GeneratorSettings s) {
        TraceBuilder trace = new TraceBuilder();
        Lifetimes lifetimes = new Lifetimes(trace);
        lifetimes.run(Math.max(1, s.ops() / 2), random -> new Lifetimes.Request(
                TraceBuilder.logUniform(random, s.minSize(), s.maxSize()), s.meanLifetime()),
                new SplittableRandom(s.seed()));
        lifetimes.drain();
        return trace.ops();
    }
}
