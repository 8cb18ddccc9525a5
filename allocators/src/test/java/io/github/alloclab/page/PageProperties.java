package io.github.alloclab.page;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Generated run allocations, frees and reallocs on small chunks (16 to 64 KiB, so that chunks come and go
 * and huge chunks are common). Before each allocation a model, read from the walk, predicts where the run
 * goes: the smallest free run that holds it, the lowest address among equals, or a new chunk when none does.
 * After every step the checker is clean and {@code pages in use + free pages + metadata pages} is every page
 * mapped.
 */
class PageProperties {

    private static final long P = 4096;
    private static final MemorySettings SMALL = MemorySettings.DEFAULTS.withHeapLimit(0).withMmapLimit(4 << 20);

    record Step(int kind, int target, long pages) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "allocateRun(%d)".formatted(pages);
                case 1 -> "freeRun(#%d)".formatted(target);
                default -> "realloc(#%d, %d pages)".formatted(target, pages);
            };
        }
    }

    static Gen<Step> steps() {
        Gen<Long> pages = integers().between(1, 6).map(Integer::longValue)
                .mix(integers().between(1, 40).map(Integer::longValue), 20);
        return integers().between(0, 9).zip(integers().between(0, 1000), pages,
                (roll, target, n) -> new Step(roll < 5 ? 0 : roll < 8 ? 1 : 2, target, n));
    }

    @Test
    void runsGoWhereBestFitSaysAndEveryStepKeepsTheInvariants() {
        qt().withFixedSeed(0x9A6E)
                .withExamples(60)
                .withShrinkCycles(200)
                .forAll(integers().between(2, 4), booleans().all(), lists().of(steps()).ofSizeBetween(1, 150))
                .checkAssert(this::run);
    }

    private void run(int chunkShift, boolean unmap, List<Step> steps) {
        var settings = new PageSettings(1L << (12 + chunkShift), unmap);
        try (var heap = new PageAllocator("page", new FlatMemorySource(SMALL), settings)) {
            TreeMap<Long, Long> live = new TreeMap<>();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                List<Long> runs = new ArrayList<>(live.keySet());
                String when = "after step %d %s with %s".formatted(i, s, settings);
                switch (s.kind()) {
                    case 0 -> {
                        long expected = bestFit(heap, s.pages());
                        long run = heap.allocateRun(s.pages());
                        if (run == 0 || (expected != 0 && run != expected)) {
                            throw new AssertionError("%s: got 0x%x, best fit is 0x%x".formatted(when, run, expected));
                        }
                        live.put(run, s.pages());
                    }
                    case 1 -> {
                        if (!runs.isEmpty()) {
                            long run = runs.get(s.target() % runs.size());
                            heap.freeRun(run);
                            live.remove(run);
                        }
                    }
                    default -> {
                        if (!runs.isEmpty()) {
                            long run = runs.get(s.target() % runs.size());
                            live.remove(run);
                            long moved = heap.realloc(run, s.pages() * P);
                            live.put(moved, s.pages());
                        }
                    }
                }
                verify(heap, live, when);
            }
        }
    }

    /** {@return where the model puts a run of {@code pages}: best fit, lowest address first; 0 for a new chunk} */
    private static long bestFit(PageAllocator heap, long pages) {
        long best = 0;
        long bestPages = Long.MAX_VALUE;
        List<Block> blocks = new ArrayList<>();
        heap.walk(blocks::add);
        for (Block b : blocks) {
            long n = b.byteSize() / P;
            if (b.state() == BlockState.FREE && n >= pages && (n < bestPages || (n == bestPages && b.address() < best))) {
                best = b.address();
                bestPages = n;
            }
        }
        return best;
    }

    private static void verify(PageAllocator heap, TreeMap<Long, Long> live, String when) {
        List<Violation> violations = heap.check();
        if (!violations.isEmpty()) {
            throw new AssertionError("heap check " + when + ": " + violations);
        }
        for (var e : live.entrySet()) {
            if (heap.runPages(e.getKey()) != e.getValue()) {
                throw new AssertionError("%s: run 0x%x has %d pages, not %d".formatted(when, e.getKey(),
                        heap.runPages(e.getKey()), e.getValue()));
            }
        }
        var stats = heap.pageStats();
        if (heap.buddyInfo().freeBytes() != stats.freePages() * P
                || heap.buddyInfo().freeBlocks().stream().mapToLong(Long::longValue).sum()
                        != stats.freeRunsBySize().values().stream().mapToLong(Long::longValue).sum()) {
            throw new AssertionError("%s: buddyinfo %s disagrees with free runs %s".formatted(when, heap.buddyInfo(),
                    stats.freeRunsBySize()));
        }
        if (stats.mappedPages() * P != heap.memory().mappedBytes() || stats.liveRuns() != live.size()) {
            throw new AssertionError("%s: %d pages in use + %d free + %d metadata, %d bytes mapped, %d runs for %d"
                    .formatted(when, stats.pagesInUse(), stats.freePages(), stats.metadataPages(),
                            heap.memory().mappedBytes(), stats.liveRuns(), live.size()));
        }
    }
}
