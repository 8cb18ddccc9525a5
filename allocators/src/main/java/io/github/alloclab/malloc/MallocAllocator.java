package io.github.alloclab.malloc;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.SlabInfo;
import io.github.alloclab.allocator.SlabInfoView;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.firstfit.Fit;
import io.github.alloclab.firstfit.FirstFitAllocator;
import io.github.alloclab.firstfit.FirstFitSettings;
import io.github.alloclab.firstfit.FreeIndex;
import io.github.alloclab.firstfit.ListOrder;
import io.github.alloclab.internal.ThreadCache;
import io.github.alloclab.internal.ThreadConfinement;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.slab.Magazines;
import io.github.alloclab.slab.SlabCache;
import io.github.alloclab.slab.SlabSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The composite {@code malloc}: a request goes, by its size, to one of three allocators that each suit their
 * sizes, all in one process heap.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>n</b>: the request; <b>class</b>: {@link MallocSizeClasses}, 16-byte steps to 512 then four per
 *       doubling.</li>
 *   <li><b>bin</b>: a {@link SlabCache} for one class up to {@code smallMax}: objects without headers in slabs.</li>
 *   <li><b>heap</b>: a segregated best-fit {@link FirstFitAllocator} on the break, with 8-byte headers, footers
 *       only in free blocks, free lists per class in address order.</li>
 *   <li><b>slab</b>: a heap block of exactly one page, whose 4088-byte payload starts on a page boundary; its
 *       header sits in the last 8 bytes of the page before. A bin's object is then found from its address
 *       alone: {@code s = p AND -4096} is its slab, whose first word is {@code s XOR key}.</li>
 *   <li><b>T</b>: the mmap threshold, 128 KiB at first.</li>
 *   <li><b>tcache</b>: a {@link ThreadCache} in front of the bins' magazines, for the first thread that uses a
 *       bin: per bin up to {@code tcacheCount} freed objects (7) and the one freed last. Every free bin object,
 *       wherever it waits (thread cache, magazine or slab), carries the magazine key in its second word.</li>
 * </ul>
 *
 * <h2>Heap layout</h2>
 * <pre>
 *  heapStart                                                                                          brk
 *  | prologue | medium block | slab (kmalloc-like bin) | free | slab | medium block |  ...  | free top |
 *                               ^ page boundary: slab header, objects ...       (mappings for n &gt;= T elsewhere)
 * </pre>
 * Slabs are heap blocks like any other, so a slab given back becomes free heap space for medium requests, and
 * the gaps that aligning a slab leaves serve medium requests too; the heap grows and is trimmed at its top.
 *
 * <h2>Algorithm</h2>
 * <b>malloc(n)</b>
 * <ol>
 *   <li>{@code n <= smallMax}: one table load picks the bin of {@code n}'s class. The thread cache's owner pops
 *       its cached object of that bin if it has one; otherwise pop an object of the bin (its magazines first).
 *       A bin that needs a slab takes a page-aligned block of the heap ({@code memalign}). If none can be had,
 *       the heap serves the request itself.</li>
 *   <li>{@code n < T}: a block of the heap, the smallest that fits, from the free list of {@code n}'s class up;
 *       if the heap cannot grow, a mapping.</li>
 *   <li>{@code n >= T}: a mapping of its own; if the area is full, the heap.</li>
 * </ol>
 * <b>free(p)</b>
 * <ol>
 *   <li>{@code p} below the break: if the word at {@code s = p AND -4096} is {@code s XOR key}, {@code p} is a bin
 *       object. The thread cache's owner caches it if it is on an object boundary and its second word is not
 *       the key (no bitmap read); a key there means it may be free already: if the thread cache holds it, that
 *       is {@code free(): double free detected in tcache 2}. Else its bin checks and frees it. Otherwise the heap checks and frees it (and coalesces, and trims a
 *       free top of at least the trim threshold).</li>
 *   <li>Otherwise {@code p} must be a mapping's payload: unmap it. Dynamic threshold: if the mapping was larger
 *       than {@code T} (and at most {@code mmapThresholdMax}), {@code T} becomes its size and the trim threshold
 *       {@code 2T}, so that a program that frees large blocks again and again gets them from the heap.</li>
 * </ol>
 * <b>realloc</b>: a bin object keeps its place while its class holds the new size; a heap block grows or
 * shrinks in place when it can; a mapping keeps its place within its pages; otherwise allocate, copy, free.
 *
 * <h2>Invariants</h2> (checked by {@link #check()})
 * <pre>
 *  M1  the heap's invariants I1 to I8 (FirstFitAllocator), with slabs as allocated blocks
 *  M2  every bin keeps C1 to C4 (SlabCache); every slab is a heap block of a page (or a page and a tail too
 *      small to split off), its payload page-aligned
 *  M3  the heap blocks whose payload starts with a slab magic = the slabs of all bins
 *  M4  the mappings form a list whose lengths add up to what is counted
 *  M5  the thread cache keeps T1 to T4 (ThreadCache), and each cached object is an allocated object of its bin
 * </pre>
 *
 * <h2>Complexity</h2>
 * A bin object costs O(1) to allocate and free; a heap block O(blocks in a class or two); a mapping O(mappings)
 * to keep its list in order, plus the system calls.
 *
 * <h2>Thread safety</h2>
 * With magazines ({@code magazineRounds > 0}) over a memory source that is not confined (the flat one), any
 * thread may call it: the thread cache serves the first thread that uses a bin, each other thread has its own
 * magazines, and everything else runs under one lock, the heap's calls included. A double free of an object in
 * the owner's thread cache is found by the owner only. Otherwise (no magazines, or the simulated source) it is
 * confined to the thread that made it: a call that changes the heap from another thread throws
 * {@link WrongThreadException} first; share it through {@link io.github.alloclab.allocator.ConcurrentAllocator}.
 * The checker, the walk and the statistics are exact only while no other thread changes the heap.
 *
 * <h2>References</h2>
 * glibc {@code malloc/malloc.c} (fastbins up to 128 bytes, {@code M_MMAP_THRESHOLD} and its dynamic adjustment,
 * {@code M_TRIM_THRESHOLD}, {@code mallinfo2}, {@code malloc_stats}). Evans, "A Scalable Concurrent malloc(3)
 * Implementation for FreeBSD", BSDCan 2006, and jemalloc's size classes and byte ladder. Bonwick, "The Slab
 * Allocator", USENIX 1994. Bryant and O'Hallaron, <i>CS:APP</i> 3rd ed., 9.9.14 (segregated fits).
 */
public final class MallocAllocator implements Allocator, SlabInfoView {

    static final long ALIGNMENT = 16;
    /** Bytes of a slab's memory: a page less the 8-byte header of the heap block that holds it. */
    static final long SLAB_SPAN = 4096 - 8;
    static final long SLAB_ALIGN = 4096;
    private static final long MAX_REQUEST = 1L << 56;

    private final String name;
    private final MemorySource memory;
    private final MallocSettings settings;
    private final FirstFitAllocator heap;
    private final MappedBlocks mapped;
    private final long key;
    private final long heapStart;
    private final long smallMax;
    private final SlabCache[] bins;
    /** The bin of a request of {@code n <= smallMax} bytes, by {@code (n + 15) >>> 4}. */
    private final byte[] binIndex;

    /** With magazines: the lock every path but the bins' magazine fast paths holds. */
    private final ReentrantLock lock;
    /** Null when the allocator is thread-safe: with magazines, over a source any thread may use. */
    private final ThreadConfinement confinement;
    /** The thread cache in front of the bins, for {@link #tcacheOwner} only. */
    private final ThreadCache tcache;
    /**
     * The first thread to use a bin, set once; it alone uses the thread cache, other threads go straight to the
     * magazines. Not volatile, as {@code Magazines}'s first thread, and for the same reasons.
     */
    private Thread tcacheOwner;

    private long mmapThreshold;
    private long trimThreshold;

    /**
     * Makes the allocator over {@code memory}, which it then owns: closing the allocator closes the source.
     *
     * @throws IllegalArgumentException if the memory source's pages are not 4 KiB
     */
    public MallocAllocator(String name, MemorySource memory, MallocSettings settings) {
        if (memory.pageSize() != SLAB_ALIGN) {
            throw new IllegalArgumentException("malloc's slabs need 4 KiB pages, not " + memory.pageSize());
        }
        this.name = name;
        this.memory = memory;
        this.settings = settings;
        this.heapStart = memory.heapStart();
        this.mmapThreshold = settings.mmapThreshold();
        this.trimThreshold = settings.trimThreshold();
        this.heap = new FirstFitAllocator(name + ".heap", memory, FirstFitSettings.DEFAULTS
                .withIndex(FreeIndex.SEGREGATED).withFit(Fit.BEST).withOrder(ListOrder.ADDRESS)
                .withAllocatedFooters(false).withThresholds(settings.growBytes(), trimThreshold, 0));
        this.key = ThreadLocalRandom.current().nextLong() | 1;
        this.mapped = new MappedBlocks(memory, key);
        this.smallMax = settings.smallMax();
        int count = MallocSizeClasses.classOf(smallMax) + 1;
        this.bins = new SlabCache[count];
        SlabSource slabs = new HeapSlabs();
        for (int c = 0; c < count; c++) {
            long size = MallocSizeClasses.size(c);
            bins[c] = SlabCache.onSlab("malloc-" + size, c, memory, slabs, key, size, SLAB_SPAN, SLAB_ALIGN, 64,
                    settings.maxEmptySlabs());
        }
        this.binIndex = new byte[(int) (smallMax >>> 4) + 1];
        for (int i = 0; i < binIndex.length; i++) {
            binIndex[i] = (byte) MallocSizeClasses.classOf(Math.max(1, (long) i << 4));
        }
        this.lock = settings.magazineRounds() > 0 ? new ReentrantLock() : null;
        this.confinement = lock != null && !memory.isConfined() ? null : new ThreadConfinement("allocator " + name);
        if (confinement == null) {
            heap.guardWith(lock);
        }
        long magazineKey = ThreadLocalRandom.current().nextLong() | 2;
        boolean keyed = true;
        for (SlabCache bin : bins) {
            keyed &= bin.keyFreeObjects(magazineKey);
        }
        this.tcache = new ThreadCache(memory, magazineKey, count, keyed ? settings.tcacheCount() : 0,
                (bin, p) -> freeTo(bins[bin], p & -SLAB_ALIGN, p));
        if (lock != null) {
            Magazines.MagazineSource fromHeap = new Magazines.MagazineSource() {
                @Override
                public long allocate(long byteSize) {
                    return heap.malloc(byteSize);
                }

                @Override
                public void free(long address) {
                    heap.free(address);
                }
            };
            for (SlabCache bin : bins) {
                bin.enableMagazines(settings.magazineRounds(), DEPOT_MAX, fromHeap, magazineKey, lock);
            }
        }
    }

    /** The depot keeps this many full magazines per bin; more go back to the slabs. */
    static final int DEPOT_MAX = 4;

    /** Refuses a call from a thread that may not change this allocator; when it is thread-safe, none is refused. */
    private void checkThread() {
        if (confinement != null) {
            confinement.check();
        }
    }

    private void lock() {
        if (lock != null) {
            lock.lock();
        }
    }

    private void unlock() {
        if (lock != null) {
            lock.unlock();
        }
    }

    /**
     * Frees a bin object the thread cache did not take: a double free if the calling thread's cache holds it,
     * otherwise to the magazines or the slab.
     */
    private void freeToBin(SlabCache bin, int b, long slab, long p) {
        if (cached(b, p)) {
            throw new HeapCorruptionException(CorruptionKind.DOUBLE_FREE, "free(): double free detected in tcache 2", p);
        }
        freeTo(bin, slab, p);
    }

    /** {@return whether {@code p} is in bin {@code b} of the thread cache; only its owner may ask} */
    private boolean cached(int b, long p) {
        return Thread.currentThread() == tcacheOwner && tcache.marked(p) && tcache.holds(b, p);
    }

    /** Gives every object of the thread cache back to its bin; only its owner may call it. */
    private void drainThreadCache() {
        if (Thread.currentThread() == tcacheOwner) {
            for (int b = 0; b < bins.length; b++) {
                SlabCache bin = bins[b];
                tcache.drain(b, p -> freeTo(bin, p & -SLAB_ALIGN, p));
            }
        }
    }

    /** {@return an object of {@code bin}: a magazine's round without a lock, or one from the slab layer} */
    private long allocFrom(SlabCache bin) {
        Magazines m = bin.magazines();
        long p;
        return m != null && (p = m.alloc()) != 0 ? p : allocSlow(bin, m);
    }

    /** {@link #allocFrom} when the loaded magazine is empty, or there are no magazines. */
    private long allocSlow(SlabCache bin, Magazines m) {
        if (m == null) {
            return bin.alloc();
        }
        lock();
        try {
            return m.allocSlow();
        } finally {
            unlock();
        }
    }

    /** Frees {@code p} of the slab {@code slab} of {@code bin}: into a magazine without a lock, if it can. */
    private void freeTo(SlabCache bin, long slab, long p) {
        Magazines m = bin.magazines();
        if (m == null || !m.free(slab, p)) {
            freeToSlow(bin, m, slab, p);
        }
    }

    /** {@link #freeTo} when the loaded magazine cannot take {@code p}, or there are no magazines. */
    private void freeToSlow(SlabCache bin, Magazines m, long slab, long p) {
        if (m == null) {
            bin.free(slab, p);
            return;
        }
        lock();
        try {
            m.freeSlow(slab, p);
        } finally {
            unlock();
        }
    }

    /** Empties every bin's depot, and the calling thread's magazines, into the slabs. */
    private void purgeMagazines() {
        for (SlabCache bin : bins) {
            if (bin.magazines() != null) {
                bin.magazines().purge();
            }
        }
    }

    /** Slabs are page-aligned heap blocks of one page. */
    private final class HeapSlabs implements SlabSource {
        @Override
        public long allocateSlab(long byteSize, long byteAlignment) {
            return heap.memalign(byteAlignment, byteSize);
        }

        @Override
        public void freeSlab(long address) {
            heap.free(address);
        }

        @Override
        public void setOwner(long address, long byteSize, long descriptor) {
            throw new UnsupportedOperationException("malloc's bins keep their slab headers on the slab");
        }

        @Override
        public long owner(long address) {
            return 0;
        }

        @Override
        public boolean keepsOwners() {
            return false;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MemorySource memory() {
        return memory;
    }

    @Override
    public long alignment() {
        return ALIGNMENT;
    }

    public MallocSettings settings() {
        return settings;
    }

    /** {@return the mmap threshold now: requests this large or larger get a mapping} */
    public long mmapThreshold() {
        return mmapThreshold;
    }

    /**
     * Gives back all the memory it can, as glibc's {@code malloc_trim(0)}: the calling thread's cache and every
     * depot (with the calling thread's magazines) go back to the bins, every empty slab goes back to the heap
     * (below {@code maxEmptySlabs} too), and the heap gives back its free top whatever the trim threshold. Objects
     * in other threads' magazines stay where they are, and so do their slabs.
     *
     * @return the bytes the footprint shrank by
     */
    public long trim() {
        checkThread();
        lock();
        try {
            long before = memory.footprintBytes();
            drainThreadCache();
            purgeMagazines();
            for (SlabCache bin : bins) {
                bin.reap();
            }
            heap.trim();
            return before - memory.footprintBytes();
        } finally {
            unlock();
        }
    }

    /** {@return the trim threshold now} */
    public long trimThreshold() {
        return trimThreshold;
    }

    /** {@return the segregated best-fit heap that serves medium requests and holds the slabs} */
    public FirstFitAllocator heap() {
        return heap;
    }

    /** {@return the small bins, smallest class first} */
    public List<SlabCache> bins() {
        return List.of(bins);
    }

    // ---- malloc -----------------------------------------------------------------------------------------

    @Override
    public long malloc(long byteSize) {
        checkThread();
        if (Long.compareUnsigned(byteSize, smallMax) <= 0) {
            int b = binIndex[(int) ((byteSize + 15) >>> 4)];
            if (Thread.currentThread() == tcacheOwner) {
                long p = tcache.get(b);
                if (p != 0) {
                    return p;
                }
            }
            return mallocBin(b, byteSize);
        }
        return mallocLarge(byteSize);
    }

    /** Step 1 past the thread cache: the bin's magazines or slabs, or the heap. */
    private long mallocBin(int b, long byteSize) {
        claimThreadCache();
        long p = allocFrom(bins[b]);
        return p != 0 ? p : heapMalloc(byteSize);
    }

    /** Makes the calling thread the thread cache's owner if it has none. */
    private void claimThreadCache() {
        if (tcacheOwner == null) {
            lock();
            try {
                if (tcacheOwner == null) {
                    tcacheOwner = Thread.currentThread();
                }
            } finally {
                unlock();
            }
        }
    }

    /** Steps 2 and 3 of malloc. */
    private long mallocLarge(long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        lock();
        try {
            if (byteSize < mmapThreshold) {
                return heapMalloc(byteSize);
            }
            if (byteSize > MAX_REQUEST) {
                return 0;
            }
            long p = mapped.allocate(byteSize, ALIGNMENT);
            if (p != 0) {
                mapped.reused(p);
                return p;
            }
            return heap.malloc(byteSize);
        } finally {
            unlock();
        }
    }

    /** Step 2: a block of the heap, or a mapping if the heap cannot grow, or after the magazines are emptied. */
    private long heapMalloc(long byteSize) {
        lock();
        try {
            long p = heap.malloc(byteSize);
            if (p == 0 && byteSize <= MAX_REQUEST) {
                p = mapped.allocate(byteSize, ALIGNMENT);
                if (p != 0) {
                    mapped.reused(p);
                } else {
                    drainThreadCache();
                    if (lock != null) {
                        purgeMagazines();
                    }
                    p = heap.malloc(byteSize);
                }
            }
            return p;
        } finally {
            unlock();
        }
    }

    @Override
    public long memalign(long byteAlignment, long byteSize) {
        checkThread();
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("byteAlignment must be a power of two: " + byteAlignment);
        }
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (byteAlignment <= ALIGNMENT) {
            return malloc(byteSize);
        }
        if (byteSize > MAX_REQUEST || byteAlignment > MAX_REQUEST) {
            return 0;
        }
        lock();
        try {
            if (byteSize >= mmapThreshold) {
                long p = mapped.allocate(byteSize, byteAlignment);
                if (p != 0) {
                    mapped.reused(p);
                    return p;
                }
            }
            return heap.memalign(byteAlignment, byteSize);
        } finally {
            unlock();
        }
    }

    // ---- free -------------------------------------------------------------------------------------------

    @Override
    public void free(long address) {
        checkThread();
        if (Long.compareUnsigned(address - heapStart, memory.brk() - heapStart) < 0) {
            long slab = address & -SLAB_ALIGN;
            if (memory.getLong(slab) == (slab ^ key) && (address & (ALIGNMENT - 1)) == 0) {
                long bin = SlabCache.cacheWord(memory, slab);
                if (Long.compareUnsigned(bin, bins.length) < 0) {
                    SlabCache c = bins[(int) bin];
                    if (Thread.currentThread() != tcacheOwner || !c.isObject(slab, address)
                            || !tcache.put((int) bin, address)) {
                        freeToBin(c, (int) bin, slab, address);
                    }
                    return;
                }
            }
        }
        freeSlow(address);
    }

    /** Free off the bins' fast path, under the lock: the rest of step 1 (a heap block), step 2 (a mapping), or NULL. */
    private void freeSlow(long address) {
        if (address == 0) {
            return;
        }
        lock();
        try {
            if (Long.compareUnsigned(address - heapStart, memory.brk() - heapStart) < 0) {
                heap.free(address);
            } else {
                unmap(address, mapped.mappingOf(address, "free()"));
            }
        } finally {
            unlock();
        }
    }

    /** Step 2 of free, with glibc's dynamic threshold. */
    private void unmap(long p, long m) {
        long length = mapped.length(m);
        if (settings.dynamicThreshold() && length > mmapThreshold && length <= settings.mmapThresholdMax()) {
            mmapThreshold = length;
            trimThreshold = 2 * length;
            heap.setTrimThreshold(trimThreshold);
        }
        mapped.free(p, m);
    }

    /** {@return the bin whose slab holds {@code address}, or null when no slab does} */
    private SlabCache binOf(long address) {
        if (Long.compareUnsigned(address - heapStart, memory.brk() - heapStart) >= 0
                || (address & (ALIGNMENT - 1)) != 0) {
            return null;
        }
        long slab = address & -SLAB_ALIGN;
        if (memory.getLong(slab) != (slab ^ key)) {
            return null;
        }
        long bin = SlabCache.cacheWord(memory, slab);
        return bin >= 0 && bin < bins.length ? bins[(int) bin] : null;
    }

    private boolean inHeap(long address) {
        return Long.compareUnsigned(address - heapStart, memory.brk() - heapStart) < 0;
    }

    // ---- realloc, usable size -----------------------------------------------------------------------------

    @Override
    public long realloc(long address, long byteSize) {
        checkThread();
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (address == 0) {
            return malloc(byteSize);
        }
        lock();
        try {
            return reallocLocked(address, byteSize);
        } finally {
            unlock();
        }
    }

    private long reallocLocked(long address, long byteSize) {
        SlabCache bin = binOf(address);
        long usable;
        if (bin != null) {
            long slab = address & -SLAB_ALIGN;
            if (!bin.isLive(slab, address) || cached(bin.id(), address)) {
                throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, "realloc(): invalid pointer", address);
            }
            if (byteSize == 0) {
                freeTo(bin, slab, address);
                return 0;
            }
            usable = bin.usable();
            if (byteSize <= usable && byteSize > usable - 16) {
                return address; // the same class: the object holds it
            }
        } else if (inHeap(address)) {
            if (byteSize > smallMax && byteSize < mmapThreshold) {
                return heap.realloc(address, byteSize); // in place when the heap can, else it moves the block
            }
            usable = heap.usableSize(address);
            if (byteSize == 0) {
                heap.free(address);
                return 0;
            }
        } else {
            long m = mapped.mappingOf(address, "realloc()");
            usable = mapped.usable(address, m);
            if (byteSize == 0) {
                unmap(address, m);
                return 0;
            }
            if (byteSize <= usable && byteSize >= mmapThreshold / 2) {
                return address; // the pages hold it; not worth moving (glibc's mremap would not either)
            }
        }
        long moved = malloc(byteSize);
        if (moved == 0) {
            return 0;
        }
        memory.copy(address, moved, Math.min(usable, byteSize));
        free(address);
        return moved;
    }

    @Override
    public long usableSize(long address) {
        lock();
        try {
            return usableSizeLocked(address);
        } finally {
            unlock();
        }
    }

    private long usableSizeLocked(long address) {
        SlabCache bin = binOf(address);
        if (bin != null) {
            if (!bin.isLive(address & -SLAB_ALIGN, address) || cached(bin.id(), address)) {
                throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER,
                        "malloc_usable_size(): invalid pointer", address);
            }
            return bin.usable();
        }
        if (inHeap(address)) {
            return heap.usableSize(address);
        }
        return mapped.usable(address, mapped.mappingOf(address, "malloc_usable_size()"));
    }

    // ---- instruments ---------------------------------------------------------------------------------------

    /** Reports every heap block, with each slab opened up into its header, objects and leftover; then mappings. */
    @Override
    public void walk(Consumer<Block> visitor) {
        lock();
        try {
            walkLocked(visitor);
        } finally {
            unlock();
        }
    }

    /** The walk; magazines (heap blocks of the allocator's own) are metadata, and the objects in them free. */
    private void walkLocked(Consumer<Block> visitor) {
        Set<Long> inMagazines = new HashSet<>();
        Set<Long> magazines = new HashSet<>();
        for (int b = 0; b < bins.length; b++) {
            tcache.forEach(b, inMagazines::add);
        }
        for (SlabCache bin : bins) {
            if (bin.magazines() != null) {
                inMagazines.addAll(bin.magazines().magazineObjects());
                magazines.addAll(bin.magazines().magazines());
            }
        }
        heap.walk(block -> {
            if (block.state() == BlockState.ALLOCATED && magazines.contains(block.payload())) {
                visitor.accept(new Block(block.address(), block.byteSize(), block.payload(), 0, BlockState.METADATA));
                return;
            }
            SlabCache bin = block.state() == BlockState.ALLOCATED ? slabBin(block.payload()) : null;
            if (bin == null) {
                visitor.accept(block);
                return;
            }
            visitor.accept(new Block(block.address(), block.payload() - block.address(), block.payload(), 0,
                    BlockState.METADATA));
            bin.walkSlab(block.payload(), inMagazines, visitor);
            long slabEnd = block.payload() + SLAB_SPAN;
            if (block.end() > slabEnd) { // memalign kept a tail too small to split off: the heap's, unused
                visitor.accept(new Block(slabEnd, block.end() - slabEnd, slabEnd, 0, BlockState.METADATA));
            }
        });
        mapped.walk(visitor);
    }

    /** {@return the bin of the slab at heap payload {@code p}, or null if the block is no slab} */
    private SlabCache slabBin(long p) {
        if ((p & (SLAB_ALIGN - 1)) != 0 || memory.getLong(p) != (p ^ key)) {
            return null;
        }
        long bin = SlabCache.cacheWord(memory, p);
        return bin >= 0 && bin < bins.length ? bins[(int) bin] : null;
    }

    @Override
    public HeapStats stats() {
        lock();
        try {
            return statsLocked();
        } finally {
            unlock();
        }
    }

    private HeapStats statsLocked() {
        long[] c = new long[6]; // live, allocated, usable, free blocks, free bytes, largest free
        walk(block -> {
            switch (block.state()) {
                case ALLOCATED -> {
                    c[0]++;
                    c[1] += block.byteSize();
                    c[2] += block.usable();
                }
                case FREE -> {
                    c[3]++;
                    c[4] += block.byteSize();
                    c[5] = Math.max(c[5], block.byteSize());
                }
                case METADATA -> {
                }
            }
        });
        HeapStats h = heap.stats();
        return new HeapStats(c[0], c[1], c[2], c[3], c[4], c[5], memory.brk() - memory.heapStart(),
                memory.mappedBytes(), memory.peakFootprintBytes(), h.searches(), h.searchSteps(), h.maxSearchSteps());
    }

    /** {@return the byte ladder, glibc's mallinfo2 and the thresholds} */
    public MallocStats mallocStats() {
        lock();
        try {
            return mallocStatsLocked();
        } finally {
            unlock();
        }
    }

    private MallocStats mallocStatsLocked() {
        long pageSize = memory.pageSize();
        long[] c = new long[6]; // allocated, ordblks, smblks, fsmblks, free heap bytes, metadata
        Set<Long> activePages = new HashSet<>();
        Consumer<Block> count = block -> {
            switch (block.state()) {
                case ALLOCATED -> {
                    c[0] += block.usable();
                    c[5] += block.byteSize() - block.usable();
                    for (long page = block.address() / pageSize; page <= (block.end() - 1) / pageSize; page++) {
                        activePages.add(page);
                    }
                }
                case FREE -> {
                    if (block.payload() == block.address()) { // a bin's free object: no header in front
                        c[2]++;
                        c[3] += block.byteSize();
                    } else {
                        c[1]++;
                        c[4] += block.byteSize();
                    }
                }
                case METADATA -> c[5] += block.byteSize();
            }
        };
        walk(count);
        long arena = memory.brk() - memory.heapStart();
        long fordblks = c[4] + c[3];
        long mappedTotal = ((arena + pageSize - 1) & -pageSize) + memory.mappedBytes();
        return new MallocStats(c[0], activePages.size() * pageSize, mappedTotal, c[5], arena, c[1], c[2],
                mapped.count(), mapped.bytes(), 0, c[3], arena - fordblks, fordblks, heap.topFreeBytes(),
                mmapThreshold, trimThreshold, mapped.peakCount(), mapped.peakBytes());
    }

    /** {@inheritDoc} The bins, largest first, as the kernel lists its newest caches first. */
    @Override
    public List<SlabInfo> slabInfo() {
        lock();
        try {
            List<SlabInfo> lines = new ArrayList<>();
            for (SlabCache b : bins) {
                Magazines m = b.magazines();
                lines.addFirst(new SlabInfo(b.name(), b.activeObjects(), b.slabs() * b.objectsPerSlab(), b.size(),
                        b.objectsPerSlab(), 1, m == null ? 0 : m.capacity(), m == null ? 0 : m.capacity(),
                        m == null ? 0 : m.depotMax(), b.fullSlabs() + b.partialSlabs(), b.slabs(),
                        m == null ? 0 : (long) m.fullMagazines() * m.capacity()));
            }
            return lines;
        } finally {
            unlock();
        }
    }

    @Override
    public List<Violation> check() {
        lock();
        try {
            return checkLocked();
        } finally {
            unlock();
        }
    }

    private List<Violation> checkLocked() {
        List<Violation> violations = new ArrayList<>(heap.check());
        long slabs = 0;
        for (SlabCache bin : bins) {
            violations.addAll(bin.check());
            slabs += bin.slabs();
        }
        long[] blocks = {0};
        heap.walk(block -> {
            if (block.state() == BlockState.ALLOCATED && slabBin(block.payload()) != null) {
                blocks[0]++;
                // memalign splits off a tail only if it can stand as a block (32 bytes here): 4096 or 4112 bytes
                if (block.byteSize() < SLAB_ALIGN || block.byteSize() >= SLAB_ALIGN + 32 || block.usable() < SLAB_SPAN) {
                    violations.add(new Violation(block.address(), "M2: a slab's heap block is %d bytes, not a page"
                            .formatted(block.byteSize())));
                }
            }
        });
        if (blocks[0] != slabs) {
            violations.add(new Violation(heapStart, "M3: the heap holds %d slab blocks, the bins count %d slabs"
                    .formatted(blocks[0], slabs)));
        }
        violations.addAll(tcache.check());
        for (int b = 0; b < bins.length; b++) {
            SlabCache bin = bins[b];
            tcache.forEach(b, p -> {
                if (binOf(p) != bin || !bin.isAllocated(p & -SLAB_ALIGN, p)) {
                    violations.add(new Violation(p, "M5: an object in thread-cache bin %d is not an allocated object of %s"
                            .formatted(bin.id(), bin.name())));
                }
            });
        }
        violations.addAll(mapped.check());
        return violations;
    }

    @Override
    public boolean isThreadSafe() {
        return confinement == null;
    }

    @Override
    public void guardWith(ReentrantLock lock) {
        if (confinement != null) {
            confinement.guardWith(lock);
            heap.guardWith(lock);
        }
        memory.guardWith(lock);
    }

    @Override
    public void close() {
        checkThread();
        memory.close();
    }

    @Override
    public String toString() {
        return name + "@" + memory;
    }
}
