package io.github.alloclab.page;

import static io.github.alloclab.page.PageLayout.ALLOCATED;
import static io.github.alloclab.page.PageLayout.ENTRY;
import static io.github.alloclab.page.PageLayout.FIRST;
import static io.github.alloclab.page.PageLayout.FREE;
import static io.github.alloclab.page.PageLayout.LAST;
import static io.github.alloclab.page.PageLayout.LEFT;
import static io.github.alloclab.page.PageLayout.RIGHT;
import static io.github.alloclab.page.PageLayout.RUN;
import static io.github.alloclab.page.PageLayout.TAG;
import static io.github.alloclab.page.PageLayout.pages;
import static io.github.alloclab.page.PageLayout.state;
import static io.github.alloclab.page.PageLayout.tag;

import io.github.alloclab.allocator.Violation;
import io.github.alloclab.internal.RegionTable;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The heap checker of {@link PageAllocator}: verifies invariants P1 to P5 of its class documentation. */
final class PageChecker {

    private final PageAllocator heap;
    private final MemorySource memory;
    private final long pageSize;
    private final List<Violation> found = new ArrayList<>();
    /** Free runs found by the chunk walks: entry to pages. */
    private final Map<Long, Long> freeRuns = new HashMap<>();
    private long pagesInUse;
    private long liveRuns;
    private long metadataPages;
    private long hugeChunks;

    PageChecker(PageAllocator heap) {
        this.heap = heap;
        this.memory = heap.memory();
        this.pageSize = heap.pageSize();
    }

    List<Violation> check() {
        RegionTable chunks = heap.chunks();
        for (int c = 0; c < chunks.size(); c++) {
            checkChunk(chunks.start(c), chunks.length(c));
        }
        if (pagesInUse != heap.pagesInUse() || liveRuns != heap.liveRuns()) {                      // P4
            found.add(new Violation(0, "counted %d runs of %d pages in use, found %d runs of %d pages"
                    .formatted(heap.liveRuns(), heap.pagesInUse(), liveRuns, pagesInUse)));
        }
        if (metadataPages != heap.metadataPages() || hugeChunks != heap.hugeChunks()) {
            found.add(new Violation(0, "counted %d metadata pages and %d huge chunks, found %d and %d"
                    .formatted(heap.metadataPages(), heap.hugeChunks(), metadataPages, hugeChunks)));
        }
        checkIndex();
        return found;
    }

    private void checkChunk(long base, long length) {
        if (memory.getLong(base + PageLayout.CANARY) != PageLayout.scramble(base)) {
            found.add(new Violation(base, "chunk header canary was overwritten"));
            return;
        }
        long c = memory.getLong(base + PageLayout.PAGES);
        long m = memory.getLong(base + PageLayout.META_PAGES);
        boolean huge = (memory.getLong(base + PageLayout.FLAGS) & PageLayout.FLAG_HUGE) != 0;
        if (c * pageSize != length || m != PageLayout.metadataPages(c, pageSize)) {
            found.add(new Violation(base, "chunk header says %d pages (%d metadata), the chunk has %d bytes"
                    .formatted(c, m, length)));
            return;
        }
        metadataPages += m;
        if (huge) {
            hugeChunks++;
        }
        long dataPages = c - m;
        long data = base + m * pageSize;
        boolean previousFree = false;
        long i = 0;
        while (i < dataPages) {
            long e = PageLayout.entry(base, i);
            long tag = memory.getLong(e + TAG);
            long n = pages(tag);
            long s = state(tag);
            if (!PageLayout.isFirst(tag) || n < 1 || n > dataPages - i || (s != FREE && s != ALLOCATED)) {  // P1
                found.add(new Violation(data + i * pageSize, "no run starts at data page %d (tag 0x%x): the walk"
                        .formatted(i, tag) + " cannot go on"));
                return;
            }
            long expectLast = n == 1 ? tag(1, FIRST | LAST, s) : tag(n, LAST, s);
            long lastEntry = e + (n - 1) * ENTRY;
            if (n == 1 ? tag != expectLast : memory.getLong(lastEntry + TAG) != expectLast) {
                found.add(new Violation(data + i * pageSize, "run of %d pages has last tag 0x%x, not 0x%x"
                        .formatted(n, memory.getLong(lastEntry + TAG), expectLast)));
            }
            for (long j = 1; j < n - 1; j++) {
                long inner = e + j * ENTRY;
                if (memory.getLong(inner + TAG) != 0 || memory.getLong(inner + RIGHT) != 0
                        || memory.getLong(inner + RUN) != 0 || (s == FREE && memory.getLong(inner + LEFT) != 0)) {
                    found.add(new Violation(data + (i + j) * pageSize, "entry inside a run of %d pages is not clear"
                            .formatted(n)));
                    break;
                }
            }
            long run = data + i * pageSize;
            if (s == FREE) {
                if (previousFree) {                                                                   // P2
                    found.add(new Violation(run, "two adjacent free runs escaped merging"));
                }
                if (memory.getLong(e + RUN) != run) {
                    found.add(new Violation(run, "free run records its address as 0x%x".formatted(memory.getLong(e + RUN))));
                }
                if (n == dataPages && (huge || heap.settings().unmapEmptyChunks())) {                  // P5
                    found.add(new Violation(base, "chunk is empty but still mapped"));
                }
                freeRuns.put(e, n);
            } else {
                pagesInUse += n;
                liveRuns++;
            }
            previousFree = s == FREE;
            i += n;
        }
    }

    private void checkIndex() {
        FreeRunIndex index = heap.index();
        visit(index, index.root(), new HashSet<>());
        if (indexed != freeRuns.size() || indexed != index.runs() || indexedPages != index.pages()) {
            found.add(new Violation(index.root(), "the index holds %d runs of %d pages, counts %d of %d, the chunks have %d"
                    .formatted(indexed, indexedPages, index.runs(), index.pages(), freeRuns.size())));
        }
    }

    private long indexed;
    private long indexedPages;
    private long previousPages;
    private long previousEntry;

    /** In-order walk that follows a link only to a known free run's entry, so corrupt links cannot lead astray. */
    private void visit(FreeRunIndex index, long node, Set<Long> seen) {
        if (node == 0) {
            return;
        }
        Long n = freeRuns.get(node);
        if (n == null) {
            found.add(new Violation(node, "the index holds entry 0x%x, which is no free run's".formatted(node)));
            return;
        }
        if (!seen.add(node)) {
            found.add(new Violation(node, "the index has a cycle through 0x%x".formatted(node)));
            return;
        }
        long left = index.leftOf(node);
        long right = index.rightOf(node);
        for (long child : new long[] {left, right}) {
            if (child != 0 && FreeRunIndex.priority(child) > FreeRunIndex.priority(node)) {
                found.add(new Violation(node, "index node 0x%x has a child of higher priority".formatted(node)));
            }
        }
        visit(index, left, seen);
        if (indexed > 0 && (n < previousPages || (n == previousPages && node <= previousEntry))) {        // P3
            found.add(new Violation(node, "the index is out of (pages, address) order at 0x%x".formatted(node)));
        }
        previousPages = n;
        previousEntry = node;
        indexed++;
        indexedPages += n;
        visit(index, right, seen);
    }
}
