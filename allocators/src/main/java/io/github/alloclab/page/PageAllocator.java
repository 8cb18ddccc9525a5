package io.github.alloclab.page;

import static io.github.alloclab.page.PageLayout.ALLOCATED;
import static io.github.alloclab.page.PageLayout.ENTRY;
import static io.github.alloclab.page.PageLayout.FIRST;
import static io.github.alloclab.page.PageLayout.FREE;
import static io.github.alloclab.page.PageLayout.LAST;
import static io.github.alloclab.page.PageLayout.LEFT;
import static io.github.alloclab.page.PageLayout.PRIVATE;
import static io.github.alloclab.page.PageLayout.RIGHT;
import static io.github.alloclab.page.PageLayout.RUN;
import static io.github.alloclab.page.PageLayout.TAG;
import static io.github.alloclab.page.PageLayout.isFirst;
import static io.github.alloclab.page.PageLayout.isLast;
import static io.github.alloclab.page.PageLayout.pages;
import static io.github.alloclab.page.PageLayout.state;
import static io.github.alloclab.page.PageLayout.tag;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.BuddyInfo;
import io.github.alloclab.allocator.BuddyInfoView;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.internal.RegionTable;
import io.github.alloclab.internal.ThreadConfinement;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A page allocator: runs of whole pages from mmap'd chunks, kept in an index by size then address, merged
 * with free neighbours on free. It serves large requests as an allocator in its own right, and is the page
 * layer that slab and zone allocators build on, through {@link PageRuns}.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>page</b>: {@code P} bytes, the memory source's page size (4 KiB); every size here is in pages.</li>
 *   <li><b>chunk</b>: one mapping of {@code C} pages ({@code chunkBytes}, 1 MiB by default): {@code M}
 *       metadata pages, then {@code D = C - M} data pages. A <b>huge</b> chunk is mapped to the size of one
 *       request bigger than {@code D}.</li>
 *   <li><b>run</b>: contiguous data pages of one chunk, free or allocated; its <b>entry</b> is the page map
 *       entry of its first page ({@link PageLayout}).</li>
 *   <li><b>index</b>: the free runs ordered by (pages, address) ({@link FreeRunIndex}).</li>
 * </ul>
 *
 * <h2>Chunk layout</h2>
 * <pre>
 *  chunk                                                                                      chunk + C·P
 *  | header | page map (32 B per data page) |   run: 3 pages   | run: 1 |      run: 250 pages, free     |
 *  +---------- M = 2 metadata pages ---------+----- allocated -+- alloc-+-------------------------------+
 *            entries:                          first ... last    f+l       first                   last
 * </pre>
 * Tags live on the first and last entries of each run; the entries between hold 0. Nothing is written
 * into a free page, so a free page that was never used is never touched.
 *
 * <h2>Algorithm</h2>
 * <b>allocateRun(n)</b> ({@code malloc(b)} is {@code allocateRun(ceil(b / P))}, at least one page)
 * <ol>
 *   <li>Find in the index the smallest free run of at least {@code n} pages, lowest address among equals
 *       (one root-to-leaf walk; each node looked at is a search step).</li>
 *   <li>None: map a chunk. If {@code n <= D}, map {@code C} pages; if the mmap area cannot fit them, try
 *       {@code C/2}, {@code C/4}, ... while the data pages still hold {@code n}. If {@code n > D}, map a huge
 *       chunk of just enough pages. Its data pages form one free run. If nothing can be mapped, return 0.</li>
 *   <li>Remove the run from the index. If it has more than {@code n} pages, the tail becomes a free run of
 *       its own and goes back into the index (a split). Tag the first {@code n} pages allocated.</li>
 * </ol>
 * <b>allocateRun(n, a)</b> for {@code a > P}: take a run of {@code n + a/P - 1} pages, which must hold an
 * {@code a}-aligned run of {@code n}; the pages before it and after it stay free.
 * <br><b>freeRun(r)</b>
 * <ol>
 *   <li>Find the chunk by binary search over the chunk table; check that an allocated run starts at
 *       {@code r}, else throw {@code free(): double free detected} or {@code free(): invalid pointer}
 *       before changing anything. Clear the run's private words.</li>
 *   <li>Merge: if the entry below the run's first is the last of a free run, take that run out of the index
 *       and join it; if the entry past the run's last is the first of a free run, likewise. The tags that
 *       end up inside the merged run are cleared.</li>
 *   <li>If the merged run is every data page of the chunk and the chunk is huge or
 *       {@code unmapEmptyChunks}, unmap the chunk. Otherwise tag the run free and put it in the index.</li>
 * </ol>
 * <b>realloc</b>: fewer pages split the tail off and free it; more pages take them from a free right
 * neighbour when it has enough; otherwise allocate, copy, free.
 *
 * <h2>Invariants</h2> (checked by {@link #check()})
 * <pre>
 *  P1  in each chunk, the runs found by stepping from data page 0 by each first tag's pages end exactly at D;
 *      first(run) = tag(n, FIRST, s), last(run) = tag(n, LAST, s), or one tag with both bits when n = 1;
 *      every other entry of a run is 0
 *  P2  no two free runs are adjacent                                          (merging is complete)
 *  P3  the index holds exactly the free runs, each once, in (pages, address) order, each node's priority
 *      above its children's; a free run's entry records its address
 *  P4  for each chunk:  pages in use + free pages + M = C;  and over all chunks the counters agree
 *  P5  no chunk is entirely free if it is huge or unmapEmptyChunks is set
 * </pre>
 *
 * <h2>Complexity</h2>
 * {@code allocateRun} and {@code freeRun} are O(log free runs) expected for the index, plus O(log chunks)
 * for the chunk lookup in free, plus O(n) in free to clear the run's private words. The checker is
 * O(pages mapped).
 *
 * <h2>Thread safety</h2>
 * Confined to the thread that made it: a call that changes the heap from another thread throws
 * {@link WrongThreadException} first. Share it through {@link io.github.alloclab.allocator.ConcurrentAllocator}.
 *
 * <h2>References</h2>
 * Netty {@code PoolChunk} (runs of pages, {@code runsAvail} by size with the lowest offset first, run
 * handles at the first and last page, neighbours merged on free). Linux {@code mm/page_alloc.c} and
 * {@code struct page} (metadata apart from the pages, and the per-page word an owner such as a slab
 * uses). Aragon and Seidel, "Randomized Search Trees", FOCS 1989 (the treap). Bonwick, "The Slab Allocator",
 * USENIX 1994 (the page layer under slabs).
 */
public final class PageAllocator implements Allocator, PageRuns, BuddyInfoView {

    /** Largest request considered at all; larger ones return {@code NULL} before any arithmetic can overflow. */
    private static final long MAX_REQUEST = 1L << 56;

    private final String name;
    private final MemorySource memory;
    private final PageSettings settings;
    private final ThreadConfinement confinement;
    private final long pageSize;
    private final int pageShift;
    /** C: the pages of an ordinary chunk. */
    private final long chunkPages;
    /** Chunks by address. */
    private final RegionTable chunks = new RegionTable();
    private final FreeRunIndex index;

    private long liveRuns;
    private long pagesInUse;
    private long metadataPages;
    private long hugeChunks;
    private long searches;
    /** The chunk index that {@link #checkedRun} found, so that its callers need not search again. */
    private int foundChunk;

    /**
     * Makes a page allocator over {@code memory}, which it then owns: closing the allocator closes the source.
     *
     * @throws IllegalArgumentException if a chunk would be smaller than four pages of {@code memory}
     */
    public PageAllocator(String name, MemorySource memory, PageSettings settings) {
        this.name = name;
        this.memory = memory;
        this.settings = settings;
        this.confinement = new ThreadConfinement("allocator " + name);
        this.pageSize = memory.pageSize();
        this.pageShift = Long.numberOfTrailingZeros(pageSize);
        if (settings.chunkBytes() < 4 * pageSize) {
            throw new IllegalArgumentException("chunkBytes (%d) must be at least four pages of %d bytes"
                    .formatted(settings.chunkBytes(), pageSize));
        }
        this.chunkPages = settings.chunkBytes() / pageSize;
        this.index = new FreeRunIndex(memory);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MemorySource memory() {
        return memory;
    }

    /** {@return the page size: every run, and so every payload, starts on a page} */
    @Override
    public long alignment() {
        return pageSize;
    }

    @Override
    public long pageSize() {
        return pageSize;
    }

    public PageSettings settings() {
        return settings;
    }

    private long pagesFor(long byteSize) {
        return Math.max(1, (byteSize + pageSize - 1) >>> pageShift);
    }

    // ---- page map entries -----------------------------------------------------------------------------

    private long metaPages(long chunk) {
        return memory.getLong(chunk + PageLayout.META_PAGES);
    }

    private long chunkPagesOf(long chunk) {
        return memory.getLong(chunk + PageLayout.PAGES);
    }

    private boolean isHuge(long chunk) {
        return (memory.getLong(chunk + PageLayout.FLAGS) & PageLayout.FLAG_HUGE) != 0;
    }

    private void writeTags(long e, long pages, long state) {
        if (pages == 1) {
            memory.putLong(e + TAG, tag(1, FIRST | LAST, state));
        } else {
            memory.putLong(e + TAG, tag(pages, FIRST, state));
            memory.putLong(e + (pages - 1) * ENTRY + TAG, tag(pages, LAST, state));
        }
    }

    private void writeFree(long e, long run, long pages) {
        writeTags(e, pages, FREE);
        memory.putLong(e + RUN, run);
    }

    /** Tags a fresh allocated run, with a private word of 0 on its first page (the others are 0 already). */
    private void writeAllocated(long e, long pages) {
        writeTags(e, pages, ALLOCATED);
        memory.putLong(e + PRIVATE, 0);
        memory.putLong(e + RIGHT, 0);
        memory.putLong(e + RUN, 0);
    }

    private void clearEntry(long e) {
        memory.putLong(e + TAG, 0);
        memory.putLong(e + LEFT, 0);
        memory.putLong(e + RIGHT, 0);
        memory.putLong(e + RUN, 0);
    }

    // ---- allocate -----------------------------------------------------------------------------------------

    @Override
    public long malloc(long byteSize) {
        confinement.check();
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (byteSize > MAX_REQUEST) {
            return 0;
        }
        return takeRun(pagesFor(byteSize), pageSize);
    }

    @Override
    public long allocateRun(long pages) {
        confinement.check();
        if (pages <= 0) {
            throw new IllegalArgumentException("a run needs at least one page: " + pages);
        }
        return pages > MAX_REQUEST >>> pageShift ? 0 : takeRun(pages, pageSize);
    }

    @Override
    public long allocateRun(long pages, long byteAlignment) {
        confinement.check();
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("byteAlignment must be a power of two: " + byteAlignment);
        }
        if (pages <= 0) {
            throw new IllegalArgumentException("a run needs at least one page: " + pages);
        }
        if (pages > MAX_REQUEST >>> pageShift || byteAlignment > MAX_REQUEST) {
            return 0;
        }
        return takeRun(pages, Math.max(byteAlignment, pageSize));
    }

    /** Steps 1 to 3 of allocateRun. {@return the run's address, or 0} */
    private long takeRun(long pages, long alignment) {
        long slack = (alignment >>> pageShift) - 1;
        long want = pages + slack;
        searches++;
        long e = index.ceiling(want);
        if (e == 0) {
            e = mapChunk(want);
            if (e == 0) {
                return 0;
            }
        }
        index.remove(e);
        long run = memory.getLong(e + RUN);
        long have = pages(memory.getLong(e + TAG));
        long lead = (-run & (alignment - 1)) >>> pageShift;
        if (lead > 0) {               // the pages below the aligned start stay free
            writeFree(e, run, lead);
            index.insert(e);
            e += lead * ENTRY;
            run += lead * pageSize;
            have -= lead;
        }
        if (have > pages) {           // split: the tail stays free
            long rest = e + pages * ENTRY;
            writeFree(rest, run + pages * pageSize, have - pages);
            index.insert(rest);
        }
        writeAllocated(e, pages);
        liveRuns++;
        pagesInUse += pages;
        return run;
    }

    /** Maps a chunk whose data pages hold {@code pages}; {@return the entry of its one free run, or 0} */
    private long mapChunk(long pages) {
        long c = chunkPages;
        long base;
        boolean huge = PageLayout.dataPages(c, pageSize) < pages;
        if (!huge) {
            while ((base = memory.mmap(c * pageSize)) == MemorySource.FAILED) {
                c /= 2;
                if (c < 2 || PageLayout.dataPages(c, pageSize) < pages) {
                    return 0;
                }
            }
        } else {
            c = PageLayout.chunkPagesFor(pages, pageSize);
            if (c > Long.MAX_VALUE >>> pageShift) {
                return 0;
            }
            base = memory.mmap(c * pageSize);
            if (base == MemorySource.FAILED) {
                return 0;
            }
        }
        long m = PageLayout.metadataPages(c, pageSize);
        memory.putLong(base + PageLayout.CANARY, PageLayout.scramble(base));
        memory.putLong(base + PageLayout.PAGES, c);
        memory.putLong(base + PageLayout.META_PAGES, m);
        memory.putLong(base + PageLayout.FLAGS, huge ? PageLayout.FLAG_HUGE : 0);
        chunks.insert(base, c * pageSize, 0);
        metadataPages += m;
        if (huge) {
            hugeChunks++;
        }
        long e = PageLayout.entry(base, 0);
        writeFree(e, base + m * pageSize, c - m);
        index.insert(e);
        return e;
    }

    @Override
    public long memalign(long byteAlignment, long byteSize) {
        confinement.check();
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("byteAlignment must be a power of two: " + byteAlignment);
        }
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (byteSize > MAX_REQUEST || byteAlignment > MAX_REQUEST) {
            return 0;
        }
        return takeRun(pagesFor(byteSize), Math.max(byteAlignment, pageSize));
    }

    // ---- free -----------------------------------------------------------------------------------------

    @Override
    public void free(long address) {
        confinement.check();
        if (address == 0) {
            return;
        }
        release(checkedRun(address, "free()"), foundChunk);
    }

    @Override
    public void freeRun(long address) {
        confinement.check();
        release(checkedRun(address, "freeRun()"), foundChunk);
    }

    /**
     * Validates an address handed back by a caller, before anything is changed.
     *
     * @return the entry of the allocated run that starts there; {@link #foundChunk} is its chunk
     */
    private long checkedRun(long address, String call) {
        int c = chunks.find(address);
        if (c < 0) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", address);
        }
        long base = chunks.start(c);
        long data = base + metaPages(base) * pageSize;
        if (address < data) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", address);
        }
        long e = PageLayout.entry(base, (address - data) >>> pageShift);
        long tag = memory.getLong(e + TAG);
        boolean aligned = (address & (pageSize - 1)) == 0;
        if (aligned && isFirst(tag) && state(tag) == ALLOCATED) {
            foundChunk = c;
            return e;
        }
        long holder = isFirst(tag) ? tag : containingTag(base, e);
        // glibc words all three alike; the kind tells a block's inside from no block at all.
        CorruptionKind kind = holder != 0 && state(holder) == ALLOCATED ? CorruptionKind.INTERIOR_POINTER
                : aligned && holder != 0 && state(holder) == FREE && call.equals("free()") ? CorruptionKind.DOUBLE_FREE
                : CorruptionKind.INVALID_POINTER;
        throw kind == CorruptionKind.DOUBLE_FREE
                ? new HeapCorruptionException(kind, "free(): double free detected", address)
                : new HeapCorruptionException(kind, call + ": invalid pointer", address);
    }

    /** {@return the first tag of the run that holds entry {@code e}, found by stepping down (error path only)} */
    private long containingTag(long base, long e) {
        for (long at = e; at >= PageLayout.entry(base, 0); at -= ENTRY) {
            long tag = memory.getLong(at + TAG);
            if (isFirst(tag)) {
                return at + (pages(tag) - 1) * ENTRY >= e ? tag : 0;
            }
        }
        return 0;
    }

    /** Steps 2 and 3 of freeRun, for the allocated run at entry {@code e} of chunk {@code c}. */
    private void release(long e, int c) {
        long base = chunks.start(c);
        long first0 = PageLayout.entry(base, 0);
        long dataPages = chunkPagesOf(base) - metaPages(base);
        long at = (e - first0) / ENTRY;
        long n = pages(memory.getLong(e + TAG));
        for (long i = 0; i < n; i++) {
            memory.putLong(e + i * ENTRY + PRIVATE, 0);
        }
        liveRuns--;
        pagesInUse -= n;
        long first = e;
        long merged = n;
        long last = e + (n - 1) * ENTRY;
        if (at > 0) {
            long leftTag = memory.getLong(e - ENTRY + TAG);
            if (isLast(leftTag) && state(leftTag) == FREE) {
                long leftEntry = e - pages(leftTag) * ENTRY;
                index.remove(leftEntry);
                memory.putLong(e - ENTRY + TAG, 0);
                memory.putLong(e + TAG, 0);
                first = leftEntry;
                merged += pages(leftTag);
            }
        }
        if (at + n < dataPages) {
            long right = e + n * ENTRY;
            long rightTag = memory.getLong(right + TAG);
            if (isFirst(rightTag) && state(rightTag) == FREE) {
                index.remove(right);
                memory.putLong(last + TAG, 0);
                clearEntry(right);
                merged += pages(rightTag);
            }
        }
        if (merged == dataPages && (isHuge(base) || settings.unmapEmptyChunks())) {
            unmapChunk(c);
            return;
        }
        long run = base + metaPages(base) * pageSize + ((first - first0) / ENTRY) * pageSize;
        writeFree(first, run, merged);
        index.insert(first);
    }

    private void unmapChunk(int c) {
        long base = chunks.start(c);
        long length = chunks.length(c);
        metadataPages -= metaPages(base);
        if (isHuge(base)) {
            hugeChunks--;
        }
        chunks.remove(c);
        memory.munmap(base, length);
    }

    // ---- realloc, usable size, the page API ---------------------------------------------------------------

    @Override
    public long realloc(long address, long byteSize) {
        confinement.check();
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (address == 0) {
            return malloc(byteSize);
        }
        long e = checkedRun(address, "realloc()");
        int c = foundChunk;
        if (byteSize == 0) {
            release(e, c);
            return 0;
        }
        if (byteSize > MAX_REQUEST) {
            return 0;
        }
        long need = pagesFor(byteSize);
        long have = pages(memory.getLong(e + TAG));
        if (need < have) {            // the tail becomes a run of its own, then is freed (and merged right)
            long tail = e + need * ENTRY;
            writeTags(e, need, ALLOCATED);
            writeTags(tail, have - need, ALLOCATED);
            liveRuns++;
            release(tail, c);
            return address;
        }
        if (need == have || growInPlace(e, c, have, need, address)) {
            return address;
        }
        long moved = malloc(byteSize);
        if (moved == 0) {
            return 0;
        }
        memory.copy(address, moved, Math.min(have * pageSize, byteSize));
        free(address); // looks the chunk up again: mapping a chunk for the copy may have moved the table
        return moved;
    }

    /** Takes {@code need - have} pages from a free run right after the run; {@return false if there is none} */
    private boolean growInPlace(long e, int c, long have, long need, long address) {
        long base = chunks.start(c);
        long dataPages = chunkPagesOf(base) - metaPages(base);
        long right = e + have * ENTRY;
        if ((right - PageLayout.entry(base, 0)) / ENTRY >= dataPages) {
            return false;
        }
        long rightTag = memory.getLong(right + TAG);
        if (!isFirst(rightTag) || state(rightTag) != FREE || have + pages(rightTag) < need) {
            return false;
        }
        index.remove(right);
        memory.putLong(e + (have - 1) * ENTRY + TAG, 0);
        clearEntry(right);
        long rest = have + pages(rightTag) - need;
        if (rest > 0) {
            long restEntry = e + need * ENTRY;
            writeFree(restEntry, address + need * pageSize, rest);
            index.insert(restEntry);
        }
        writeTags(e, need, ALLOCATED);
        pagesInUse += need - have;
        return true;
    }

    @Override
    public long usableSize(long address) {
        return pages(memory.getLong(checkedRun(address, "malloc_usable_size()") + TAG)) * pageSize;
    }

    @Override
    public long runPages(long address) {
        return pages(memory.getLong(checkedRun(address, "runPages()") + TAG));
    }

    /** {@return the page map entry of the data page holding {@code address}} */
    private long pageEntry(long address, String call) {
        int c = chunks.find(address);
        long base = c < 0 ? 0 : chunks.start(c);
        long data = base + (c < 0 ? 0 : metaPages(base)) * pageSize;
        if (c < 0 || address < data) {
            throw new HeapCorruptionException(call + ": not in any chunk's pages", address);
        }
        return PageLayout.entry(base, (address - data) >>> pageShift);
    }

    @Override
    public long pagePrivate(long address) {
        return memory.getLong(pageEntry(address, "pagePrivate()") + PRIVATE);
    }

    @Override
    public void setPagePrivate(long address, long value) {
        confinement.check();
        long e = pageEntry(address, "setPagePrivate()");
        long tag = memory.getLong(e + TAG);
        if (isFirst(tag) && state(tag) == FREE) {
            throw new HeapCorruptionException("setPagePrivate(): the page is in a free run", address);
        }
        memory.putLong(e + PRIVATE, value);
    }

    // ---- instruments ----------------------------------------------------------------------------------

    @Override
    public HeapStats stats() {
        return new HeapStats(liveRuns, pagesInUse * pageSize, pagesInUse * pageSize, index.runs(),
                index.pages() * pageSize, index.largest() * pageSize, memory.brk() - memory.heapStart(),
                memory.mappedBytes(), memory.peakFootprintBytes(), searches, index.steps());
    }

    /** {@return pages in use, free runs by size, chunks mapped} */
    public PageStats pageStats() {
        TreeMap<Long, Long> bySize = new TreeMap<>();
        walk(block -> {
            if (block.state() == BlockState.FREE) {
                bySize.merge(block.byteSize() / pageSize, 1L, Long::sum);
            }
        });
        return new PageStats(pageSize, liveRuns, pagesInUse, index.pages(), bySize, metadataPages, chunks.size(),
                hugeChunks);
    }

    /** {@return free runs by order: a run of {@code n} pages counts at order {@code floor(log2 n)}} */
    @Override
    public BuddyInfo buddyInfo() {
        int orders = 64 - Long.numberOfLeadingZeros(PageLayout.dataPages(chunkPages, pageSize));
        for (int k = orders; k < 64; k++) {
            if (index.runsOfOrder(k) > 0) {
                orders = k + 1;
            }
        }
        List<Long> counts = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (int k = 0; k < orders; k++) {
            counts.add(index.runsOfOrder(k));
            bytes.add(index.pagesOfOrder(k) * pageSize);
        }
        return new BuddyInfo("Normal", pageSize, counts, bytes);
    }

    @Override
    public void walk(Consumer<Block> visitor) {
        for (int c = 0; c < chunks.size(); c++) {
            long base = chunks.start(c);
            long m = metaPages(base);
            visitor.accept(new Block(base, m * pageSize, base, 0, BlockState.METADATA));
            long dataPages = chunkPagesOf(base) - m;
            long data = base + m * pageSize;
            for (long i = 0; i < dataPages; ) {
                long tag = memory.getLong(PageLayout.entry(base, i) + TAG);
                long n = pages(tag);
                if (!isFirst(tag) || n < 1 || n > dataPages - i) {
                    break; // corrupt: check() says so; the walk stops rather than wander off the chunk
                }
                long run = data + i * pageSize;
                visitor.accept(new Block(run, n * pageSize, run, n * pageSize,
                        state(tag) == ALLOCATED ? BlockState.ALLOCATED : BlockState.FREE));
                i += n;
            }
        }
    }

    @Override
    public List<Violation> check() {
        return new PageChecker(this).check();
    }

    // ---- what the checker reads -------------------------------------------------------------------------

    RegionTable chunks() {
        return chunks;
    }

    FreeRunIndex index() {
        return index;
    }

    long liveRuns() {
        return liveRuns;
    }

    long pagesInUse() {
        return pagesInUse;
    }

    long metadataPages() {
        return metadataPages;
    }

    long hugeChunks() {
        return hugeChunks;
    }

    @Override
    public void guardWith(ReentrantLock lock) {
        confinement.guardWith(lock);
        memory.guardWith(lock);
    }

    @Override
    public void close() {
        confinement.check();
        memory.close();
    }

    @Override
    public String toString() {
        return name + "@" + memory;
    }
}
