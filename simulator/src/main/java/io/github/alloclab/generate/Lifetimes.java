package io.github.alloclab.generate;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The engine under the random, histogram and phased generators: allocations tick a clock, each block gets a
 * death time, and before each allocation the blocks whose time has come are freed, earliest death first
 * (ties by id). Blocks with an infinite lifetime are never freed.
 */
final class Lifetimes {

    /** A block's size and lifetime, in allocations. */
    record Request(long byteSize, double lifetime) {
    }

    /** Draws the next request. */
    interface Source {
        Request next(SplittableRandom random);
    }

    private final TraceBuilder trace;
    private final PriorityQueue<long[]> deaths = new PriorityQueue<>((a, b) ->
            a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private long clock;

    Lifetimes(TraceBuilder trace) {
        this.trace = trace;
    }

    /** Makes {@code allocations} allocations from {@code source}, freeing blocks as they die. */
    void run(int allocations, Source source, SplittableRandom random) {
        for (int i = 0; i < allocations; i++) {
            freeDue(clock);
            Request r = source.next(random);
            int id = trace.alloc(r.byteSize());
            if (!Double.isInfinite(r.lifetime())) {
                deaths.add(new long[] {clock + TraceBuilder.lifetime(random, r.lifetime()), id});
            }
            clock++;
        }
    }

    /** Frees every block still due to die, in order of death. */
    void drain() {
        freeDue(Long.MAX_VALUE);
    }

    private void freeDue(long now) {
        while (!deaths.isEmpty() && deaths.peek()[0] <= now) {
            trace.free((int) deaths.poll()[1]);
        }
    }
}
