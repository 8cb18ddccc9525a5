package io.github.alloclab.zone;

import static io.github.alloclab.zone.ZoneLayout.BITMAP;
import static io.github.alloclab.zone.ZoneLayout.COLLECTING;
import static io.github.alloclab.zone.ZoneLayout.FIRST;
import static io.github.alloclab.zone.ZoneLayout.MAGIC;
import static io.github.alloclab.zone.ZoneLayout.NEXT;
import static io.github.alloclab.zone.ZoneLayout.ZONE;

import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.internal.ObjectIndex;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.page.PageRuns;

/**
 * One zone, Mach's {@code struct zone}: elements of one size, a LIFO free list threaded through the free
 * elements of all its chunks, and an enforced maximum size.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>element</b>: {@code s} bytes, the size given to {@code zinit} rounded up to the alignment.</li>
 *   <li><b>chunk</b>: {@code C = 2^k} pages taken from the page allocator at once (Mach's {@code alloc_size}),
 *       aligned to {@code C}, holding a header and {@code n = (C - H) / s} elements ({@link ZoneLayout}).</li>
 *   <li><b>cur size</b>: chunks · C; <b>max size</b>: the most bytes of chunks the zone may hold.</li>
 * </ul>
 *
 * <h2>Algorithm</h2>
 * <b>zalloc</b>
 * <ol>
 *   <li>Pop the head of the free list. If it is empty: if another chunk would take cur size past max size,
 *       the zone is exhausted (an exhaustible zone returns 0; any other throws
 *       {@link ZoneExhaustedException}); otherwise take a chunk, push its elements (the lowest ends up on top)
 *       and pop. If the page allocator has no chunk, return 0.</li>
 *   <li>Set the element's bit in its chunk's bitmap; the chunk is found by masking: {@code p AND -C}. Clear
 *       the element's second word (step 3 of zfree).</li>
 * </ol>
 * <b>zfree(p)</b>: check that {@code p} is on an element boundary of a chunk of this zone and that its bit is
 * set, before changing anything; clear the bit and push {@code p} on the free list. In a zone of elements of
 * 16 bytes or more, write the key into the element's second word, as into every element of a new chunk: then
 * a free element always carries the key, which is what lets {@link ZoneAllocator}'s thread cache take a
 * {@code free} without reading the bitmap (a block without the key is not free here).
 * <br><b>zone_gc</b>: a chunk whose bitmap is all clear holds only free elements: take those elements off the
 * free list and give the chunk back (Mach's {@code zone_gc}, which the kernel runs when pages are short).
 *
 * <h2>Invariants</h2> (checked by {@link ZoneChecker})
 * <pre>
 *  Z1  free list: distinct elements, each on an element boundary of a chunk of this zone, its bit clear;
 *      |free list| = chunks · n - inUse
 *  Z2  inUse = popcount of every chunk's bitmap;  cur size = chunks · C &lt;= max size
 *  Z3  each chunk: magic = chunk XOR key, zone = this zone, first = chunk + H, aligned to C
 *  Z4  in a zone of elements of 16 bytes or more, each free element's second word is the key
 * </pre>
 *
 * <h2>Complexity</h2>
 * {@code zalloc} and {@code zfree} are O(1); growing is O(n); {@code zone_gc} is O(chunks + free elements).
 *
 * <h2>References</h2>
 * Rashid et al., "Machine-Independent Virtual Memory Management for Paged Uniprocessor and Multiprocessor
 * Architectures", ASPLOS 1987, and Mach's {@code kern/zalloc.c} ({@code zinit}, {@code zalloc}, {@code zfree},
 * {@code zone_gc}, {@code zprint}). McKusick and Neville-Neil, <i>The Design and Implementation of the FreeBSD
 * Operating System</i>, 2nd ed., 6.3 (UMA zones and keg slabs).
 */
public final class Zone {

    private final String name;
    private final int id;
    private final MemorySource memory;
    private final PageRuns pages;
    private final long key;
    private final long elementSize;
    private final long maxBytes;
    private final long chunkBytes;
    private final long chunkMask;
    private final int perChunk;
    private final long headerBytes;
    private final long reciprocal;
    private final boolean exhaustible;
    /** Whether a free element's second word holds the key: every zone of elements of 16 bytes or more. */
    private final boolean keyed;

    private long freeHead;
    private long freeElements;
    private long chunkHead;
    private long chunks;
    private long inUse;
    private long peakInUse;
    private long allocations;
    private long collected;

    Zone(String name, int id, MemorySource memory, PageRuns pages, long key, long elementSize, long maxBytes,
         long chunkBytes, boolean exhaustible) {
        this.name = name;
        this.id = id;
        this.memory = memory;
        this.pages = pages;
        this.key = key;
        this.elementSize = elementSize;
        this.chunkBytes = chunkBytes;
        this.chunkMask = -chunkBytes;
        long n = chunkBytes / elementSize;
        while (n > 0 && ZoneLayout.headerBytes(n) + n * elementSize > chunkBytes) {
            n--;
        }
        if (n == 0) {
            throw new IllegalArgumentException("a chunk of %d bytes holds no element of %d bytes"
                    .formatted(chunkBytes, elementSize));
        }
        this.perChunk = (int) n;
        this.headerBytes = ZoneLayout.headerBytes(n);
        this.maxBytes = maxBytes;
        this.reciprocal = ObjectIndex.reciprocal(elementSize);
        this.exhaustible = exhaustible;
        this.keyed = elementSize >= 16;
    }

    /**
     * Chooses Mach's allocation size: the fewest pages, a power of two up to {@code 2^maxOrder}, whose chunk
     * wastes at most an eighth of itself on the header and the tail, or the least wasteful one.
     */
    static long chunkBytesFor(long elementSize, long pageSize, int maxOrder) {
        long best = 0;
        double bestWaste = 2;
        for (int k = 0; k <= maxOrder; k++) {
            long c = pageSize << k;
            long n = c / elementSize;
            while (n > 0 && ZoneLayout.headerBytes(n) + n * elementSize > c) {
                n--;
            }
            if (n == 0) {
                continue;
            }
            double waste = (double) (c - n * elementSize) / c;
            if (waste * 8 <= 1) {
                return c;
            }
            if (waste < bestWaste) {
                bestWaste = waste;
                best = c;
            }
        }
        if (best == 0) {
            throw new IllegalArgumentException("elements of %d bytes do not fit in chunks of %d pages"
                    .formatted(elementSize, 1L << maxOrder));
        }
        return best;
    }

    // ---- zalloc / zfree -----------------------------------------------------------------------------------

    /**
     * {@return a free element, or 0 when the page allocator has no chunk or an exhaustible zone is full}
     *
     * @throws ZoneExhaustedException if the zone is at its maximum, has no free element and is not exhaustible
     */
    public long zalloc() {
        long p = freeHead;
        if (p == 0) {
            p = grow();
            if (p == 0) {
                return 0;
            }
        }
        MemorySource m = memory;
        freeHead = m.getLong(p);
        if (keyed) {
            m.putLong(p + 8, 0);
        }
        freeElements--;
        long chunk = p & chunkMask;
        long i = ObjectIndex.index(p - chunk - headerBytes, reciprocal);
        long word = chunk + BITMAP + ((i >>> 6) << 3);
        m.putLong(word, m.getLong(word) | 1L << i);
        allocations++;
        if (++inUse > peakInUse) {
            peakInUse = inUse;
        }
        return p;
    }

    /** {@return whether a chunk more would take the zone past its maximum} */
    public boolean atMaximum() {
        return chunks * chunkBytes + chunkBytes > maxBytes;
    }

    /** Step 1 on an empty free list: {@return the first element of a new chunk, or 0}; throws when exhausted. */
    private long grow() {
        if (atMaximum()) {
            if (exhaustible) {
                return 0;
            }
            throw new ZoneExhaustedException(name, maxBytes, chunks * perChunk, elementSize);
        }
        return growUnchecked();
    }

    /** A new chunk, if the page allocator has one; {@return its first element, or 0} */
    long growUnchecked() {
        long chunk = pages.allocateRun(chunkBytes / pages.pageSize(), chunkBytes);
        if (chunk == 0) {
            return 0;
        }
        long first = chunk + headerBytes;
        memory.putLong(chunk + MAGIC, chunk ^ key);
        memory.putLong(chunk + ZONE, id);
        memory.putLong(chunk + FIRST, first);
        memory.putLong(chunk + NEXT, chunkHead);
        for (long w = 0; w < (perChunk + 63) / 64; w++) {
            memory.putLong(chunk + BITMAP + 8 * w, 0);
        }
        chunkHead = chunk;
        chunks++;
        // Push from the top down, so that the lowest element is on top and allocation goes up the chunk.
        for (int i = perChunk - 1; i >= 0; i--) {
            long p = first + i * elementSize;
            memory.putLong(p, freeHead);
            if (keyed) {
                memory.putLong(p + 8, key);
            }
            freeHead = p;
        }
        freeElements += perChunk;
        return freeHead;
    }

    /**
     * Frees {@code p}, an element of the chunk at {@code chunk} ({@code zfree}).
     *
     * @throws HeapCorruptionException if {@code p} is not an element of that chunk ({@code free(): invalid
     *                                 pointer}) or not allocated ({@code free(): double free detected})
     */
    void free(long chunk, long p) {
        MemorySource m = memory;
        long offset = p - chunk - headerBytes;
        long i = ObjectIndex.index(offset, reciprocal);
        if (offset < 0 || i >= perChunk || i * elementSize != offset) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, "free(): invalid pointer", p);
        }
        long word = chunk + BITMAP + ((i >>> 6) << 3);
        long bits = m.getLong(word);
        long bit = 1L << i;
        if ((bits & bit) == 0) {
            throw new HeapCorruptionException(CorruptionKind.DOUBLE_FREE, "free(): double free detected", p);
        }
        m.putLong(word, bits & ~bit);
        m.putLong(p, freeHead);
        if (keyed) {
            m.putLong(p + 8, key);
        }
        freeHead = p;
        freeElements++;
        inUse--;
    }

    /** {@return whether {@code p} is on an element boundary of the chunk at {@code chunk}, allocated or not} */
    boolean isElement(long chunk, long p) {
        long offset = p - chunk - headerBytes;
        long i = ObjectIndex.index(offset, reciprocal);
        return offset >= 0 && i < perChunk && i * elementSize == offset;
    }

    /** {@return the chunk that holds {@code p}, an element of this zone} */
    long chunkOf(long p) {
        return p & chunkMask;
    }

    /** {@return whether {@code p} is an allocated element of the chunk at {@code chunk}} */
    boolean isAllocated(long chunk, long p) {
        long offset = p - chunk - headerBytes;
        long i = ObjectIndex.index(offset, reciprocal);
        return offset >= 0 && i < perChunk && i * elementSize == offset
                && (memory.getLong(chunk + BITMAP + ((i >>> 6) << 3)) & 1L << i) != 0;
    }

    // ---- zone_gc ------------------------------------------------------------------------------------------

    /** Gives back every chunk with no element in use (Mach's {@code zone_gc}); {@return the chunks freed} */
    public long collect() {
        long dying = 0;
        for (long c = chunkHead; c != 0; c = memory.getLong(c + NEXT)) {
            if (popcount(c) == 0) {
                memory.putLong(c + ZONE, id | COLLECTING);
                dying++;
            }
        }
        if (dying == 0) {
            return 0;
        }
        // Drop the dying chunks' elements from the free list, keeping the order of the rest.
        long head = 0;
        long tail = 0;
        long kept = 0;
        for (long p = freeHead; p != 0; ) {
            long next = memory.getLong(p);
            if ((memory.getLong((p & chunkMask) + ZONE) & COLLECTING) == 0) {
                if (tail == 0) {
                    head = p;
                } else {
                    memory.putLong(tail, p);
                }
                tail = p;
                kept++;
            }
            p = next;
        }
        if (tail != 0) {
            memory.putLong(tail, 0);
        }
        freeHead = head;
        freeElements = kept;
        long previous = 0;
        for (long c = chunkHead; c != 0; ) {
            long next = memory.getLong(c + NEXT);
            if ((memory.getLong(c + ZONE) & COLLECTING) != 0) {
                if (previous == 0) {
                    chunkHead = next;
                } else {
                    memory.putLong(previous + NEXT, next);
                }
                memory.putLong(c + MAGIC, 0);
                pages.freeRun(c);
                chunks--;
            } else {
                previous = c;
            }
            c = next;
        }
        collected += dying;
        return dying;
    }

    int popcount(long chunk) {
        int bits = 0;
        for (long w = 0; w < (perChunk + 63) / 64; w++) {
            bits += Long.bitCount(memory.getLong(chunk + BITMAP + 8 * w));
        }
        return bits;
    }

    // ---- what zprint, the walk and the checker read ------------------------------------------------------

    public String name() {
        return name;
    }

    public int id() {
        return id;
    }

    /** {@return bytes per element} */
    public long elementSize() {
        return elementSize;
    }

    /** {@return the most bytes of chunks this zone may hold} */
    public long maxBytes() {
        return maxBytes;
    }

    /** {@return bytes of the chunks this zone holds now} */
    public long currentBytes() {
        return chunks * chunkBytes;
    }

    /** {@return bytes of one chunk: Mach's allocation size} */
    public long chunkBytes() {
        return chunkBytes;
    }

    /** {@return elements per chunk} */
    public int elementsPerChunk() {
        return perChunk;
    }

    public long headerBytes() {
        return headerBytes;
    }

    public long chunks() {
        return chunks;
    }

    /** {@return elements handed out and not freed} */
    public long inUse() {
        return inUse;
    }

    public long peakInUse() {
        return peakInUse;
    }

    public long freeElements() {
        return freeElements;
    }

    /** {@return every zalloc that succeeded, since the zone was made} */
    public long allocations() {
        return allocations;
    }

    /** {@return chunks zone_gc gave back, since the zone was made} */
    public long chunksCollected() {
        return collected;
    }

    /** {@return whether zalloc returns 0 at the maximum rather than throwing (Mach's {@code Z_EXHAUST})} */
    public boolean exhaustible() {
        return exhaustible;
    }

    /** {@return the zone as one line of {@code zprint}} */
    public ZoneInfo info() {
        return info(0);
    }

    /** {@return the zone as one line of {@code zprint}, with {@code cached} of its elements free in a thread cache} */
    ZoneInfo info(long cached) {
        return new ZoneInfo(name, elementSize, currentBytes(), maxBytes, chunks * perChunk,
                maxBytes / chunkBytes * perChunk, inUse - cached, chunkBytes, perChunk, exhaustible, true);
    }

    /** {@return whether a free element's second word holds the key} */
    boolean keyed() {
        return keyed;
    }

    long freeHead() {
        return freeHead;
    }

    long chunkHead() {
        return chunkHead;
    }

    long key() {
        return key;
    }

    MemorySource memory() {
        return memory;
    }

    long reciprocal() {
        return reciprocal;
    }

    @Override
    public String toString() {
        return "zone %s[%d-byte elements, %d in use, %d of %d bytes]".formatted(name, elementSize, inUse,
                currentBytes(), maxBytes);
    }
}
