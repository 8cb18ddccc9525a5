package io.github.alloclab.slab;

import static io.github.alloclab.slab.SlabLayout.BASE;
import static io.github.alloclab.slab.SlabLayout.BITMAP;
import static io.github.alloclab.slab.SlabLayout.CACHE;
import static io.github.alloclab.slab.SlabLayout.FIRST;
import static io.github.alloclab.slab.SlabLayout.FREE;
import static io.github.alloclab.slab.SlabLayout.INUSE;
import static io.github.alloclab.slab.SlabLayout.MAGIC;
import static io.github.alloclab.slab.SlabLayout.NEXT;
import static io.github.alloclab.slab.SlabLayout.PREV;

import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.memory.MemorySource;
import java.util.function.LongConsumer;

/**
 * One object cache, Bonwick's {@code kmem_cache}: objects of one size, carved from slabs, each slab on one of
 * three lists by how many of its objects are in use.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>size</b> {@code s}: the stride between objects, the object size rounded up to the alignment (plus a
 *       link word when the cache has a constructor, as SLUB moves its free pointer past such objects).</li>
 *   <li><b>slab</b>: {@code span} bytes of memory from the {@link SlabSource}, holding {@code n} objects;
 *       its <b>header</b> is the on-slab header or off-slab descriptor of {@link SlabLayout}, and the header's
 *       address is the slab's handle on the lists.</li>
 *   <li><b>full</b>, <b>partial</b>, <b>empty</b>: slabs with {@code n}, {@code 1..n-1} and 0 objects in use.</li>
 *   <li><b>colour</b>: the offset of object 0 past the header, {@code c · unit} for the {@code c}-th slab modulo
 *       {@code colours = leftover / unit + 1}, so that the first objects of different slabs fall on different
 *       cache lines.</li>
 * </ul>
 *
 * <h2>Algorithm</h2>
 * <b>alloc</b> ({@code kmem_cache_alloc})
 * <ol>
 *   <li>Take the head of the partial list; if there is none, move the head of the empty list to the partial
 *       list; if there is none, grow: get a slab from the source, write its header, thread every object on its
 *       free list in address order and run the constructor on each, and put it on the partial list. If the
 *       source has no memory, return 0.</li>
 *   <li>Pop the slab's first free object, set its bit in the bitmap, count it in use.</li>
 *   <li>If the slab is now full, move it to the full list.</li>
 * </ol>
 * <b>free(slab, p)</b> ({@code kmem_cache_free})
 * <ol>
 *   <li>Check {@code p} before changing anything: {@code i = index(p - first)} must satisfy
 *       {@code first + i·s = p} and {@code i < n} (else {@code free(): invalid pointer}), and bit {@code i} must
 *       be set (else {@code free(): double free detected}).</li>
 *   <li>Clear the bit, push {@code p} on the slab's free list, count it out of use.</li>
 *   <li>A slab that was full moves to the partial list; one that is now empty moves to the empty list, unless
 *       {@code maxEmpty} empty slabs wait there already: then it is destroyed at once (destructor on every
 *       object, header magic cleared, memory back to the source).</li>
 * </ol>
 * <b>reap</b> ({@code kmem_cache_reap}): destroy every empty slab.
 *
 * <h2>Invariants</h2> (checked by {@link SlabChecker})
 * <pre>
 *  C1  every slab is on exactly one list, and it is the list its inuse says:
 *      inuse = n on full, 0 &lt; inuse &lt; n on partial, inuse = 0 on empty
 *  C2  |free list of a slab| = n - inuse = n - popcount(bitmap); its objects are distinct, in the slab, on
 *      object boundaries, with their bits clear
 *  C3  active = sum of inuse over the slabs;  slabs = |full| + |partial| + |empty|;  |empty| &lt;= maxEmpty
 *  C4  magic(header) = header XOR key, cache(header) = this cache's id; the links agree: prev(next(h)) = h
 *  C5  with magazines, in a cache with no constructor: a free object's second word is the magazine key
 * </pre>
 *
 * <h2>Complexity</h2>
 * {@code alloc} and {@code free} are O(1); growing a slab is O(n); {@code reap} is O(empty slabs · n) with a
 * destructor, O(empty slabs) without.
 *
 * <h2>References</h2>
 * Bonwick, "The Slab Allocator: An Object-Caching Kernel Memory Allocator", USENIX Summer 1994 (object
 * caching, slabs, colouring, reaping, off-slab management for large objects). Linux {@code mm/slab.c} before
 * 6.5 (full, partial and free lists, {@code colour_off}) and {@code mm/slub.c} (the free pointer moved past
 * objects with constructors).
 */
public final class SlabCache {

    private final String name;
    private final int id;
    private final MemorySource memory;
    private final SlabSource source;
    private final long key;
    private final long objectSize;
    private final long size;
    private final long align;
    private final long linkOffset;
    private final boolean offSlab;
    private final long span;
    private final long slabAlign;
    private final long pagesPerSlab;
    private final int objects;
    private final long headerBytes;
    private final long colours;
    private final long colourUnit;
    private final long reciprocal;
    private final int maxEmpty;
    private final LongConsumer constructor;
    private final LongConsumer destructor;
    /** Where off-slab descriptors come from; null for an on-slab cache. */
    private final SlabCache descriptors;
    private final boolean internal;

    /** The magazine layer in front of this cache, or null. */
    private Magazines magazines;
    /** Whether a free object's second word holds {@link #freeKey} (C5): set with magazines, if nothing is built. */
    private boolean keyed;
    private long freeKey;

    private long nextColour;
    private long partial;
    private long full;
    private long empty;
    private long partialSlabs;
    private long fullSlabs;
    private long emptySlabs;
    private long active;
    private long peakActive;
    private long grown;
    private long destroyed;

    SlabCache(String name, int id, MemorySource memory, SlabSource source, long key, Geometry g, int maxEmpty,
              LongConsumer constructor, LongConsumer destructor, SlabCache descriptors, boolean internal) {
        this.name = name;
        this.id = id;
        this.memory = memory;
        this.source = source;
        this.key = key;
        this.objectSize = g.objectSize;
        this.size = g.size;
        this.align = g.align;
        this.linkOffset = g.linkOffset;
        this.offSlab = g.offSlab;
        this.span = g.span;
        this.slabAlign = g.slabAlign;
        this.pagesPerSlab = g.pages;
        this.objects = g.objects;
        this.headerBytes = g.headerBytes;
        this.colourUnit = g.colourUnit;
        this.colours = g.colours;
        this.reciprocal = SlabLayout.reciprocal(size);
        this.maxEmpty = maxEmpty;
        this.constructor = constructor;
        this.destructor = destructor;
        this.descriptors = descriptors;
        this.internal = internal;
    }

    /**
     * Makes a cache whose slabs are all on-slab and {@code span} bytes long, aligned to {@code slabAlign}, for a
     * general allocator's bins: an object's slab is then {@code p AND -slabAlign}, whose first word is
     * {@code slab XOR key}.
     *
     * @param name       the cache's name
     * @param id         the number the allocator knows the cache by; it is written in every slab header
     * @param memory     where the slabs are
     * @param source     where the slab memory comes from
     * @param key        the allocator's random key
     * @param objectSize bytes per object, a multiple of 16
     * @param span       bytes of a slab, at most {@code slabAlign}
     * @param slabAlign  the alignment of every slab, a power of two
     * @param colourUnit the colour step
     * @param maxEmpty   empty slabs kept
     */
    public static SlabCache onSlab(String name, int id, MemorySource memory, SlabSource source, long key,
                                   long objectSize, long span, long slabAlign, long colourUnit, int maxEmpty) {
        if (span > slabAlign || Long.bitCount(slabAlign) != 1 || (objectSize & 15) != 0) {
            throw new IllegalArgumentException("a span of %d bytes aligned to %d for objects of %d bytes"
                    .formatted(span, slabAlign, objectSize));
        }
        Geometry g = Geometry.choose(objectSize, 16, false, slabAlign, span, Long.MAX_VALUE, 0, colourUnit);
        return new SlabCache(name, id, memory, source, key, g, maxEmpty, null, null, null, false);
    }

    /**
     * Puts a magazine layer in front of this cache (Bonwick and Adams 2001).
     *
     * @param rounds   objects per magazine, at least 1
     * @param depotMax the most full magazines the depot keeps
     * @param source   where magazines come from
     * @param key      the word a free object in a magazine holds at {@code p + 8}
     * @param lock     the allocator's lock, held on every path but the magazine fast paths
     * @throws IllegalStateException if objects are smaller than 16 bytes or the cache has magazines already
     */
    public Magazines enableMagazines(int rounds, int depotMax, Magazines.MagazineSource source, long key,
                                     java.util.concurrent.locks.ReentrantLock lock) {
        if (usable() < 16 || magazines != null || rounds < 1) {
            throw new IllegalStateException("cache " + name + " cannot take magazines");
        }
        keyFreeObjects(key);
        magazines = new Magazines(this, rounds, depotMax, source, key, lock);
        return magazines;
    }

    /**
     * From now on, a free object's second word holds {@code key} (C5), for a per-thread layer in front of the
     * cache that then need not read the bitmap; {@return whether the cache keeps C5}: only a cache with no
     * constructor (whose objects' state must survive free), no link at +8, and no slab yet can
     */
    public boolean keyFreeObjects(long key) {
        if (keyed) {
            return freeKey == key;
        }
        if (constructor == null && linkOffset != 8 && usable() >= 16 && partial == 0 && full == 0 && empty == 0) {
            keyed = true;
            freeKey = key;
        }
        return keyed;
    }

    /** {@return the magazine layer in front of this cache, or null} */
    public Magazines magazines() {
        return magazines;
    }

    /** {@return the header or descriptor of the slab holding object {@code p}} */
    public long headerOf(long p) {
        return offSlab ? source.owner(p) : p & -slabAlign;
    }

    /**
     * {@return whether {@code p} is an object a caller holds: allocated from its slab and, with magazines, in no
     * magazine}
     */
    public boolean isLive(long slab, long p) {
        if (!isAllocated(slab, p)) {
            return false;
        }
        return magazines == null || memory.getLong(p + 8) != magazines.key() || !magazines.holds(p);
    }

    /** {@return objects callers hold: out of the slabs and in no magazine} */
    public long inUse() {
        return magazines == null ? active : active - magazines.rounds();
    }

    // ---- geometry ---------------------------------------------------------------------------------------

    /**
     * How a cache lays out its slabs.
     *
     * @param objectSize the size callers asked for
     * @param size       the stride between objects
     * @param align      the alignment of every object
     * @param linkOffset where a free object keeps the address of the next
     * @param offSlab    whether the header is a descriptor elsewhere
     * @param span       bytes of a slab
     * @param slabAlign  the alignment of a slab's memory
     * @param pages      pages a slab takes
     * @param objects    objects per slab
     * @param headerBytes the on-slab header, 0 off-slab
     * @param colourUnit the colour step
     * @param colours    how many colours there are
     */
    record Geometry(long objectSize, long size, long align, long linkOffset, boolean offSlab, long span,
                    long slabAlign, long pages, int objects, long headerBytes, long colourUnit, long colours) {

        /** {@return the leftover bytes of a slab: what neither header nor objects take} */
        long leftover() {
            return span - headerBytes - objects * size;
        }

        /**
         * Chooses a layout as Bonwick does: objects of at least {@code offSlabMin} bytes keep their header off
         * the slab; the slab is the smallest {@code 2^k} pages ({@code k <= maxOrder}) that wastes at most an
         * eighth of itself, or the least wasteful one if none does.
         *
         * @param objectSize  bytes of an object
         * @param align       alignment of every object, a power of two of at least 8
         * @param withLink    whether a free object's link must go past the object (a constructor's state)
         * @param pageSize    bytes of a page
         * @param onSlabSpan  bytes of an on-slab slab (a page, or a page less a heap block's header)
         * @param offSlabMin  the least object size kept off-slab; {@code Long.MAX_VALUE} for never
         * @param maxOrder    the largest slab, as an order of pages
         * @param colourUnit  the colour step, a cache line
         */
        static Geometry choose(long objectSize, long align, boolean withLink, long pageSize, long onSlabSpan,
                               long offSlabMin, int maxOrder, long colourUnit) {
            long size = SlabLayout.roundUp(Math.max(objectSize, 8), align);
            long link = 0;
            if (withLink) {
                link = size;
                size = SlabLayout.roundUp(size + 8, align);
            }
            long unit = Math.max(colourUnit, align);
            if (size >= offSlabMin) {
                Geometry best = null;
                for (int k = 0; k <= maxOrder; k++) {
                    long span = pageSize << k;
                    int n = (int) Math.min(span / size, SlabLayout.MAX_OFF_SLAB_OBJECTS);
                    if (n == 0) {
                        continue;
                    }
                    Geometry g = new Geometry(objectSize, size, align, link, true, span, pageSize, 1L << k, n, 0,
                            unit, (span - n * size) / unit + 1);
                    if (best == null || g.wasteRatio() < best.wasteRatio()) {
                        best = g;
                    }
                    if (g.leftover() * 8 <= span) {
                        return g;
                    }
                }
                if (best != null) {
                    return best;
                }
                throw new IllegalArgumentException("objects of %d bytes do not fit in a slab of %d pages"
                        .formatted(objectSize, 1L << maxOrder));
            }
            long n = onSlabSpan / size;
            while (n > 0 && SlabLayout.headerBytes(n, align) + n * size > onSlabSpan) {
                n--;
            }
            if (n == 0) {
                throw new IllegalArgumentException("objects of %d bytes do not fit in an on-slab slab of %d bytes"
                        .formatted(objectSize, onSlabSpan));
            }
            long header = SlabLayout.headerBytes(n, align);
            long leftover = onSlabSpan - header - n * size;
            return new Geometry(objectSize, size, align, link, false, onSlabSpan, pageSize, 1, (int) n, header,
                    unit, leftover / unit + 1);
        }

        private double wasteRatio() {
            return (double) leftover() / span;
        }
    }

    // ---- alloc ------------------------------------------------------------------------------------------

    /** {@return a new object, or 0 when no slab can be had} ({@code kmem_cache_alloc}) */
    public long alloc() {
        long slab = partial;
        if (slab == 0) {
            slab = refill();
            if (slab == 0) {
                return 0;
            }
        }
        MemorySource m = memory;
        long p = m.getLong(slab + FREE);
        m.putLong(slab + FREE, m.getLong(p + linkOffset));
        if (keyed) {
            m.putLong(p + 8, 0);
        }
        long inuse = m.getLong(slab + INUSE) + 1;
        m.putLong(slab + INUSE, inuse);
        long i = SlabLayout.index(p - m.getLong(slab + FIRST), reciprocal);
        long word = slab + BITMAP + ((i >>> 6) << 3);
        m.putLong(word, m.getLong(word) | 1L << i);
        if (inuse == objects) {
            unlinkPartial(slab);
            pushFull(slab);
        }
        if (++active > peakActive) {
            peakActive = active;
        }
        return p;
    }

    /** {@return whether a slab is partial, so that {@link #alloc} takes an object without growing or an empty slab} */
    boolean hasPartial() {
        return partial != 0;
    }

    /** Step 1 when no slab is partial: {@return an empty slab moved to the partial list, a new one, or 0} */
    private long refill() {
        long slab = empty;
        if (slab != 0) {
            unlinkEmpty(slab);
        } else {
            slab = grow();
            if (slab == 0) {
                return 0;
            }
        }
        pushPartial(slab);
        return slab;
    }

    /** {@return the header of a new slab with every object free, on no list, or 0} */
    private long grow() {
        long base = source.allocateSlab(span, slabAlign);
        if (base == 0) {
            return 0;
        }
        long colour = (nextColour++ % colours) * colourUnit;
        long header;
        long first;
        if (offSlab) {
            header = descriptors.alloc();
            if (header == 0) {
                source.freeSlab(base);
                return 0;
            }
            source.setOwner(base, span, header);
            first = base + colour;
            memory.putLong(header + MAGIC, header ^ key ^ SlabAllocator.DESCRIPTOR_SALT);
        } else {
            header = base;
            first = base + headerBytes + colour;
            memory.putLong(header + MAGIC, header ^ key);
        }
        memory.putLong(header + CACHE, id);
        memory.putLong(header + NEXT, 0);
        memory.putLong(header + PREV, 0);
        memory.putLong(header + INUSE, 0);
        memory.putLong(header + FIRST, first);
        memory.putLong(header + BASE, base);
        for (long w = 0; w < SlabLayout.bitmapWords(objects); w++) {
            memory.putLong(header + BITMAP + 8 * w, 0);
        }
        for (int i = 0; i < objects; i++) {
            long p = first + i * size;
            if (constructor != null) {
                constructor.accept(p);
            }
            memory.putLong(p + linkOffset, i + 1 < objects ? p + size : 0);
            if (keyed) {
                memory.putLong(p + 8, freeKey);
            }
        }
        memory.putLong(header + FREE, first);
        grown++;
        return header;
    }

    // ---- free -------------------------------------------------------------------------------------------

    /**
     * Frees {@code p}, an object of the slab whose header is {@code slab} ({@code kmem_cache_free}).
     *
     * @throws HeapCorruptionException if {@code p} is not an object of that slab ({@code free(): invalid
     *                                 pointer}) or is not allocated ({@code free(): double free detected});
     *                                 nothing has changed then
     */
    public void free(long slab, long p) {
        MemorySource m = memory;
        long offset = p - m.getLong(slab + FIRST);
        long i = SlabLayout.index(offset, reciprocal);
        if (offset < 0 || i >= objects || i * size != offset) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, "free(): invalid pointer", p);
        }
        long word = slab + BITMAP + ((i >>> 6) << 3);
        long bits = m.getLong(word);
        long bit = 1L << i;
        if ((bits & bit) == 0) {
            throw new HeapCorruptionException(CorruptionKind.DOUBLE_FREE, "free(): double free detected", p);
        }
        m.putLong(word, bits & ~bit);
        m.putLong(p + linkOffset, m.getLong(slab + FREE));
        if (keyed) {
            m.putLong(p + 8, freeKey);
        }
        m.putLong(slab + FREE, p);
        long inuse = m.getLong(slab + INUSE) - 1;
        m.putLong(slab + INUSE, inuse);
        active--;
        if (inuse == objects - 1) {
            unlinkFull(slab);
            if (inuse > 0) {
                pushPartial(slab);
                return;
            }
        } else if (inuse == 0) {
            unlinkPartial(slab);
        } else {
            return;
        }
        if (emptySlabs < maxEmpty) {
            pushEmpty(slab);
        } else {
            destroy(slab);
        }
    }

    /** {@return whether {@code p} is on an object boundary of the slab {@code slab}, allocated or not} */
    public boolean isObject(long slab, long p) {
        long offset = p - memory.getLong(slab + FIRST);
        long i = SlabLayout.index(offset, reciprocal);
        return offset >= 0 && i < objects && i * size == offset;
    }

    /**
     * {@return whether every free object's second word holds the magazine key} (C5): then an object without the
     * key there is allocated or in a magazine, and the magazine layer need not read the bitmap
     */
    public boolean keyed() {
        return keyed;
    }

    /** {@return the word C5 puts in a free object's second word, or 0 when the cache is not keyed} */
    public long freeKey() {
        return freeKey;
    }

    /** {@return whether {@code p} is an allocated object of the slab {@code slab}, checking nothing else} */
    public boolean isAllocated(long slab, long p) {
        long offset = p - memory.getLong(slab + FIRST);
        long i = SlabLayout.index(offset, reciprocal);
        if (offset < 0 || i >= objects || i * size != offset) {
            return false;
        }
        return (memory.getLong(slab + BITMAP + ((i >>> 6) << 3)) & 1L << i) != 0;
    }

    /** Gives a slab with no object in use, on no list, back to the source. */
    private void destroy(long slab) {
        long base = memory.getLong(slab + BASE);
        if (destructor != null) {
            long first = memory.getLong(slab + FIRST);
            for (int i = 0; i < objects; i++) {
                destructor.accept(first + i * size);
            }
        }
        memory.putLong(slab + MAGIC, 0);
        if (offSlab) {
            source.setOwner(base, span, 0);
            descriptors.freeObject(slab);
        }
        source.freeSlab(base);
        destroyed++;
    }

    /** Frees an object of this on-slab cache, finding its slab by the address alone. */
    void freeObject(long p) {
        long slab = p & -slabAlign;
        if (offSlab || memory.getLong(slab + MAGIC) != (slab ^ key) || (int) memory.getLong(slab + CACHE) != id) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, "free(): invalid pointer", p);
        }
        free(slab, p);
    }

    /** Destroys every empty slab ({@code kmem_cache_reap}); {@return the slabs destroyed} */
    public long reap() {
        long n = 0;
        while (empty != 0) {
            long slab = empty;
            unlinkEmpty(slab);
            destroy(slab);
            n++;
        }
        return n;
    }

    // ---- lists ------------------------------------------------------------------------------------------

    private void pushPartial(long slab) {
        partial = push(slab, partial);
        partialSlabs++;
    }

    private void pushFull(long slab) {
        full = push(slab, full);
        fullSlabs++;
    }

    private void pushEmpty(long slab) {
        empty = push(slab, empty);
        emptySlabs++;
    }

    private void unlinkPartial(long slab) {
        long next = unlink(slab);
        if (partial == slab) {
            partial = next;
        }
        partialSlabs--;
    }

    private void unlinkFull(long slab) {
        long next = unlink(slab);
        if (full == slab) {
            full = next;
        }
        fullSlabs--;
    }

    private void unlinkEmpty(long slab) {
        long next = unlink(slab);
        if (empty == slab) {
            empty = next;
        }
        emptySlabs--;
    }

    /** Links {@code slab} in front of {@code head}; {@return the new head} */
    private long push(long slab, long head) {
        memory.putLong(slab + NEXT, head);
        memory.putLong(slab + PREV, 0);
        if (head != 0) {
            memory.putLong(head + PREV, slab);
        }
        return slab;
    }

    /** Unlinks {@code slab} from its neighbours; {@return its successor, the new head if it was the head} */
    private long unlink(long slab) {
        long next = memory.getLong(slab + NEXT);
        long prev = memory.getLong(slab + PREV);
        if (prev != 0) {
            memory.putLong(prev + NEXT, next);
        }
        if (next != 0) {
            memory.putLong(next + PREV, prev);
        }
        return next;
    }

    // ---- what views and the checker read ----------------------------------------------------------------

    /**
     * Reports the slab whose header is {@code header} as blocks: header, colour, objects, leftover. Objects in
     * {@code inMagazines} are free.
     */
    public void walkSlab(long header, java.util.Set<Long> inMagazines,
                         java.util.function.Consumer<io.github.alloclab.allocator.Block> visitor) {
        SlabWalk.slab(this, header, inMagazines, visitor);
    }

    /** {@return the violations of C1 to C4 in this cache, and of G1 to G3 in its magazines} */
    public java.util.List<io.github.alloclab.allocator.Violation> check() {
        return new SlabChecker(this, null).check();
    }

    public String name() {
        return name;
    }

    public int id() {
        return id;
    }

    /** {@return the object size asked for at creation} */
    public long objectSize() {
        return objectSize;
    }

    /** {@return the stride between objects: the object size rounded up, with any link word} */
    public long size() {
        return size;
    }

    /** {@return the bytes a caller may use in an object} */
    public long usable() {
        return linkOffset == 0 ? size : linkOffset;
    }

    public long alignment() {
        return align;
    }

    public boolean offSlab() {
        return offSlab;
    }

    /** {@return bytes of a slab's memory} */
    public long span() {
        return span;
    }

    public long pagesPerSlab() {
        return pagesPerSlab;
    }

    public int objectsPerSlab() {
        return objects;
    }

    public long headerBytes() {
        return headerBytes;
    }

    public long colours() {
        return colours;
    }

    public long colourUnit() {
        return colourUnit;
    }

    public long linkOffset() {
        return linkOffset;
    }

    public int maxEmpty() {
        return maxEmpty;
    }

    /** {@return whether the allocator made this cache for its own bookkeeping, such as off-slab descriptors} */
    public boolean internal() {
        return internal;
    }

    /** {@return objects in use} */
    public long activeObjects() {
        return active;
    }

    /** {@return the most objects in use at once} */
    public long peakActiveObjects() {
        return peakActive;
    }

    public long slabs() {
        return partialSlabs + fullSlabs + emptySlabs;
    }

    public long fullSlabs() {
        return fullSlabs;
    }

    public long partialSlabs() {
        return partialSlabs;
    }

    public long emptySlabs() {
        return emptySlabs;
    }

    /** {@return slabs made since the cache was created} */
    public long slabsGrown() {
        return grown;
    }

    /** {@return slabs given back since the cache was created} */
    public long slabsDestroyed() {
        return destroyed;
    }

    /** {@return whether an object can be had without growing} */
    public boolean hasFreeObject() {
        return partial != 0 || empty != 0;
    }

    long head(SlabList list) {
        return switch (list) {
            case FULL -> full;
            case PARTIAL -> partial;
            case EMPTY -> empty;
        };
    }

    long count(SlabList list) {
        return switch (list) {
            case FULL -> fullSlabs;
            case PARTIAL -> partialSlabs;
            case EMPTY -> emptySlabs;
        };
    }

    long key() {
        return key;
    }

    /** {@return the cache id written in the slab header at {@code header}: the allocator's number for the cache} */
    public static long cacheWord(MemorySource memory, long header) {
        return memory.getLong(header + CACHE);
    }

    /** {@return the first word of a slab header of this cache at {@code header}} */
    public long magicOf(long header) {
        return offSlab ? header ^ key ^ SlabAllocator.DESCRIPTOR_SALT : header ^ key;
    }

    MemorySource memory() {
        return memory;
    }

    SlabCache descriptorCache() {
        return descriptors;
    }

    long reciprocal() {
        return reciprocal;
    }

    /** The three lists of a cache. */
    enum SlabList {
        FULL, PARTIAL, EMPTY;

        /** {@return the list a slab with {@code inuse} of {@code objects} objects in use belongs on} */
        static SlabList of(long inuse, long objects) {
            return inuse == 0 ? EMPTY : inuse == objects ? FULL : PARTIAL;
        }
    }

    @Override
    public String toString() {
        return "%s[%d objects of %d bytes in %d-page slabs, %d active]".formatted(name, objects, size,
                pagesPerSlab, active);
    }
}
