package io.github.alloclab.firstfit;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Generated family members (index, fit, order, coalescing, header, alignment, footers, thresholds, fixed heap,
 * checked mode) run generated command sequences, with the heap checker after every step and a model of the
 * live blocks: no block overlaps another, every block keeps its contents, the allocator counts the blocks the
 * model holds, and freeing everything leaves no live block. QuickTheories shrinks a failure to a short
 * sequence on a simple member.
 */
class FirstFitProperties {

    /** One step: {@code target} picks a live block (modulo their count). */
    record Command(int kind, int target, long size, long alignment) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "malloc(%d)".formatted(size);
                case 1 -> "realloc(#%d, %d)".formatted(target, size);
                case 2 -> "free(#%d)".formatted(target);
                default -> "memalign(%d, %d)".formatted(alignment, size);
            };
        }
    }

    static Gen<FirstFitSettings> members() {
        Gen<Integer> pick = integers().between(0, 1 << 20);
        return pick.zip(pick, pick, (a, b, c) -> {
            FreeIndex index = FreeIndex.values()[a % 3];
            Fit fit = Fit.values()[(a / 3) % 4];
            ListOrder order = ListOrder.values()[(a / 12) % 5];
            Coalescing coalescing = Coalescing.values()[(a / 60) % 4];
            if (index == FreeIndex.IMPLICIT) {
                order = ListOrder.ADDRESS;
            }
            if (index == FreeIndex.SEGREGATED && (fit == Fit.NEXT || fit == Fit.WORST)) {
                fit = Fit.BEST;
            }
            if (index != FreeIndex.EXPLICIT && coalescing == Coalescing.LIST) {
                coalescing = Coalescing.IMMEDIATE;
            }
            long header = 8L * (1 + b % 4);
            long alignment = 8L << ((b / 4) % 4);
            boolean footers = (b / 16) % 2 == 0;
            boolean checked = (b / 32) % 3 == 0;
            long mmap = new long[] {0, 2048, 100_000}[(c % 3)];
            long trim = new long[] {0, 4096, 128 * 1024}[(c / 3) % 3];
            long heapBytes = (c / 9) % 5 == 0 ? 64 * 1024 : 0;
            return new FirstFitSettings(index, fit, order, coalescing, header, alignment, footers, alignment * 64,
                    trim, mmap, heapBytes, checked, 16);
        });
    }

    static Gen<Command> commands() {
        Gen<Long> small = integers().between(0, 200).map(Integer::longValue);
        Gen<Long> medium = integers().between(0, 5000).map(Integer::longValue);
        Gen<Long> large = integers().between(1, 150_000).map(Integer::longValue);
        Gen<Long> sizes = small.mix(medium, 30).mix(large, 10);
        return integers().between(0, 99).zip(integers().between(0, 1000), sizes, integers().between(4, 13),
                (roll, target, size, shift) -> new Command(roll < 45 ? 0 : roll < 60 ? 1 : roll < 94 ? 2 : 3,
                        target, size, 1L << shift));
    }

    @Test
    void everyMemberKeepsEveryInvariantUnderEveryCommandSequence() {
        qt().withFixedSeed(0xF12E_715L)
                .withExamples(150)
                .withShrinkCycles(300)
                .forAll(members(), lists().of(commands()).ofSizeBetween(1, 80))
                .checkAssert(FirstFitProperties::run);
    }

    private static void run(FirstFitSettings settings, List<Command> commands) {
        try (FirstFitAllocator heap = new FirstFitAllocator("generated", new FlatMemorySource(
                io.github.alloclab.memory.MemorySettings.DEFAULTS.withHeapLimit(4 << 20).withMmapLimit(4 << 20)),
                settings)) {
            TreeMap<Long, long[]> live = new TreeMap<>(); // address -> size, fill
            int fill = 0;
            for (int step = 0; step < commands.size(); step++) {
                Command c = commands.get(step);
                String when = "step %d %s on %s".formatted(step, c, settings);
                long p;
                switch (c.kind()) {
                    case 0 -> p = heap.malloc(c.size());
                    case 3 -> {
                        p = heap.memalign(c.alignment(), c.size());
                        if (p % c.alignment() != 0) {
                            throw new AssertionError(when + ": misaligned 0x" + Long.toHexString(p));
                        }
                    }
                    case 1 -> {
                        if (live.isEmpty()) {
                            continue;
                        }
                        long old = pick(live, c.target());
                        long[] block = live.get(old);
                        p = heap.realloc(old, c.size());
                        if (c.size() == 0 || p != 0) {
                            live.remove(old);
                        }
                        if (p != 0) {
                            expect(heap, p, Math.min(block[0], c.size()), (byte) block[1], when);
                        }
                    }
                    default -> {
                        if (!live.isEmpty()) {
                            long old = pick(live, c.target());
                            live.remove(old);
                            heap.free(old);
                        }
                        p = 0;
                    }
                }
                if (p != 0) {
                    if (p % heap.alignment() != 0 || heap.usableSize(p) < c.size()) {
                        throw new AssertionError(when + ": misaligned or short block 0x" + Long.toHexString(p));
                    }
                    byte b = (byte) ++fill;
                    heap.memory().fill(p, c.size(), b);
                    live.put(p, new long[] {c.size(), b});
                } else if (c.kind() == 0 && settings.heapBytes() == 0) {
                    throw new AssertionError(when + ": NULL from a growing heap with memory to spare");
                }
                verify(heap, live, when);
            }
            for (long address : new ArrayList<>(live.keySet())) {
                heap.free(address);
            }
            live.clear();
            verify(heap, live, "after freeing everything on " + settings);
            if (heap.stats().mappedBytes() != 0) {
                throw new AssertionError("mappings remain after freeing everything on " + settings);
            }
        }
    }

    private static long pick(TreeMap<Long, long[]> live, int target) {
        return live.keySet().stream().skip(target % live.size()).findFirst().orElseThrow();
    }

    private static void expect(FirstFitAllocator heap, long p, long length, byte value, String when) {
        long bad = Guards.firstDifferent(heap.memory(), p, p + length, value);
        if (bad >= 0) {
            throw new AssertionError("%s: byte at 0x%x changed".formatted(when, bad));
        }
    }

    private static void verify(FirstFitAllocator heap, TreeMap<Long, long[]> live, String when) {
        List<Violation> violations = heap.check();
        if (!violations.isEmpty()) {
            throw new AssertionError("heap check " + when + ": " + violations);
        }
        long end = Long.MIN_VALUE;
        for (Map.Entry<Long, long[]> e : live.entrySet()) {
            if (e.getKey() < end) {
                throw new AssertionError("overlap " + when + " at 0x" + Long.toHexString(e.getKey()));
            }
            end = e.getKey() + Math.max(e.getValue()[0], 1);
            expect(heap, e.getKey(), e.getValue()[0], (byte) e.getValue()[1], when);
        }
        if (heap.stats().liveBlocks() != live.size()) {
            throw new AssertionError("%s: the allocator counts %d live blocks, the model %d"
                    .formatted(when, heap.stats().liveBlocks(), live.size()));
        }
    }
}
