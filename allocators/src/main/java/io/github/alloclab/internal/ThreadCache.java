package io.github.alloclab.internal;

import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A per-thread cache of freed blocks in front of an allocator's size classes, glibc's {@code tcache}: one short
 * LIFO list per size class, threaded through the freed blocks themselves, that {@code malloc} pops and
 * {@code free} pushes without touching the allocator behind it.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>bin</b> {@code b}: one size class; <b>head</b>{@code [b]}: its list's first block, tagged with the
 *       list's length in the top 16 bits ({@code head = p | n << 48}).</li>
 *   <li><b>L</b>: the most blocks a bin holds (glibc's {@code tcache_count}, 7 by default).</li>
 *   <li><b>key</b>: a random word of the allocator; a cached block's second word holds it (glibc's
 *       {@code tcache_key}).</li>
 *   <li><b>slot</b>: the last block freed, with its bin, kept out of the lists: a bin holds up to {@code L}
 *       blocks on its list, and one more while the slot's block is its own.</li>
 * </ul>
 *
 * <h2>Why the slot</h2>
 * {@code free} must read metadata to learn a block's bin (the allocator's chunk or slab header), so a store to
 * {@code head[b]} waits for that load, and a {@code malloc} that follows reads {@code head[b]} and waits in
 * turn. The slot is one word at a fixed place: {@code free} stores the block there at once, and the
 * {@code malloc} that follows finds it there, comparing the bins only to branch. In the alloc-and-free pair
 * benchmark this took zone from 8.5 to 6.8 ns (JMH, 64 B).
 *
 * <h2>Layout of a cached block</h2>
 * <pre>
 *  p +0  next: the next block | (n - 1) &lt;&lt; 48     the length of the list that follows, as a tag
 *  p +8  key                                    marks the block as cached; user data never starts so
 *  p+16  ... the rest of the block, untouched
 * </pre>
 *
 * <h2>Algorithm</h2>
 * <b>get(b)</b>
 * <ol>
 *   <li>If the slot holds a block of bin {@code b}, empty the slot, clear the block's key word and return it.</li>
 *   <li>{@code h = head[b]}; if its block is 0 the bin is empty: the allocator takes the slow path.</li>
 *   <li>Read the block's next word. Its tag must be one less than {@code h}'s and its block 16-byte aligned:
 *       anything else means a write after {@code free} overwrote it (glibc: {@code malloc(): unaligned tcache
 *       chunk detected}). Then the bin is dropped, its blocks leak, and the error is reported.</li>
 *   <li>{@code head[b] = next}; clear the key word, and return the block.</li>
 * </ol>
 * <b>put(b, p)</b>, after the allocator has checked that {@code p} is a block of bin {@code b}:
 * <ol>
 *   <li>If {@code p}'s key word is the key, decline: the allocator frees {@code p} itself. A key there means
 *       {@code p} may be cached already, and the allocator's slow path scans the bin ({@link #holds}) to tell a
 *       double free from user data that happens to match.</li>
 *   <li>If the slot holds a block {@code q} of bin {@code c}: if {@code c}'s list holds {@code L} blocks, give
 *       {@code q} back to the allocator ({@link Overflow}); otherwise write {@code head[c]} into {@code q}'s next
 *       word and make {@code q} the head of {@code c} with a tag one greater. A block given back leaves as an
 *       allocated block, its key word cleared. With the key, the magazines behind malloc's cache took every
 *       such block for a possible double free and checked it under their lock: in {@code SharedHeapBenchmark},
 *       two threads took 119 to 149 ns per pair on malloc, and 27 to 56 ns once the key was cleared.</li>
 *   <li>Write the key into {@code p}'s key word, and put {@code p} and {@code b} in the slot.</li>
 * </ol>
 * The order stays LIFO within each bin: the slot's block is always the one freed last. Nothing else runs on the
 * fast path: no counter besides the tag, no bitmap, no lock. To the allocator behind, a cached block is still
 * allocated; {@link #drain} gives blocks back to it.
 *
 * <h2>Invariants</h2> (checked by {@link #check})
 * <pre>
 *  T1  each bin's list has as many distinct blocks as its head's tag says, at most L
 *  T2  the tags go down by one along the list, to 0 at its end; every link is 16-byte aligned
 *  T3  every cached block's key word is the key
 *  T4  the slot's block, if any, has the key too, and is on no list
 * </pre>
 *
 * <h2>Thread safety</h2>
 * None: one cache serves one thread, the owner of the allocator it fronts.
 *
 * <h2>References</h2>
 * glibc {@code malloc/malloc.c} ({@code tcache_get}, {@code tcache_put}, {@code tcache_double_free_verify});
 * DJ Delorie's tcache patch (2017); Evans, "A Scalable Concurrent malloc(3) Implementation for FreeBSD"
 * (BSDCan 2006), on thread caches in jemalloc.
 */
public final class ThreadCache {

    /** One unit of the length tag. */
    public static final long ONE = 1L << 48;
    /** The block bits of a head or next word. */
    public static final long BLOCK = ONE - 1;
    /** The most blocks a bin may hold. */
    public static final int MAX_LIMIT = 1 << 15;
    /** The bits of a next word that get compares with the head's: the tag, and the block's low four bits. */
    private static final long TAG_AND_ALIGNMENT = ~BLOCK | 15;

    /** Where a block goes when the slot hands it to a full bin: back to the allocator behind the cache. */
    @FunctionalInterface
    public interface Overflow {
        void free(int bin, long block);
    }

    private final MemorySource memory;
    private final long key;
    private final long[] heads;
    private final long limitTag;
    private final int limit;
    private final Overflow overflow;
    /** The slot: the last block freed, or 0, and its bin. */
    private long last;
    private int lastBin;

    /**
     * Makes an empty cache.
     *
     * @param bins  the number of size classes it serves
     * @param limit the most blocks per bin, {@code L}; 0 turns the cache off (every {@code put} declines)
     */
    public ThreadCache(MemorySource memory, long key, int bins, int limit, Overflow overflow) {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("a thread cache holds from 0 to %d blocks per bin: %d"
                    .formatted(MAX_LIMIT, limit));
        }
        this.memory = memory;
        this.key = key;
        this.heads = new long[bins];
        this.limit = limit;
        this.limitTag = (long) limit * ONE;
        this.overflow = overflow;
    }

    /** Steps 1 to 4 of get. {@return a cached block of {@code bin}, or 0 when the bin is empty} */
    public long get(int bin) {
        long p = last;
        if (p != 0 && lastBin == bin) {
            last = 0;
            memory.putLong(p + 8, 0);
            return p;
        }
        return pop(bin);
    }

    /** Steps 2 to 4 of get: the bin's list. */
    private long pop(int bin) {
        long h = heads[bin];
        long p = h & BLOCK;
        if (p == 0) {
            return 0;
        }
        long next = memory.getLong(p);
        if (((h - ONE ^ next) & TAG_AND_ALIGNMENT) != 0) {
            throw corrupted(bin, p);
        }
        heads[bin] = next;
        memory.putLong(p + 8, 0);
        return p;
    }

    /** Step 2 of get, when {@code p}'s next word has the wrong tag or an unaligned block. */
    private HeapCorruptionException corrupted(int bin, long p) {
        heads[bin] = 0;
        return new HeapCorruptionException(CorruptionKind.USE_AFTER_FREE,
                "malloc(): unaligned tcache chunk detected", p);
    }

    /** Steps 1 to 3 of put. {@return whether {@code p} is now cached; if not, the allocator frees it itself} */
    public boolean put(int bin, long p) {
        if (memory.getLong(p + 8) == key || limit == 0) {
            return false;
        }
        long q = last;
        if (q != 0) {
            spill(q);
        }
        memory.putLong(p + 8, key);
        last = p;
        lastBin = bin;
        return true;
    }

    /** Step 2 of put: the slot's block {@code q} goes on its bin's list, or back to the allocator if that is full. */
    private void spill(long q) {
        int bin = lastBin;
        long h = heads[bin];
        if ((h & ~BLOCK) == limitTag) {
            last = 0;
            memory.putLong(q + 8, 0);
            overflow.free(bin, q);
            return;
        }
        memory.putLong(q, h);
        heads[bin] = (h & ~BLOCK) + ONE | q;
    }

    /** {@return whether {@code p} is on {@code bin}'s list} (glibc's {@code tcache_double_free_verify}) */
    public boolean holds(int bin, long p) {
        boolean[] found = {false};
        forEach(bin, q -> found[0] |= q == p);
        return found[0];
    }

    /** {@return whether {@code p}'s key word says it may be cached} */
    public boolean marked(long p) {
        return memory.getLong(p + 8) == key;
    }

    /** {@return the number of blocks {@code bin} holds, the slot's included} */
    public int count(int bin) {
        return (int) (heads[bin] >>> 48) + (last != 0 && lastBin == bin ? 1 : 0);
    }

    /** {@return the number of bins} */
    public int bins() {
        return heads.length;
    }

    /** {@return the most blocks a bin holds} */
    public int limit() {
        return limit;
    }

    /**
     * Calls {@code action} with each block of {@code bin}, from the head, without changing anything. It stops
     * before a link whose tag or alignment is wrong (T2), so that a damaged list is never followed off the heap.
     */
    public void forEach(int bin, LongConsumer action) {
        if (last != 0 && lastBin == bin) {
            action.accept(last);
        }
        long link = heads[bin];
        for (int n = 0; (link & BLOCK) != 0 && n < limit; n++) {
            long q = link & BLOCK;
            action.accept(q);
            long next = memory.getLong(q);
            if (((link - ONE ^ next) & TAG_AND_ALIGNMENT) != 0) {
                return;
            }
            link = next;
        }
    }

    /**
     * Empties {@code bin}, giving each block to {@code free} as an allocated block, its key word cleared;
     * {@return the number of blocks given back}
     */
    public int drain(int bin, LongConsumer free) {
        List<Long> blocks = new ArrayList<>();
        forEach(bin, blocks::add);
        heads[bin] = 0;
        if (lastBin == bin) {
            last = 0;
        }
        for (long p : blocks) {
            memory.putLong(p + 8, 0);
            free.accept(p);
        }
        return blocks.size();
    }

    /** Checks T1 to T3; {@return the violations found, each naming the bin and block} */
    public List<Violation> check() {
        List<Violation> violations = new ArrayList<>();
        List<Long> listed = new ArrayList<>();
        for (int b = 0; b < heads.length; b++) {
            long h = heads[b];
            long tag = h >>> 48;
            if (tag > limit) {
                violations.add(new Violation(h & BLOCK, "T1: tcache bin %d says it holds %d blocks, more than %d"
                        .formatted(b, tag, limit)));
                continue;
            }
            long q = h & BLOCK;
            long expect = tag;
            List<Long> seen = new ArrayList<>();
            while (q != 0) {
                if (seen.contains(q) || seen.size() > limit) {
                    violations.add(new Violation(q, "T1: tcache bin %d's list comes back to a block".formatted(b)));
                    break;
                }
                seen.add(q);
                if (memory.getLong(q + 8) != key) {
                    violations.add(new Violation(q, "T3: a block cached in bin %d has lost its key".formatted(b)));
                }
                long next = memory.getLong(q);
                expect--;
                if ((next >>> 48) != expect || (next & 15) != 0 || ((next & BLOCK) == 0) != (expect == 0)) {
                    violations.add(new Violation(q, "T2: tcache bin %d: the next word 0x%x is not a %d-block tail"
                            .formatted(b, next, expect)));
                    break;
                }
                q = next & BLOCK;
            }
            if (q == 0 && seen.size() != tag) {
                violations.add(new Violation(h & BLOCK, "T1: tcache bin %d holds %d blocks, but its tag says %d"
                        .formatted(b, seen.size(), tag)));
            }
            listed.addAll(seen);
        }
        if (last != 0 && (memory.getLong(last + 8) != key || listed.contains(last)
                || lastBin < 0 || lastBin >= heads.length)) {
            violations.add(new Violation(last, "T4: the slot's block has lost its key, or is on a list too"));
        }
        return violations;
    }
}
