package io.github.alloclab.replay;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.metrics.ByteLadder;
import io.github.alloclab.metrics.Fragmentation;
import io.github.alloclab.metrics.FragmentationTracker;
import io.github.alloclab.metrics.HeapSnapshot;
import io.github.alloclab.metrics.PageAccounting;
import io.github.alloclab.metrics.PerformanceIndex;
import io.github.alloclab.metrics.SearchSteps;
import io.github.alloclab.metrics.TouchedPages;
import io.github.alloclab.trace.DenseIds;
import io.github.alloclab.trace.TraceFormatException;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceProfile;
import io.github.alloclab.trace.TraceReader;
import io.github.alloclab.trace.TraceSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Replays a trace against an allocator, in passes, as the CS:APP driver {@code mdriver} does.
 *
 * <ol>
 *   <li><b>Profile</b> ({@link PreparedTrace}, once per trace): the counts, the operation at which live payload
 *       peaks, and the blocks never freed.</li>
 *   <li><b>Checked pass</b>, streaming the trace. Every address {@code malloc} or {@code realloc} returns
 *       must be non-null, aligned to {@link Allocator#alignment()}, inside the heap or a mapping
 *       ({@link MemorySource#isMapped}), and must overlap no live block. Each payload is filled with a
 *       pattern derived from its id ({@link PayloadPattern}); the pattern is verified before
 *       {@code realloc} and {@code free}, the kept prefix after {@code realloc}, and every live block at the
 *       end, when the heap checker also runs. After every operation the live payload and the footprint go to
 *       a {@link FragmentationTracker}; right after the operation at which live payload peaks, a
 *       {@link HeapSnapshot} of the heap is taken (byte ladder, internal and external fragmentation, free
 *       blocks). Allocations are sampled for the most search steps one of them took.</li>
 *   <li><b>Timed passes</b>, only if the checked pass succeeded: the trace, packed into arrays of 13 bytes per
 *       operation, runs on fresh allocators with no checks, their memory faulted in beforehand as a reused heap
 *       would be, and the fastest run gives the throughput. A trace of more than {@value #MAX_PACKED_OPS}
 *       operations is not packed, so memory stays bounded; it is timed while streaming, and its throughput then
 *       includes parsing. glibc's {@code malloc} runs the same operations through FFM for the performance
 *       index's reference, once per trace.</li>
 * </ol>
 *
 * A misbehaving allocator gives an invalid {@link ReplayResult} whose error names the trace line. A trace
 * that makes no sense (freeing an id that is not live) is a {@link TraceFormatException}: bad input, not an
 * allocator bug.
 */
public final class Replayer {

    /** The most operations the timed pass packs into arrays (13 bytes each): 16 M, about 200 MiB. */
    public static final int MAX_PACKED_OPS = 1 << 24;

    /**
     * Walk visits that sampling search steps may cost per operation: a sample reads the allocator's counters
     * before and after one allocation, and {@code stats()} may walk the heap.
     */
    private static final long SAMPLING_BUDGET_PER_OP = 256;
    private static final long SAMPLING_BUDGET_BASE = 16_000_000;
    private static final int PROGRESS_EVERY = 4096;

    private final ReplayOptions options;
    private final ReplayProgress progress;

    public Replayer(ReplayOptions options) {
        this(options, ReplayProgress.NONE);
    }

    public Replayer(ReplayOptions options, ReplayProgress progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Replays {@code trace} on allocators from {@code allocators}, one for the checked pass and one per timed
     * run; each is closed after its pass.
     *
     * @throws TraceFormatException if the trace is malformed or inconsistent
     */
    public ReplayResult replay(TraceSource trace, String allocatorName, Supplier<Allocator> allocators) {
        return replay(new PreparedTrace(trace), allocatorName, allocators);
    }

    /**
     * Replays a prepared trace: its profile, packed arrays and glibc reference are shared by every allocator
     * that replays it.
     *
     * @throws TraceFormatException if the trace is malformed or inconsistent
     */
    public ReplayResult replay(PreparedTrace trace, String allocatorName, Supplier<Allocator> allocators) {
        return replay(trace, allocatorName, allocators, ReplayObserver.NONE);
    }

    /**
     * Replays a prepared trace as {@link #replay(PreparedTrace, String, Supplier)} does, showing every operation
     * of the checked pass to {@code observer} (the timed passes are not observed).
     *
     * @throws TraceFormatException if the trace is malformed or inconsistent
     */
    public ReplayResult replay(PreparedTrace trace, String allocatorName, Supplier<Allocator> allocators,
                               ReplayObserver observer) {
        TraceProfile profile = trace.profile();
        String name = trace.source().name();
        progress.phase(allocatorName + " on " + name);
        Checked checked;
        try (Allocator allocator = allocators.get(); TraceReader reader = trace.source().open()) {
            checked = new CheckedPass(name, allocator, reader, profile, options.checkEveryOp(), progress,
                    Long.MAX_VALUE, observer).run();
        }
        double opsPerSecond = 0;
        double reference = 0;
        if (checked.error == null && options.timed() && checked.ops > 0) {
            progress.phase(allocatorName + " on " + name + ": timing");
            long footprint = checked.measures.peakFootprintBytes();
            opsPerSecond = checked.ops <= MAX_PACKED_OPS
                    ? new TimedPass(trace.packed(), allocators, options, footprint).opsPerSecond()
                    : streamingOpsPerSecond(trace.source(), allocators, checked.ops, footprint);
            if (options.reference()) {
                progress.phase("glibc on " + name + ": timing the reference");
                reference = trace.referenceOpsPerSecond(options);
            }
        }
        var m = checked.measures;
        return new ReplayResult(name, allocatorName, checked.error == null, checked.error, checked.ops,
                opsPerSecond, m.peakLiveBytes(), m.peakFootprintBytes(), m.utilization(), reference,
                PerformanceIndex.of(m.utilization(), opsPerSecond, reference),
                Fragmentation.of(m, checked.snapshot), checked.snapshot.bytes(), checked.searchSteps,
                checked.pageFaults, checked.leakedBlocks, checked.leakedBytes, profile.warningCount());
    }

    /**
     * Replays the first {@code ops} operations of {@code trace} on {@code allocator}, with every check of the
     * checked pass, and stops there: the allocator is left as the trace left it, open, for a view of its
     * state at that point ({@code alloclab buddyinfo --at}). The caller owns and closes the allocator.
     *
     * @throws IllegalArgumentException if {@code ops} is negative or the trace has fewer operations
     * @throws TraceFormatException     if the trace is malformed or inconsistent
     */
    public Prefix replayPrefix(TraceSource trace, Allocator allocator, long ops) {
        return replayPrefix(new PreparedTrace(trace), allocator, ops);
    }

    /** As {@link #replayPrefix(TraceSource, Allocator, long)}, for a trace already profiled. */
    public Prefix replayPrefix(PreparedTrace trace, Allocator allocator, long ops) {
        return replayPrefix(trace, allocator, ops, ReplayObserver.NONE);
    }

    /**
     * As {@link #replayPrefix(PreparedTrace, Allocator, long)}, telling {@code observer} of each operation as
     * soon as it is done and checked.
     */
    public Prefix replayPrefix(PreparedTrace trace, Allocator allocator, long ops, ReplayObserver observer) {
        TraceProfile profile = trace.profile();
        String name = trace.source().name();
        if (ops < 0 || ops > profile.ops()) {
            throw new IllegalArgumentException("%s has %d operations; cannot stop after %d"
                    .formatted(name, profile.ops(), ops));
        }
        try (TraceReader reader = trace.source().open()) {
            CheckedPass pass = new CheckedPass(name, allocator, reader, profile, options.checkEveryOp(), progress, ops,
                    observer);
            Checked checked = pass.run();
            return new Prefix(name, pass.ops, profile.ops(), pass.lastLine, pass.live.size(), pass.payload,
                    checked.error);
        }
    }

    /**
     * Where {@link #replayPrefix} stopped.
     *
     * @param trace        the trace's file name
     * @param opsReplayed  operations replayed
     * @param totalOps     operations in the whole trace
     * @param line         the trace line of the last operation replayed, 0 if none was
     * @param liveBlocks   blocks the trace holds at that point
     * @param payloadBytes bytes those blocks requested
     * @param error        the first failure, naming its line, or {@code null}
     */
    public record Prefix(String trace, long opsReplayed, long totalOps, long line, long liveBlocks,
                         long payloadBytes, String error) {

        /** {@return whether every check passed} */
        public boolean valid() {
            return error == null;
        }
    }

    /**
     * {@return the memory source's own page accounting, or {@code null}}: a source that implements
     * {@link PageAccounting}, or the simulated source, whose page table counts resident pages and faults exactly.
     */
    static PageAccounting pageAccounting(MemorySource memory) {
        if (memory instanceof PageAccounting pages) {
            return pages;
        }
        if (memory instanceof SimulatedMemorySource simulated) {
            return new PageAccounting() {
                @Override
                public long residentBytes() {
                    return simulated.residentBytes();
                }

                @Override
                public long pageFaults() {
                    return simulated.minorFaults();
                }
            };
        }
        return null;
    }

    /** Times one run that reads the trace as it goes: for traces too long to pack. */
    private static double streamingOpsPerSecond(TraceSource trace, Supplier<Allocator> allocators, long ops,
                                                long footprint) {
        try (Allocator allocator = allocators.get(); TraceReader reader = trace.open()) {
            populate(allocator, footprint);
            long[] addresses = new long[1024];
            DenseIds ids = new DenseIds();
            long start = System.nanoTime();
            while (reader.hasNext()) {
                TraceOp op = reader.next();
                int id = ids.of(op.id());
                if (id >= addresses.length) {
                    addresses = java.util.Arrays.copyOf(addresses, 2 * addresses.length);
                }
                switch (op.kind()) {
                    case ALLOC -> addresses[id] = allocator.malloc(op.byteSize());
                    case REALLOC -> addresses[id] = allocator.realloc(addresses[id], op.byteSize());
                    case FREE -> allocator.free(addresses[id]);
                }
            }
            return ops / (Math.max(System.nanoTime() - start, 1) / 1e9);
        }
    }

    /**
     * Faults in, before timing, as much memory as the checked pass saw the allocator use, so that a timed run
     * measures the allocator, as mdriver's reused heap does, and not the kernel's first-touch page faults.
     */
    private static void populate(Allocator allocator, long footprint) {
        if (allocator.memory() instanceof FlatMemorySource flat) {
            flat.populate(footprint, footprint);
        }
    }

    /** What the checked pass measured. */
    private record Checked(String error, long ops, FragmentationTracker.Measures measures, HeapSnapshot snapshot,
                           SearchSteps searchSteps, long pageFaults, long leakedBlocks, long leakedBytes) {
    }

    /** An allocator error found on a trace line. */
    private static final class Failure extends RuntimeException {
        Failure(long line, String message) {
            this("line " + line + ": " + message);
        }

        private Failure(String message) {
            super(message, null, false, false);
        }

        /** The allocator returned {@code NULL}: the memory source hit its limit, which is no allocator error. */
        static Failure outOfMemory(long line, String call) {
            return new Failure(ReplayResult.OUT_OF_MEMORY_AT_LINE + line + ": " + call + " returned NULL");
        }
    }

    /** A live block of the trace. */
    private record Live(int id, long address, long byteSize) {
        long end() {
            return address + Math.max(byteSize, 1);
        }
    }

    private static final class CheckedPass {
        private final String traceName;
        private final Allocator allocator;
        private final MemorySource memory;
        private final TraceReader reader;
        private final TraceProfile profile;
        private final boolean checkEveryOp;
        private final ReplayProgress progress;
        /** Operations to replay before stopping. */
        private final long limit;
        private final ReplayObserver observer;
        private final Map<Integer, Live> live = new HashMap<>();
        private final TreeMap<Long, Live> byAddress = new TreeMap<>();
        private final FragmentationTracker tracker;
        private final PageAccounting accounting;
        private final TouchedPages touched;
        private final long sampleEvery;
        private long payload;
        private long ops;
        private long lastLine;
        private long allocations;
        private long maxSteps;
        private HeapSnapshot atPeak;

        CheckedPass(String traceName, Allocator allocator, TraceReader reader, TraceProfile profile,
                    boolean checkEveryOp, ReplayProgress progress, long limit, ReplayObserver observer) {
            this.traceName = traceName;
            this.allocator = allocator;
            this.memory = allocator.memory();
            this.reader = reader;
            this.profile = profile;
            this.checkEveryOp = checkEveryOp;
            this.progress = progress;
            this.limit = limit;
            this.observer = observer;
            this.tracker = new FragmentationTracker(memory.peakFootprintBytes());
            this.accounting = pageAccounting(memory);
            this.touched = accounting == null ? new TouchedPages(memory) : null;
            // Sampling one allocation walks the heap twice, about 2 * (live blocks) visits; stay in budget.
            long budget = SAMPLING_BUDGET_BASE + SAMPLING_BUDGET_PER_OP * profile.ops();
            this.sampleEvery = Math.max(1, ceilDiv(2 * profile.liveBlockOps(), budget));
        }

        Checked run() {
            var start = allocator.stats();
            long faultsBefore = accounting == null ? 0 : accounting.pageFaults();
            String error = null;
            long line = 0;
            try {
                while (ops < limit && reader.hasNext()) {
                    TraceOp op = reader.next();
                    line = op.line();
                    lastLine = line;
                    boolean sample = op.kind() != TraceOp.Kind.FREE && allocations++ % sampleEvery == 0;
                    long stepsBefore = sample ? allocator.stats().searchSteps() : 0;
                    long address = apply(op);
                    if (sample) {
                        maxSteps = Math.max(maxSteps, allocator.stats().searchSteps() - stepsBefore);
                    }
                    ops++;
                    if (touched != null) {
                        touched.afterOperation();
                    }
                    tracker.record(payload, memory.footprintBytes(), memory.peakFootprintBytes());
                    if (ops == profile.peakLiveOp()) {
                        atPeak = snapshot();
                    }
                    if (checkEveryOp) {
                        heapCheck(line);
                    }
                    observer.afterOperation(ops, op, address, allocator, payload);
                    if (ops % PROGRESS_EVERY == 0) {
                        progress.advanced(PROGRESS_EVERY);
                    }
                }
                for (Live block : live.values()) {
                    verify(block, block.byteSize, line, "at the end of the trace");
                }
                heapCheck(line);
            } catch (Failure e) {
                error = e.getMessage();
            }
            progress.advanced(ops % PROGRESS_EVERY + (profile.ops() - ops));
            if (atPeak == null) {
                atPeak = snapshot(); // nothing was ever live, or the replay failed before the peak
            }
            var end = allocator.stats();
            long searches = end.searches() - start.searches();
            double mean = searches == 0 ? 0 : (double) (end.searchSteps() - start.searchSteps()) / searches;
            long faults = accounting != null ? accounting.pageFaults() - faultsBefore : touched.faults();
            long leakedBytes = live.values().stream().mapToLong(Live::byteSize).sum();
            // an allocator that counts its longest search itself (HeapStats.maxSearchSteps) gives the exact max
            SearchSteps steps = end.maxSearchSteps() > 0
                    ? new SearchSteps(mean, Math.max(maxSteps, end.maxSearchSteps()), 1)
                    : new SearchSteps(mean, maxSteps, sampleEvery);
            return new Checked(error, profile.ops(), tracker.measures(), atPeak, steps, faults, live.size(),
                    leakedBytes);
        }

        private HeapSnapshot snapshot() {
            long resident = accounting != null ? accounting.residentBytes() : touched.residentBytes();
            return HeapSnapshot.take(allocator, payload, resident, accounting == null);
        }

        private static long ceilDiv(long a, long b) {
            return (a + b - 1) / b;
        }

        /** {@return the address malloc or realloc returned, or the one freed} */
        private long apply(TraceOp op) {
            return switch (op.kind()) {
                case ALLOC -> {
                    if (live.containsKey(op.id())) {
                        throw new TraceFormatException(traceName, op.line(),
                                "id %d is allocated again while still live".formatted(op.id()));
                    }
                    long address = call(op, () -> allocator.malloc(op.byteSize()), "malloc(%d)");
                    Live block = new Live(op.id(), address, op.byteSize());
                    place(block, op);
                    PayloadPattern.fill(memory, address, op.id(), 0, op.byteSize());
                    grow(op.byteSize());
                    yield address;
                }
                case REALLOC -> {
                    Live old = liveBlock(op, "realloc");
                    verify(old, old.byteSize, op.line(), "before realloc");
                    long address = call(op, () -> allocator.realloc(old.address, op.byteSize()), "realloc(%d)");
                    byAddress.remove(old.address);
                    live.remove(op.id());
                    Live block = new Live(op.id(), address, op.byteSize());
                    place(block, op);
                    verify(block, Math.min(old.byteSize, op.byteSize()), op.line(), "after realloc");
                    PayloadPattern.fill(memory, address, op.id(), Math.min(old.byteSize, op.byteSize()), op.byteSize());
                    grow(op.byteSize() - old.byteSize);
                    yield address;
                }
                case FREE -> {
                    Live block = liveBlock(op, "free");
                    verify(block, block.byteSize, op.line(), "before free");
                    call(op, () -> {
                        allocator.free(block.address);
                        return 1L;
                    }, "free");
                    byAddress.remove(block.address);
                    live.remove(op.id());
                    payload -= block.byteSize;
                    yield block.address;
                }
            };
        }

        private Live liveBlock(TraceOp op, String call) {
            Live block = live.get(op.id());
            if (block == null) {
                throw new TraceFormatException(traceName, op.line(),
                        "%s of id %d, which is not allocated".formatted(call, op.id()));
            }
            return block;
        }

        private void grow(long delta) {
            payload += delta;
        }

        private long call(TraceOp op, Supplier<Long> call, String what) {
            String text = what.formatted(op.byteSize()) + " of id " + op.id();
            long address;
            try {
                address = call.get();
            } catch (RuntimeException e) {
                throw new Failure(op.line(), text + " failed: " + e.getMessage());
            }
            if (address == 0 && op.kind() != TraceOp.Kind.FREE) {
                throw Failure.outOfMemory(op.line(), text);
            }
            return address;
        }

        /** Checks a new block's address and records it. */
        private void place(Live block, TraceOp op) {
            long address = block.address;
            if ((address & (allocator.alignment() - 1)) != 0) {
                throw new Failure(op.line(), "id %d's payload 0x%x is not aligned to %d bytes"
                        .formatted(op.id(), address, allocator.alignment()));
            }
            if (!memory.isMapped(address, block.byteSize)) {
                throw new Failure(op.line(), "id %d's payload [0x%x, 0x%x) lies outside the heap and every mapping"
                        .formatted(op.id(), address, address + block.byteSize));
            }
            var below = byAddress.floorEntry(address);
            if (below != null && below.getValue().end() > address) {
                throw overlap(block, below.getValue(), op.line());
            }
            var above = byAddress.ceilingEntry(address);
            if (above != null && above.getKey() < block.end()) {
                throw overlap(block, above.getValue(), op.line());
            }
            live.put(block.id, block);
            byAddress.put(address, block);
            if (touched != null) {
                touched.touch(address - 8, block.byteSize + 8); // the payload and the header word below it
            }
        }

        private static Failure overlap(Live block, Live other, long line) {
            return new Failure(line, "id %d's payload [0x%x, 0x%x) overlaps id %d's [0x%x, 0x%x)".formatted(
                    block.id, block.address, block.end(), other.id, other.address, other.end()));
        }

        private void verify(Live block, long length, long line, String when) {
            long bad = PayloadPattern.firstMismatch(memory, block.address, block.id, length);
            if (bad >= 0) {
                throw new Failure(line, "id %d's payload was corrupted %s: byte %d at 0x%x is 0x%02x, expected 0x%02x"
                        .formatted(block.id, when, bad, block.address + bad,
                                memory.getByte(block.address + bad), PayloadPattern.byteAt(block.id, bad)));
            }
        }

        private void heapCheck(long line) {
            List<Violation> violations = allocator.check();
            if (!violations.isEmpty()) {
                throw new Failure(line, "heap check: " + violations.getFirst()
                        + (violations.size() > 1 ? " (and %d more)".formatted(violations.size() - 1) : ""));
            }
        }
    }

    /** The trace packed into arrays, replayed without checks on fresh allocators. */
    private static final class TimedPass {
        private final PackedTrace trace;
        private final Supplier<Allocator> allocators;
        private final ReplayOptions options;
        private final long footprint;

        TimedPass(PackedTrace trace, Supplier<Allocator> allocators, ReplayOptions options, long footprint) {
            this.trace = trace;
            this.allocators = allocators;
            this.options = options;
            this.footprint = footprint;
        }

        double opsPerSecond() {
            long best = Long.MAX_VALUE;
            long total = 0;
            for (int run = 0; run < options.maxTimedRuns()
                    && (run < options.minTimedRuns() || total < options.minTimedNanos()); run++) {
                try (Allocator allocator = allocators.get()) {
                    populate(allocator, footprint);
                    long elapsed = runOnce(allocator, new long[trace.ids()]);
                    best = Math.min(best, elapsed);
                    total += elapsed;
                }
            }
            return trace.size() / (Math.max(best, 1) / 1e9);
        }

        private long runOnce(Allocator allocator, long[] addresses) {
            PackedTrace t = trace;
            long start = System.nanoTime();
            for (int i = 0; i < t.size(); i++) {
                int id = t.id(i);
                switch (t.kind(i)) {
                    case PackedTrace.ALLOC -> addresses[id] = allocator.malloc(t.byteSize(i));
                    case PackedTrace.REALLOC -> addresses[id] = allocator.realloc(addresses[id], t.byteSize(i));
                    default -> allocator.free(addresses[id]);
                }
            }
            return System.nanoTime() - start;
        }
    }
}
