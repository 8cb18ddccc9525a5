package io.github.alloclab.firstfit;

import static io.github.alloclab.firstfit.FirstFitLayout.WORD;
import static io.github.alloclab.firstfit.FirstFitLayout.isAllocated;
import static io.github.alloclab.firstfit.FirstFitLayout.isMmapped;
import static io.github.alloclab.firstfit.FirstFitLayout.isPrevAllocated;
import static io.github.alloclab.firstfit.FirstFitLayout.pack;
import static io.github.alloclab.firstfit.FirstFitLayout.roundUp;
import static io.github.alloclab.firstfit.FirstFitLayout.size;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.internal.ThreadConfinement;
import io.github.alloclab.memory.MemorySource;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The first-fit family: variable-sized blocks with boundary tags on a {@code brk} heap, found through an
 * implicit list, one explicit free list, or segregated lists, with a choice of fit, list order and
 * coalescing ({@link FirstFitSettings}). One code path serves every member; the settings pick the branches.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>block</b>: header, payload and (when free, or when {@code allocatedFooters}) footer; its
 *       <b>size</b> {@code s} counts all of them and is a multiple of the alignment {@code a}.</li>
 *   <li><b>b</b>: a block's start; {@code h} the header size; the tag is at {@code b + h - 8}, the payload at
 *       {@code p = b + h} ({@code b + h + lead} in checked mode), the footer at {@code b + s - 8}, the next
 *       block at {@code b + s} (layout and tag bits in {@link FirstFitLayout}).</li>
 *   <li><b>asize(n)</b>: the block a request of {@code n} bytes needs,
 *       {@code max(minBlock, roundUp(h + n + footer, a))}, with {@code footer = 8} if allocated blocks keep
 *       one and {@code minBlock = roundUp(h + 24, a)} (header, two links, footer).</li>
 *   <li><b>top</b>: the block just below the epilogue; the heap grows and shrinks there.</li>
 * </ul>
 *
 * <h2>Heap layout</h2>
 * <pre>
 *  heapStart                                                                               brk
 *  | pad | prologue (h + 8, allocated) | block | block | ... | block | epilogue (h bytes, tag 0|a) |
 *                                      ^ firstBlock, chosen so that firstBlock + h is a multiple of a
 * </pre>
 * The prologue and the epilogue are allocated, so coalescing never runs off either end of the heap. With a
 * fixed heap ({@code heapBytes > 0}) the blocks start as one free block of that size and the break never
 * moves again.
 *
 * <h2>Algorithm</h2>
 * <b>malloc(n)</b>
 * <ol>
 *   <li>If {@code n >= mmapThreshold}, give the request a mapping of its own ({@link MappedBlocks}).</li>
 *   <li>Search for a free block of at least {@code asize(n)}: walk every block (implicit), the list
 *       ({@link FreeLists}: first, next, best or worst fit), or the size classes from the request's class up.
 *       Each block looked at is a search step. With deferred coalescing, a failed search merges every run of
 *       free blocks and searches again.</li>
 *   <li>Nothing fits: grow the heap with {@code sbrk} by {@code max(asize - top, chunkBytes)}, where
 *       {@code top} is the size of a free top block that the new memory extends. If {@code sbrk} fails, return
 *       {@code NULL}.</li>
 *   <li>Place: if {@code s - asize >= minBlock}, split; the low part is allocated, the high part stays free
 *       and takes the split block's place in an explicit list (another class's list in a segregated one).
 *       Otherwise the whole block is allocated. Set the {@code p} bit of the block above (in a layout
 *       without allocated footers; with them, the footer below tells).</li>
 * </ol>
 * <b>free(p)</b>
 * <ol>
 *   <li>Validate {@code p} before changing anything: aligned, inside the heap (or a live mapping), tag
 *       allocated, size sane, footer equal to the tag, (without footers) {@code p} bit of the next block set.
 *       Otherwise throw
 *       {@link HeapCorruptionException} with glibc's wording.</li>
 *   <li>Mark the block free (tag and footer), clear the {@code p} bit of the block above.</li>
 *   <li>Coalesce: immediately with both neighbours (through the {@code p} bit or the footer below), or not
 *       now (deferred, none), or by malloc.py's pass over the list. Insert the block in its list.</li>
 *   <li>If the top block is free and at least {@code trimThreshold}, give it back with {@code sbrk(-s)}.</li>
 * </ol>
 * <b>realloc(p, n)</b>: shrink in place, freeing a tail of at least {@code minBlock}; grow in place into a
 * free next block, or by moving the break when the block is on top; otherwise {@code malloc}, copy,
 * {@code free}. <b>memalign(a', n)</b>: {@code malloc} enough to carve an aligned block out of, free the
 * leading gap (none, or at least {@code minBlock}) and the unused tail.
 *
 * <h2>Invariants</h2> (checked by {@link #check()}, see {@link FirstFitChecker})
 * <pre>
 *  I1  firstBlock + sum(s(b) for every block b) = epilogue = brk - h                 (the walk lands on brk)
 *  I2  s(b) >= minBlock,  s(b) mod a = 0,  (b + h) mod a = 0
 *  I3  free(b) or allocatedFooters  implies  footer(b) = tag(b)
 *  I4  without allocated footers: p bit of b = allocated(block below b); with them, p = 0
 *  I5  immediate coalescing:  free(b) implies allocated(next(b))           (no two free blocks are adjacent)
 *  I6  {blocks on the lists} = {free blocks of the walk}, each once, on the list of its size class
 *  I7  next(prev(b)) = b and prev(next(b)) = b for every listed b; links are 0 or free blocks of the heap
 *  I8  address order: listed blocks ascend; size order (once sorted): sizes ascend (descend)
 * </pre>
 *
 * <h2>Complexity</h2>
 * Implicit: {@code malloc} O(blocks). Explicit: {@code malloc} O(free blocks); {@code free} O(1) for LIFO and
 * FIFO, O(free blocks) for sorted orders. Segregated: {@code malloc} O(blocks in one or two classes).
 * malloc.py's list coalescing is O(free blocks) per {@code free}; deferred coalescing is O(blocks) per sweep.
 * Checked mode adds O(block size) per call, and O(blocks) to diagnose a bad pointer.
 *
 * <h2>Thread safety</h2>
 * Confined to the thread that made it: a call that changes the heap from another thread throws
 * {@link WrongThreadException} first. Share it through {@link io.github.alloclab.allocator.ConcurrentAllocator}.
 *
 * <h2>References</h2>
 * Bryant and O'Hallaron, <i>Computer Systems: A Programmer's Perspective</i>, 3rd ed., 9.9 (implicit lists,
 * boundary tags, footers only in free blocks, explicit lists, segregated fits). Arpaci-Dusseau,
 * <i>Operating Systems: Three Easy Pieces</i>, chapter 17 and its {@code malloc.py}. Knuth, <i>TAOCP</i> vol. 1,
 * 2.5 (boundary tags, the rover of next fit). Wilson, Johnstone, Neely and Boles, "Dynamic Storage
 * Allocation: A Survey and Critical Review", IWMM 1995 (sequential and segregated fits, list orders,
 * deferred coalescing). glibc {@code malloc/malloc.c} (chunk flags, thresholds, error wording).
 */
public final class FirstFitAllocator implements Allocator {

    /** Largest request considered at all; larger ones return {@code NULL} before any arithmetic can overflow. */
    private static final long MAX_REQUEST = 1L << 56;

    private final String name;
    private final MemorySource memory;
    private final FirstFitSettings settings;
    private final FreeIndex index;
    private final Fit fit;
    private final Coalescing coalescing;
    /** Header bytes; the tag is at {@code b + h - 8}. */
    final long h;
    final long align;
    /** Bytes of footer in an allocated block: 8 or 0. */
    final long footer;
    /**
     * Whether tags carry the {@code p} bit: only without footers in allocated blocks. With them, the footer
     * below a block says whether that block is allocated, and {@code p} stays 0 (CS:APP's classic layout).
     */
    final boolean prevBits;
    final long minBlock;
    final boolean checked;
    /** Checked mode: bytes from {@code b + h} to the payload (size word and leading red zone); else 0. */
    final long lead;
    /** Checked mode: the least trailing red zone; else 0. */
    final long trailer;
    /** Payload offset from the block start: {@code h + lead}. */
    final long offset;
    final long heapStart;
    final long firstBlock;
    final boolean fixedHeap;
    private final long mmapThreshold;
    /** A free top block this large or larger goes back to the kernel; {@code Long.MAX_VALUE} never trims. */
    private long trimThreshold;
    private final long chunkBytes;
    /** The free lists, or {@code null} for an implicit list. */
    final FreeLists lists;
    final MappedBlocks mapped;
    /** Checked mode's red zones, poison and diagnoses; unused otherwise. */
    private final BlockGuards guards;
    private final ThreadConfinement confinement;

    /** Start of the epilogue, always {@code brk - h}. */
    long epilogue;
    /** Next fit on an implicit list: where the next search starts. */
    private long rover;
    /** Deferred coalescing: whether a block was freed since the last sweep (glibc's {@code have_fastchunks}). */
    private boolean unswept;
    private long findSteps;
    private long searches;
    private long searchSteps;
    private long maxSearchSteps;
    private long lastSearchSteps;

    /**
     * Makes a heap at the current break of {@code memory}, which it then owns: closing the allocator closes
     * the source.
     *
     * @throws IllegalArgumentException if the source cannot hold the prologue, the epilogue and any fixed heap
     */
    public FirstFitAllocator(String name, MemorySource memory, FirstFitSettings settings) {
        this.name = name;
        this.memory = memory;
        this.settings = settings;
        this.confinement = new ThreadConfinement("allocator " + name);
        this.index = settings.index();
        this.fit = settings.fit();
        this.coalescing = settings.coalescing();
        this.h = settings.headerBytes();
        this.align = settings.alignment();
        this.footer = settings.allocatedFooters() ? WORD : 0;
        this.prevBits = footer == 0;
        this.minBlock = FirstFitLayout.minBlock(h, align);
        this.checked = settings.checked();
        this.lead = checked ? roundUp(WORD + settings.redZoneBytes(), align) : 0;
        this.trailer = checked ? settings.redZoneBytes() : 0;
        this.offset = h + lead;
        this.fixedHeap = settings.heapBytes() > 0;
        this.mmapThreshold = settings.mmapThreshold() > 0 ? settings.mmapThreshold() : Long.MAX_VALUE;
        this.trimThreshold = fixedHeap || settings.trimThreshold() == 0 ? Long.MAX_VALUE : settings.trimThreshold();
        this.chunkBytes = settings.chunkBytes();
        this.lists = index == FreeIndex.IMPLICIT ? null : new FreeLists(memory, h, index, fit, settings.order());
        this.mapped = new MappedBlocks(memory, align, checked, settings.redZoneBytes());
        this.guards = new BlockGuards(this);

        long start = memory.brk();
        if ((start & (WORD - 1)) != 0) {
            throw new IllegalArgumentException("the break must start 8-byte aligned: 0x" + Long.toHexString(start));
        }
        // The prologue is a block of h + 8 bytes (header and footer) right below firstBlock, and
        // firstBlock + h must be a multiple of a: pad = (-(start + h + 8 + h)) mod a.
        long pad = Math.floorMod(-(start + 2 * h + WORD), align);
        long prologue = start + pad;
        this.heapStart = start;
        this.firstBlock = prologue + h + WORD;
        if (memory.sbrk(firstBlock + h - start) == MemorySource.FAILED) {
            throw new IllegalArgumentException("the heap limit is too small for even an empty heap");
        }
        long prologueTag = tagOf(h + WORD, true, true);
        memory.putLong(prologue + h - WORD, prologueTag);
        memory.putLong(prologue + h, prologueTag);
        this.epilogue = firstBlock;
        memory.putLong(tagAddress(epilogue), tagOf(0, true, true));
        if (fixedHeap) {
            long bytes = settings.heapBytes();
            if (memory.sbrk(bytes) == MemorySource.FAILED) {
                throw new IllegalArgumentException("the heap limit is too small for a fixed heap of %d bytes".formatted(bytes));
            }
            epilogue = firstBlock + bytes;
            memory.putLong(tagAddress(epilogue), tagOf(0, true, false));
            if (checked) {
                memory.fill(firstBlock, bytes, Guards.POISON);
            }
            writeTags(firstBlock, bytes, false, true);
            insert(firstBlock);
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
        return align;
    }

    public FirstFitSettings settings() {
        return settings;
    }

    /** {@return the start of the first block: the lowest block address there can be} */
    public long firstBlock() {
        return firstBlock;
    }

    /** {@return the bytes from a block's start to its payload: the header, and in checked mode the leading red zone} */
    public long payloadOffset() {
        return offset;
    }

    /**
     * Changes the trim threshold, as {@code mallopt(M_TRIM_THRESHOLD, bytes)} does; 0 never trims. A composite
     * allocator moves it with glibc's dynamic mmap threshold.
     *
     * @throws IllegalArgumentException if {@code bytes < 0}
     */
    public void setTrimThreshold(long bytes) {
        confinement.check();
        if (bytes < 0) {
            throw new IllegalArgumentException("trimThreshold must not be negative: " + bytes);
        }
        this.trimThreshold = fixedHeap || bytes == 0 ? Long.MAX_VALUE : bytes;
    }

    /**
     * Gives back every free byte at the top of the heap, whatever the trim threshold, as glibc's
     * {@code malloc_trim(0)} does. With deferred coalescing it first merges every run of adjacent free blocks (as
     * {@code malloc_trim} consolidates the fastbins); without coalescing it gives back the free blocks at the top
     * one by one, merging none. A fixed heap never shrinks.
     *
     * @return the bytes given back
     */
    public long trim() {
        confinement.check();
        if (fixedHeap) {
            return 0;
        }
        if (coalescing == Coalescing.DEFERRED) {
            coalesceAll();
        }
        long before = epilogue;
        long last;
        do {
            last = epilogue;
            trimTop(0);
        } while (epilogue != last);
        return before - epilogue;
    }

    /** {@return the bytes of the free block at the top of the heap, 0 if the top block is in use: glibc's keepcost} */
    public long topFreeBytes() {
        long top = freeBlockBelow(epilogue);
        return top == 0 ? 0 : epilogue - top;
    }

    /** {@return the blocks the last {@code malloc} searched, as malloc.py's "searched N elements"} */
    public long lastSearchSteps() {
        return lastSearchSteps;
    }

    /** {@return the largest request whose block is exactly {@code blockBytes} (a multiple of the alignment)} */
    public long requestFor(long blockBytes) {
        return blockBytes - offset - trailer - footer;
    }

    /** {@return the block size a request of {@code byteSize} bytes takes from the heap} */
    public long blockSizeFor(long byteSize) {
        return Math.max(minBlock, roundUp(offset + byteSize + trailer + footer, align));
    }

    // ---- tags -----------------------------------------------------------------------------------------

    long tagAddress(long b) {
        return b + h - WORD;
    }

    long tag(long b) {
        return memory.getLong(b + h - WORD);
    }

    /** {@return a tag; the {@code p} bit only where tags carry it} */
    long tagOf(long size, boolean allocated, boolean prevAllocated) {
        return pack(size, allocated, prevBits && prevAllocated);
    }

    /** {@return whether the block right below {@code b} is allocated: from the {@code p} bit, or its footer} */
    boolean allocatedBelow(long b) {
        return prevBits ? isPrevAllocated(tag(b)) : isAllocated(memory.getLong(b - WORD));
    }

    private void writeTags(long b, long size, boolean allocated, boolean prevAllocated) {
        long tag = tagOf(size, allocated, prevAllocated);
        memory.putLong(b + h - WORD, tag);
        if (!allocated || footer != 0) {
            memory.putLong(b + size - WORD, tag);
        }
    }

    private void setPrevAllocated(long b, boolean prevAllocated) {
        if (!prevBits) {
            return;
        }
        long tag = tag(b);
        long updated = prevAllocated ? tag | FirstFitLayout.PREV_ALLOCATED : tag & ~FirstFitLayout.PREV_ALLOCATED;
        memory.putLong(b + h - WORD, updated);
        long size = size(tag);
        if (size != 0 && (!isAllocated(tag) || footer != 0)) {
            memory.putLong(b + size - WORD, updated);
        }
    }

    /** {@return the start of the block that ends at {@code b} if that block is free, else 0} */
    private long freeBlockBelow(long b) {
        return allocatedBelow(b) ? 0 : b - size(memory.getLong(b - WORD));
    }

    private void insert(long b) {
        if (lists != null) {
            lists.insert(b);
        }
    }

    private void unlink(long b) {
        if (lists != null) {
            lists.unlink(b);
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
        if (byteSize >= mmapThreshold) {
            long p = mapped.allocate(byteSize, align);
            if (p != 0) {
                return p;
            }
        }
        return heapMalloc(byteSize);
    }

    private long heapMalloc(long byteSize) {
        long asize = blockSizeFor(byteSize);
        long b = search(asize);
        if (b == 0) {
            b = growTop(asize);
            if (b == 0) {
                return 0;
            }
        }
        place(b, asize);
        long p = b + offset;
        if (checked) {
            guards.arm(b, p, byteSize);
        }
        return p;
    }

    private long search(long asize) {
        long b = find(asize);
        long steps = findSteps;
        if (b == 0 && coalescing == Coalescing.DEFERRED && coalesceAll()) {
            b = find(asize);
            steps += findSteps;
        }
        searches++;
        searchSteps += steps;
        lastSearchSteps = steps;
        maxSearchSteps = Math.max(maxSearchSteps, steps);
        return b;
    }

    private long find(long asize) {
        if (lists != null) {
            long b = lists.find(asize);
            findSteps = lists.steps();
            return b;
        }
        findSteps = 0;
        return switch (fit) {
            case FIRST -> implicitFirst(firstBlock, epilogue, asize);
            case NEXT -> implicitNext(asize);
            case BEST, WORST -> implicitBestOrWorst(asize);
        };
    }

    private long implicitFirst(long from, long until, long asize) {
        long b = from;
        while (b < until) {
            findSteps++;
            long tag = tag(b);
            long size = size(tag);
            if (!isAllocated(tag) && size >= asize) {
                return b;
            }
            if (size < minBlock) {
                return 0; // corrupt: check() says so; the search stops rather than wander off the heap
            }
            b += size;
        }
        return 0;
    }

    private long implicitNext(long asize) {
        long start = rover >= firstBlock && rover < epilogue ? rover : firstBlock;
        long b = implicitFirst(start, epilogue, asize);
        if (b == 0 && start != firstBlock) {
            b = implicitFirst(firstBlock, start, asize);
        }
        if (b != 0) {
            rover = b;
        }
        return b;
    }

    private long implicitBestOrWorst(long asize) {
        boolean best = fit == Fit.BEST;
        long chosen = 0;
        long chosenSize = best ? Long.MAX_VALUE : -1;
        for (long b = firstBlock; b < epilogue; ) {
            findSteps++;
            long tag = tag(b);
            long size = size(tag);
            if (!isAllocated(tag) && size >= asize && (best ? size < chosenSize : size > chosenSize)) {
                chosen = b;
                chosenSize = size;
            }
            if (size < minBlock) {
                return 0;
            }
            b += size;
        }
        return chosen;
    }

    /**
     * Grows the heap so that a free block of at least {@code asize} bytes ends at the epilogue.
     *
     * @return that block, on its list, or 0 if the heap is fixed or {@code sbrk} failed
     */
    private long growTop(long asize) {
        if (fixedHeap) {
            return 0;
        }
        long top = freeBlockBelow(epilogue);
        long have = 0;
        if (top != 0) {
            have = epilogue - top;
            long footerTag = memory.getLong(epilogue - WORD);
            if (have < minBlock || (have & (align - 1)) != 0 || top < firstBlock || tag(top) != footerTag
                    || isAllocated(footerTag)) {
                throw new HeapCorruptionException(CorruptionKind.CORRUPTED_TOP, "malloc(): corrupted top size",
                        epilogue - WORD);
            }
        }
        long need = asize - have;
        long grow = Math.max(need, chunkBytes);
        if (memory.sbrk(grow) == MemorySource.FAILED) {
            grow = need;
            if (memory.sbrk(grow) == MemorySource.FAILED) {
                return 0;
            }
        }
        long old = epilogue;
        boolean prevAllocated = isPrevAllocated(tag(old));
        epilogue += grow;
        if (checked) {
            long from = top != 0 ? old - WORD : old;
            memory.fill(from, epilogue - from, Guards.POISON);
        }
        memory.putLong(tagAddress(epilogue), tagOf(0, true, false));
        long b = old;
        long size = grow;
        if (top != 0) {
            unlink(top);
            prevAllocated = isPrevAllocated(tag(top));
            if (checked) {
                memory.putLong(tagAddress(old), Guards.POISON_WORD);
            }
            b = top;
            size += have;
        }
        writeTags(b, size, false, prevAllocated);
        insert(b);
        return b;
    }

    /** Allocates {@code asize} bytes of the free, listed block {@code b}, splitting off a free remainder. */
    private void place(long b, long asize) {
        long tag = tag(b);
        long size = size(tag);
        boolean prevAllocated = isPrevAllocated(tag);
        if (checked) {
            guards.verifyPoison(b + h + 2 * WORD, Math.min(b + asize, b + size - WORD));
        }
        if (size - asize >= minBlock) {
            long rest = b + asize;
            if (index == FreeIndex.SEGREGATED) {
                lists.unlink(b);
                writeTags(rest, size - asize, false, true);
                lists.insert(rest);
            } else {
                writeTags(rest, size - asize, false, true);
                if (lists != null) {
                    lists.replace(b, rest);
                }
            }
            writeTags(b, asize, true, prevAllocated);
        } else {
            unlink(b);
            writeTags(b, size, true, prevAllocated);
            setPrevAllocated(b + size, true);
        }
    }

    // ---- free -----------------------------------------------------------------------------------------

    @Override
    public void free(long address) {
        confinement.check();
        if (address == 0) {
            return;
        }
        if (!inHeap(address)) {
            long m = mappedBlock(address, "free()");
            mapped.free(address, m);
            return;
        }
        long b = heapBlock(address, "free()");
        long tag = tag(b);
        long size = size(tag);
        if (checked) {
            guards.verifyRedZones(b, address);
        }
        writeTags(b, size, false, isPrevAllocated(tag));
        setPrevAllocated(b + size, false);
        if (checked) {
            memory.fill(b + h, size - h - WORD, Guards.POISON);
        }
        release(b);
    }

    /** Coalesces the free, unlisted block {@code b} as the policy says, lists it, and trims the top. */
    private void release(long b) {
        switch (coalescing) {
            case IMMEDIATE -> b = coalesceNeighbours(b);
            case LIST -> {
                insert(b);
                coalesceListNeighbours();
                unswept = true;
                if (trimThreshold != Long.MAX_VALUE) {
                    trimTop(); // the pass may have merged b into any block: look at the top itself
                }
                return;
            }
            case DEFERRED, NONE -> { }
        }
        insert(b);
        unswept = true;
        if (b + size(tag(b)) == epilogue && trimThreshold != Long.MAX_VALUE) {
            trimTop();
        }
    }

    /** Merges the free, unlisted block {@code b} with free neighbours; {@return the merged block} */
    private long coalesceNeighbours(long b) {
        long tag = tag(b);
        long size = size(tag);
        boolean prevAllocated = isPrevAllocated(tag);
        long next = b + size;
        long nextTag = tag(next);
        if (!isAllocated(nextTag)) {
            unlink(next);
            absorb(b, next);
            size += size(nextTag);
        }
        if (!allocatedBelow(b)) {
            long prev = b - size(memory.getLong(b - WORD));
            unlink(prev);
            absorb(prev, b);
            size += b - prev;
            prevAllocated = isPrevAllocated(tag(prev));
            b = prev;
        }
        writeTags(b, size, false, prevAllocated);
        return b;
    }

    /**
     * Notes that {@code upper}, the block right above {@code base}, becomes part of it. In checked mode the
     * words that stop being metadata (base's footer, upper's header and links) become poison, and upper's tag
     * a tombstone.
     */
    private void absorb(long base, long upper) {
        if (checked) {
            memory.fill(upper - WORD, h + 3 * WORD, Guards.POISON);
            memory.putLong(tagAddress(upper), Guards.TOMBSTONE);
        }
        if (rover == upper) {
            rover = base;
        }
    }

    /** malloc.py's {@code -C}: merges every listed block with the next listed block when it starts where it ends. */
    private void coalesceListNeighbours() {
        long c = lists.head(0);
        while (c != 0) {
            long next = lists.next(c);
            long tag = tag(c);
            long size = size(tag);
            if (next == c + size) {
                long nextSize = size(tag(next));
                lists.unlink(next);
                absorb(c, next);
                writeTags(c, size + nextSize, false, isPrevAllocated(tag));
                lists.resized(c);
            } else {
                c = next;
            }
        }
    }

    /**
     * Deferred coalescing: merges every run of adjacent free blocks; {@return whether any merged} Without a
     * free since the last sweep nothing can merge, and the sweep is skipped.
     */
    private boolean coalesceAll() {
        if (!unswept) {
            return false;
        }
        unswept = false;
        boolean merged = false;
        long b = firstBlock;
        while (b < epilogue) {
            long tag = tag(b);
            long size = size(tag);
            if (size < minBlock) {
                break;
            }
            if (!isAllocated(tag) && !isAllocated(tag(b + size))) {
                unlink(b);
                long next = b + size;
                long nextTag = tag(next);
                while (!isAllocated(nextTag)) {
                    unlink(next);
                    absorb(b, next);
                    size += size(nextTag);
                    next = b + size;
                    nextTag = tag(next);
                }
                writeTags(b, size, false, isPrevAllocated(tag));
                insert(b);
                merged = true;
            }
            b += size;
        }
        return merged;
    }

    /** Gives a large free top block back to the kernel. */
    private void trimTop() {
        trimTop(trimThreshold);
    }

    /** Gives the free top block back to the kernel if it is at least {@code threshold} bytes. */
    private void trimTop(long threshold) {
        long top = freeBlockBelow(epilogue);
        if (top == 0 || epilogue - top < threshold) {
            return;
        }
        long size = epilogue - top;
        boolean prevAllocated = isPrevAllocated(tag(top));
        unlink(top);
        memory.sbrk(-size);
        epilogue = top;
        memory.putLong(tagAddress(epilogue), tagOf(0, true, prevAllocated));
        if (rover >= epilogue) {
            rover = firstBlock;
        }
    }

    // ---- pointer validation ---------------------------------------------------------------------------

    private boolean inHeap(long address) {
        return address >= firstBlock + offset && address < epilogue;
    }

    private long mappedBlock(long address, String call) {
        if (!mapped.claims(address)) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", address);
        }
        return mapped.validate(address, call);
    }

    /**
     * Validates a heap pointer handed back by a caller, before anything is changed.
     *
     * @return its block's start
     */
    private long heapBlock(long p, String call) {
        if ((p & (align - 1)) != 0) {
            return badPointer(p, call);
        }
        long b = p - offset;
        long tag = tag(b);
        if (!isAllocated(tag) || isMmapped(tag)) {
            return badPointer(p, call);
        }
        long size = size(tag);
        if (size < minBlock || (size & (align - 1)) != 0 || size > epilogue - b
                || (footer != 0 && memory.getLong(b + size - WORD) != tag)) {
            if (checked) {
                return badPointer(p, call);
            }
            throw new HeapCorruptionException(CorruptionKind.INVALID_SIZE, call + ": invalid size", p);
        }
        if (prevBits && !isPrevAllocated(tag(b + size))) {
            if (checked) {
                return badPointer(p, call);
            }
            throw new HeapCorruptionException(CorruptionKind.OTHER, "double free or corruption (!prev)", p);
        }
        if (checked) {
            long n = Guards.decodeSize(memory.getLong(b + h), p);
            if (n < 0 || n > capacity(b, size, p)) {
                return badPointer(p, call);
            }
        }
        return b;
    }

    private long capacity(long b, long size, long p) {
        return b + size - footer - trailer - p;
    }

    /**
     * Throws the error for a heap pointer that failed validation. Outside checked mode it trusts the tag, as
     * glibc does; checked mode walks the heap to say exactly what is wrong ({@link BlockGuards#diagnose}).
     */
    private long badPointer(long p, String call) {
        if (checked) {
            throw guards.diagnose(p, call);
        }
        if ((p & (align - 1)) == 0 && !isAllocated(tag(p - offset))) {
            throw call.equals("free()")
                    ? new HeapCorruptionException(CorruptionKind.DOUBLE_FREE, "free(): double free detected", p)
                    : new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", p);
        }
        throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", p);
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
        if (!inHeap(address)) {
            return reallocMapped(address, byteSize);
        }
        long b = heapBlock(address, "realloc()");
        if (checked) {
            guards.verifyRedZones(b, address);
        }
        if (byteSize == 0) {
            free(address);
            return 0;
        }
        if (byteSize > MAX_REQUEST) {
            return 0;
        }
        long tag = tag(b);
        long size = size(tag);
        boolean prevAllocated = isPrevAllocated(tag);
        long oldUsable = usable(b, address);
        long asize = blockSizeFor(byteSize);
        if (asize <= size) {
            shrink(b, size, asize);
            rearm(b, address, byteSize);
            return address;
        }
        long next = b + size;
        long nextTag = tag(next);
        boolean nextFree = !isAllocated(nextTag);
        long avail = nextFree ? size + size(nextTag) : size;
        if (nextFree && checked) {
            // only what the block grows into is handed out; a split-off tail stays poisoned and unread
            guards.verifyPoison(next + h + 2 * WORD, Math.min(b + asize, next + size(nextTag) - WORD));
        }
        if (avail >= asize) {
            if (nextFree) {
                unlink(next);
                absorb(b, next);
            }
            writeTags(b, avail, true, prevAllocated);
            setPrevAllocated(b + avail, true);
            shrink(b, avail, asize);
            rearm(b, address, byteSize);
            return address;
        }
        if (b + avail == epilogue && !fixedHeap && memory.sbrk(asize - avail) != MemorySource.FAILED) {
            if (nextFree) {
                unlink(next);
                absorb(b, next);
            }
            long old = epilogue;
            epilogue += asize - avail;
            if (checked) {
                memory.fill(old, epilogue - old, Guards.POISON);
            }
            memory.putLong(tagAddress(epilogue), tagOf(0, true, true));
            writeTags(b, asize, true, prevAllocated);
            rearm(b, address, byteSize);
            return address;
        }
        long moved = malloc(byteSize);
        if (moved == 0) {
            return 0;
        }
        memory.copy(address, moved, Math.min(oldUsable, byteSize));
        free(address);
        return moved;
    }

    private long reallocMapped(long address, long byteSize) {
        long m = mappedBlock(address, "realloc()");
        if (byteSize == 0) {
            mapped.free(address, m);
            return 0;
        }
        if (byteSize > MAX_REQUEST) {
            return 0;
        }
        if (byteSize <= mapped.capacity(address, m)) {
            mapped.resize(address, m, byteSize);
            return address;
        }
        long moved = malloc(byteSize);
        if (moved == 0) {
            return 0;
        }
        memory.copy(address, moved, Math.min(mapped.usable(address, m), byteSize));
        mapped.free(address, m);
        return moved;
    }

    private void rearm(long b, long p, long byteSize) {
        if (checked) {
            guards.arm(b, p, byteSize);
        }
    }

    /** Cuts the allocated block {@code b} of {@code size} bytes down to {@code asize}, freeing the tail. */
    private void shrink(long b, long size, long asize) {
        if (size - asize < minBlock) {
            return;
        }
        writeTags(b, asize, true, isPrevAllocated(tag(b)));
        long tail = b + asize;
        long tailSize = size - asize;
        writeTags(tail, tailSize, false, true);
        setPrevAllocated(tail + tailSize, false);
        if (checked) {
            memory.fill(tail + h, tailSize - h - WORD, Guards.POISON);
        }
        release(tail);
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
        if (byteAlignment <= align) {
            return malloc(byteSize);
        }
        if (byteSize > MAX_REQUEST || byteAlignment > MAX_REQUEST) {
            return 0;
        }
        if (byteSize >= mmapThreshold) {
            long p = mapped.allocate(byteSize, byteAlignment);
            if (p != 0) {
                return p;
            }
        }
        long p = heapMalloc(Math.max(byteSize, minBlock) + byteAlignment + minBlock);
        if (p == 0) {
            return 0;
        }
        long b = p - offset;
        long size = size(tag(b));
        long q = roundUp(p, byteAlignment);
        while (q != p && q - p < minBlock) {
            q += byteAlignment; // the leading gap must be able to stand as a free block
        }
        if (q != p) {
            long gap = q - p;
            boolean prevAllocated = isPrevAllocated(tag(b));
            writeTags(q - offset, size - gap, true, false);
            writeTags(b, gap, false, prevAllocated);
            if (checked) {
                memory.fill(b + h, gap - h - WORD, Guards.POISON);
            }
            release(b);
            b = q - offset;
            size -= gap;
        }
        shrink(b, size, blockSizeFor(byteSize));
        rearm(b, q, byteSize);
        return q;
    }

    @Override
    public long usableSize(long address) {
        if (!inHeap(address)) {
            long m = mappedBlock(address, "malloc_usable_size()");
            return mapped.usable(address, m);
        }
        return usable(heapBlock(address, "malloc_usable_size()"), address);
    }

    private long usable(long b, long p) {
        long size = size(tag(b));
        if (checked) {
            long n = Guards.decodeSize(memory.getLong(b + h), p);
            return n < 0 || n > capacity(b, size, p) ? capacity(b, size, p) : n;
        }
        return size - offset - footer;
    }

    // ---- instruments ----------------------------------------------------------------------------------

    /** {@inheritDoc} One pass over the tags, allocating nothing: replay reads it often. */
    @Override
    public HeapStats stats() {
        long live = 0;
        long allocatedBytes = 0;
        long usableBytes = 0;
        long freeBlocks = 0;
        long freeBytes = 0;
        long largestFree = 0;
        long b = firstBlock;
        while (b < epilogue) {
            long tag = tag(b);
            long size = size(tag);
            if (size < minBlock || size > epilogue - b) {
                break; // corrupt: check() says so
            }
            if (isAllocated(tag)) {
                live++;
                allocatedBytes += size;
                usableBytes += usable(b, b + offset);
            } else {
                freeBlocks++;
                freeBytes += size;
                largestFree = Math.max(largestFree, size);
            }
            b += size;
        }
        live += mapped.count();
        allocatedBytes += mapped.bytes();
        usableBytes += mapped.usableBytes();
        return new HeapStats(live, allocatedBytes, usableBytes, freeBlocks, freeBytes, largestFree,
                memory.brk() - memory.heapStart(), memory.mappedBytes(), memory.peakFootprintBytes(), searches,
                searchSteps, maxSearchSteps);
    }

    @Override
    public void walk(Consumer<Block> visitor) {
        visitor.accept(new Block(heapStart, firstBlock - heapStart, firstBlock, 0, BlockState.METADATA));
        long b = firstBlock;
        while (b < epilogue) {
            long tag = tag(b);
            long size = size(tag);
            if (size < minBlock || size > epilogue - b) {
                break; // corrupt: check() says so; the walk stops rather than wander off the heap
            }
            boolean allocated = isAllocated(tag);
            long usable = allocated ? usable(b, b + offset) : Math.max(0, size - offset - WORD);
            visitor.accept(new Block(b, size, b + offset, usable,
                    allocated ? BlockState.ALLOCATED : BlockState.FREE));
            b += size;
        }
        visitor.accept(new Block(epilogue, h, epilogue + h, 0, BlockState.METADATA));
        mapped.walk(visitor);
    }

    /**
     * Reports the free blocks in the order a search meets them: list by list (size class by size class), or,
     * for an implicit list, by address.
     */
    public void walkFreeList(Consumer<Block> visitor) {
        if (lists == null) {
            walk(block -> {
                if (block.state() == BlockState.FREE) {
                    visitor.accept(block);
                }
            });
            return;
        }
        long limit = (epilogue - firstBlock) / minBlock + 1;
        for (int list = 0; list < lists.lists(); list++) {
            long seen = 0;
            for (long b = lists.head(list); b != 0 && seen++ < limit; b = lists.next(b)) {
                long size = size(tag(b));
                visitor.accept(new Block(b, size, b + offset, Math.max(0, size - offset - WORD), BlockState.FREE));
            }
        }
    }

    @Override
    public List<Violation> check() {
        return new FirstFitChecker(this).check();
    }

    long searchesMade() {
        return searches;
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
