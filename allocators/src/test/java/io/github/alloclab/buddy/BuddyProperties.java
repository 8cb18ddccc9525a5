package io.github.alloclab.buddy;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Generated malloc/free/realloc sequences on buddy heaps with small arenas (4 to 16 KiB, so that arenas are
 * added, released and bypassed all the time), under every combination of metadata and source. After every
 * step: the checker is clean, each live block is the smallest power of two that holds its request, and
 * {@code sum over orders of free blocks x block size + allocated + order maps = arenas x arena size}.
 */
class BuddyProperties {

    private static final MemorySettings SMALL = MemorySettings.DEFAULTS.withHeapLimit(1 << 20).withMmapLimit(2 << 20);

    record Step(int kind, int target, long size) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "malloc(%d)".formatted(size);
                case 1 -> "free(#%d)".formatted(target);
                default -> "realloc(#%d, %d)".formatted(target, size);
            };
        }
    }

    static Gen<BuddySettings> settings() {
        return integers().between(0, 2).zip(booleans().all(), booleans().all(), booleans().all(),
                (arenaShift, header, mmap, release) -> header
                        ? new BuddySettings(32, 7 + arenaShift, mmap ? BuddySettings.Source.MMAP : BuddySettings.Source.BRK,
                                BuddySettings.Metadata.HEADER, release)
                        : new BuddySettings(16, 8 + arenaShift, mmap ? BuddySettings.Source.MMAP : BuddySettings.Source.BRK,
                                BuddySettings.Metadata.ORDER_MAP, release));
    }

    static Gen<Step> steps() {
        Gen<Long> sizes = integers().between(0, 600).map(Integer::longValue)
                .mix(integers().between(0, 20_000).map(Integer::longValue), 25);
        return integers().between(0, 9).zip(integers().between(0, 1000), sizes,
                (roll, target, size) -> new Step(roll < 5 ? 0 : roll < 8 ? 1 : 2, target, size));
    }

    @Test
    void everyStepKeepsTheBuddyEquations() {
        qt().withFixedSeed(0xB0DD7)
                .withExamples(40)
                .withShrinkCycles(200)
                .forAll(settings(), lists().of(steps()).ofSizeBetween(1, 150))
                .checkAssert(this::run);
    }

    private void run(BuddySettings settings, List<Step> steps) {
        try (var heap = new BuddyAllocator("buddy", new FlatMemorySource(SMALL), settings)) {
            TreeMap<Long, Long> live = new TreeMap<>();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                List<Long> addresses = new ArrayList<>(live.keySet());
                switch (s.kind()) {
                    case 0 -> live.put(nonNull(heap.malloc(s.size()), s), s.size());
                    case 1 -> {
                        if (!addresses.isEmpty()) {
                            long p = addresses.get(s.target() % addresses.size());
                            heap.free(p);
                            live.remove(p);
                        }
                    }
                    default -> {
                        if (!addresses.isEmpty()) {
                            long p = addresses.get(s.target() % addresses.size());
                            live.remove(p);
                            long q = heap.realloc(p, s.size());
                            if (s.size() > 0) {
                                live.put(nonNull(q, s), s.size());
                            }
                        }
                    }
                }
                verify(heap, live, "after step %d %s of %s".formatted(i, s, settings));
            }
        }
    }

    private static long nonNull(long p, Step s) {
        if (p == 0) {
            throw new AssertionError(s + " returned NULL with memory to spare");
        }
        return p;
    }

    private static void verify(BuddyAllocator heap, TreeMap<Long, Long> live, String when) {
        List<Violation> violations = heap.check();
        if (!violations.isEmpty()) {
            throw new AssertionError("heap check " + when + ": " + violations);
        }
        long header = heap.settings().metadata() == BuddySettings.Metadata.HEADER ? 16 : 0;
        long largest = heap.blockSize(heap.settings().maxOrder() - (header == 0 ? 1 : 0));
        for (var e : live.entrySet()) {
            long need = e.getValue() + header;
            if (need > largest) {
                continue; // a large block
            }
            long block = heap.blockSize(BuddyLayout.orderFor(need, Long.numberOfTrailingZeros(heap.settings().minBlock())));
            if (heap.usableSize(e.getKey()) != block - header || Long.bitCount(block) != 1 || block / 2 >= Math.max(need, heap.settings().minBlock())) {
                throw new AssertionError("%s: a request of %d got %d usable bytes".formatted(when, e.getValue(),
                        heap.usableSize(e.getKey())));
            }
        }
        HeapStats stats = heap.stats();
        BuddyStats buddy = heap.buddyStats();
        long sum = heap.buddyInfo().freeBytes() + (stats.allocatedBytes() - buddy.largeBytes()) + buddy.metadataBytes();
        if (sum != buddy.arenas() * buddy.arenaBytes()) {
            throw new AssertionError("%s: free %d + allocated %d + maps %d != %d arenas of %d".formatted(when,
                    heap.buddyInfo().freeBytes(), stats.allocatedBytes() - buddy.largeBytes(), buddy.metadataBytes(),
                    buddy.arenas(), buddy.arenaBytes()));
        }
        if (stats.liveBlocks() != live.size()) {
            throw new AssertionError("%s: %d live blocks counted, %d expected".formatted(when, stats.liveBlocks(), live.size()));
        }
    }
}
