package io.github.alloclab.bench;

import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.RepTraceReader;
import io.github.alloclab.trace.TraceOp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each bundled real trace replayed without checks, in ns per trace operation. Every invocation replays the
 * whole trace on the same heap, which gets back, after each invocation, the blocks the program never freed;
 * alloclab allocators and native ones are treated alike, so none pays for page faults the others do not.
 *
 * <p>JMH needs the operation count at compile time to report per operation, so each trace has its own method
 * rather than a {@code trace} parameter; {@link TracePacks} checks the counts when the trace is loaded.
 * Run it with {@code ./alloclab bench TraceReplay} or {@code ./alloclab bench TraceReplay.tsortDag}.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TraceReplayBenchmark extends HeapBenchmark {

    static final int FIND_DOC_GZ_OPS = 25_106;
    static final int GIT_LOG_STAT_OPS = 56_077;
    static final int TSORT_DAG_OPS = 98_912;

    /** The three traces, packed once per fork. */
    @State(Scope.Benchmark)
    public static class TracePacks {
        final Packed findDocGz = Packed.load("find_doc_gz.rep", FIND_DOC_GZ_OPS);
        final Packed gitLogStat = Packed.load("git_log_stat.rep", GIT_LOG_STAT_OPS);
        final Packed tsortDag = Packed.load("tsort_dag.rep", TSORT_DAG_OPS);
    }

    @TearDown(Level.Invocation)
    public void freeWhatTheProgramLeft(TracePacks packs) {
        packs.findDocGz.freeLive(heap);
        packs.gitLogStat.freeLive(heap);
        packs.tsortDag.freeLive(heap);
    }

    @Benchmark
    @OperationsPerInvocation(FIND_DOC_GZ_OPS)
    public long findDocGz(TracePacks packs) {
        return packs.findDocGz.replay(heap);
    }

    @Benchmark
    @OperationsPerInvocation(GIT_LOG_STAT_OPS)
    public long gitLogStat(TracePacks packs) {
        return packs.gitLogStat.replay(heap);
    }

    @Benchmark
    @OperationsPerInvocation(TSORT_DAG_OPS)
    public long tsortDag(TracePacks packs) {
        return packs.tsortDag.replay(heap);
    }

    /** A trace as arrays, and the handles of its live blocks. */
    static final class Packed {
        private final byte[] kinds;
        private final int[] ids;
        private final long[] sizes;
        private final long[] live;

        private Packed(byte[] kinds, int[] ids, long[] sizes, int idCount) {
            this.kinds = kinds;
            this.ids = ids;
            this.sizes = sizes;
            this.live = new long[idCount];
        }

        static Packed load(String name, int expectedOps) {
            try (RepTraceReader reader = BundledTraces.find(name).orElseThrow().openRep()) {
                if (reader.header().ops() != expectedOps) {
                    throw new IllegalStateException(name + " has " + reader.header().ops()
                            + " operations, but the benchmark reports per " + expectedOps);
                }
                byte[] kinds = new byte[expectedOps];
                int[] ids = new int[expectedOps];
                long[] sizes = new long[expectedOps];
                for (int i = 0; reader.hasNext(); i++) {
                    TraceOp op = reader.next();
                    kinds[i] = (byte) op.kind().ordinal();
                    ids[i] = op.id();
                    sizes[i] = op.byteSize();
                }
                return new Packed(kinds, ids, sizes, reader.header().ids());
            }
        }

        long replay(BenchHeap heap) {
            long[] handles = live;
            long sum = 0;
            for (int i = 0; i < kinds.length; i++) {
                int id = ids[i];
                switch (kinds[i]) {
                    case 0 -> sum += handles[id] = heap.malloc(sizes[i]);
                    case 1 -> handles[id] = heap.realloc(handles[id], sizes[i]);
                    default -> {
                        heap.free(handles[id]);
                        handles[id] = 0;
                    }
                }
            }
            return sum;
        }

        void freeLive(BenchHeap heap) {
            for (int id = 0; id < live.length; id++) {
                if (live[id] != 0) {
                    heap.free(live[id]);
                    live[id] = 0;
                }
            }
        }
    }
}
