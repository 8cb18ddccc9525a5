package io.github.alloclab.zone;

import static io.github.alloclab.zone.ZoneLayout.BITMAP;
import static io.github.alloclab.zone.ZoneLayout.MAGIC;
import static io.github.alloclab.zone.ZoneLayout.ZONE;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.internal.BrkMappedSource;
import io.github.alloclab.internal.ThreadCache;
import io.github.alloclab.internal.ThreadConfinement;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.page.PageAllocator;
import io.github.alloclab.page.PageSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The zone allocator of Mach and FreeBSD's UMA: named zones of fixed-size elements ({@link Zone}), made with
 * {@link #zinit}, and {@code kalloc} as a zone per size class, with larger requests sent to runs of pages.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>zone</b>, <b>element</b>, <b>chunk</b>: as in {@link Zone}; chunks are {@code 2^k} pages from a
 *       {@link PageAllocator} whose own chunks come from the break ({@link BrkMappedSource}).</li>
 *   <li><b>P</b>: the page size; <b>K</b>: the largest chunk order of any zone.</li>
 *   <li><b>key</b>: a random word of this allocator; a chunk at {@code c} starts with {@code c XOR key}, and a
 *       free element's second word is the key (Z4 of {@link Zone}).</li>
 *   <li><b>tcache</b>: a {@link ThreadCache} of up to {@code tcacheCount} freed elements (7) for each kalloc zone
 *       up to 1 KiB, zones 0 to 17, so that a zone's number is its bin's.</li>
 * </ul>
 *
 * <h2>kalloc size classes</h2>
 * The zone sizes of XNU's {@code kalloc}, all multiples of 16 so that every address is 16-byte aligned:
 * <pre>
 *  kalloc.16 .32 .48 .64 .80 .96 .128 .160 .192 .224 .256 .288 .368 .400 .512 .576 .768
 *  kalloc.1024 .1152 .1280 .1664 .2048 .4096 .6144 .8192           above 8192 bytes: runs of pages
 * </pre>
 * Each zone's chunk is the fewest pages, a power of two, that waste at most an eighth of the chunk; each
 * kalloc zone may grow to {@code kallocMaxBytes}, and is exhaustible: {@code malloc} returns {@code NULL} there.
 *
 * <h2>Algorithm</h2>
 * <b>malloc(n)</b>: {@code n <= 1024}: pop the tcache bin of {@code n}'s zone, found through a table indexed by
 * {@code (n + 15) / 16}, if it holds an element. Otherwise, {@code n <= 8192}: {@code zalloc} from that zone. If
 * the zone cannot grow, run {@code zone_gc} on every zone and try again; then take an element of the smallest
 * larger zone that has one free. {@code n > 8192}: a run of
 * {@code ceil(n / P)} pages, after a {@code zone_gc} if the first try fails.
 * <br><b>free(p)</b>
 * <ol>
 *   <li>Find {@code p}'s chunk without any table: for {@code k = 0, 1, ..., K}, if the word at
 *       {@code c = p AND -(P << k)} is {@code c XOR key}, {@code c} is a chunk header. A chunk of {@code 2^k}
 *       pages is aligned to its size, so the probes below its order read the chunk's own elements, and the
 *       probe at its order finds its header; the first match decides. Most zones have one-page chunks: one
 *       load.</li>
 *   <li>If the header is in {@code p}'s own page and names a zone with a tcache bin, {@code p} is on an
 *       element boundary, the bin has room, and {@code p}'s second word is not the key, push {@code p} on the
 *       bin and stop: the fast path, which reads no bitmap (a block without the key is not free here).</li>
 *   <li>A second word that is the key means {@code p} is free already, or the program wrote the key there: scan
 *       the bin, and report {@code free(): double free detected in tcache 2} if {@code p} is on it.</li>
 *   <li>The zone the header names checks {@code p} against its bitmap and frees it ({@link Zone}).</li>
 *   <li>No header: {@code p} must start a run of pages, freed to the page allocator, which reports a double or
 *       invalid free in glibc's words.</li>
 * </ol>
 *
 * <h2>Invariants</h2> (checked by {@link #check()})
 * <pre>
 *  K1  the page allocator's own invariants
 *  K2  every zone keeps Z1 to Z4 of Zone
 *  K3  allocated page runs = chunks of all zones + large blocks
 *  K4  the thread cache keeps T1 to T3 of {@link ThreadCache}, and each cached element is an allocated element of
 *      its bin's zone
 * </pre>
 *
 * <h2>Complexity</h2>
 * {@code malloc} and {@code free} of an element are O(1), free with at most {@code K + 1} probes, and a suspected
 * double free scans at most {@code tcacheCount} cached elements; large blocks cost the page allocator's
 * O(log free runs).
 *
 * <h2>Thread cache</h2>
 * A cached element is free to the program and allocated to its zone: its bitmap bit stays set, and the zone
 * counts it in use. {@link #stats()}, {@link #walk}, and {@link #zoneInfo()} count it free; {@link #zoneGc()}
 * first gives every cached element back to its zone, as XNU's {@code zone_gc} drains the zones' per-CPU caches.
 * {@code tcacheCount = 0} turns the cache off.
 *
 * <h2>Thread safety</h2>
 * Confined to the thread that made it, whose thread cache it keeps: a call that changes the heap from another
 * thread throws {@link WrongThreadException} first. Share it through
 * {@link io.github.alloclab.allocator.ConcurrentAllocator}.
 *
 * <h2>References</h2>
 * Mach {@code kern/zalloc.c} and {@code kern/kalloc.c}; Apple's {@code zprint(1)}; Bonwick, "The Slab
 * Allocator", USENIX 1994 (section 6 compares zones); McKusick and Neville-Neil, <i>The Design and
 * Implementation of the FreeBSD Operating System</i>, 2nd ed., 6.3 (UMA).
 */
public final class ZoneAllocator implements Allocator {

    static final long ALIGNMENT = 16;
    /** The largest kalloc zone; larger requests are runs of pages. */
    public static final long MAX_KALLOC = 8192;
    private static final long MAX_REQUEST = 1L << 56;

    private static final long[] KALLOC_SIZES = {16, 32, 48, 64, 80, 96, 128, 160, 192, 224, 256, 288, 368, 400,
            512, 576, 768, 1024, 1152, 1280, 1664, 2048, 4096, 6144, 8192};
    private static final byte[] KALLOC_INDEX = new byte[(int) (MAX_KALLOC >>> 4) + 1];

    /** The largest request the thread cache serves (glibc's tcache stops at 1032 bytes). */
    static final long TCACHE_MAX = 1024;
    /** The thread cache's bins: the kalloc zones up to {@link #TCACHE_MAX}, which are zones 0 to BINS - 1. */
    static final int TCACHE_BINS;

    static {
        int bins = 0;
        while (KALLOC_SIZES[bins] <= TCACHE_MAX) {
            bins++;
        }
        TCACHE_BINS = bins;
        for (int i = 0, z = 0; i < KALLOC_INDEX.length; i++) {
            long request = Math.max(1, (long) i << 4);
            while (KALLOC_SIZES[z] < request) {
                z++;
            }
            KALLOC_INDEX[i] = (byte) z;
        }
    }

    private final String name;
    private final MemorySource memory;
    private final ZoneSettings settings;
    private final ThreadConfinement confinement;
    private final PageAllocator pages;
    private final long pageSize;
    private final long pageMask;
    private final long heapStart;
    private final long key;
    private Zone[] zones = new Zone[32];
    private int zoneCount;
    private final Zone[] kalloc = new Zone[KALLOC_SIZES.length];
    private final ThreadCache tcache;
    /** K: the largest chunk order of any zone, so free() probes k = 0 .. K. */
    private int maxOrder;

    private long largeBlocks;
    private long largeBytes;

    /** Makes a zone allocator over {@code memory}, which it then owns, with the kalloc zones. */
    public ZoneAllocator(String name, MemorySource memory, ZoneSettings settings) {
        this.name = name;
        this.memory = memory;
        this.settings = settings;
        this.confinement = new ThreadConfinement("allocator " + name);
        this.pageSize = memory.pageSize();
        this.pageMask = -pageSize;
        this.heapStart = memory.heapStart();
        this.pages = new PageAllocator(name + ".pages", new BrkMappedSource(memory),
                new PageSettings(settings.chunkBytes(), true));
        this.key = ThreadLocalRandom.current().nextLong() | 1;
        for (int i = 0; i < KALLOC_SIZES.length; i++) {
            long size = KALLOC_SIZES[i];
            kalloc[i] = newZone("kalloc." + size, size, settings.kallocMaxBytes(),
                    Zone.chunkBytesFor(size, pageSize, settings.maxChunkOrder()), true);
        }
        this.tcache = new ThreadCache(memory, key, TCACHE_BINS, settings.tcacheCount(),
                (bin, p) -> kalloc[bin].free(kalloc[bin].chunkOf(p), p));
    }

    // ---- zones: the zinit interface -------------------------------------------------------------------------

    /**
     * Makes a zone ({@code zinit}).
     *
     * @param elementSize bytes per element, rounded up to a multiple of 8 (16 from 16 up)
     * @param maxBytes    the most bytes of chunks the zone may ever hold; at least one chunk
     * @param allocBytes  bytes taken from the page allocator at each growth, rounded up to a power of two pages
     *                    that holds at least one element; 0 to choose as kalloc does
     * @param zoneName    the zone's name, as zprint shows it
     * @param exhaustible whether {@code zalloc} returns 0 at the maximum (Mach's {@code Z_EXHAUST}) rather than
     *                    throwing {@link ZoneExhaustedException}
     * @throws IllegalArgumentException for a bad size, a duplicate name, or a maximum below one chunk
     */
    public Zone zinit(long elementSize, long maxBytes, long allocBytes, String zoneName, boolean exhaustible) {
        confinement.check();
        if (zoneName == null || zoneName.isBlank()) {
            throw new IllegalArgumentException("a zone needs a name");
        }
        for (int i = 0; i < zoneCount; i++) {
            if (zones[i].name().equals(zoneName)) {
                throw new IllegalArgumentException("a zone named '" + zoneName + "' exists already");
            }
        }
        long largest = pageSize << 6;
        if (elementSize < 1 || elementSize > largest / 2) {
            throw new IllegalArgumentException("elementSize must be from 1 to %d: %d".formatted(largest / 2, elementSize));
        }
        long size = elementSize < 16 ? ZoneLayout.roundUp(elementSize, 8) : ZoneLayout.roundUp(elementSize, 16);
        long chunk;
        if (allocBytes <= 0) {
            chunk = Zone.chunkBytesFor(size, pageSize, 6);
        } else {
            chunk = pageSize;
            while (chunk < allocBytes || chunk - ZoneLayout.headerBytes(1) < size) {
                chunk <<= 1;
            }
            if (chunk > largest) {
                throw new IllegalArgumentException("allocBytes must be at most %d: %d".formatted(largest, allocBytes));
            }
        }
        if (maxBytes < chunk) {
            throw new IllegalArgumentException("maxBytes (%d) must hold at least one chunk of %d bytes"
                    .formatted(maxBytes, chunk));
        }
        return newZone(zoneName, size, maxBytes, chunk, exhaustible);
    }

    private Zone newZone(String zoneName, long size, long maxBytes, long chunk, boolean exhaustible) {
        if (zoneCount == zones.length) {
            zones = Arrays.copyOf(zones, zoneCount * 2);
        }
        Zone zone = new Zone(zoneName, zoneCount, memory, pages, key, size, maxBytes, chunk, exhaustible);
        zones[zoneCount++] = zone;
        maxOrder = Math.max(maxOrder, Long.numberOfTrailingZeros(chunk / pageSize));
        return zone;
    }

    /**
     * {@return an element of {@code zone}} ({@code zalloc}); 0 when the page allocator has no chunk left, or an
     * exhaustible zone is at its maximum
     *
     * @throws ZoneExhaustedException when a zone that is not exhaustible is at its maximum with nothing free
     */
    public long zalloc(Zone zone) {
        confinement.check();
        owned(zone);
        long p = zone.zalloc();
        if (p == 0 && !zone.atMaximum() && zoneGc() > 0) {
            p = zone.zalloc();
        }
        return p;
    }

    /**
     * Frees an element of {@code zone} ({@code zfree}).
     *
     * @throws HeapCorruptionException if {@code address} is not an allocated element of that zone
     */
    public void zfree(Zone zone, long address) {
        confinement.check();
        owned(zone);
        long chunk = chunkOf(address, "zfree()");
        if (chunk == 0 || zones[(int) memory.getLong(chunk + ZONE)] != zone) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER,
                    "zfree(): not an element of zone " + zone.name(), address);
        }
        notCached(zone, chunk, address, "zfree(): double free detected in tcache 2", CorruptionKind.DOUBLE_FREE);
        zone.free(chunk, address);
    }

    /**
     * Runs {@code zone_gc} on every zone, after giving the thread cache's elements back to their zones, as
     * XNU's {@code zone_gc} first drains the zones' per-CPU caches; {@return the chunks given back}
     */
    public long zoneGc() {
        confinement.check();
        drainThreadCache();
        long n = 0;
        for (int i = 0; i < zoneCount; i++) {
            n += zones[i].collect();
        }
        return n;
    }

    /** Gives every element in the thread cache back to its zone; {@return how many} */
    public int drainThreadCache() {
        confinement.check();
        int n = 0;
        for (int b = 0; b < TCACHE_BINS; b++) {
            Zone zone = kalloc[b];
            n += tcache.drain(b, p -> zone.free(zone.chunkOf(p), p));
        }
        return n;
    }

    private void owned(Zone zone) {
        if (zone == null || zone.id() >= zoneCount || zones[zone.id()] != zone) {
            throw new IllegalArgumentException("not a zone of this allocator: " + zone);
        }
    }

    /** {@return every zone, in the order they were made} */
    public List<Zone> zones() {
        return List.of(Arrays.copyOf(zones, zoneCount));
    }

    /** {@return every zone as a line of zprint, in the order they were made} */
    public List<ZoneInfo> zoneInfo() {
        return zones().stream().map(zone -> zone.info(cachedIn(zone))).toList();
    }

    /** {@return the kalloc zone of {@code byteSize} bytes, or null above {@link #MAX_KALLOC}} */
    public Zone kallocZone(long byteSize) {
        return byteSize < 0 || byteSize > MAX_KALLOC ? null : kalloc[KALLOC_INDEX[(int) ((byteSize + 15) >>> 4)]];
    }

    public ZoneSettings settings() {
        return settings;
    }

    /** {@return the page allocator the chunks come from} */
    public PageAllocator pages() {
        return pages;
    }

    // ---- malloc -------------------------------------------------------------------------------------------

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
        confinement.check();
        if (Long.compareUnsigned(byteSize, TCACHE_MAX) <= 0) {
            long p = tcache.get(KALLOC_INDEX[(int) ((byteSize + 15) >>> 4)]);
            if (p != 0) {
                return p;
            }
        }
        return mallocZone(byteSize);
    }

    /** Step 2 of malloc: the kalloc zone, or a run of pages. */
    private long mallocZone(long byteSize) {
        if (byteSize <= MAX_KALLOC) {
            if (byteSize < 0) {
                throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
            }
            Zone zone = kalloc[KALLOC_INDEX[(int) ((byteSize + 15) >>> 4)]];
            long p = zone.zalloc();
            return p != 0 ? p : mallocShort(zone);
        }
        return large(byteSize, pageSize);
    }

    /** When the zone cannot grow: zone_gc and retry, then an element of a larger zone. */
    private long mallocShort(Zone zone) {
        if (!zone.atMaximum() && zoneGc() > 0) {
            long p = zone.zalloc();
            if (p != 0) {
                return p;
            }
        }
        for (Zone larger : kalloc) {
            if (larger.elementSize() > zone.elementSize() && larger.freeElements() > 0) {
                return larger.zalloc();
            }
        }
        return 0;
    }

    private long large(long byteSize, long byteAlignment) {
        if (byteSize > MAX_REQUEST || byteAlignment > MAX_REQUEST) {
            return 0;
        }
        long p = pages.memalign(byteAlignment, byteSize);
        if (p == 0 && zoneGc() > 0) {
            p = pages.memalign(byteAlignment, byteSize);
        }
        if (p != 0) {
            largeBlocks++;
            largeBytes += pages.runPages(p) * pageSize;
        }
        return p;
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
        if (byteAlignment <= ALIGNMENT) {
            return malloc(byteSize);
        }
        return large(byteSize, Math.max(byteAlignment, pageSize));
    }

    // ---- free ---------------------------------------------------------------------------------------------

    @Override
    public void free(long address) {
        confinement.check();
        long page = address & pageMask;
        if (Long.compareUnsigned(page - heapStart, memory.brk() - heapStart) < 0
                && memory.getLong(page + MAGIC) == (page ^ key)) {
            long id = memory.getLong(page + ZONE);
            if (Long.compareUnsigned(id, TCACHE_BINS) < 0 && kalloc[(int) id].isElement(page, address)
                    && tcache.put((int) id, address)) {
                return;
            }
        }
        freeSlow(address);
    }

    /** Free off the fast path: a full or suspicious thread-cache bin, an element past a chunk's first page, a zone
     * past the cached sizes, a run of pages, a bad pointer, or NULL. */
    private void freeSlow(long address) {
        if (address == 0) {
            return;
        }
        long chunk = chunkOf(address, "free()");
        if (chunk != 0) {
            Zone zone = zones[(int) memory.getLong(chunk + ZONE)];
            notCached(zone, chunk, address, "free(): double free detected in tcache 2", CorruptionKind.DOUBLE_FREE);
            if (zone.id() < TCACHE_BINS && zone.isAllocated(chunk, address) && tcache.put(zone.id(), address)) {
                return;
            }
            zone.free(chunk, address);
            return;
        }
        long bytes = largeRunBytes(address, "free()");
        pages.free(address);
        largeBlocks--;
        largeBytes -= bytes;
    }

    /**
     * Throws if {@code p}, an element of {@code zone} in the chunk at {@code chunk}, is in the thread cache: a
     * block there is free, though its zone counts it allocated. Only a block whose second word is the key can
     * be, so only then is the bin scanned.
     */
    private void notCached(Zone zone, long chunk, long p, String message, CorruptionKind kind) {
        if (cached(zone, chunk, p)) {
            throw new HeapCorruptionException(kind, message, p);
        }
    }

    /** {@return whether {@code p}, an element of {@code zone} in the chunk at {@code chunk}, is in the thread cache} */
    private boolean cached(Zone zone, long chunk, long p) {
        return zone.id() < TCACHE_BINS && zone.isElement(chunk, p) && tcache.marked(p) && tcache.holds(zone.id(), p);
    }

    private boolean readable(long address) {
        return Long.compareUnsigned(address - heapStart, memory.brk() - heapStart) < 0
                || (address > 0 && memory.isMapped(address, 8));
    }

    /**
     * Step 1 of free. {@return the header of the chunk holding {@code address}, or 0 if no chunk holds it}
     *
     * @throws HeapCorruptionException if {@code address} is not 8-byte aligned
     */
    private long chunkOf(long address, String call) {
        if ((address & 7) != 0) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", address);
        }
        for (int k = 0; k <= maxOrder; k++) {
            long c = address & -(pageSize << k);
            if (readable(c) && memory.getLong(c + MAGIC) == (c ^ key)) {
                long id = memory.getLong(c + ZONE) & 0xFFFF_FFFFL;
                if (id < zoneCount && address - c < zones[(int) id].chunkBytes()) {
                    return c;
                }
                return 0; // a chunk below, not holding p: no chunk can (runs do not overlap)
            }
        }
        return 0;
    }

    private long largeRunBytes(long address, String call) {
        try {
            return pages.runPages(address) * pageSize;
        } catch (HeapCorruptionException e) {
            if (call.equals("free()")) {
                pages.free(address);
            }
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", address);
        }
    }

    // ---- realloc, usable size ----------------------------------------------------------------------------

    @Override
    public long realloc(long address, long byteSize) {
        confinement.check();
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (address == 0) {
            return malloc(byteSize);
        }
        long chunk = chunkOf(address, "realloc()");
        long usable;
        if (chunk != 0) {
            Zone zone = zones[(int) memory.getLong(chunk + ZONE)];
            if (!zone.isAllocated(chunk, address) || cached(zone, chunk, address)) {
                throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, "realloc(): invalid pointer", address);
            }
            usable = zone.elementSize();
            if (byteSize == 0) {
                free(address);
                return 0;
            }
            if (byteSize <= usable) {
                return address;
            }
        } else {
            usable = largeRunBytes(address, "realloc()");
            if (byteSize == 0) {
                free(address);
                return 0;
            }
            if (byteSize > MAX_KALLOC && byteSize <= MAX_REQUEST) {
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
        long chunk = chunkOf(address, "malloc_usable_size()");
        if (chunk != 0) {
            Zone zone = zones[(int) memory.getLong(chunk + ZONE)];
            if (!zone.isAllocated(chunk, address) || cached(zone, chunk, address)) {
                throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER,
                        "malloc_usable_size(): invalid pointer", address);
            }
            return zone.elementSize();
        }
        return largeRunBytes(address, "malloc_usable_size()");
    }

    // ---- instruments --------------------------------------------------------------------------------------

    @Override
    public HeapStats stats() {
        long live = largeBlocks;
        long allocated = largeBytes;
        long freeBlocks = 0;
        long freeBytes = 0;
        long largestFree = 0;
        for (Zone zone : zones()) {
            long cached = cachedIn(zone);
            live += zone.inUse() - cached;
            allocated += (zone.inUse() - cached) * zone.elementSize();
            freeBlocks += zone.freeElements() + cached;
            freeBytes += (zone.freeElements() + cached) * zone.elementSize();
            if (zone.freeElements() + cached > 0) {
                largestFree = Math.max(largestFree, zone.elementSize());
            }
        }
        HeapStats p = pages.stats();
        return new HeapStats(live, allocated, allocated, freeBlocks + p.freeBlocks(), freeBytes + p.freeBytes(),
                Math.max(largestFree, p.largestFreeBlock()), memory.brk() - memory.heapStart(),
                memory.mappedBytes(), memory.peakFootprintBytes(), p.searches(), p.searchSteps());
    }

    /** {@return the elements of {@code zone} in the thread cache: free, though the zone counts them in use} */
    private long cachedIn(Zone zone) {
        return zone.id() < TCACHE_BINS ? tcache.count(zone.id()) : 0;
    }

    /**
     * Reports the page allocator's chunks and runs, with every zone chunk opened up into its elements; an element
     * in the thread cache is free.
     */
    @Override
    public void walk(Consumer<Block> visitor) {
        Set<Long> cached = new HashSet<>();
        for (int b = 0; b < TCACHE_BINS; b++) {
            tcache.forEach(b, cached::add);
        }
        pages.walk(block -> {
            long c = block.address();
            if (block.state() != BlockState.ALLOCATED || memory.getLong(c + MAGIC) != (c ^ key)) {
                visitor.accept(block);
                return;
            }
            Zone zone = zones[(int) (memory.getLong(c + ZONE) & 0xFFFF_FFFFL)];
            long first = c + zone.headerBytes();
            visitor.accept(new Block(c, zone.headerBytes(), first, 0, BlockState.METADATA));
            for (int i = 0; i < zone.elementsPerChunk(); i++) {
                long p = first + i * zone.elementSize();
                boolean allocated = (memory.getLong(c + BITMAP + ((i >>> 6) << 3)) & 1L << i) != 0
                        && !cached.contains(p);
                visitor.accept(new Block(p, zone.elementSize(), p, zone.elementSize(),
                        allocated ? BlockState.ALLOCATED : BlockState.FREE));
            }
            long end = first + zone.elementsPerChunk() * zone.elementSize();
            if (end < c + zone.chunkBytes()) {
                visitor.accept(new Block(end, c + zone.chunkBytes() - end, end, 0, BlockState.METADATA));
            }
        });
    }

    @Override
    public List<Violation> check() {
        List<Violation> violations = new ArrayList<>(pages.check());
        long chunks = 0;
        for (Zone zone : zones()) {
            violations.addAll(new ZoneChecker(zone).check());
            chunks += zone.chunks();
        }
        violations.addAll(tcache.check());
        for (int b = 0; b < TCACHE_BINS; b++) {
            Zone zone = kalloc[b];
            tcache.forEach(b, p -> {
                long c = zone.chunkOf(p);
                if (readable(c) && memory.getLong(c + MAGIC) == (c ^ key) && memory.getLong(c + ZONE) == zone.id()
                        && zone.isAllocated(c, p)) {
                    return;
                }
                violations.add(new Violation(p, "K4: an element in thread-cache bin %d is not an allocated element of %s"
                        .formatted(zone.id(), zone.name())));
            });
        }
        long runs = pages.stats().liveBlocks();
        if (runs != chunks + largeBlocks) {
            violations.add(new Violation(heapStart, "K3: the page allocator has %d allocated runs, but there are %d"
                    .formatted(runs, chunks) + " zone chunks and %d large blocks".formatted(largeBlocks)));
        }
        return violations;
    }

    @Override
    public void guardWith(ReentrantLock lock) {
        confinement.guardWith(lock);
        pages.guardWith(lock);
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
