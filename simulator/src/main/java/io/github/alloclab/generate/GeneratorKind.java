package io.github.alloclab.generate;

import io.github.alloclab.trace.TraceFormat;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceProfile;
import io.github.alloclab.trace.TraceReader;
import io.github.alloclab.trace.TraceWriter;
import java.io.Writer;
import java.util.Iterator;
import java.util.List;

/**
 * The synthetic workloads {@code alloclab generate KIND} makes; each kind's class documents its model.
 *
 * <pre>
 *  random      random sizes (log-uniform) and lifetimes (exponential)           {@link RandomGenerator}
 *  binary      sizes just above powers of two, pinned holes: defeats buddies     {@link BinaryGenerator}
 *  coalesce    holes that only merging on both sides can turn into one block     {@link CoalesceGenerator}
 *  realloc     buffers growing by realloc, small blocks in their way             {@link ReallocGenerator}
 *  phased      build up, steady state, tear down, phase after phase              {@link PhasedGenerator}
 *  histogram   sizes and lifetimes drawn from a table                            {@link HistogramGenerator}
 * </pre>
 */
public enum GeneratorKind {
    random(new RandomGenerator()),
    binary(new BinaryGenerator()),
    coalesce(new CoalesceGenerator()),
    realloc(new ReallocGenerator()),
    phased(new PhasedGenerator()),
    histogram(new HistogramGenerator());

    private final TraceGenerator generator;

    GeneratorKind(TraceGenerator generator) {
        this.generator = generator;
    }

    /**
     * {@return the trace's operations}
     *
     * @throws IllegalArgumentException if the settings do not suit this kind (the message says why)
     */
    public List<TraceOp> generate(GeneratorSettings settings) {
        return generator.generate(settings);
    }

    /**
     * Generates the trace and writes it in {@code format}.
     *
     * @return the written trace's profile
     */
    public TraceProfile write(GeneratorSettings settings, TraceFormat format, String name, Writer out) {
        List<TraceOp> ops = generate(settings);
        TraceProfile profile;
        try (TraceReader reader = new ListReader(name, ops)) {
            profile = TraceProfile.of(reader);
        }
        try (TraceWriter writer = TraceWriter.of(format, profile, out)) {
            ops.forEach(writer::write);
        }
        return profile;
    }

    /** A generated trace, read back as a trace. */
    private static final class ListReader implements TraceReader {
        private final String name;
        private final Iterator<TraceOp> ops;

        ListReader(String name, List<TraceOp> ops) {
            this.name = name;
            this.ops = ops.iterator();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TraceFormat format() {
            return TraceFormat.rep;
        }

        @Override
        public boolean hasNext() {
            return ops.hasNext();
        }

        @Override
        public TraceOp next() {
            return ops.next();
        }

        @Override
        public void close() {
        }
    }
}
