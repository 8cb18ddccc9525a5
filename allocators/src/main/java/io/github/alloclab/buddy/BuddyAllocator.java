package io.github.alloclab.buddy;

import static io.github.alloclab.buddy.BuddyLayout.ALLOCATED;
import static io.github.alloclab.buddy.BuddyLayout.FREE;
import static io.github.alloclab.buddy.BuddyLayout.METADATA;
import static io.github.alloclab.buddy.BuddyLayout.isHead;
import static io.github.alloclab.buddy.BuddyLayout.order;
import static io.github.alloclab.buddy.BuddyLayout.state;
import static io.github.alloclab.buddy.BuddyLayout.tag;

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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A binary buddy allocator: power-of-two blocks in arenas, split in halves to allocate and merged with their
 * buddies on free.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>B</b>: the minimum block, {@code minBlock} bytes (16 by default), {@code B = 2^s}.</li>
 *   <li><b>order</b> {@code k}: a block of order {@code k} is {@code B·2^k} bytes; order 0 is the minimum
 *       block. <b>M</b> = {@code maxOrder}: an <b>arena</b> is one block of order {@code M}, {@code B·2^M}
 *       bytes (64 KiB by default), taken from brk or mmap.</li>
 *   <li><b>offset</b>: an address minus its arena's base. A block of order {@code k} sits at an offset that
 *       is a multiple of {@code B·2^k}; its <b>buddy</b> is at {@code offset XOR B·2^k}
 *       ({@link BuddyLayout}).</li>
 *   <li><b>tag</b>: a byte per block head: head bit, state (free, allocated, metadata), order.</li>
 *   <li><b>free list k</b>: the free blocks of order {@code k}, newest first ({@link BuddyFreeLists}).</li>
 *   <li><b>large block</b>: a request too big for an arena, or aligned beyond a page, served by its own
 *       mapping ({@link LargeBlocks}).</li>
 * </ul>
 *
 * <h2>Arena layout</h2>
 * With the default out-of-band metadata ({@code metadata=ORDER_MAP}), each arena begins with its order map:
 * one tag byte per minimum block, {@code 2^M} bytes, which is itself a block of order {@code M - s},
 * permanently taken. A new arena is that block plus one free block of every order above it (drawn for
 * {@code B = 16}, {@code M = 14}: 256 KiB arenas with a 16 KiB map; the default {@code M = 12} gives 64 KiB
 * arenas with a 4 KiB map):
 * <pre>
 *  base                                                                                        base + B·2^M
 *  | order map (16 KiB)  | free, order 10 | free, order 11 |  free, order 12  |      free, order 13      |
 *  | tag byte per 16 B   |     16 KiB     |     32 KiB     |      64 KiB      |          128 KiB         |
 *   ^ tag of the block at base + 16·i is byte i of the map; bytes of offsets where no block starts are 0
 * </pre>
 * The largest block a caller can get is therefore of order {@code M - 1}; bigger requests are large blocks.
 * With in-band headers ({@code metadata=HEADER}) there is no map: every block starts with a 16-byte header
 * that holds its tag, the payload follows it, and a caller can get a whole arena (order {@code M}).
 * <pre>
 *  allocated block, order map            allocated block, header              free block (links)
 *  +0  payload ...  (B·2^k bytes)        +0  tag word   +8 pad                +link     next free, same order
 *                                        +16 payload ... (B·2^k - 16)         +link + 8 prev free, same order
 * </pre>
 * where {@code link} is 0 with an order map and 16 behind a header.
 *
 * <h2>Algorithm</h2>
 * <b>malloc(n)</b>
 * <ol>
 *   <li>{@code need = n + header} (header 0 or 16). If {@code need} exceeds the largest arena block, map a
 *       large block and return it.</li>
 *   <li>{@code k = order(need)}, the smallest order whose blocks hold {@code need} bytes.</li>
 *   <li>Find the lowest order {@code j >= k} whose free list is not empty (one bit scan over the non-empty
 *       mask). If there is none, add an arena (brk, or mmap when the heap cannot grow or {@code source=MMAP})
 *       and look again; if no arena can be had, return {@code NULL}.</li>
 *   <li>Take the head block of list {@code j}. While {@code j > k}: {@code j = j - 1}, and the upper half,
 *       at {@code block + B·2^j}, becomes a free block of order {@code j} on list {@code j} (a split).</li>
 *   <li>Tag the block allocated, order {@code k}, and return {@code block + header}.</li>
 * </ol>
 * <b>free(p)</b>
 * <ol>
 *   <li>Find the arena holding {@code p - header} (binary search over the arena table); if none, {@code p}
 *       must be a large block, which is unmapped. Check that a block of this allocator is allocated there:
 *       otherwise throw {@code free(): double free detected} or {@code free(): invalid pointer}, before
 *       anything changes.</li>
 *   <li>Merge. The block of order {@code k} at {@code off} merges with the block at
 *       {@code buddy = off XOR B·2^k} when all of these hold, the conditions that Linux's {@code page_is_buddy}
 *       checks:
 *       <ol type="a">
 *         <li>the buddy exists: {@code k < M}, so the buddy lies inside the arena (at order {@code M} the block
 *             is the arena and has no buddy);</li>
 *         <li>the buddy is free: a head with state free sits at {@code buddy};</li>
 *         <li>the buddy has the same order {@code k}: a free block at {@code buddy} of lower order is only
 *             part of the buddy, the rest of which is in use;</li>
 *         <li>the buddy is in the same arena: offsets are taken from the arena's own base, so this always
 *             holds, even when two brk arenas lie next to each other in memory.</li>
 *       </ol>
 *       Then unlink the buddy, clear the tag of the upper half (no block starts there any more), set
 *       {@code off = off AND NOT B·2^k}, {@code k = k + 1}, and try again.</li>
 *   <li>Tag the merged block free, order {@code k}, and push it on list {@code k}.</li>
 *   <li>If the arena is now empty and {@code releaseEmptyArenas}, give it back: {@code munmap} a mapped
 *       arena; a brk arena only when it is at the top of the heap ({@code sbrk(-arena)}), then any empty
 *       arenas below it, but never the lowest brk arena.</li>
 * </ol>
 * <b>realloc(p, n)</b>: a smaller order shrinks in place, freeing the upper halves split off; a larger order
 * grows in place when the block is the lower half of each parent on the way up and each upper buddy is free
 * at the right order; otherwise {@code malloc}, copy, {@code free}. <b>memalign(a, n)</b>: with an order map,
 * a block of order {@code order(max(n, a))} is aligned to {@code a} for any {@code a} up to a page, since
 * arenas are page-aligned and blocks are aligned to their size; above a page, or behind a header, a large
 * block is mapped at the alignment.
 *
 * <h2>Invariants</h2> (checked by {@link #check()})
 * <pre>
 *  I1  in each arena, the blocks found by stepping from offset 0 by each head's size end exactly at B·2^M,
 *      and every block's offset is a multiple of its size: off mod B·2^k = 0
 *  I2  (order map) the tag byte of every offset where no block starts is 0
 *  I3  no free block of order k &lt; M has a free buddy of order k          (merging is complete)
 *  I4  list k = { free blocks of order k }, each once, with prev(next(b)) = b;  count(k) = |list k|
 *  I5  for each arena:  sum over k of free(k)·B·2^k  +  allocated  +  order map  =  B·2^M
 *      and the arena's in-use word equals its allocated bytes
 *  I6  the large blocks form a consistent list; each header's canary matches and its mapping is live
 *  I7  brk arenas are contiguous: heapBase + i·B·2^M, ending at the break
 * </pre>
 *
 * <h2>Where block state lives, and why the order map is the default</h2>
 * {@code free(p)} must learn the order of {@code p}'s block, and a merge must learn the state and order of the
 * buddy. Both variants are here, selected by {@code metadata}:
 * <ul>
 *   <li>{@code ORDER_MAP} (the default, registry name {@code buddy}): one byte per minimum block, out of band.
 *       The cost is fixed, {@code 1/B} of every arena (6.25% with 16-byte blocks), whatever the requests.
 *       A block spends nothing on headers, so a request of exactly {@code B·2^k} bytes fills its block, and
 *       a buffer overrun cannot corrupt any block's state.</li>
 *   <li>{@code HEADER} ({@code buddy.header}): 16 bytes in front of every payload. That pushes every request
 *       of exactly a power of two, the commonest sizes in real programs, into the next order, doubling its
 *       block, and needs 32-byte minimum blocks.</li>
 * </ul>
 * Measured by replaying the bundled traces ({@code ./alloclab replay --no-timing -a buddy.header -s ...}),
 * utilisation (peak payload / peak footprint) for find_doc_gz, git_log_stat and tsort_dag:
 * <pre>
 *  arenas            order map (B = 16)        headers (B = 32)
 *  64 KiB            50.9%  91.8%  82.1%       48.4%  84.5%  43.5%     (the defaults)
 *  256 KiB           36.3%  69.7%  77.0%       36.3%  69.7%  42.0%
 * </pre>
 * At equal arena size the order map is never worse, and on tsort, where most requests are small powers of
 * two, it nearly doubles utilisation. Headers come out ahead on the two smaller traces only against map
 * arenas twice their size (the same largest block: 128 KiB against 256 KiB arenas gives 43.6% and 79.6%
 * against 36.3% and 69.7%), because the footprint then grows in finer steps; tsort still favours the map.
 *
 * <h2>Complexity</h2>
 * {@code malloc} is O(M) for the splits, with O(log arenas) to find the split block's arena; {@code free} is
 * O(M) for the merges plus O(log arenas). The checker is O(arena bytes / B) with an order map, O(blocks)
 * with headers.
 *
 * <h2>Thread safety</h2>
 * Confined to the thread that made it: a call that changes the heap from another thread throws
 * {@link WrongThreadException} first. Share it through {@link io.github.alloclab.allocator.ConcurrentAllocator}.
 *
 * <h2>References</h2>
 * Knowlton, "A Fast Storage Allocator", CACM 8(10), 1965 (the binary buddy system). Knuth, <i>TAOCP</i>
 * vol. 1, 2.5, Algorithms R and S (buddy reservation and liberation). Peterson and Norman, "Buddy Systems",
 * CACM 20(6), 1977. Linux {@code mm/page_alloc.c} ({@code __free_one_page}, {@code page_is_buddy}) and
 * {@code /proc/buddyinfo}. Arpaci-Dusseau, <i>Operating Systems: Three Easy Pieces</i>, chapter 17
 * (buddy allocation). Wilson, Johnstone, Neely and Boles, "Dynamic Storage Allocation: A Survey and Critical
 * Review", IWMM 1995 (the internal fragmentation of binary buddies).
 */
public final class BuddyAllocator implements Allocator, BuddyInfoView {

    /** Every payload is 16-byte aligned, as glibc's on x86-64. */
    static final long ALIGNMENT = 16;
    /** Largest request considered at all; larger ones return {@code NULL} before any arithmetic can overflow. */
    private static final long MAX_REQUEST = 1L << 56;

    private final String name;
    private final MemorySource memory;
    private final BuddySettings settings;
    private final ThreadConfinement confinement;
    private final long minBlock;
    private final int minShift;
    private final int maxOrder;
    private final long arenaBytes;
    private final boolean orderMap;
    /** Header bytes in front of each payload: 0 with an order map, 16 with headers. */
    private final long payloadOffset;
    /** The order of the order map's block, or -1 with headers. */
    private final int mapOrder;
    /** The largest order a caller's block can have. */
    private final int maxUserOrder;
    private final long maxUserBlock;
    /** Where the first brk arena starts: the break when this allocator was made, rounded up to a page. */
    private final long heapBase;
    /** Bytes the break moved to reach a page boundary before the first arena (0 on a fresh source). */
    private final long heapPad;
    /** The end of the last brk arena. */
    private long brkTop;

    private final BuddyFreeLists free;
    private final LargeBlocks large;
    /** Arenas by base address; each one's word is the bytes allocated to callers in it. */
    private final RegionTable arenas = new RegionTable();
    /** Allocated blocks per order. */
    private final long[] liveBlocks;

    private long searches;
    private long splits;
    private long merges;
    private long requestedBytes;
    private long blockBytes;

    /**
     * Makes a buddy heap over {@code memory}, which it then owns: closing the allocator closes the source.
     * Arenas are added on first use.
     *
     * @throws IllegalArgumentException if an arena would be smaller than a page of {@code memory}
     */
    public BuddyAllocator(String name, MemorySource memory, BuddySettings settings) {
        this.name = name;
        this.memory = memory;
        this.settings = settings;
        this.confinement = new ThreadConfinement("allocator " + name);
        this.minBlock = settings.minBlock();
        this.minShift = Long.numberOfTrailingZeros(minBlock);
        this.maxOrder = settings.maxOrder();
        this.arenaBytes = settings.arenaBytes();
        this.orderMap = settings.metadata() == BuddySettings.Metadata.ORDER_MAP;
        this.payloadOffset = orderMap ? 0 : BuddyLayout.HEADER_BYTES;
        long page = memory.pageSize();
        if (arenaBytes < page) {
            throw new IllegalArgumentException("arenas (minBlock << maxOrder = %d bytes) must be at least a page (%d)"
                    .formatted(arenaBytes, page));
        }
        // The map has one byte per minimum block: 2^M bytes, a block of order M - s (at least order 0).
        this.mapOrder = orderMap ? BuddyLayout.orderFor(1L << maxOrder, minShift) : -1;
        this.maxUserOrder = orderMap ? maxOrder - 1 : maxOrder;
        this.maxUserBlock = blockSize(maxUserOrder);
        long start = memory.brk();
        long pad = settings.source() == BuddySettings.Source.BRK ? -start & (page - 1) : 0;
        if (pad > 0 && memory.sbrk(pad) == MemorySource.FAILED) {
            throw new IllegalArgumentException("the heap cannot grow to a page boundary");
        }
        this.heapBase = start + pad;
        this.heapPad = pad;
        this.brkTop = heapBase;
        this.free = new BuddyFreeLists(memory, maxOrder, payloadOffset);
        this.large = new LargeBlocks(memory);
        this.liveBlocks = new long[maxOrder + 1];
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

    public BuddySettings settings() {
        return settings;
    }

    long blockSize(int order) {
        return 1L << (order + minShift);
    }

    // ---- tags: in the order map or in the header --------------------------------------------------------

    int tagOf(long block, long base) {
        if (orderMap) {
            return memory.getByte(base + ((block - base) >>> minShift)) & 0xFF;
        }
        return BuddyLayout.tagOfHeaderWord(block, memory.getLong(block));
    }

    private void setTag(long block, long base, int tag) {
        if (orderMap) {
            memory.putByte(base + ((block - base) >>> minShift), (byte) tag);
        } else {
            memory.putLong(block, BuddyLayout.headerWord(block, tag));
        }
    }

    private void clearTag(long block, long base) {
        if (orderMap) {
            memory.putByte(base + ((block - base) >>> minShift), (byte) 0);
        } else {
            memory.putLong(block, 0);
        }
    }

    // ---- malloc ---------------------------------------------------------------------------------------

    @Override
    public long malloc(long byteSize) {
        confinement.check();
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (byteSize > MAX_REQUEST) {
            return 0;
        }
        long need = byteSize + payloadOffset;
        if (need > maxUserBlock) {
            return large.allocate(byteSize, ALIGNMENT);
        }
        int k = BuddyLayout.orderFor(need, minShift);
        long b = allocateBlock(k);
        if (b == 0) {
            return 0;
        }
        requestedBytes += byteSize;
        blockBytes += blockSize(k);
        return b + payloadOffset;
    }

    /** {@return a block of order {@code k}, tagged allocated, or 0 if no arena can be had} */
    private long allocateBlock(int k) {
        searches++;
        int j = free.lowestNonEmpty(k);
        if (j < 0) {
            if (!addArena()) {
                return 0;
            }
            j = free.lowestNonEmpty(k);
        }
        long b = free.pop(j);
        int a = arenas.find(b);
        long base = arenas.start(a);
        while (j > k) {
            j--;
            long upper = b + blockSize(j);
            setTag(upper, base, tag(FREE, j));
            free.push(upper, j);
            splits++;
        }
        setTag(b, base, tag(ALLOCATED, k));
        arenas.addToWord(a, blockSize(k));
        liveBlocks[k]++;
        return b;
    }

    /** Takes a new arena from brk (or mmap) and lists its free blocks. {@return false if none can be had} */
    private boolean addArena() {
        long base = MemorySource.FAILED;
        if (settings.source() == BuddySettings.Source.BRK && memory.brk() == brkTop) {
            base = memory.sbrk(arenaBytes);
            if (base != MemorySource.FAILED) {
                brkTop += arenaBytes;
            }
        }
        if (base == MemorySource.FAILED) {
            base = memory.mmap(arenaBytes);
            if (base == MemorySource.FAILED) {
                return false;
            }
        }
        arenas.insert(base, arenaBytes, 0);
        // Fresh memory reads as zero, so the map starts with no heads; write the ones the arena starts with.
        if (orderMap) {
            setTag(base, base, tag(METADATA, mapOrder));
            for (int j = mapOrder; j < maxOrder; j++) {
                long b = base + blockSize(j);
                setTag(b, base, tag(FREE, j));
                free.push(b, j);
            }
        } else {
            setTag(base, base, tag(FREE, maxOrder));
            free.push(base, maxOrder);
        }
        return true;
    }

    // ---- free -----------------------------------------------------------------------------------------

    @Override
    public void free(long address) {
        confinement.check();
        if (address == 0) {
            return;
        }
        int a = checkedArena(address, "free()");
        if (a < 0) {
            large.free(address, "free()");
            return;
        }
        long b = address - payloadOffset;
        release(b, order(tagOf(b, arenas.start(a))), a);
    }

    /** Frees the allocated block of order {@code k} at {@code b} in arena {@code a}: merge, list, maybe release. */
    private void release(long b, int k, int a) {
        long base = arenas.start(a);
        liveBlocks[k]--;
        arenas.addToWord(a, -blockSize(k));
        long off = b - base;
        while (k < maxOrder) {                                        // (a) the buddy lies in the arena
            long size = blockSize(k);
            long buddy = base + (off ^ size);                          // (d) same arena, by construction
            if (tagOf(buddy, base) != tag(FREE, k)) {                  // (b) free, and (c) of order k
                break;
            }
            free.unlink(buddy, k);
            clearTag(base + (off | size), base);                       // the upper half starts no block now
            off &= ~size;
            k++;
            merges++;
        }
        long merged = base + off;
        setTag(merged, base, tag(FREE, k));
        free.push(merged, k);
        if (settings.releaseEmptyArenas() && arenas.word(a) == 0) {
            releaseEmpty(a);
        }
    }

    private boolean isBrkArena(long base) {
        return base >= heapBase && base < brkTop;
    }

    /** Gives back the empty arena {@code a}, if its kind allows: see step 4 of free. */
    private void releaseEmpty(int a) {
        long base = arenas.start(a);
        if (!isBrkArena(base)) {
            forget(a);
            memory.munmap(base, arenaBytes);
            return;
        }
        // The break can only move down: trim the top arena while it is empty, keeping the lowest one.
        while (brkTop - arenaBytes > heapBase && memory.brk() == brkTop) {
            int top = arenas.find(brkTop - arenaBytes);
            if (arenas.word(top) != 0) {
                return;
            }
            forget(top);
            memory.sbrk(-arenaBytes);
            brkTop -= arenaBytes;
        }
    }

    /** Unlinks the free blocks of the empty arena {@code a} and drops it from the table. */
    private void forget(int a) {
        long base = arenas.start(a);
        for (long off = 0; off < arenaBytes; ) {
            int tag = tagOf(base + off, base);
            if (state(tag) == FREE) {
                free.unlink(base + off, order(tag));
            }
            off += blockSize(order(tag));
        }
        arenas.remove(a);
    }

    /**
     * Validates a pointer handed back by a caller, before anything is changed.
     *
     * @return the index of the arena holding its block, or -1 if it is a live large block
     * @throws HeapCorruptionException if it is neither
     */
    private int checkedArena(long address, String call) {
        long b = address - payloadOffset;
        int a = arenas.find(b);
        if (a < 0) {
            if (large.owns(address)) {
                return -1;
            }
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", address);
        }
        long base = arenas.start(a);
        long off = b - base;
        if ((address & (ALIGNMENT - 1)) != 0 || (off & (minBlock - 1)) != 0) {
            throw misplaced(base, address, call);
        }
        int tag = tagOf(b, base);
        if (isHead(tag) && state(tag) == ALLOCATED) {
            if (order(tag) > maxUserOrder || (off & (blockSize(order(tag)) - 1)) != 0) {
                throw new HeapCorruptionException(CorruptionKind.INVALID_SIZE, call + ": invalid size", address);
            }
            return a;
        }
        // Freed already? Its block may since have merged into a larger free block that starts below it.
        int holder = isHead(tag) ? tag : containingTag(base, off);
        boolean doubleFree = isHead(holder) && state(holder) == FREE;
        if (doubleFree && call.equals("free()")) {
            throw new HeapCorruptionException(CorruptionKind.DOUBLE_FREE, "free(): double free detected", address);
        }
        throw misplaced(base, address, call);
    }

    /**
     * {@return the error for a pointer that starts no live block} An {@code INTERIOR_POINTER} if it falls inside
     * an allocated block (its header included), else an {@code INVALID_POINTER}; glibc words both alike.
     */
    private HeapCorruptionException misplaced(long base, long address, String call) {
        long at = address - base;
        int holder = at < arenaBytes ? containingTag(base, at) : 0;
        CorruptionKind kind = isHead(holder) && state(holder) == ALLOCATED ? CorruptionKind.INTERIOR_POINTER
                : CorruptionKind.INVALID_POINTER;
        return new HeapCorruptionException(kind, call + ": invalid pointer", address);
    }

    /** {@return the tag of the block that holds {@code off}: the first head found rounding down by each order} */
    private int containingTag(long base, long off) {
        for (int j = 0; j <= maxOrder; j++) {
            int t = tagOf(base + (off & -blockSize(j)), base);
            if (isHead(t)) {
                return order(t) >= j ? t : 0;
            }
        }
        return 0;
    }

    // ---- realloc, memalign, usable size -----------------------------------------------------------------

    @Override
    public long realloc(long address, long byteSize) {
        confinement.check();
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (address == 0) {
            return malloc(byteSize);
        }
        int a = checkedArena(address, "realloc()");
        if (byteSize == 0) {
            free(address);
            return 0;
        }
        if (byteSize > MAX_REQUEST) {
            return 0;
        }
        long need = byteSize + payloadOffset;
        long oldUsable;
        if (a < 0) {
            if (need > maxUserBlock && large.shrinkInPlace(address, byteSize)) {
                return address;
            }
            oldUsable = large.usable(address);
        } else {
            long b = address - payloadOffset;
            long base = arenas.start(a);
            int k = order(tagOf(b, base));
            if (need <= maxUserBlock) {
                int want = BuddyLayout.orderFor(need, minShift);
                if (want <= k ? shrinkInPlace(b, k, want, a) : growInPlace(b, k, want, a)) {
                    requestedBytes += byteSize;
                    blockBytes += blockSize(want);
                    return address;
                }
            }
            oldUsable = blockSize(k) - payloadOffset;
        }
        long moved = malloc(byteSize);
        if (moved == 0) {
            return 0;
        }
        memory.copy(address, moved, Math.min(oldUsable, byteSize));
        free(address);
        return moved;
    }

    /** Cuts the block down to order {@code want}, freeing the upper halves. Their buddies are in use: no merges. */
    private boolean shrinkInPlace(long b, int k, int want, int a) {
        long base = arenas.start(a);
        for (int j = k - 1; j >= want; j--) {
            long upper = b + blockSize(j);
            setTag(upper, base, tag(FREE, j));
            free.push(upper, j);
            splits++;
        }
        retag(b, base, a, k, want);
        return true;
    }

    /** Grows the block to order {@code want} by absorbing free upper buddies, if every one on the way is free. */
    private boolean growInPlace(long b, int k, int want, int a) {
        long base = arenas.start(a);
        long off = b - base;
        for (int j = k; j < want; j++) {
            long size = blockSize(j);
            if ((off & size) != 0 || tagOf(b + size, base) != tag(FREE, j)) {
                return false; // an upper half cannot grow up, and a busy or split buddy cannot be absorbed
            }
        }
        for (int j = k; j < want; j++) {
            long buddy = b + blockSize(j);
            free.unlink(buddy, j);
            clearTag(buddy, base);
            merges++;
        }
        retag(b, base, a, k, want);
        return true;
    }

    private void retag(long b, long base, int a, int from, int to) {
        setTag(b, base, tag(ALLOCATED, to));
        arenas.addToWord(a, blockSize(to) - blockSize(from));
        liveBlocks[from]--;
        liveBlocks[to]++;
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
        if (byteSize > MAX_REQUEST || byteAlignment > MAX_REQUEST) {
            return 0;
        }
        long need = Math.max(byteSize, byteAlignment);
        if (orderMap && byteAlignment <= memory.pageSize() && need <= maxUserBlock) {
            // A block of order k sits at a multiple of B·2^k >= a from a page-aligned base: aligned to a.
            int k = BuddyLayout.orderFor(need, minShift);
            long b = allocateBlock(k);
            if (b != 0) {
                requestedBytes += byteSize;
                blockBytes += blockSize(k);
            }
            return b;
        }
        return large.allocate(byteSize, byteAlignment);
    }

    @Override
    public long usableSize(long address) {
        int a = checkedArena(address, "malloc_usable_size()");
        if (a < 0) {
            return large.usable(address);
        }
        long b = address - payloadOffset;
        return blockSize(order(tagOf(b, arenas.start(a)))) - payloadOffset;
    }

    // ---- instruments ----------------------------------------------------------------------------------

    @Override
    public HeapStats stats() {
        long live = large.count();
        long allocated = large.mappedBytes();
        long usable = large.usableBytes();
        long freeCount = 0;
        long freeBytes = 0;
        for (int k = 0; k <= maxOrder; k++) {
            live += liveBlocks[k];
            allocated += liveBlocks[k] * blockSize(k);
            usable += liveBlocks[k] * (blockSize(k) - payloadOffset);
            freeCount += free.count(k);
            freeBytes += free.count(k) * blockSize(k);
        }
        int highest = free.highestNonEmpty();
        return new HeapStats(live, allocated, usable, freeCount, freeBytes, highest < 0 ? 0 : blockSize(highest),
                memory.brk() - memory.heapStart(), memory.mappedBytes(), memory.peakFootprintBytes(),
                searches, searches);
    }

    /** {@return the buddy-specific counters: free and live blocks per order, arenas, splits, merges, rounding} */
    public BuddyStats buddyStats() {
        List<Long> freeCounts = new ArrayList<>();
        List<Long> liveCounts = new ArrayList<>();
        for (int k = 0; k <= maxOrder; k++) {
            freeCounts.add(free.count(k));
            liveCounts.add(liveBlocks[k]);
        }
        long metadata = orderMap ? arenas.size() * blockSize(mapOrder) : 0;
        return new BuddyStats(minBlock, maxOrder, arenas.size(), arenaBytes, freeCounts, liveCounts,
                large.count(), large.mappedBytes(), metadata, requestedBytes, blockBytes, splits, merges);
    }

    @Override
    public BuddyInfo buddyInfo() {
        List<Long> counts = new ArrayList<>();
        for (int k = 0; k <= maxOrder; k++) {
            counts.add(free.count(k));
        }
        return BuddyInfo.exact("Normal", minBlock, counts);
    }

    @Override
    public void walk(Consumer<Block> visitor) {
        if (heapPad > 0) {
            visitor.accept(new Block(heapBase - heapPad, heapPad, heapBase, 0, BlockState.METADATA));
        }
        List<Block> larges = large.blocks();
        int next = 0;
        for (int a = 0; a < arenas.size(); a++) {
            while (next < larges.size() && larges.get(next).address() < arenas.start(a)) {
                visitor.accept(larges.get(next++));
            }
            walkArena(arenas.start(a), visitor);
        }
        while (next < larges.size()) {
            visitor.accept(larges.get(next++));
        }
    }

    /** Reports the blocks of one arena, stepping from head to head; stops at a corrupt tag. */
    void walkArena(long base, Consumer<Block> visitor) {
        for (long off = 0; off < arenaBytes; ) {
            int tag = tagOf(base + off, base);
            long size = blockSize(order(tag));
            if (!isHead(tag) || size > arenaBytes - off) {
                return; // corrupt: check() says so; the walk stops rather than wander off the arena
            }
            long b = base + off;
            visitor.accept(switch (state(tag)) {
                case ALLOCATED -> new Block(b, size, b + payloadOffset, size - payloadOffset, BlockState.ALLOCATED);
                case FREE -> new Block(b, size, b + payloadOffset, size - payloadOffset, BlockState.FREE);
                default -> new Block(b, size, b, 0, BlockState.METADATA);
            });
            off += size;
        }
    }

    @Override
    public List<Violation> check() {
        return new BuddyChecker(this).check();
    }

    // ---- what the checker reads -------------------------------------------------------------------------

    RegionTable arenas() {
        return arenas;
    }

    BuddyFreeLists freeLists() {
        return free;
    }

    LargeBlocks large() {
        return large;
    }

    long[] liveBlocks() {
        return liveBlocks;
    }

    boolean orderMap() {
        return orderMap;
    }

    int mapOrder() {
        return mapOrder;
    }

    int maxOrder() {
        return maxOrder;
    }

    int minShift() {
        return minShift;
    }

    long arenaBytes() {
        return arenaBytes;
    }

    long heapBase() {
        return heapBase;
    }

    long brkTop() {
        return brkTop;
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
