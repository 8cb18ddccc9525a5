package io.github.alloclab.slab;

import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The magazine layer of one cache (Bonwick and Adams, "Magazines and Vmem", USENIX 2001): per-thread stacks of
 * free objects in front of the slabs, so that a thread allocates and frees without the slab lists, and without
 * a lock.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>magazine</b>: {@code M} rounds (object addresses) in off-heap memory, from a {@link MagazineSource}:
 *       {@code +0} the depot link, {@code +8 + 8i} round {@code i}.</li>
 *   <li><b>CPU cache</b>: a thread's <i>loaded</i> and <i>previous</i> magazines and their round counts
 *       ({@link CpuCache}); Bonwick's per-CPU {@code cpu_cache}, per thread here.</li>
 *   <li><b>depot</b>: full and empty magazines shared by all threads, under the allocator's lock.</li>
 *   <li><b>key</b>: a random word written at {@code p + 8} of an object while it is in a magazine; objects are
 *       at least 16 bytes. It lets {@code free} suspect a double free in one load, as glibc's tcache does.</li>
 * </ul>
 *
 * <h2>Algorithm</h2>
 * <b>alloc</b>: if the loaded magazine has a round, pop it (clear its key) and return it: no lock. Otherwise,
 * under the lock: if the previous magazine is full, swap the two and pop; else if the depot has a full
 * magazine, give it the previous (empty) one, make the loaded one previous and load the full one; else
 * <i>refill</i>: fill the loaded magazine (for a thread that has none, an empty one from the depot or a new one)
 * with up to {@code M} objects from the slab layer in one go, and pop the first one taken. Each round gets the
 * key, as on free (G1, C5). A slab gives objects in its free list's order, which is address order in a slab that
 * has just grown, so each thread gets a run of neighbouring objects, as jemalloc fills a thread cache: taken one at a
 * time, two threads could get alternate objects of one slab, whose writes (the key at {@code p + 8}) then share
 * cache lines. After its first object the refill takes only from partial slabs, so it grows no slab, and takes no
 * empty one, that a single allocation would not. If no magazine can be had, take one object from the slab layer.
 * <br><b>free(p)</b>, once the cache has checked that {@code p} is an object allocated from a slab: if its key
 * is set, look for {@code p} in every magazine and report a double free if it is there. (In a cache with no
 * constructor, every free object carries the key, C5 of {@link SlabCache}, so the fast path checks only that
 * {@code p} is on an object boundary and has no key: it reads no bitmap.) If the loaded magazine
 * has room, push {@code p} and set its key: no lock. Otherwise, under the lock: if the previous magazine is
 * empty, swap and push; else put the previous (full) magazine in the depot, make the loaded one previous, load
 * an empty one from the depot (or a new one; if none can be had, free {@code p} to the slab layer) and push.
 * The depot keeps at most {@code depotMax} full magazines; the rounds of any beyond go back to the slabs.
 * <br><b>purge</b> (on reap, or when the system has no more memory): empty the depot into the slabs, and the
 * calling thread's two magazines too.
 *
 * <h2>Invariants</h2> (checked by {@link #check})
 * <pre>
 *  G1  every round is a distinct object of this cache whose slab bitmap bit is set and whose key is set
 *  G2  0 &lt;= rounds &lt;= M for each CPU cache's magazines; depot magazines are full (M) or empty (0)
 *  G3  objects in use by callers = the cache's active objects - rounds in all magazines
 * </pre>
 * A double free that follows a write into the freed object (which erases the key) goes unnoticed, as in glibc's
 * tcache; the slab layer without magazines catches every double free through its bitmap.
 *
 * <h2>Thread safety</h2>
 * The allocation and free fast paths touch only the calling thread's CPU cache, its magazines, and the object
 * itself; the thread that first uses the cache finds its CPU cache with one comparison, others through a
 * {@link ThreadLocal}. Everything else runs under the allocator's lock.
 */
public final class Magazines extends CpuCachePadding {

    /** Where magazines come from: a cache of the allocator, or its heap. */
    public interface MagazineSource {
        /** {@return the address of {@code byteSize} bytes, or 0} */
        long allocate(long byteSize);

        /** Gives back a magazine's memory. */
        void free(long address);
    }

    private static final long LINK = 0;

    private final SlabCache cache;
    private final MemorySource memory;
    private final int capacity;
    private final long magazineBytes;
    private final MagazineSource source;
    private final long key;
    private final int depotMax;
    private final ReentrantLock lock;
    /** Whether the cache keeps C5 (a free object carries the key), so that free need not read the bitmap. */
    private final boolean keyed;

    /**
     * The first thread to use the cache, set once under the lock. Not volatile, on purpose: a volatile read here
     * cost 8 ns of slab's 18 ns alloc-and-free pair (C2 may not move loads across it). A racy read is safe: a
     * thread sees null (and then looks again under the lock) or the thread that set it, and only that thread can
     * find itself there.
     */
    private Thread primaryThread;
    private final List<CpuCache> all = new ArrayList<>();
    private final ThreadLocal<CpuCache> others;

    private long depotFull;
    private long depotEmpty;
    private int fullMagazines;
    private int emptyMagazines;
    private long magazinesMade;

    Magazines(SlabCache cache, int capacity, int depotMax, MagazineSource source, long key, ReentrantLock lock) {
        this.cache = cache;
        this.memory = cache.memory();
        this.capacity = capacity;
        this.magazineBytes = 8 + 8L * capacity;
        this.source = source;
        this.key = key;
        this.depotMax = depotMax;
        this.lock = lock;
        this.keyed = cache.keyed();
        this.all.add(this);
        this.others = ThreadLocal.withInitial(() -> {
            CpuCache cc = new CpuCache();
            lock.lock();
            try {
                all.add(cc);
            } finally {
                lock.unlock();
            }
            return cc;
        });
    }

    private CpuCache cpu() {
        Thread me = Thread.currentThread();
        return me == primaryThread ? this : otherCpu(me);
    }

    /** {@link #cpu()} off its fast path, kept apart so that the fast path is small enough to inline. */
    private CpuCache otherCpu(Thread me) {
        if (primaryThread == null) {
            lock.lock();
            try {
                if (primaryThread == null) {
                    primaryThread = me;
                    return this;
                }
            } finally {
                lock.unlock();
            }
        }
        return others.get();
    }

    // ---- fast paths ---------------------------------------------------------------------------------------

    /** {@return a round of the loaded magazine, or 0 when it is empty (then call {@link #allocSlow})} */
    public long alloc() {
        CpuCache cc = cpu();
        int r = cc.rounds;
        if (r == 0) {
            return 0;
        }
        r--;
        cc.rounds = r;
        long p = memory.getLong(cc.loaded + 8 + 8L * r);
        memory.putLong(p + 8, 0);
        return p;
    }

    /**
     * Pushes {@code p}, an object of the slab at {@code slab}, on the loaded magazine, after checking it.
     *
     * @return false when the loaded magazine is full or the object needs a closer look: call {@link #freeSlow}
     */
    public boolean free(long slab, long p) {
        CpuCache cc = cpu();
        int r = cc.rounds;
        if (r == capacity || cc.loaded == 0 || !(keyed ? cache.isObject(slab, p) : cache.isAllocated(slab, p))
                || memory.getLong(p + 8) == key) {
            return false;
        }
        memory.putLong(cc.loaded + 8 + 8L * r, p);
        cc.rounds = r + 1;
        memory.putLong(p + 8, key);
        return true;
    }

    // ---- slow paths, under the lock -----------------------------------------------------------------------

    /** Allocation when the loaded magazine is empty; the caller holds the lock. {@return an object, or 0} */
    public long allocSlow() {
        CpuCache cc = cpu();
        if (cc.rounds == 0 && cc.prounds > 0) {
            swap(cc);
        } else if (cc.rounds == 0 && fullMagazines > 0 && cc.loaded != 0) {
            if (cc.previous != 0) {
                pushEmpty(cc.previous);
            }
            cc.previous = cc.loaded;
            cc.prounds = 0;
            cc.loaded = popFull();
            cc.rounds = capacity;
        }
        long p = alloc();
        if (p != 0) {
            return p;
        }
        if (cc.loaded == 0) {
            cc.loaded = emptyMagazines > 0 ? popEmpty() : newMagazine();
        }
        if (cc.loaded != 0 && refill(cc) > 0) {
            return alloc();
        }
        p = cache.alloc();
        if (p != 0) {
            memory.putLong(p + 8, 0);
        }
        return p;
    }

    /**
     * Fills the empty loaded magazine of {@code cc} with up to {@code M} objects taken from the slab layer in one
     * go, so that a thread gets a run of neighbouring objects rather than every other one of a slab another thread
     * also takes from; the caller holds the lock. Rounds get the key (G1); the first object taken is popped first.
     * After the first object, only partial slabs give any: the refill grows no slab and takes no empty one.
     * {@return the rounds loaded}
     */
    private int refill(CpuCache cc) {
        long m = cc.loaded;
        int n = 0;
        while (n < capacity && (n == 0 || cache.hasPartial())) {
            long p = cache.alloc();
            if (p == 0) {
                break;
            }
            memory.putLong(p + 8, key);
            n++;
            memory.putLong(m + 8 + 8L * (capacity - n), p);
        }
        if (n > 0 && n < capacity) { // fewer than M: move the rounds to the bottom of the magazine
            for (int i = 0; i < n; i++) {
                memory.putLong(m + 8 + 8L * i, memory.getLong(m + 8 + 8L * (capacity - n + i)));
            }
        }
        cc.rounds = n;
        return n;
    }

    /**
     * Frees {@code p} of the slab at {@code slab} when the fast path could not; the caller holds the lock.
     *
     * @throws HeapCorruptionException for an invalid pointer or a double free, before anything changes
     */
    public void freeSlow(long slab, long p) {
        if (!cache.isAllocated(slab, p)) {
            cache.free(slab, p); // not allocated from the slab: the slab layer says what is wrong, and throws
            return;
        }
        if (memory.getLong(p + 8) == key && holds(p)) {
            throw new HeapCorruptionException(CorruptionKind.DOUBLE_FREE, "free(): double free detected", p);
        }
        CpuCache cc = cpu();
        if (cc.loaded != 0 && cc.rounds < capacity) {
            push(cc, p);
            return;
        }
        if (cc.previous != 0 && cc.prounds == 0) {
            swap(cc);
            push(cc, p);
            return;
        }
        long empty = emptyMagazines > 0 ? popEmpty() : newMagazine();
        if (empty == 0) {
            memory.putLong(p + 8, 0);
            cache.free(slab, p);
            return;
        }
        if (cc.previous != 0) {
            if (cc.prounds == capacity) {
                pushFull(cc.previous);
            } else {
                drain(cc.previous, cc.prounds);
                pushEmpty(cc.previous);
            }
        }
        cc.previous = cc.loaded;
        cc.prounds = cc.rounds;
        cc.loaded = empty;
        cc.rounds = 0;
        push(cc, p);
    }

    private void push(CpuCache cc, long p) {
        memory.putLong(cc.loaded + 8 + 8L * cc.rounds, p);
        cc.rounds++;
        memory.putLong(p + 8, key);
    }

    private static void swap(CpuCache cc) {
        long m = cc.loaded;
        int r = cc.rounds;
        cc.loaded = cc.previous;
        cc.rounds = cc.prounds;
        cc.previous = m;
        cc.prounds = r;
    }

    private long newMagazine() {
        long m = source.allocate(magazineBytes);
        if (m != 0) {
            magazinesMade++;
        }
        return m;
    }

    private void pushFull(long m) {
        if (fullMagazines >= depotMax) {
            drain(m, capacity);
            pushEmpty(m);
            return;
        }
        memory.putLong(m + LINK, depotFull);
        depotFull = m;
        fullMagazines++;
    }

    private long popFull() {
        long m = depotFull;
        depotFull = memory.getLong(m + LINK);
        fullMagazines--;
        return m;
    }

    private void pushEmpty(long m) {
        memory.putLong(m + LINK, depotEmpty);
        depotEmpty = m;
        emptyMagazines++;
    }

    private long popEmpty() {
        long m = depotEmpty;
        depotEmpty = memory.getLong(m + LINK);
        emptyMagazines--;
        return m;
    }

    /** Gives the first {@code rounds} objects of magazine {@code m} back to the slab layer. */
    private void drain(long m, int rounds) {
        for (int i = 0; i < rounds; i++) {
            long p = memory.getLong(m + 8 + 8L * i);
            memory.putLong(p + 8, 0);
            cache.free(cache.headerOf(p), p);
        }
    }

    /**
     * Empties the depot and the calling thread's magazines into the slabs and gives every magazine memory back
     * (Bonwick's {@code kmem_depot_ws_reap} and {@code kmem_cache_magazine_purge}); the caller holds the lock.
     * {@return the objects given back to the slabs}
     */
    public long purge() {
        long objects = 0;
        while (fullMagazines > 0) {
            long m = popFull();
            drain(m, capacity);
            objects += capacity;
            source.free(m);
        }
        while (emptyMagazines > 0) {
            source.free(popEmpty());
        }
        CpuCache cc = cpu();
        if (cc.loaded != 0) {
            drain(cc.loaded, cc.rounds);
            objects += cc.rounds;
            source.free(cc.loaded);
        }
        if (cc.previous != 0) {
            drain(cc.previous, cc.prounds);
            objects += cc.prounds;
            source.free(cc.previous);
        }
        cc.loaded = 0;
        cc.previous = 0;
        cc.rounds = 0;
        cc.prounds = 0;
        return objects;
    }

    // ---- what the allocator, the walk and the checker read --------------------------------------------------

    /** {@return whether {@code p} is a round of any magazine: any thread's, or the depot's} */
    public boolean holds(long p) {
        return magazineObjects().contains(p);
    }

    /** {@return every object in a magazine now} */
    public Set<Long> magazineObjects() {
        Set<Long> objects = new HashSet<>();
        for (CpuCache cc : List.copyOf(all)) {
            addRounds(objects, cc.loaded, cc.rounds);
            addRounds(objects, cc.previous, cc.prounds);
        }
        for (long m = depotFull; m != 0; m = memory.getLong(m + LINK)) {
            addRounds(objects, m, capacity);
        }
        return objects;
    }

    private void addRounds(Set<Long> objects, long magazine, int rounds) {
        for (int i = 0; magazine != 0 && i < rounds; i++) {
            objects.add(memory.getLong(magazine + 8 + 8L * i));
        }
    }

    /** {@return the rounds in all magazines: objects out of the slabs that no caller holds} */
    public long rounds() {
        long n = (long) fullMagazines * capacity;
        for (CpuCache cc : List.copyOf(all)) {
            n += cc.rounds + cc.prounds;
        }
        return n;
    }

    /** {@return M, the rounds a magazine holds} */
    public int capacity() {
        return capacity;
    }

    /** {@return full magazines in the depot} */
    public int fullMagazines() {
        return fullMagazines;
    }

    /** {@return empty magazines in the depot} */
    public int emptyMagazines() {
        return emptyMagazines;
    }

    /** {@return the most full magazines the depot keeps} */
    public int depotMax() {
        return depotMax;
    }

    /** {@return the bytes of one magazine} */
    public long magazineBytes() {
        return magazineBytes;
    }

    /** {@return the magazines' own memory now: every CPU cache's and the depot's} */
    public List<Long> magazines() {
        List<Long> list = new ArrayList<>();
        for (CpuCache cc : List.copyOf(all)) {
            if (cc.loaded != 0) {
                list.add(cc.loaded);
            }
            if (cc.previous != 0) {
                list.add(cc.previous);
            }
        }
        for (long m = depotFull; m != 0; m = memory.getLong(m + LINK)) {
            list.add(m);
        }
        for (long m = depotEmpty; m != 0; m = memory.getLong(m + LINK)) {
            list.add(m);
        }
        return list;
    }

    /** G1 to G3. */
    List<Violation> check() {
        List<Violation> violations = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long counted = 0;
        for (CpuCache cc : List.copyOf(all)) {
            counted += checkRounds(violations, seen, cc.loaded, cc.rounds, "a loaded magazine");
            counted += checkRounds(violations, seen, cc.previous, cc.prounds, "a previous magazine");
        }
        int full = 0;
        for (long m = depotFull; m != 0 && full <= fullMagazines; m = memory.getLong(m + LINK)) {
            counted += checkRounds(violations, seen, m, capacity, "a full depot magazine");
            full++;
        }
        int empty = 0;
        for (long m = depotEmpty; m != 0 && empty <= emptyMagazines; m = memory.getLong(m + LINK)) {
            empty++;
        }
        if (full != fullMagazines || empty != emptyMagazines || fullMagazines > depotMax) {
            violations.add(new Violation(depotFull, "%s: G2: the depot lists %d full and %d empty magazines, counts %d and %d (at most %d full)"
                    .formatted(cache.name(), full, empty, fullMagazines, emptyMagazines, depotMax)));
        }
        if (counted > cache.activeObjects()) {
            violations.add(new Violation(depotFull, "%s: G3: %d rounds in magazines, but only %d objects out of the slabs"
                    .formatted(cache.name(), counted, cache.activeObjects())));
        }
        return violations;
    }

    private long checkRounds(List<Violation> violations, Set<Long> seen, long magazine, int rounds, String where) {
        if (magazine == 0) {
            if (rounds != 0) {
                violations.add(new Violation(0, "%s: G2: %d rounds in %s that does not exist".formatted(cache.name(), rounds, where)));
            }
            return 0;
        }
        if (rounds < 0 || rounds > capacity) {
            violations.add(new Violation(magazine, "%s: G2: %d rounds in %s of %d".formatted(cache.name(), rounds, where, capacity)));
            return 0;
        }
        for (int i = 0; i < rounds; i++) {
            long p = memory.getLong(magazine + 8 + 8L * i);
            if (!seen.add(p)) {
                violations.add(new Violation(p, "%s: G1: an object is in the magazines twice".formatted(cache.name())));
            } else if (!cache.isAllocated(cache.headerOf(p), p) || memory.getLong(p + 8) != key) {
                violations.add(new Violation(p, "%s: G1: a round of %s is not an allocated object of the cache with its key set"
                        .formatted(cache.name(), where)));
            }
        }
        return rounds;
    }

    long key() {
        return key;
    }
}
