package io.github.alloclab.generate;

import io.github.alloclab.trace.TraceOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Collects a generated trace: hands out ids in allocation order, keeps each live block's size, and numbers
 * operations with the line they will have in a {@code .rep} file (the first on line 5).
 */
final class TraceBuilder {

    private final List<TraceOp> ops = new ArrayList<>();
    private long[] sizes = new long[1024];
    private int nextId;

    int alloc(long byteSize) {
        int id = nextId++;
        if (id == sizes.length) {
            sizes = Arrays.copyOf(sizes, 2 * id);
        }
        sizes[id] = byteSize;
        ops.add(new TraceOp(TraceOp.Kind.ALLOC, id, byteSize, ops.size() + 5));
        return id;
    }

    void realloc(int id, long byteSize) {
        requireLive(id);
        sizes[id] = byteSize;
        ops.add(new TraceOp(TraceOp.Kind.REALLOC, id, byteSize, ops.size() + 5));
    }

    void free(int id) {
        requireLive(id);
        sizes[id] = -1;
        ops.add(new TraceOp(TraceOp.Kind.FREE, id, 0, ops.size() + 5));
    }

    long sizeOf(int id) {
        return sizes[id];
    }

    int size() {
        return ops.size();
    }

    List<TraceOp> ops() {
        return List.copyOf(ops);
    }

    private void requireLive(int id) {
        if (id >= nextId || sizes[id] < 0) {
            throw new IllegalStateException("generator bug: block " + id + " is not live");
        }
    }

    /** {@return a size drawn so that its logarithm is uniform in [log(min + 1), log(max + 1)]} */
    static long logUniform(SplittableRandom random, long min, long max) {
        if (min == max) {
            return min;
        }
        double lo = Math.log(min + 1.0);
        double hi = Math.log(max + 1.0);
        long size = (long) Math.floor(Math.exp(lo + random.nextDouble() * (hi - lo))) - 1;
        return Math.clamp(size, min, max);
    }

    /** {@return an exponentially distributed lifetime of the given mean, in whole allocations, at least 1} */
    static long lifetime(SplittableRandom random, double mean) {
        return Math.max(1, Math.round(-mean * Math.log(1 - random.nextDouble())));
    }
}
