package io.github.alloclab.replay;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.trace.RepTraceReader;
import io.github.alloclab.trace.TraceFormatException;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Replays a trace against an allocator, in two passes, as the CS:APP driver {@code mdriver} does.
 *
 * <ol>
 *   <li><b>Checked pass</b>, streaming the trace. Every address {@code malloc} or {@code realloc} returns
 *       must be non-null, aligned to {@link Allocator#alignment()}, inside the heap or a mapping
 *       ({@link MemorySource#isMapped}), and must overlap no live block. Each payload is filled with a
 *       pattern derived from its id ({@link PayloadPattern}); the pattern is verified before
 *       {@code realloc} and {@code free}, the kept prefix after {@code realloc}, and every live block at the
 *       end, when the heap checker also runs. Peak payload and peak footprint are measured here.</li>
 *   <li><b>Timed passes</b>, only if the checked pass succeeded: the trace, packed into arrays of 13 bytes per
 *       operation, runs on fresh allocators with no checks, their memory faulted in beforehand as a reused heap
 *       would be, and the fastest run gives the throughput. A trace
 *       of more than {@value #MAX_PACKED_OPS} operations is not packed, so memory stays bounded; it is timed
 *       while streaming, and its throughput then includes parsing.</li>
 * </ol>
 *
 * A misbehaving allocator gives an invalid {@link ReplayResult} whose error names the trace line. A trace
 * that makes no sense (freeing an id that is not live) is a {@link TraceFormatException}: bad input, not an
 * allocator bug.
 */
public final class Replayer {

    /** The most operations the timed pass packs into arrays (13 bytes each): 16 M, about 200 MiB. */
    public static final int MAX_PACKED_OPS = 1 << 24;

    private final ReplayOptions options;

    public Replayer(ReplayOptions options) {
        this.options = options;
    }

    /**
     * Replays {@code trace} on allocators from {@code allocators}, one for the checked pass and one per timed
     * run; each is closed after its pass.
     *
     * @throws TraceFormatException if the trace is malformed or inconsistent
     */
    public ReplayResult replay(TraceSource trace, String allocatorName, Supplier<Allocator> allocators) {
        Checked checked;
        try (Allocator allocator = allocators.get(); RepTraceReader reader = trace.openRep()) {
            checked = new CheckedPass(trace.name(), allocator, reader, options.checkEveryOp()).run();
        }
        double opsPerSecond = 0;
        if (checked.error == null && options.timed() && checked.ops > 0) {
            opsPerSecond = checked.ops <= MAX_PACKED_OPS
                    ? new TimedPass(trace, allocators, options, checked.peakFootprint).opsPerSecond()
                    : streamingOpsPerSecond(trace, allocators, checked.ops, checked.peakFootprint);
        }
        double utilization = checked.peakFootprint == 0 ? 0 : (double) checked.peakPayload / checked.peakFootprint;
        return new ReplayResult(trace.name(), allocatorName, checked.error == null, checked.error, checked.ops,
                opsPerSecond, checked.peakPayload, checked.peakFootprint, utilization, checked.searchSteps,
                checked.peakRss, checked.minorFaults);
    }

    /** Times one run that reads the trace as it goes: for traces too long to pack. */
    private static double streamingOpsPerSecond(TraceSource trace, Supplier<Allocator> allocators, long ops,
                                                long footprint) {
        try (Allocator allocator = allocators.get(); RepTraceReader reader = trace.openRep()) {
            populate(allocator, footprint);
            long[] addresses = new long[reader.header().ids()];
            long start = System.nanoTime();
            while (reader.hasNext()) {
                TraceOp op = reader.next();
                switch (op.kind()) {
                    case ALLOC -> addresses[op.id()] = allocator.malloc(op.byteSize());
                    case REALLOC -> addresses[op.id()] = allocator.realloc(addresses[op.id()], op.byteSize());
                    case FREE -> allocator.free(addresses[op.id()]);
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
    private record Checked(String error, long ops, long peakPayload, long peakFootprint, double searchSteps,
                           long peakRss, long minorFaults) {
    }

    /** An allocator error found on a trace line. */
    private static final class Failure extends RuntimeException {
        Failure(long line, String message) {
            super("line " + line + ": " + message, null, false, false);
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
        private final RepTraceReader reader;
        private final boolean checkEveryOp;
        private final Map<Integer, Live> live = new HashMap<>();
        private final TreeMap<Long, Live> byAddress = new TreeMap<>();
        private long payload;
        private long peakPayload;
        private long ops;

        CheckedPass(String traceName, Allocator allocator, RepTraceReader reader, boolean checkEveryOp) {
            this.traceName = traceName;
            this.allocator = allocator;
            this.memory = allocator.memory();
            this.reader = reader;
            this.checkEveryOp = checkEveryOp;
        }

        Checked run() {
            long searchesBefore = allocator.stats().searches();
            long stepsBefore = allocator.stats().searchSteps();
            String error = null;
            long line = 0;
            try {
                while (reader.hasNext()) {
                    TraceOp op = reader.next();
                    line = op.line();
                    apply(op);
                    ops++;
                    if (checkEveryOp) {
                        heapCheck(line);
                    }
                }
                for (Live block : live.values()) {
                    verify(block, block.byteSize, line, "at the end of the trace");
                }
                heapCheck(line);
            } catch (Failure e) {
                error = e.getMessage();
            }
            var stats = allocator.stats();
            long searches = stats.searches() - searchesBefore;
            double steps = searches == 0 ? 0 : (double) (stats.searchSteps() - stepsBefore) / searches;
            // Over the simulated source, the page counts: what the replay made resident.
            long peakRss = memory instanceof SimulatedMemorySource paged ? paged.peakResidentBytes() : -1;
            long faults = memory instanceof SimulatedMemorySource paged ? paged.minorFaults() : -1;
            return new Checked(error, reader.header().ops(), peakPayload, memory.peakFootprintBytes(), steps,
                    peakRss, faults);
        }

        private void apply(TraceOp op) {
            switch (op.kind()) {
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
                }
            }
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
            peakPayload = Math.max(peakPayload, payload);
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
                throw new Failure(op.line(), "out of memory: " + text + " returned NULL");
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
        private static final byte ALLOC = 0;
        private static final byte REALLOC = 1;
        private static final byte FREE = 2;

        private final Supplier<Allocator> allocators;
        private final ReplayOptions options;
        private final long footprint;
        private final int ids;
        private final byte[] kinds;
        private final int[] opIds;
        private final long[] sizes;

        TimedPass(TraceSource trace, Supplier<Allocator> allocators, ReplayOptions options, long footprint) {
            this.allocators = allocators;
            this.options = options;
            this.footprint = footprint;
            try (RepTraceReader reader = trace.openRep()) {
                int n = Math.toIntExact(reader.header().ops());
                this.ids = reader.header().ids();
                this.kinds = new byte[n];
                this.opIds = new int[n];
                this.sizes = new long[n];
                for (int i = 0; reader.hasNext(); i++) {
                    TraceOp op = reader.next();
                    kinds[i] = switch (op.kind()) {
                        case ALLOC -> ALLOC;
                        case REALLOC -> REALLOC;
                        case FREE -> FREE;
                    };
                    opIds[i] = op.id();
                    sizes[i] = op.byteSize();
                }
            }
        }

        double opsPerSecond() {
            long best = Long.MAX_VALUE;
            long total = 0;
            for (int run = 0; run < options.maxTimedRuns()
                    && (run < options.minTimedRuns() || total < options.minTimedNanos()); run++) {
                try (Allocator allocator = allocators.get()) {
                    populate(allocator, footprint);
                    long elapsed = runOnce(allocator, new long[ids]);
                    best = Math.min(best, elapsed);
                    total += elapsed;
                }
            }
            return kinds.length / (Math.max(best, 1) / 1e9);
        }

        private long runOnce(Allocator allocator, long[] addresses) {
            long start = System.nanoTime();
            for (int i = 0; i < kinds.length; i++) {
                int id = opIds[i];
                switch (kinds[i]) {
                    case ALLOC -> addresses[id] = allocator.malloc(sizes[i]);
                    case REALLOC -> addresses[id] = allocator.realloc(addresses[id], sizes[i]);
                    default -> allocator.free(addresses[id]);
                }
            }
            return System.nanoTime() - start;
        }
    }
}
