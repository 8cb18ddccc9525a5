package io.github.alloclab.contract;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.buddy.BuddyAllocator;
import io.github.alloclab.buddy.BuddyLayout;
import io.github.alloclab.buddy.BuddySettings;
import io.github.alloclab.firstfit.Coalescing;
import io.github.alloclab.firstfit.FirstFitAllocator;
import io.github.alloclab.malloc.MallocAllocator;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.page.PageAllocator;
import io.github.alloclab.page.PageLayout;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.slab.SlabAllocator;
import io.github.alloclab.zone.ZoneAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;

/**
 * Generated command sequences (malloc, calloc, realloc, free, memalign), run on every registry entry and
 * checked after every step against a model: the map of live blocks to their sizes and fill bytes. The heap
 * checker must stay clean, no block may overlap another, every block must keep its contents, and freeing all
 * must leave no live block. QuickTheories shrinks a failing sequence to a short one.
 *
 * <p>Sizes include each allocator's own edges, each minus one, itself and plus one: its {@link Allocator#alignment()},
 * a page, and each size where it hands a request to another layer ({@link #thresholds}: its mmap threshold, read
 * when the command runs since {@code malloc}'s moves, buddy's largest block, a page chunk's data pages, the slab
 * and zone allocators' largest cache). {@code memalign} also asks for its own alignment minus one, itself and plus
 * one.
 *
 * <p>After everything is freed, the allocator must be back where it started ({@link #expectReclaimed}): no block
 * allocated, every block the walk reports free (or metadata), what it still holds bounded by
 * what it promises; and, after its public reclaim call if it has one ({@code trim}, {@code reap}, {@code zoneGc}),
 * its counters, its block walk and its memory source's footprint equal to those it had right after construction.
 */
@ParameterizedClass(name = "{0} over {1}")
@MethodSource("io.github.alloclab.contract.AllocatorContractTest#allocatorsAndSources")
class AllocatorProperties {

    @Parameter(0)
    String name;

    @Parameter(1)
    MemoryKind memory;

    /** Sizes named after an allocator's own boundaries, resolved against the allocator when a command runs. */
    enum Edge {
        /** The size as generated. */
        NONE,
        /** {@link Allocator#alignment()}. */
        ALIGNMENT,
        /** The memory source's page. */
        PAGE,
        /** One of {@link #thresholds}, picked by the command's target. */
        THRESHOLD,
        /** The alignment of the command itself: {@code memalign(a, a - 1)} and its neighbours. */
        MEMALIGN
    }

    /**
     * One step. {@code target} picks a live block (modulo their count); {@code size} and {@code alignment} as named;
     * unless {@code edge} is {@link Edge#NONE}, the size is that edge plus {@code delta}.
     */
    record Command(Kind kind, int target, long size, long alignment, Edge edge, int delta) {
        enum Kind { MALLOC, CALLOC, REALLOC, FREE, MEMALIGN }

        /** {@return the size this command asks of {@code heap}} */
        long size(Allocator heap) {
            return switch (edge) {
                case NONE -> size;
                case ALIGNMENT -> heap.alignment() + delta;
                case PAGE -> heap.memory().pageSize() + delta;
                case THRESHOLD -> {
                    List<Long> t = thresholds(heap);
                    yield t.get(target % t.size()) + delta;
                }
                case MEMALIGN -> alignment + delta;
            };
        }

        private String sizeText() {
            String d = delta == 0 ? "" : "%+d".formatted(delta);
            return switch (edge) {
                case NONE -> Long.toString(size);
                case ALIGNMENT -> "alignment" + d;
                case PAGE -> "page" + d;
                case THRESHOLD -> "threshold" + d;
                case MEMALIGN -> alignment + d;
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case MALLOC -> "malloc(%s)".formatted(sizeText());
                case CALLOC -> "calloc(1, %s)".formatted(sizeText());
                case REALLOC -> "realloc(#%d, %s)".formatted(target, sizeText());
                case FREE -> "free(#%d)".formatted(target);
                case MEMALIGN -> "memalign(%d, %s)".formatted(alignment, sizeText());
            };
        }
    }

    /**
     * {@return the sizes where {@code heap} hands a request to another layer} The mmap threshold of a first-fit
     * heap and of {@code malloc} (as it is now: glibc's dynamic threshold moves it), {@code malloc}'s largest bin
     * object, buddy's largest block (above it, a mapping), a page chunk's data pages (above them, a huge chunk),
     * the slab and zone allocators' largest cache object (above it, a page run), and glibc's 128 KiB for all.
     */
    static List<Long> thresholds(Allocator heap) {
        List<Long> t = new ArrayList<>();
        switch (heap) {
            case FirstFitAllocator f when f.settings().mmapThreshold() > 0 -> t.add(f.settings().mmapThreshold());
            case MallocAllocator m -> {
                t.add(m.mmapThreshold());
                t.add(m.settings().smallMax());
            }
            case BuddyAllocator b -> {
                boolean header = b.settings().metadata() == BuddySettings.Metadata.HEADER;
                // With an order map, the top order holds the map: the largest block is half an arena.
                t.add(header ? b.settings().arenaBytes() - BuddyLayout.HEADER_BYTES : b.settings().arenaBytes() / 2);
            }
            case PageAllocator p -> t.add(hugeChunkThreshold(p));
            case SlabAllocator s -> {
                t.add(SlabAllocator.MAX_KMALLOC);
                t.add(hugeChunkThreshold(s.pages()));
            }
            case ZoneAllocator z -> {
                t.add(ZoneAllocator.MAX_KALLOC);
                t.add(hugeChunkThreshold(z.pages()));
            }
            default -> { }
        }
        t.add(128 * 1024L);
        return t;
    }

    /** {@return the bytes of a chunk's data pages: a longer run gets a huge chunk of its own} */
    private static long hugeChunkThreshold(PageAllocator p) {
        long page = p.pageSize();
        return PageLayout.dataPages(p.settings().chunkBytes() / page, page) * page;
    }

    /** Sizes biased to edges: tiny, around powers of two and pages, and the mmap threshold. */
    static Gen<Long> sizes() {
        Gen<Long> small = integers().between(0, 300).map(Integer::longValue);
        Gen<Long> edges = integers().between(0, 17).zip(integers().between(-1, 1),
                (power, delta) -> Math.max(0, (1L << power) + delta));
        Gen<Long> large = integers().between(1, 300_000).map(Integer::longValue);
        Gen<Long> threshold = integers().between(-1, 1).map(delta -> 128 * 1024L + delta);
        return small.mix(edges, 40).mix(large, 15).mix(threshold, 5);
    }

    static Gen<Command> commands() {
        Gen<Command> plain = integers().between(0, 99).zip(integers().between(0, 1000), sizes(),
                integers().between(4, 13), (roll, target, size, alignShift) -> new Command(kindOf(roll), target,
                        size, 1L << alignShift, Edge.NONE, 0));
        // An edge of the allocator's own, minus one, itself or plus one; MEMALIGN's only with memalign.
        Gen<Command> edges = integers().between(0, 99).zip(integers().between(0, 1000),
                integers().between(0, 4 * 3 - 1), integers().between(4, 13),
                (roll, target, edgeAndDelta, alignShift) -> {
                    Command.Kind kind = kindOf(roll);
                    Edge edge = Edge.values()[1 + edgeAndDelta / 3];
                    if (edge == Edge.MEMALIGN && kind != Command.Kind.MEMALIGN) {
                        edge = Edge.THRESHOLD;
                    }
                    return new Command(kind, target, 0, 1L << alignShift, edge, edgeAndDelta % 3 - 1);
                });
        return plain.mix(edges, 25);
    }

    private static Command.Kind kindOf(int roll) {
        return roll < 40 ? Command.Kind.MALLOC
                : roll < 45 ? Command.Kind.CALLOC
                : roll < 60 ? Command.Kind.REALLOC
                : roll < 95 ? Command.Kind.FREE
                : Command.Kind.MEMALIGN;
    }

    @Test
    void commandSequencesKeepEveryInvariant() {
        qt().withFixedSeed(0xA110C)
                .withExamples(40)
                .withShrinkCycles(200)
                .forAll(lists().of(commands()).ofSizeBetween(1, 120))
                .checkAssert(this::run);
    }

    private void run(List<Command> commands) {
        try (Allocator heap = AllocatorRegistry.standard().create(name, memory.create(MemorySettings.DEFAULTS),
                Map.of())) {
            Snapshot initial = Snapshot.of(heap);
            Model model = new Model(heap);
            for (int step = 0; step < commands.size(); step++) {
                Command c = commands.get(step);
                model.apply(c);
                model.verify("after step " + step + " " + c);
            }
            for (long address : new ArrayList<>(model.live.keySet())) {
                heap.free(address);
                model.live.remove(address);
            }
            model.verify("after freeing everything");
            expectReclaimed(heap, initial);
            model.verify("after reclaiming");
        }
    }

    /** What can be compared of an allocator's state: its counters (not the searches), its blocks, its source. */
    record Snapshot(long liveBlocks, long allocatedBytes, long usableBytes, long freeBlocks, long freeBytes,
                    long largestFreeBlock, long heapBytes, long mappedBytes, long footprintBytes,
                    long sourceMappedBytes, List<Block> blocks) {

        static Snapshot of(Allocator heap) {
            HeapStats s = heap.stats();
            List<Block> blocks = new ArrayList<>();
            heap.walk(blocks::add);
            return new Snapshot(s.liveBlocks(), s.allocatedBytes(), s.usableBytes(), s.freeBlocks(), s.freeBytes(),
                    s.largestFreeBlock(), s.heapBytes(), s.mappedBytes(), heap.memory().footprintBytes(),
                    heap.memory().mappedBytes(), List.copyOf(blocks));
        }
    }

    /**
     * After everything is freed: nothing allocated or mapped, no block the walk reports allocated,
     * the heap at most what the allocator may keep; then, after its reclaim call, exactly its initial state.
     *
     * <ul>
     *   <li>first fit: if it coalesces at once, the heap keeps at most one free block, at the top and smaller
     *       than the trim threshold; if it defers coalescing or never coalesces, its free blocks stay as they are.
     *       {@code trim()} ({@code malloc_trim(0)}) gives back the rest.</li>
     *   <li>buddy: the lowest brk arena stays, as its settings say, entirely free: the state of a fresh heap
     *       that took one arena and freed its block. Mapped arenas go back at once.</li>
     *   <li>page: every chunk goes back at once.</li>
     *   <li>slab and zone: magazines, the thread cache and empty slabs or chunks stay until {@code reap()} or
     *       {@code zoneGc()}.</li>
     *   <li>malloc: its thread cache, magazines, one empty slab per bin, and a free top below the trim threshold
     *       (which glibc's dynamic threshold raises to twice the largest mapping freed) stay until
     *       {@code trim()}.</li>
     * </ul>
     */
    private void expectReclaimed(Allocator heap, Snapshot atFirst) {
        Snapshot initial = atFirst;
        Snapshot now = Snapshot.of(heap);
        String where = heap.name() + " after freeing everything";
        expect(now.liveBlocks() == 0 && now.allocatedBytes() == 0 && now.usableBytes() == 0,
                where + ": blocks or bytes still allocated: " + heap.stats());
        expect(now.mappedBytes() == 0 && now.sourceMappedBytes() == initial.sourceMappedBytes(),
                where + ": mappings remain: " + heap.stats());
        for (Block b : now.blocks()) {
            // Metadata moves (an epilogue follows the break) or grows (a slab's header); reclaiming must undo it.
            expect(b.state() != BlockState.ALLOCATED, where + ": the walk reports " + b);
        }
        switch (heap) {
            case FirstFitAllocator f -> {
                if (f.settings().coalescing() == Coalescing.IMMEDIATE) {
                    long top = f.topFreeBytes();
                    expect(now.freeBlocks() <= 1 && now.freeBytes() == top
                                    && now.heapBytes() == initial.heapBytes() + top
                                    && top < f.settings().trimThreshold(),
                            where + ": more than one free top block below the trim threshold ("
                                    + f.settings().trimThreshold() + "): " + heap.stats());
                }
                f.trim();
            }
            case BuddyAllocator b when b.settings().source() == BuddySettings.Source.BRK
                    && now.heapBytes() != atFirst.heapBytes() -> {
                try (Allocator one = AllocatorRegistry.standard().create(name, memory.create(MemorySettings.DEFAULTS),
                        Map.of())) {
                    one.free(one.malloc(1));
                    initial = Snapshot.of(one);
                }
            }
            case SlabAllocator s -> s.reap();
            case ZoneAllocator z -> z.zoneGc();
            case MallocAllocator m -> {
                expect(m.heap().topFreeBytes() < m.trimThreshold(), where + ": a free top of "
                        + m.heap().topFreeBytes() + " bytes, not below the trim threshold " + m.trimThreshold());
                m.trim();
            }
            default -> { }
        }
        Snapshot reclaimed = Snapshot.of(heap);
        expect(initial.equals(reclaimed), "%s and reclaimed: not back to its initial state:%n  initial %s%n  now     %s"
                .formatted(where, initial, reclaimed));
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /** Live blocks by address: size and fill byte. */
    private static final class Model {
        final Allocator heap;
        final TreeMap<Long, long[]> live = new TreeMap<>();
        int nextFill = 1;

        Model(Allocator heap) {
            this.heap = heap;
        }

        void apply(Command c) {
            long size = c.size(heap);
            switch (c.kind()) {
                case MALLOC -> add(heap.malloc(size), size, c);
                case CALLOC -> {
                    long p = heap.calloc(1, size);
                    expectBytes(p, size, (byte) 0, c);
                    add(p, size, c);
                }
                case MEMALIGN -> {
                    long p = heap.memalign(c.alignment(), size);
                    if (p % c.alignment() != 0) {
                        throw new AssertionError(c + " returned misaligned 0x" + Long.toHexString(p));
                    }
                    add(p, size, c);
                }
                case REALLOC -> {
                    if (live.isEmpty()) {
                        add(heap.realloc(0, size), size, c);
                        return;
                    }
                    long old = pick(c.target());
                    long[] block = live.remove(old);
                    long p = heap.realloc(old, size);
                    if (size == 0) {
                        if (p != 0) {
                            throw new AssertionError("realloc(p, 0) should free and return NULL");
                        }
                        return;
                    }
                    expectBytes(p, Math.min(block[0], size), (byte) block[1], c);
                    add(p, size, c);
                }
                case FREE -> {
                    if (!live.isEmpty()) {
                        long p = pick(c.target());
                        live.remove(p);
                        heap.free(p);
                    }
                }
            }
        }

        private long pick(int target) {
            return live.keySet().stream().skip(target % live.size()).findFirst().orElseThrow();
        }

        private void add(long p, long size, Command c) {
            if (p == 0) {
                throw new AssertionError(c + " returned NULL with memory to spare");
            }
            if (p % heap.alignment() != 0 || heap.usableSize(p) < size) {
                throw new AssertionError(c + " returned a misaligned or short block at 0x" + Long.toHexString(p));
            }
            byte fill = (byte) nextFill++;
            heap.memory().fill(p, size, fill);
            live.put(p, new long[] {size, fill});
        }

        /** Checks eight bytes at a time where it can; a mismatch is then found byte by byte. */
        private void expectBytes(long p, long length, byte value, Command c) {
            long word = 0x0101_0101_0101_0101L * (value & 0xFF);
            long i = 0;
            while (i + 8 <= length && heap.memory().getLong(p + i) == word) {
                i += 8;
            }
            for (; i < length; i++) {
                if (heap.memory().getByte(p + i) != value) {
                    throw new AssertionError("%s: byte %d is 0x%02x, expected 0x%02x"
                            .formatted(c, i, heap.memory().getByte(p + i), value));
                }
            }
        }

        void verify(String when) {
            List<Violation> violations = heap.check();
            if (!violations.isEmpty()) {
                throw new AssertionError("heap check " + when + ": " + violations);
            }
            long end = Long.MIN_VALUE;
            for (var e : live.entrySet()) {
                if (e.getKey() < end) {
                    throw new AssertionError("overlap " + when + " at 0x" + Long.toHexString(e.getKey()));
                }
                end = e.getKey() + Math.max(e.getValue()[0], 1);
                expectBytes(e.getKey(), e.getValue()[0], (byte) e.getValue()[1], null);
            }
            if (heap.stats().liveBlocks() != live.size()) {
                throw new AssertionError("%s: the allocator counts %d live blocks, the model %d"
                        .formatted(when, heap.stats().liveBlocks(), live.size()));
            }
        }
    }

    static Stream<String> allocators() {
        return AllocatorContractTest.allocators();
    }
}
