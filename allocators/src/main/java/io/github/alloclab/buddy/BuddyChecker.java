package io.github.alloclab.buddy;

import static io.github.alloclab.buddy.BuddyLayout.ALLOCATED;
import static io.github.alloclab.buddy.BuddyLayout.FREE;
import static io.github.alloclab.buddy.BuddyLayout.METADATA;
import static io.github.alloclab.buddy.BuddyLayout.isHead;
import static io.github.alloclab.buddy.BuddyLayout.order;
import static io.github.alloclab.buddy.BuddyLayout.state;
import static io.github.alloclab.buddy.BuddyLayout.tag;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.internal.RegionTable;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The heap checker of {@link BuddyAllocator}: verifies invariants I1 to I7 of its class documentation. */
final class BuddyChecker {

    private final BuddyAllocator heap;
    private final MemorySource memory;
    private final int maxOrder;
    private final long arenaBytes;
    private final List<Violation> found = new ArrayList<>();
    /** Free blocks found by the arena walks: address to order. */
    private final Map<Long, Integer> freeBlocks = new HashMap<>();
    private final long[] livePerOrder;

    BuddyChecker(BuddyAllocator heap) {
        this.heap = heap;
        this.memory = heap.memory();
        this.maxOrder = heap.maxOrder();
        this.arenaBytes = heap.arenaBytes();
        this.livePerOrder = new long[maxOrder + 1];
    }

    List<Violation> check() {
        RegionTable arenas = heap.arenas();
        long brkEnd = heap.heapBase();
        for (int a = 0; a < arenas.size(); a++) {
            long base = arenas.start(a);
            if (arenas.length(a) != arenaBytes) {
                found.add(new Violation(base, "arena of %d bytes, not %d".formatted(arenas.length(a), arenaBytes)));
            }
            if (base >= heap.heapBase() && base < heap.brkTop()) {
                if (base != brkEnd) {                                                          // I7
                    found.add(new Violation(base, "brk arena does not follow the previous one at 0x%x"
                            .formatted(brkEnd)));
                }
                brkEnd = base + arenaBytes;
            }
            checkArena(a, base);
        }
        if (brkEnd != heap.brkTop() || (heap.brkTop() > heap.heapBase() && memory.brk() != heap.brkTop())) {
            found.add(new Violation(brkEnd, "brk arenas end at 0x%x, the allocator's top is 0x%x, the break 0x%x"
                    .formatted(brkEnd, heap.brkTop(), memory.brk())));
        }
        checkFreeLists();
        long[] live = heap.liveBlocks();
        for (int k = 0; k <= maxOrder; k++) {
            if (live[k] != livePerOrder[k]) {
                found.add(new Violation(0, "%d allocated blocks of order %d are counted, %d found"
                        .formatted(live[k], k, livePerOrder[k])));
            }
        }
        for (Block b : heap.large().check(found)) {                                             // I6
            if (arenas.find(b.address()) >= 0 || arenas.find(b.end() - 1) >= 0) {
                found.add(new Violation(b.address(), "large block overlaps an arena"));
            }
        }
        return found;
    }

    private void checkArena(int a, long base) {
        long allocated = 0;
        long off = 0;
        while (off < arenaBytes) {
            long b = base + off;
            int tag = heap.tagOf(b, base);
            if (!isHead(tag)) {
                found.add(new Violation(b, "no block starts at offset 0x%x of the arena: the walk cannot go on"
                        .formatted(off)));
                return;
            }
            int k = order(tag);
            long size = heap.blockSize(k);
            if ((off & (size - 1)) != 0 || size > arenaBytes - off) {                            // I1
                found.add(new Violation(b, "block of order %d at offset 0x%x is not aligned to its size or"
                        .formatted(k, off) + " runs past the arena: the walk cannot go on"));
                return;
            }
            switch (state(tag)) {
                case FREE -> {
                    freeBlocks.put(b, k);
                    long buddyOff = off ^ size;
                    if (k < maxOrder && buddyOff > off && heap.tagOf(base + buddyOff, base) == tag(FREE, k)) {
                        found.add(new Violation(b, "free buddies of order %d at 0x%x and 0x%x escaped merging"  // I3
                                .formatted(k, b, base + buddyOff)));
                    }
                }
                case ALLOCATED -> {
                    allocated += size;
                    livePerOrder[k]++;
                    if (heap.orderMap() && k == maxOrder) {
                        found.add(new Violation(b, "an allocated block covers the order map"));
                    }
                }
                case METADATA -> {
                    if (!heap.orderMap() || off != 0 || k != heap.mapOrder()) {
                        found.add(new Violation(b, "metadata block where the order map is not"));
                    }
                }
                default -> found.add(new Violation(b, "tag 0x%x has no valid state".formatted(tag)));
            }
            if (heap.orderMap()) {
                long first = base + (off >>> heap.minShift()) + 1;
                long end = base + ((off + size) >>> heap.minShift());
                long stray = firstNonZero(first, end);
                if (stray != 0) {                                                                // I2
                    found.add(new Violation(b, "order map byte 0x%x inside the block of order %d at 0x%x is %d, not 0"
                            .formatted(stray, k, b, memory.getByte(stray) & 0xFF)));
                }
            }
            off += size;
        }
        if (heap.orderMap() && state(heap.tagOf(base, base)) != METADATA) {
            found.add(new Violation(base, "the order map's own block is not marked as metadata"));
        }
        if (heap.arenas().word(a) != allocated) {                                                 // I5
            found.add(new Violation(base, "arena counts %d bytes in use, its blocks add up to %d"
                    .formatted(heap.arenas().word(a), allocated)));
        }
    }

    /** {@return the address of the first non-zero byte in {@code [from, to)}, or 0} */
    private long firstNonZero(long from, long to) {
        long at = from;
        while (at < to && (at & 7) != 0) {
            if (memory.getByte(at) != 0) {
                return at;
            }
            at++;
        }
        for (; at + 8 <= to; at += 8) {
            if (memory.getLong(at) != 0) {
                break;
            }
        }
        for (; at < to; at++) {
            if (memory.getByte(at) != 0) {
                return at;
            }
        }
        return 0;
    }

    private void checkFreeLists() {
        BuddyFreeLists lists = heap.freeLists();
        Set<Long> listed = new HashSet<>();
        for (int k = 0; k <= maxOrder; k++) {
            long n = 0;
            long prev = 0;
            for (long b = lists.head(k); b != 0; b = lists.nextOf(b)) {                          // I4
                Integer order = freeBlocks.get(b);
                if (order == null || order != k) {
                    found.add(new Violation(b, "free list %d holds 0x%x, which is not a free block of order %d"
                            .formatted(k, b, k)));
                    break;
                }
                if (!listed.add(b)) {
                    found.add(new Violation(b, "free list %d has a cycle".formatted(k)));
                    break;
                }
                if (lists.prevOf(b) != prev) {
                    found.add(new Violation(b, "prev link 0x%x should be 0x%x".formatted(lists.prevOf(b), prev)));
                }
                prev = b;
                n++;
            }
            if (n != lists.count(k) || (n > 0) != lists.isNonEmpty(k)) {
                found.add(new Violation(lists.head(k), "free list %d counts %d blocks, holds %d"
                        .formatted(k, lists.count(k), n)));
            }
        }
        for (long b : freeBlocks.keySet()) {
            if (!listed.contains(b)) {
                found.add(new Violation(b, "free block of order %d is not on its free list".formatted(freeBlocks.get(b))));
            }
        }
    }
}
