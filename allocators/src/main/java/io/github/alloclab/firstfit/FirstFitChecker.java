package io.github.alloclab.firstfit;

import static io.github.alloclab.firstfit.FirstFitLayout.WORD;
import static io.github.alloclab.firstfit.FirstFitLayout.isAllocated;
import static io.github.alloclab.firstfit.FirstFitLayout.isMmapped;
import static io.github.alloclab.firstfit.FirstFitLayout.isPrevAllocated;
import static io.github.alloclab.firstfit.FirstFitLayout.size;

import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The heap checker of the first-fit family: CS:APP's {@code mm_check} list and more. It reads the heap only
 * through the memory source, and reports every broken invariant it can reach as a {@link Violation}; it
 * stops walking only where a broken size leaves nowhere to go.
 *
 * <ol>
 *   <li>The prologue and epilogue tags are intact, and the epilogue sits right below the break: the walk
 *       lands exactly on {@code brk}.</li>
 *   <li>Every block: payload aligned; size at least the minimum, a multiple of the alignment, inside the heap;
 *       header equal to footer (free blocks always, allocated ones when they keep footers); its {@code p} bit
 *       equal to the state of the block below.</li>
 *   <li>With immediate coalescing (or malloc.py's pass over an address-ordered list): no two adjacent free
 *       blocks escaped coalescing.</li>
 *   <li>Every listed block is a free block of the heap, listed once, on the list of its size class; the links
 *       are mutual, the heads' prev links are 0, the tails are the tails, the lists hold no cycle; every free
 *       block is on a list; an address-ordered list ascends, a size-ordered one is sorted unless a split left
 *       it marked unsorted.</li>
 *   <li>The mapped blocks are mapped, listed in address order, and do not overlap the heap or each other.</li>
 *   <li>Checked mode: every red zone still holds {@code 0xcc} and every freed block its poison.</li>
 * </ol>
 */
final class FirstFitChecker {

    private final FirstFitAllocator heap;
    private final MemorySource memory;
    private final List<Violation> found = new ArrayList<>();

    FirstFitChecker(FirstFitAllocator heap) {
        this.heap = heap;
        this.memory = heap.memory();
    }

    List<Violation> check() {
        long h = heap.h;
        long epilogue = heap.epilogue;
        if (epilogue + h != memory.brk()) {
            found.add(new Violation(epilogue, "the epilogue ends at 0x%x, not at the break 0x%x"
                    .formatted(epilogue + h, memory.brk())));
        }
        long prologue = heap.firstBlock - h - WORD;
        long prologueTag = heap.tagOf(h + WORD, true, true);
        if (memory.getLong(prologue + h - WORD) != prologueTag || memory.getLong(prologue + h) != prologueTag) {
            found.add(new Violation(prologue, "the prologue's header or footer was overwritten"));
        }
        long epilogueTag = heap.tag(epilogue);
        if (size(epilogueTag) != 0 || !isAllocated(epilogueTag) || isMmapped(epilogueTag)) {
            found.add(new Violation(epilogue, "the epilogue tag 0x%x was overwritten".formatted(epilogueTag)));
        }
        Set<Long> freeBlocks = new HashSet<>();
        long b = walkBlocks(freeBlocks);
        if (b == epilogue && heap.prevBits && isPrevAllocated(epilogueTag) != lastAllocated) {
            found.add(new Violation(epilogue, "the epilogue's p bit disagrees with the block below it"));
        }
        if (heap.lists != null) {
            checkLists(freeBlocks);
        }
        checkMappings();
        return found;
    }

    private boolean lastAllocated = true;

    /** Walks the blocks; {@return where the walk stopped} */
    private long walkBlocks(Set<Long> freeBlocks) {
        long h = heap.h;
        long align = heap.align;
        long epilogue = heap.epilogue;
        boolean mustCoalesce = heap.settings().coalescing() == Coalescing.IMMEDIATE
                || (heap.settings().coalescing() == Coalescing.LIST && heap.settings().order() == ListOrder.ADDRESS);
        boolean previousFree = false;
        lastAllocated = true;
        long b = heap.firstBlock;
        while (b < epilogue) {
            long tag = heap.tag(b);
            long size = size(tag);
            if (((b + heap.offset) & (align - 1)) != 0) {
                found.add(new Violation(b, "payload 0x%x is not %d-byte aligned".formatted(b + heap.offset, align)));
            }
            if (size < heap.minBlock || size > epilogue - b || (size & (align - 1)) != 0 || isMmapped(tag)) {
                found.add(new Violation(b, "bad block size %d (tag 0x%x): the walk cannot go on".formatted(size, tag)));
                return b;
            }
            boolean allocated = isAllocated(tag);
            if ((!allocated || heap.footer != 0) && memory.getLong(b + size - WORD) != tag) {
                found.add(new Violation(b, "header 0x%x does not match footer 0x%x"
                        .formatted(tag, memory.getLong(b + size - WORD))));
            }
            if (!heap.prevBits && isPrevAllocated(tag)) {
                found.add(new Violation(b, "a p bit is set, but with allocated footers tags carry none"));
            }
            if (heap.prevBits && isPrevAllocated(tag) != lastAllocated) {
                found.add(new Violation(b, "the p bit says the block below is %s, but it is %s".formatted(
                        isPrevAllocated(tag) ? "allocated" : "free", lastAllocated ? "allocated" : "free")));
            }
            if (!allocated && previousFree && mustCoalesce) {
                found.add(new Violation(b, "two adjacent free blocks escaped coalescing"));
            }
            if (heap.checked) {
                checkGuards(b, size, allocated);
            }
            if (!allocated) {
                freeBlocks.add(b);
            }
            previousFree = !allocated;
            lastAllocated = allocated;
            b += size;
        }
        if (b != epilogue) {
            found.add(new Violation(b, "the block walk ends at 0x%x, not at the epilogue 0x%x".formatted(b, epilogue)));
        }
        return b;
    }

    private void checkGuards(long b, long size, boolean allocated) {
        long h = heap.h;
        if (!allocated) {
            long bad = Guards.firstUnpoisoned(memory, b + h + 2 * WORD, b + size - WORD);
            if (bad >= 0) {
                found.add(new Violation(bad, "freed block 0x%x was written after free: its poison changed at 0x%x"
                        .formatted(b, bad)));
            }
            return;
        }
        long p = b + heap.offset;
        long n = Guards.decodeSize(memory.getLong(b + h), p);
        long end = b + size - heap.footer;
        if (n < 0 || n > end - heap.trailer - p) {
            found.add(new Violation(b + h, "the size word of block 0x%x was overwritten".formatted(b)));
            return;
        }
        long bad = Guards.firstDifferent(memory, b + h + WORD, p, Guards.RED_ZONE);
        if (bad >= 0) {
            found.add(new Violation(bad, "memory clobbered before allocated block 0x%x".formatted(p)));
        }
        bad = Guards.firstDifferent(memory, p + n, end, Guards.RED_ZONE);
        if (bad >= 0) {
            found.add(new Violation(bad, "memory clobbered past end of allocated block 0x%x".formatted(p)));
        }
    }

    private void checkLists(Set<Long> freeBlocks) {
        FreeLists lists = heap.lists;
        ListOrder order = heap.settings().order();
        Set<Long> listed = new HashSet<>();
        for (int list = 0; list < lists.lists(); list++) {
            long prev = 0;
            long b = lists.head(list);
            if ((b != 0) != lists.isNonEmpty(list)) {
                found.add(new Violation(b, "list %d's non-empty bit disagrees with its head".formatted(list)));
            }
            for (; b != 0; b = lists.next(b)) {
                if (!freeBlocks.contains(b)) {
                    found.add(new Violation(b, "list %d points at 0x%x, which is not a free block of the heap"
                            .formatted(list, b)));
                    prev = -1;
                    break;
                }
                if (!listed.add(b)) {
                    found.add(new Violation(b, "block 0x%x is on the free lists twice, or list %d has a cycle"
                            .formatted(b, list)));
                    prev = -1;
                    break;
                }
                if (lists.prev(b) != prev) {
                    found.add(new Violation(b, "prev link 0x%x should be 0x%x".formatted(lists.prev(b), prev)));
                }
                long size = lists.size(b);
                if (lists.listOf(size) != list) {
                    found.add(new Violation(b, "a block of %d bytes is on list %d, not on list %d"
                            .formatted(size, list, lists.listOf(size))));
                }
                if (prev != 0 && outOfOrder(order, prev, b, lists)) {
                    found.add(new Violation(b, "list %d is not in %s order at 0x%x".formatted(list, order, b)));
                }
                prev = b;
            }
            if (prev != -1 && lists.tail(list) != prev) {
                found.add(new Violation(lists.tail(list), "list %d's tail is 0x%x, but its last block is 0x%x"
                        .formatted(list, lists.tail(list), prev)));
            }
        }
        for (long b : freeBlocks) {
            if (!listed.contains(b)) {
                found.add(new Violation(b, "free block is not on the free list"));
            }
        }
    }

    private static boolean outOfOrder(ListOrder order, long prev, long b, FreeLists lists) {
        return switch (order) {
            case ADDRESS -> prev >= b;
            case SIZE_ASC -> lists.isSorted() && lists.size(prev) > lists.size(b);
            case SIZE_DESC -> lists.isSorted() && lists.size(prev) < lists.size(b);
            case LIFO, FIFO -> false;
        };
    }

    private void checkMappings() {
        List<Violation> mappings = new ArrayList<>();
        heap.mapped.check(mappings);
        found.addAll(mappings);
        long heapEnd = memory.brk();
        heap.mapped.walk(chunk -> {
            if (chunk.address() < heapEnd && chunk.end() > heap.heapStart) {
                found.add(new Violation(chunk.address(), "mapped block overlaps the heap"));
            }
        });
        long[] lastEnd = {Long.MIN_VALUE};
        heap.mapped.walk(chunk -> {
            if (chunk.address() < lastEnd[0]) {
                found.add(new Violation(chunk.address(), "mapped blocks overlap"));
            }
            lastEnd[0] = chunk.end();
        });
    }
}
