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

import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.slab.SlabCache.SlabList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The invariants C1 to C4 of {@link SlabCache}, and S4 of {@link SlabAllocator} for an off-slab cache, checked
 * by walking every list and every slab's free list. Each walk is bounded, so a cycle is reported, not followed
 * forever. O(slabs · objects per slab).
 */
public final class SlabChecker {

    private final SlabCache cache;
    private final SlabSource source;
    private final MemorySource memory;
    private final List<Violation> violations = new ArrayList<>();

    /**
     * @param source where the cache's slabs come from, to check that an off-slab slab's pages name its
     *               descriptor; null to skip that check
     */
    public SlabChecker(SlabCache cache, SlabSource source) {
        this.cache = cache;
        this.source = source;
        this.memory = cache.memory();
    }

    private void fail(long address, String message) {
        violations.add(new Violation(address, cache.name() + ": " + message));
    }

    /** {@return every violation found; empty when the cache is consistent} */
    public List<Violation> check() {
        Set<Long> seen = new HashSet<>();
        long active = 0;
        long total = cache.slabs();
        for (SlabList list : SlabList.values()) {
            long count = 0;
            long prev = 0;
            for (long slab = cache.head(list); slab != 0; slab = memory.getLong(slab + NEXT)) {
                if (count > total) {
                    fail(slab, "C1: the %s list does not end: a cycle".formatted(name(list)));
                    break;
                }
                count++;
                if (!seen.add(slab)) {
                    fail(slab, "C1: slab 0x%x is on more than one list (again on the %s list)".formatted(slab, name(list)));
                    break;
                }
                if (memory.getLong(slab + PREV) != prev) {
                    fail(slab, "C4: prev link 0x%x, expected 0x%x".formatted(memory.getLong(slab + PREV), prev));
                }
                prev = slab;
                long inuse = memory.getLong(slab + INUSE);
                active += inuse;
                if (!checkHeader(slab)) {
                    break;
                }
                SlabList expected = SlabList.of(inuse, cache.objectsPerSlab());
                if (inuse < 0 || inuse > cache.objectsPerSlab() || expected != list) {
                    fail(slab, "C1: a slab with %d of %d objects in use is on the %s list, not the %s list"
                            .formatted(inuse, cache.objectsPerSlab(), name(list), name(expected)));
                }
                checkObjects(slab, inuse);
            }
            if (count != cache.count(list)) {
                fail(cache.head(list), "C3: the %s list has %d slabs, the cache counts %d"
                        .formatted(name(list), count, cache.count(list)));
            }
        }
        if (active != cache.activeObjects()) {
            fail(cache.head(SlabList.PARTIAL), "C3: the slabs hold %d objects in use, the cache counts %d"
                    .formatted(active, cache.activeObjects()));
        }
        if (cache.magazines() != null) {
            violations.addAll(cache.magazines().check());
        }
        if (cache.emptySlabs() > cache.maxEmpty()) {
            fail(cache.head(SlabList.EMPTY), "C3: %d empty slabs kept, at most %d allowed"
                    .formatted(cache.emptySlabs(), cache.maxEmpty()));
        }
        return violations;
    }

    private static String name(SlabList list) {
        return list.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** C4 and the slab's geometry; {@return whether the header can be trusted enough to look inside} */
    private boolean checkHeader(long slab) {
        if (memory.getLong(slab + MAGIC) != cache.magicOf(slab)) {
            fail(slab, "C4: the header's magic is wrong");
            return false;
        }
        if (memory.getLong(slab + CACHE) != cache.id()) {
            fail(slab, "C4: the header names cache %d, not %d".formatted(memory.getLong(slab + CACHE), cache.id()));
            return false;
        }
        long next = memory.getLong(slab + NEXT);
        if (next != 0 && memory.getLong(next + PREV) != slab) {
            fail(slab, "C4: prev(next) = 0x%x, not this slab".formatted(memory.getLong(next + PREV)));
        }
        long base = memory.getLong(slab + BASE);
        long first = memory.getLong(slab + FIRST);
        long headerEnd = cache.offSlab() ? base : base + cache.headerBytes();
        if (!cache.offSlab() && base != slab) {
            fail(slab, "C4: an on-slab header at 0x%x says its slab is at 0x%x".formatted(slab, base));
            return false;
        }
        if (first < headerEnd || first + cache.objectsPerSlab() * cache.size() > base + cache.span()
                || (first - headerEnd) % cache.colourUnit() != 0 || (first & (cache.alignment() - 1)) != 0) {
            fail(slab, "C4: object 0 at 0x%x is not a coloured, aligned offset inside the slab".formatted(first));
            return false;
        }
        if (cache.offSlab() && source != null && source.keepsOwners()) {
            for (long page = base; page < base + cache.span(); page += cache.span() / cache.pagesPerSlab()) {
                if (source.owner(page) != slab) {
                    fail(page, "S4: a page of an off-slab slab names 0x%x, not its descriptor 0x%x"
                            .formatted(source.owner(page), slab));
                }
            }
        }
        return true;
    }

    /** C2: the free list against the bitmap and the in-use count. */
    private void checkObjects(long slab, long inuse) {
        int n = cache.objectsPerSlab();
        long first = memory.getLong(slab + FIRST);
        long bits = 0;
        for (int w = 0; w < SlabLayout.bitmapWords(n); w++) {
            long word = memory.getLong(slab + BITMAP + 8L * w);
            long beyond = n - 64L * w >= 64 ? 0 : -1L << (n - 64 * w);
            if ((word & beyond) != 0) {
                fail(slab, "C2: bitmap bits are set past object %d".formatted(n - 1));
            }
            bits += Long.bitCount(word & ~beyond);
        }
        if (bits != inuse) {
            fail(slab, "C2: %d bitmap bits are set, but %d objects are in use".formatted(bits, inuse));
        }
        Set<Long> free = new HashSet<>();
        long steps = 0;
        for (long p = memory.getLong(slab + FREE); p != 0; p = memory.getLong(p + cache.linkOffset())) {
            if (++steps > n) {
                fail(slab, "C2: the free list is longer than the slab: a cycle");
                return;
            }
            long offset = p - first;
            long i = offset / cache.size();
            if (offset < 0 || i >= n || offset % cache.size() != 0) {
                fail(p, "C2: a free-list link leads off the slab's object boundaries");
                return;
            }
            if (!free.add(p)) {
                fail(p, "C2: an object is on the free list twice");
                return;
            }
            if ((memory.getLong(slab + BITMAP + ((i >>> 6) << 3)) & 1L << i) != 0) {
                fail(p, "C2: a free object's bitmap bit is set");
            }
            if (cache.keyed() && memory.getLong(p + 8) != cache.freeKey()) {
                fail(p, "C5: a free object's second word is not the magazine key: written after free");
            }
        }
        if (free.size() != n - inuse) {
            fail(slab, "C2: the free list has %d objects, but %d of %d are in use".formatted(free.size(), inuse, n));
        }
    }
}
