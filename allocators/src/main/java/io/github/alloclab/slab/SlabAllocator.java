package io.github.alloclab.slab;

import static io.github.alloclab.slab.SlabLayout.CACHE;
import static io.github.alloclab.slab.SlabLayout.MAGIC;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.SlabInfo;
import io.github.alloclab.allocator.SlabInfoView;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.internal.BrkMappedSource;
import io.github.alloclab.internal.ThreadConfinement;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.page.PageAllocator;
import io.github.alloclab.page.PageSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The slab allocator (Bonwick, 1994): object caches over a page allocator, and {@code kmalloc} on top of them.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>cache</b>: objects of one size ({@link SlabCache}); made by {@link #createCache}
 *       ({@code kmem_cache_create}).</li>
 *   <li><b>slab</b>: one or more pages holding a cache's objects; its <b>header</b> is on the slab or, for
 *       large objects, a descriptor in the internal cache {@code kmem_slab_cache} ({@link SlabLayout}).</li>
 *   <li><b>P</b>: the page size. The pages come from a {@link PageAllocator} whose chunks are taken from the
 *       break ({@link BrkMappedSource}), so that the empty slabs a cache keeps are heap, not mappings.</li>
 *   <li><b>key</b>: a random word of this allocator; a header at {@code h} starts with {@code h XOR key}.</li>
 * </ul>
 *
 * <h2>kmalloc size classes</h2>
 * Caches at powers of two and at 96 and 192 bytes, as Linux's {@code kmalloc_caches}; requests above 8 KiB
 * are runs of pages ({@code kmalloc_large}). There is no {@code kmalloc-8}: every address {@code malloc}
 * returns is 16-byte aligned, so 1 to 16 bytes take {@code kmalloc-16}, as on architectures whose
 * {@code ARCH_KMALLOC_MINALIGN} is 16.
 * <pre>
 *  request  1-16  17-32  33-64  65-96  97-128  129-192  193-256  257-512  513-1k  1k-2k  2k-4k  4k-8k  &gt;8k
 *  cache    16    32     64     96     128     192      256      512      1k      2k     4k     8k     pages
 *  header   on-slab, one page per slab ...................................  off-slab, slab of 2^k pages
 * </pre>
 *
 * <h2>Algorithm</h2>
 * <b>malloc(n)</b>
 * <ol>
 *   <li>{@code n <= 8192}: the cache of {@code n}, through a table indexed by {@code (n + 15) / 16}; allocate
 *       from it ({@link SlabCache}). If it cannot grow, reap every cache's empty slabs and try again; then take
 *       an object of the smallest larger kmalloc cache that has one free, so that memory freed in one cache
 *       serves another when the system has no more.</li>
 *   <li>{@code n > 8192}: a run of {@code ceil(n / P)} pages; if there is none, reap and try again.</li>
 * </ol>
 * <b>free(p)</b>
 * <ol>
 *   <li>Probe {@code p}'s page: if {@code h = p AND -P} starts with {@code h XOR key}, {@code h} is an on-slab
 *       header and its cache id picks the cache; the cache checks {@code p} and frees it. One load decides the
 *       common case.</li>
 *   <li>Otherwise ask the page allocator for the private word of {@code p}'s page, which an off-slab slab sets
 *       to its descriptor on every page ({@code page->slab_cache} in Linux): if it is a descriptor, free there.</li>
 *   <li>Otherwise {@code p} must start a run of pages, freed to the page allocator, which reports a double or
 *       invalid free in glibc's words.</li>
 * </ol>
 * Bad pointers are reported before anything changes. The probe reads {@code p}'s page only when it lies below
 * the break or inside a live mapping.
 *
 * <h2>Invariants</h2> (checked by {@link #check()})
 * <pre>
 *  S1  the page allocator's own invariants (P1 to P5 of PageAllocator)
 *  S2  every cache keeps C1 to C4 of SlabCache: each slab on exactly the list its in-use count says
 *  S3  allocated page runs = slabs of all caches + large blocks
 *  S4  every page of an off-slab slab has the slab's descriptor as its private word
 * </pre>
 *
 * <h2>Complexity</h2>
 * {@code malloc} and {@code free} of a cache object are O(1), plus O(n) when a slab is made; large blocks cost
 * what the page allocator's runs cost, O(log free runs). An off-slab free finds its descriptor in
 * O(log chunks).
 *
 * <h2>Thread safety</h2>
 * With magazines ({@code magazineRounds > 0}) over a memory source that is not confined (the flat one), any
 * thread may call it: the fast paths touch only the calling thread's magazines and the object, and everything
 * else runs under one lock, the page allocator's calls included. Otherwise (no magazines, or the simulated
 * source) it is confined to the thread that made it: a call that changes the heap from another thread throws
 * {@link WrongThreadException} first; share it through {@link io.github.alloclab.allocator.ConcurrentAllocator}.
 * The checker, the walk and the statistics are exact only while no other thread changes the heap.
 *
 * <h2>References</h2>
 * Bonwick, "The Slab Allocator: An Object-Caching Kernel Memory Allocator", USENIX Summer 1994. Bonwick and
 * Adams, "Magazines and Vmem", USENIX 2001. Linux {@code mm/slab.c} (before 6.5), {@code mm/slab_common.c}
 * ({@code kmalloc_caches}, {@code /proc/slabinfo}). Arpaci-Dusseau, <i>Operating Systems: Three Easy
 * Pieces</i>, chapter 17 (slab allocation).
 */
public final class SlabAllocator implements Allocator, SlabInfoView {

    /** Every kmalloc address is 16-byte aligned, as glibc's on x86-64. */
    static final long ALIGNMENT = 16;
    /** The largest kmalloc cache; larger requests are runs of pages. */
    public static final long MAX_KMALLOC = 8192;
    /** Mixed into an off-slab descriptor's magic, so that it never reads as an on-slab header. */
    static final long DESCRIPTOR_SALT = 0x5DE5_C0DE_0FF5_1ABL;
    /** Largest request considered at all; larger ones return {@code NULL} before any arithmetic can overflow. */
    private static final long MAX_REQUEST = 1L << 56;

    private static final long[] KMALLOC_SIZES = {16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};
    /** The kmalloc cache of a request of {@code n} bytes, by {@code (n + 15) >>> 4}. */
    private static final byte[] KMALLOC_INDEX = new byte[(int) (MAX_KMALLOC >>> 4) + 1];

    static {
        for (int i = 0, c = 0; i < KMALLOC_INDEX.length; i++) {
            long request = Math.max(1, (long) i << 4);
            while (KMALLOC_SIZES[c] < request) {
                c++;
            }
            KMALLOC_INDEX[i] = (byte) c;
        }
    }

    private final String name;
    private final MemorySource memory;
    private final SlabSettings settings;
    private final PageAllocator pages;
    private final SlabSource slabSource;
    private final long pageSize;
    private final long pageMask;
    private final long heapStart;
    private final long key;
    private SlabCache[] caches = new SlabCache[32];
    private int cacheCount;
    private final SlabCache descriptorCache;
    private final SlabCache[] kmalloc = new SlabCache[KMALLOC_SIZES.length];
    /** With magazines: the lock every path but the magazine fast paths holds, and where magazines come from. */
    private final ReentrantLock lock;
    /** Null when the allocator is thread-safe: with magazines, over a source any thread may use. */
    private final ThreadConfinement confinement;
    private final SlabCache magazineCache;
    private final long magazineKey;

    private long largeBlocks;
    private long largeBytes;

    /**
     * Makes a slab allocator over {@code memory}, which it then owns: closing the allocator closes the source.
     * The kmalloc caches are made at once; their slabs come on first use.
     */
    public SlabAllocator(String name, MemorySource memory, SlabSettings settings) {
        this.name = name;
        this.memory = memory;
        this.settings = settings;
        this.pageSize = memory.pageSize();
        this.pageMask = -pageSize;
        this.heapStart = memory.heapStart();
        this.pages = new PageAllocator(name + ".pages", new BrkMappedSource(memory),
                new PageSettings(settings.chunkBytes(), true));
        this.slabSource = SlabSource.of(pages);
        this.key = ThreadLocalRandom.current().nextLong() | 1;
        if (pageSize < 1024) {
            throw new IllegalArgumentException("pages of %d bytes are too small for slabs".formatted(pageSize));
        }
        this.descriptorCache = newCache("kmem_slab_cache", SlabLayout.DESCRIPTOR_BYTES, ALIGNMENT, null, null, true);
        int rounds = settings.magazineRounds();
        this.lock = rounds > 0 ? new ReentrantLock() : null;
        this.confinement = lock != null && !memory.isConfined() ? null : new ThreadConfinement("allocator " + name);
        if (confinement == null) {
            pages.guardWith(lock);
        }
        this.magazineKey = ThreadLocalRandom.current().nextLong() | 2;
        this.magazineCache = rounds > 0
                ? newCache("kmem_magazine_" + rounds, 8 + 8L * rounds, ALIGNMENT, null, null, true) : null;
        for (int i = 0; i < KMALLOC_SIZES.length; i++) {
            kmalloc[i] = newCache(kmallocName(KMALLOC_SIZES[i]), KMALLOC_SIZES[i], ALIGNMENT, null, null, false);
        }
    }

    /** The depot keeps this many full magazines per cache; more go back to the slabs. */
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

    private static String kmallocName(long size) {
        return size >= 1024 ? "kmalloc-" + (size >> 10) + "k" : "kmalloc-" + size;
    }

    // ---- caches: the kmem_cache interface -----------------------------------------------------------------

    /**
     * Makes an object cache ({@code kmem_cache_create}). The constructor runs on every object when its slab is
     * made, the destructor when the slab is given back; objects keep their constructed state between
     * {@link #cacheAlloc} and {@link #cacheFree}, except what the caller changed.
     *
     * @param name          the cache's name, as slabinfo shows it
     * @param objectSize    bytes per object, from 1 to {@code 2^maxSlabOrder} pages
     * @param byteAlignment alignment of every object, a power of two from 8 to a page; 0 for 8
     * @param constructor   run on each new object's address, or null
     * @param destructor    run on each object's address when its slab goes, or null
     * @throws IllegalArgumentException for a bad size, alignment or name
     */
    public SlabCache createCache(String name, long objectSize, long byteAlignment, LongConsumer constructor,
                                 LongConsumer destructor) {
        checkThread();
        if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a cache needs a name without spaces: '" + name + "'");
        }
        long align = byteAlignment == 0 ? 8 : byteAlignment;
        if (align < 8 || align > pageSize || Long.bitCount(align) != 1) {
            throw new IllegalArgumentException("byteAlignment must be 0 or a power of two from 8 to %d: %d"
                    .formatted(pageSize, byteAlignment));
        }
        if (objectSize < 1 || objectSize > pageSize << settings.maxSlabOrder()) {
            throw new IllegalArgumentException("objectSize must be from 1 to %d: %d"
                    .formatted(pageSize << settings.maxSlabOrder(), objectSize));
        }
        lock();
        try {
            for (int i = 0; i < cacheCount; i++) {
                if (caches[i] != null && caches[i].name().equals(name)) {
                    throw new IllegalArgumentException("a cache named '" + name + "' exists already");
                }
            }
            return newCache(name, objectSize, align, constructor, destructor, false);
        } finally {
            unlock();
        }
    }

    private SlabCache newCache(String cacheName, long objectSize, long align, LongConsumer constructor,
                               LongConsumer destructor, boolean internal) {
        SlabCache.Geometry g = SlabCache.Geometry.choose(objectSize, align, constructor != null, pageSize, pageSize,
                descriptorCache == null ? Long.MAX_VALUE : settings.offSlabMin(), settings.maxSlabOrder(),
                settings.colourBytes());
        if (cacheCount == caches.length) {
            caches = Arrays.copyOf(caches, cacheCount * 2);
        }
        SlabCache cache = new SlabCache(cacheName, cacheCount, memory, slabSource, key, g,
                settings.maxEmptySlabs(), constructor, destructor, g.offSlab() ? descriptorCache : null, internal);
        caches[cacheCount++] = cache;
        if (lock != null && !internal && cache.usable() >= 16) {
            cache.enableMagazines(settings.magazineRounds(), DEPOT_MAX, new Magazines.MagazineSource() {
                @Override
                public long allocate(long byteSize) {
                    return magazineCache.alloc();
                }

                @Override
                public void free(long address) {
                    magazineCache.freeObject(address);
                }
            }, magazineKey, lock);
        }
        return cache;
    }

    /** {@return an object of {@code cache}: a magazine's round without a lock, or one from the slab layer} */
    private long allocFrom(SlabCache cache) {
        Magazines m = cache.magazines();
        long p;
        return m != null && (p = m.alloc()) != 0 ? p : allocSlow(cache, m);
    }

    /** {@link #allocFrom} when the loaded magazine is empty, or there are no magazines. */
    private long allocSlow(SlabCache cache, Magazines m) {
        if (m == null) {
            return cache.alloc();
        }
        lock();
        try {
            return m.allocSlow();
        } finally {
            unlock();
        }
    }

    /** Frees {@code p} of the slab {@code slab} of {@code cache}: into a magazine without a lock, if it can. */
    private void freeTo(SlabCache cache, long slab, long p) {
        Magazines m = cache.magazines();
        if (m == null || !m.free(slab, p)) {
            freeToSlow(cache, m, slab, p);
        }
    }

    /** {@link #freeTo} when the loaded magazine cannot take {@code p}, or there are no magazines. */
    private void freeToSlow(SlabCache cache, Magazines m, long slab, long p) {
        if (m == null) {
            cache.free(slab, p);
            return;
        }
        lock();
        try {
            m.freeSlow(slab, p);
        } finally {
            unlock();
        }
    }

    /** {@return an object of {@code cache}, or 0 when no memory is left} ({@code kmem_cache_alloc}) */
    public long cacheAlloc(SlabCache cache) {
        checkThread();
        owned(cache);
        long p = allocFrom(cache);
        if (p == 0) {
            lock();
            try {
                reap();
                p = cache.alloc();
            } finally {
                unlock();
            }
        }
        return p;
    }

    /**
     * Frees an object of {@code cache} ({@code kmem_cache_free}).
     *
     * @throws HeapCorruptionException if {@code address} is not an allocated object of that cache
     */
    public void cacheFree(SlabCache cache, long address) {
        checkThread();
        owned(cache);
        long slab;
        lock();
        try {
            slab = slabOf(address, "kmem_cache_free()");
        } finally {
            unlock();
        }
        if (slab == 0 || caches[(int) memory.getLong(slab + CACHE)] != cache) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER,
                    "kmem_cache_free(): not an object of cache " + cache.name(), address);
        }
        freeTo(cache, slab, address);
    }

    /**
     * Destroys a cache with no object in use ({@code kmem_cache_destroy}): its slabs go back to the pages.
     *
     * @throws IllegalStateException if objects are still in use, or the cache is one of kmalloc's
     */
    public void destroyCache(SlabCache cache) {
        checkThread();
        owned(cache);
        if (cache.internal() || Arrays.asList(kmalloc).contains(cache)) {
            throw new IllegalStateException("cache " + cache.name() + " belongs to the allocator");
        }
        lock();
        try {
            if (cache.inUse() != 0) {
                throw new IllegalStateException("kmem_cache_destroy(%s): %d objects are still in use"
                        .formatted(cache.name(), cache.inUse()));
            }
            if (cache.magazines() != null) {
                cache.magazines().purge();
            }
            if (cache.activeObjects() != 0) {
                throw new IllegalStateException("kmem_cache_destroy(%s): %d objects are in other threads' magazines"
                        .formatted(cache.name(), cache.activeObjects()));
            }
            cache.reap();
            caches[cache.id()] = null;
        } finally {
            unlock();
        }
    }

    private void owned(SlabCache cache) {
        if (cache == null || cache.id() >= cacheCount || caches[cache.id()] != cache) {
            throw new IllegalArgumentException("not a live cache of this allocator: " + cache);
        }
    }

    /**
     * Empties the depots and the calling thread's magazines into the slabs, then destroys the empty slabs of every
     * cache ({@code kmem_cache_reap}); {@return the slabs given back}
     */
    public long reap() {
        checkThread();
        lock();
        try {
            for (int i = 0; i < cacheCount; i++) {
                if (caches[i] != null && caches[i].magazines() != null) {
                    caches[i].magazines().purge();
                }
            }
            long n = 0;
            for (int i = 0; i < cacheCount; i++) {
                if (caches[i] != null && !caches[i].internal()) {
                    n += caches[i].reap();
                }
            }
            if (magazineCache != null) {
                n += magazineCache.reap();
            }
            return n + descriptorCache.reap();
        } finally {
            unlock();
        }
    }

    /** {@return every live cache, oldest first} */
    public List<SlabCache> caches() {
        List<SlabCache> list = new ArrayList<>();
        for (int i = 0; i < cacheCount; i++) {
            if (caches[i] != null) {
                list.add(caches[i]);
            }
        }
        return list;
    }

    /** {@return the kmalloc cache that serves {@code byteSize} bytes, or null above {@link #MAX_KMALLOC}} */
    public SlabCache kmallocCache(long byteSize) {
        return byteSize < 0 || byteSize > MAX_KMALLOC ? null : kmalloc[KMALLOC_INDEX[(int) ((byteSize + 15) >>> 4)]];
    }

    public SlabSettings settings() {
        return settings;
    }

    /** {@return the page allocator the slabs come from} */
    public PageAllocator pages() {
        return pages;
    }

    // ---- malloc ---------------------------------------------------------------------------------------------

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

    @Override
    public long malloc(long byteSize) {
        checkThread();
        if (byteSize <= MAX_KMALLOC) {
            if (byteSize < 0) {
                throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
            }
            SlabCache cache = kmalloc[KMALLOC_INDEX[(int) ((byteSize + 15) >>> 4)]];
            long p = allocFrom(cache);
            return p != 0 ? p : mallocShort(cache);
        }
        return large(byteSize, pageSize);
    }

    /** Step 1 when the cache cannot grow: reap and retry, then borrow from a larger cache. */
    private long mallocShort(SlabCache cache) {
        lock();
        try {
            reap();
            long p = cache.alloc();
            if (p != 0) {
                return p;
            }
            for (SlabCache larger : kmalloc) {
                if (larger.size() > cache.size() && larger.hasFreeObject()) {
                    return larger.alloc();
                }
            }
            return 0;
        } finally {
            unlock();
        }
    }

    /** A run of pages for {@code byteSize} bytes aligned to {@code byteAlignment}; {@return it, or 0} */
    private long large(long byteSize, long byteAlignment) {
        if (byteSize > MAX_REQUEST || byteAlignment > MAX_REQUEST) {
            return 0;
        }
        lock();
        try {
            long p = pages.memalign(byteAlignment, byteSize);
            if (p == 0 && reap() > 0) {
                p = pages.memalign(byteAlignment, byteSize);
            }
            if (p != 0) {
                largeBlocks++;
                largeBytes += pages.runPages(p) * pageSize;
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
        // Objects are aligned to 16 bytes only (colouring and headers shift them), so a stricter alignment is a
        // run of pages, aligned as asked.
        return large(byteSize, Math.max(byteAlignment, pageSize));
    }

    // ---- free -----------------------------------------------------------------------------------------------

    @Override
    public void free(long address) {
        checkThread();
        long slab = address & pageMask;
        // Only a page below the break is probed without the lock: the mappings' table is not for sharing.
        if ((address & (ALIGNMENT - 1)) == 0 && Long.compareUnsigned(slab - heapStart, memory.brk() - heapStart) < 0
                && memory.getLong(slab + MAGIC) == (slab ^ key)) {
            int id = (int) memory.getLong(slab + CACHE);
            SlabCache cache = id >= 0 && id < cacheCount ? caches[id] : null;
            if (cache != null) {
                freeTo(cache, slab, address);
                return;
            }
        }
        if (address != 0) {
            freeSlow(address);
        }
    }

    /** Steps 2 and 3 of free: an off-slab object, or a run of pages. */
    private void freeSlow(long address) {
        SlabCache cache;
        long slab;
        lock();
        try {
            slab = slabOf(address, "free()");
            if (slab == 0) {
                long bytes = largeRunBytes(address, "free()");
                pages.free(address);
                largeBlocks--;
                largeBytes -= bytes;
                return;
            }
            cache = caches[(int) memory.getLong(slab + CACHE)];
        } finally {
            unlock();
        }
        freeTo(cache, slab, address);
    }

    /** {@return whether a word at {@code address} can be read: below the break, or inside a live mapping} */
    private boolean readable(long address) {
        return Long.compareUnsigned(address - heapStart, memory.brk() - heapStart) < 0
                || (address > 0 && memory.isMapped(address, 8));
    }

    /**
     * {@return the header or descriptor of the slab holding {@code address}, or 0 if no slab holds it}
     *
     * @throws HeapCorruptionException if {@code address} is misaligned, or lies in no chunk of pages at all
     */
    private long slabOf(long address, String call) {
        if ((address & (ALIGNMENT - 1)) != 0) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", address);
        }
        long page = address & pageMask;
        if (readable(page) && memory.getLong(page + MAGIC) == (page ^ key) && validId(page)) {
            return page;
        }
        long owner;
        try {
            owner = slabSource.owner(address);
        } catch (HeapCorruptionException e) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", address);
        }
        if (owner != 0 && (owner & (ALIGNMENT - 1)) == 0 && readable(owner)
                && memory.getLong(owner + MAGIC) == (owner ^ key ^ DESCRIPTOR_SALT) && validId(owner)) {
            return owner;
        }
        return 0;
    }

    private boolean validId(long header) {
        long id = memory.getLong(header + CACHE);
        return id >= 0 && id < cacheCount && caches[(int) id] != null;
    }

    /** {@return the bytes of the allocated run of pages at {@code address}, or throws in glibc's words} */
    private long largeRunBytes(long address, String call) {
        try {
            return pages.runPages(address) * pageSize;
        } catch (HeapCorruptionException e) {
            if (call.equals("free()")) {
                pages.free(address); // not a live run: the page allocator says whether it is a double free
            }
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", address);
        }
    }

    // ---- realloc, usable size -------------------------------------------------------------------------------

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
        long slab = slabOf(address, "realloc()");
        long usable;
        if (slab != 0) {
            SlabCache cache = caches[(int) memory.getLong(slab + CACHE)];
            if (!cache.isLive(slab, address)) {
                throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, "realloc(): invalid pointer", address);
            }
            usable = cache.usable();
            if (byteSize == 0) {
                freeTo(cache, slab, address);
                return 0;
            }
            if (byteSize <= usable) {
                return address; // krealloc: the object holds the new size already
            }
        } else {
            usable = largeRunBytes(address, "realloc()");
            if (byteSize == 0) {
                free(address);
                return 0;
            }
            if (byteSize > MAX_KMALLOC && byteSize <= MAX_REQUEST) {
                long moved = pages.realloc(address, byteSize);
                if (moved != 0) {
                    largeBytes += pages.runPages(moved) * pageSize - usable;
                }
                return moved;
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
            long slab = slabOf(address, "malloc_usable_size()");
            if (slab != 0) {
                SlabCache cache = caches[(int) memory.getLong(slab + CACHE)];
                if (!cache.isLive(slab, address)) {
                    throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER,
                            "malloc_usable_size(): invalid pointer", address);
                }
                return cache.usable();
            }
            return largeRunBytes(address, "malloc_usable_size()");
        } finally {
            unlock();
        }
    }

    // ---- instruments ----------------------------------------------------------------------------------------

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
        long live = largeBlocks;
        long allocated = largeBytes;
        long usable = largeBytes;
        long freeBlocks = 0;
        long freeBytes = 0;
        long largestFree = 0;
        for (SlabCache cache : caches()) {
            if (cache.internal()) {
                continue;
            }
            long free = cache.slabs() * cache.objectsPerSlab() - cache.inUse();
            live += cache.inUse();
            allocated += cache.inUse() * cache.size();
            usable += cache.inUse() * cache.usable();
            freeBlocks += free;
            freeBytes += free * cache.size();
            if (free > 0) {
                largestFree = Math.max(largestFree, cache.size());
            }
        }
        HeapStats p = pages.stats();
        return new HeapStats(live, allocated, usable, freeBlocks + p.freeBlocks(), freeBytes + p.freeBytes(),
                Math.max(largestFree, p.largestFreeBlock()), memory.brk() - memory.heapStart(),
                memory.mappedBytes(), memory.peakFootprintBytes(), p.searches(), p.searchSteps());
    }

    /** {@inheritDoc} Caches are listed newest first, as the kernel does; internal caches included. */
    @Override
    public List<SlabInfo> slabInfo() {
        lock();
        try {
            List<SlabInfo> lines = new ArrayList<>();
            for (SlabCache c : caches()) {
                lines.addFirst(info(c, c.pagesPerSlab()));
            }
            return lines;
        } finally {
            unlock();
        }
    }

    /**
     * {@return a cache's slabinfo line} As in Linux's SLAB, objects in magazines count as active; the tunables
     * are the magazine's rounds (limit and batchcount: a whole magazine moves at once) and the depot's most full
     * magazines (sharedfactor), and sharedavail counts the objects in the depot.
     */
    static SlabInfo info(SlabCache c, long pagesPerSlab) {
        Magazines m = c.magazines();
        return new SlabInfo(c.name(), c.activeObjects(), c.slabs() * c.objectsPerSlab(), c.size(),
                c.objectsPerSlab(), pagesPerSlab, m == null ? 0 : m.capacity(), m == null ? 0 : m.capacity(),
                m == null ? 0 : m.depotMax(), c.fullSlabs() + c.partialSlabs(), c.slabs(),
                m == null ? 0 : (long) m.fullMagazines() * m.capacity());
    }

    /**
     * Reports the page allocator's chunks and runs, with every slab opened up: its header (or, off-slab, its
     * colour), each object allocated or free, and its leftover. Objects of internal caches are metadata.
     */
    @Override
    public void walk(Consumer<Block> visitor) {
        lock();
        try {
            walkLocked(visitor);
        } finally {
            unlock();
        }
    }

    private void walkLocked(Consumer<Block> visitor) {
        java.util.Set<Long> inMagazines = new java.util.HashSet<>();
        for (SlabCache c : caches()) {
            if (c.magazines() != null) {
                inMagazines.addAll(c.magazines().magazineObjects());
            }
        }
        pages.walk(block -> {
            if (block.state() != BlockState.ALLOCATED) {
                visitor.accept(block);
                return;
            }
            long run = block.address();
            long header = slabOf(run, "walk()");
            if (header == 0) {
                visitor.accept(block);
            } else {
                SlabWalk.slab(caches[(int) memory.getLong(header + CACHE)], header, inMagazines, visitor);
            }
        });
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
        List<Violation> violations = new ArrayList<>(pages.check());
        long slabs = 0;
        for (SlabCache cache : caches()) {
            violations.addAll(new SlabChecker(cache, slabSource).check());
            slabs += cache.slabs();
        }
        long runs = pages.stats().liveBlocks();
        if (runs != slabs + largeBlocks) {
            violations.add(new Violation(heapStart, "S3: the page allocator has %d allocated runs, but there are %d"
                    .formatted(runs, slabs) + " slabs and %d large blocks".formatted(largeBlocks)));
        }
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
            pages.guardWith(lock);
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
