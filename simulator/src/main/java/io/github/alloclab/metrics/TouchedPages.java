package io.github.alloclab.metrics;

import io.github.alloclab.memory.MemorySource;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The touched-page estimate of resident memory and page faults, for memory sources that keep no page
 * accounting of their own (the flat source).
 *
 * <p>A kernel backs an anonymous page with physical memory on the first store to it (a minor fault), and
 * keeps it until the page is unmapped: {@code sbrk} shrinking past it, or {@code munmap}. The replay
 * writes every payload byte it is handed, so it calls {@link #touch} with each payload and the header word
 * just below it. The estimate is:
 * <pre>
 *  resident = pageSize * |{pages touched since they were last mapped} ∩ {pages mapped now}|
 *  faults   = number of times a page went from untouched to touched
 * </pre>
 * It misses the pages that only the allocator writes, and that the replay never touches: a footer or a
 * free-list link on a page no payload reaches. So it is a lower bound; a simulated source with page tables
 * ({@link PageAccounting}) counts exactly.
 *
 * <p>Pages of the heap live in a bit set indexed from {@code heapStart}; pages elsewhere (the mmap area) in
 * a set. Not thread-safe.
 */
public final class TouchedPages {

    private final MemorySource memory;
    private final int pageShift;
    private final long heapStart;
    private final BitSet heapPages = new BitSet();
    private final Set<Long> otherPages = new HashSet<>();
    private long faults;
    private long lastBrk;
    private long lastMapped;

    public TouchedPages(MemorySource memory) {
        this.memory = memory;
        this.pageShift = Long.numberOfTrailingZeros(memory.pageSize());
        this.heapStart = memory.heapStart();
        this.lastBrk = memory.brk();
        this.lastMapped = memory.mappedBytes();
    }

    /** Marks the pages of {@code [address, address + byteSize)} as touched; {@code byteSize} may be 0. */
    public void touch(long address, long byteSize) {
        long first = address >>> pageShift;
        long last = (address + Math.max(byteSize, 1) - 1) >>> pageShift;
        for (long page = first; page <= last; page++) {
            long offset = (page << pageShift) - heapStart;
            if (offset >= 0 && (offset >>> pageShift) < Integer.MAX_VALUE
                    && (page << pageShift) < memory.brk()) {
                int index = (int) (offset >>> pageShift);
                if (!heapPages.get(index)) {
                    heapPages.set(index);
                    faults++;
                }
            } else if (memory.isMapped(page << pageShift, 1) && otherPages.add(page)) {
                faults++;
            }
        }
    }

    /** Forgets the pages that were unmapped since the last call: call it after every operation. */
    public void afterOperation() {
        long brk = memory.brk();
        if (brk < lastBrk) {
            int firstGone = (int) ((brk - heapStart + memory.pageSize() - 1) >>> pageShift);
            heapPages.clear(firstGone, Math.max(firstGone, heapPages.length()));
        }
        lastBrk = brk;
        long mapped = memory.mappedBytes();
        if (mapped < lastMapped) {
            for (Iterator<Long> it = otherPages.iterator(); it.hasNext(); ) {
                if (!memory.isMapped(it.next() << pageShift, 1)) {
                    it.remove();
                }
            }
        }
        lastMapped = mapped;
    }

    /** {@return the estimate of resident bytes: touched pages that are still mapped} */
    public long residentBytes() {
        return ((long) heapPages.cardinality() + otherPages.size()) << pageShift;
    }

    /** {@return how many first touches there were: the estimate of minor page faults} */
    public long faults() {
        return faults;
    }
}
