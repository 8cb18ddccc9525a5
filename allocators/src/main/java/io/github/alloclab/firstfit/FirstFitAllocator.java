package io.github.alloclab.firstfit;

import static io.github.alloclab.firstfit.FirstFitLayout.ALIGNMENT;
import static io.github.alloclab.firstfit.FirstFitLayout.MIN_BLOCK;
import static io.github.alloclab.firstfit.FirstFitLayout.NEXT;
import static io.github.alloclab.firstfit.FirstFitLayout.OVERHEAD;
import static io.github.alloclab.firstfit.FirstFitLayout.PREV;
import static io.github.alloclab.firstfit.FirstFitLayout.WORD;
import static io.github.alloclab.firstfit.FirstFitLayout.blockSizeFor;
import static io.github.alloclab.firstfit.FirstFitLayout.isAllocated;
import static io.github.alloclab.firstfit.FirstFitLayout.pack;
import static io.github.alloclab.firstfit.FirstFitLayout.size;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * First fit over an explicit, LIFO-ordered free list, with boundary tags and immediate coalescing, on a
 * {@code brk} heap.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>block</b>: header, payload and footer; its <b>size</b> counts all three and is a multiple of 16.</li>
 *   <li><b>tag</b>: a header or footer word, {@code size | a}, with {@code a = 1} when allocated
 *       (bit layout in {@link FirstFitLayout}).</li>
 *   <li><b>b</b>: a block's header address; its payload is at {@code b + 8}, its footer at
 *       {@code b + size - 8}, the next block at {@code b + size}, and the previous block's footer at
 *       {@code b - 8}.</li>
 *   <li><b>asize</b>: the block size a request needs, {@code max(32, roundUp(n + 16, 16))}.</li>
 *   <li><b>free list</b>: the free blocks, doubly linked through their first two payload words, newest first.</li>
 * </ul>
 *
 * <h2>Heap layout</h2>
 * <pre>
 *  heapStart                                                                          brk
 *  | pad 8 | prologue 16|1 | 16|1 | block | block | ... | block | epilogue 0|1 |
 *          +-- header ----+footer-+                               +- header ---+
 *                                  ^ heapStart + 24: first block header, payload at heapStart + 32
 * </pre>
 * The prologue (an allocated block with no payload) and the epilogue (an allocated header of size 0) let
 * coalescing look at both neighbours of every block without testing for the ends of the heap. The 8-byte pad
 * puts every payload on a 16-byte boundary, since {@code heapStart} is page-aligned.
 *
 * <h2>Algorithm</h2>
 * <b>malloc(n)</b>
 * <ol>
 *   <li>Compute {@code asize}.</li>
 *   <li>Walk the free list from its head; the first block with {@code size >= asize} is the fit. Each block
 *       looked at counts as a search step.</li>
 *   <li>No fit: grow the heap with {@code sbrk} by {@code max(asize - topFree, chunkBytes)}, where
 *       {@code topFree} is the size of a free block at the top of the heap, which the new memory extends.
 *       The old epilogue becomes the new block's header. If {@code sbrk} fails, return {@code NULL}.</li>
 *   <li>Place: unlink the block. If {@code size - asize >= 32}, split it: the low part is allocated, the
 *       high part stays free and goes to the head of the list. Otherwise the whole block is allocated.</li>
 * </ol>
 * <b>free(p)</b>
 * <ol>
 *   <li>Check {@code p}: 16-aligned, inside the heap, header allocated, header equal to footer.
 *       Otherwise throw {@code free(): invalid pointer}, {@code free(): double free detected} or
 *       {@code free(): invalid size}, before changing anything.</li>
 *   <li>Mark the block free, then coalesce: a free next block and a free previous block (found through its
 *       footer at {@code b - 8}) are unlinked and merged. Insert the result at the head of the list.</li>
 *   <li>If the merged block is at the top of the heap and {@code size >= trimThreshold}, unlink it and give
 *       it back with {@code sbrk(-size)}; its header becomes the epilogue.</li>
 * </ol>
 * <b>realloc(p, n)</b>: shrink in place, splitting off a free tail of 32 bytes or more; grow in place into a
 * free next block, or by moving the break when the block is at the top of the heap; otherwise
 * {@code malloc}, copy the old payload, {@code free}.
 * <br><b>memalign(a, n)</b>: {@code malloc(n + a + 32)}, then split off the leading gap (at least 32 bytes,
 * or none) as a free block and the unused tail as another.
 *
 * <h2>Invariants</h2> (checked by {@link #check()})
 * <pre>
 *  I1  heapStart + 24 + sum(size(b) for every block b) = epilogue = brk - 8        (the walk lands on brk)
 *  I2  header(b) = footer(b),  size(b) >= 32,  size(b) mod 16 = 0,  (b + 8) mod 16 = 0
 *  I3  free(b) implies allocated(next(b))                         (no two free blocks are adjacent)
 *  I4  {blocks on the free list} = {free blocks in the walk}, each once
 *  I5  next(prev(b)) = b  and  prev(next(b)) = b  for every b on the list; links are 0 or free block headers
 * </pre>
 *
 * <h2>Complexity</h2>
 * {@code malloc} is O(free blocks) for the search; {@code free} is O(1); the checker is O(blocks).
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: one thread at a time, as the memory source it owns.
 *
 * <h2>References</h2>
 * Bryant and O'Hallaron, <i>Computer Systems: A Programmer's Perspective</i>, 3rd ed., section 9.9
 * (implicit lists, boundary tags after Knuth, explicit free lists). Arpaci-Dusseau, <i>Operating Systems:
 * Three Easy Pieces</i>, chapter 17, "Free-Space Management". Knuth, <i>TAOCP</i> vol. 1, 2.5 (boundary
 * tags). Wilson, Johnstone, Neely and Boles, "Dynamic Storage Allocation: A Survey and Critical Review",
 * IWMM 1995 (LIFO first fit and its fragmentation).
 */
public final class FirstFitAllocator implements Allocator {

    /** Largest request considered at all; larger ones return {@code NULL} before any arithmetic can overflow. */
    private static final long MAX_REQUEST = 1L << 56;
    /** The pad word and the prologue's header and footer. */
    private static final long PROLOGUE_END = 3 * WORD;

    private final String name;
    private final MemorySource memory;
    private final FirstFitSettings settings;
    private final long heapStart;
    private final long firstBlock;

    /** Address of the epilogue header, always {@code brk - 8}. */
    private long epilogue;
    /** Header address of the first free block, or 0. */
    private long freeHead;
    private long searches;
    private long searchSteps;

    /**
     * Makes a first-fit heap at the current break of {@code memory}, which it then owns: closing the
     * allocator closes the source.
     *
     * @throws IllegalArgumentException if the source cannot hold even the prologue and epilogue
     */
    public FirstFitAllocator(String name, MemorySource memory, FirstFitSettings settings) {
        this.name = name;
        this.memory = memory;
        this.settings = settings;
        long start = memory.sbrk(PROLOGUE_END + WORD);
        if (start == MemorySource.FAILED) {
            throw new IllegalArgumentException("the heap limit is too small for a first-fit heap");
        }
        if ((start & (ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException("the break must start 16-byte aligned: 0x" + Long.toHexString(start));
        }
        this.heapStart = start;
        this.firstBlock = start + PROLOGUE_END;
        memory.putLong(start + WORD, pack(2 * WORD, true));
        memory.putLong(start + 2 * WORD, pack(2 * WORD, true));
        this.epilogue = firstBlock;
        memory.putLong(epilogue, pack(0, true));
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

    public FirstFitSettings settings() {
        return settings;
    }

    // ---- malloc ---------------------------------------------------------------------------------------

    @Override
    public long malloc(long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (byteSize > MAX_REQUEST) {
            return 0;
        }
        long asize = blockSizeFor(byteSize);
        long b = findFit(asize);
        if (b == 0) {
            b = growTop(asize);
            if (b == 0) {
                return 0;
            }
        }
        place(b, asize);
        return b + WORD;
    }

    private long findFit(long asize) {
        searches++;
        long steps = 0;
        for (long b = freeHead; b != 0; b = memory.getLong(b + NEXT)) {
            steps++;
            if (size(memory.getLong(b)) >= asize) {
                searchSteps += steps;
                return b;
            }
        }
        searchSteps += steps;
        return 0;
    }

    /**
     * Grows the heap so that a free block of at least {@code asize} bytes ends at the epilogue.
     *
     * @return that block's header, on the free list, or 0 if {@code sbrk} failed
     */
    private long growTop(long asize) {
        long topFree = freeBlockBelow(epilogue);
        long have = topFree == 0 ? 0 : size(memory.getLong(topFree));
        long need = asize - have;
        long grow = Math.max(need, settings.chunkBytes());
        if (memory.sbrk(grow) == MemorySource.FAILED) {
            grow = need;
            if (memory.sbrk(grow) == MemorySource.FAILED) {
                return 0;
            }
        }
        long b = epilogue;
        epilogue += grow;
        memory.putLong(epilogue, pack(0, true));
        if (topFree != 0) {
            unlink(topFree);
            b = topFree;
            grow += have;
        }
        writeTags(b, grow, false);
        insert(b);
        return b;
    }

    /** {@return the header of the block that ends at {@code address} if that block is free, else 0} */
    private long freeBlockBelow(long address) {
        long footer = memory.getLong(address - WORD);
        return isAllocated(footer) ? 0 : address - size(footer);
    }

    private void place(long b, long asize) {
        unlink(b);
        long size = size(memory.getLong(b));
        if (size - asize >= MIN_BLOCK) {
            writeTags(b, asize, true);
            long rest = b + asize;
            writeTags(rest, size - asize, false);
            insert(rest);
        } else {
            writeTags(b, size, true);
        }
    }

    @Override
    public long calloc(long count, long byteSize) {
        if (count < 0 || byteSize < 0) {
            throw new IllegalArgumentException("count and byteSize must not be negative: " + count + ", " + byteSize);
        }
        if (count != 0 && byteSize > MAX_REQUEST / count) {
            return 0;
        }
        long total = count * byteSize;
        long p = malloc(total);
        if (p != 0) {
            memory.fill(p, total, (byte) 0);
        }
        return p;
    }

    // ---- free -----------------------------------------------------------------------------------------

    @Override
    public void free(long address) {
        if (address == 0) {
            return;
        }
        long b = checkedBlock(address, "free()");
        writeTags(b, size(memory.getLong(b)), false);
        release(b);
    }

    /** Coalesces the free block {@code b} with its neighbours, lists the result, and trims the top. */
    private void release(long b) {
        b = coalesce(b);
        insert(b);
        long size = size(memory.getLong(b));
        if (settings.trimThreshold() > 0 && size >= settings.trimThreshold() && b + size == epilogue) {
            unlink(b);
            memory.sbrk(-size);
            epilogue = b;
            memory.putLong(epilogue, pack(0, true));
        }
    }

    /** Merges the free (unlisted) block {@code b} with free neighbours; {@return the merged block's header} */
    private long coalesce(long b) {
        long size = size(memory.getLong(b));
        long next = b + size;
        long nextTag = memory.getLong(next);
        if (!isAllocated(nextTag)) {
            unlink(next);
            size += size(nextTag);
        }
        long prevTag = memory.getLong(b - WORD);
        if (!isAllocated(prevTag)) {
            long prev = b - size(prevTag);
            unlink(prev);
            size += size(prevTag);
            b = prev;
        }
        writeTags(b, size, false);
        return b;
    }

    /**
     * Validates a pointer handed back by a caller, before anything is changed.
     *
     * @return its block's header address
     */
    private long checkedBlock(long address, String call) {
        if ((address & (ALIGNMENT - 1)) != 0 || address < firstBlock + WORD || address >= epilogue) {
            throw new HeapCorruptionException(call + ": invalid pointer", address);
        }
        long b = address - WORD;
        long tag = memory.getLong(b);
        if (!isAllocated(tag)) {
            throw new HeapCorruptionException(
                    call.equals("free()") ? "free(): double free detected" : call + ": invalid pointer", address);
        }
        long size = size(tag);
        if (size < MIN_BLOCK || size > epilogue - b || memory.getLong(b + size - WORD) != tag) {
            throw new HeapCorruptionException(call + ": invalid size", address);
        }
        return b;
    }

    // ---- realloc, memalign, usable size -----------------------------------------------------------------

    @Override
    public long realloc(long address, long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        if (address == 0) {
            return malloc(byteSize);
        }
        long b = checkedBlock(address, "realloc()");
        if (byteSize == 0) {
            free(address);
            return 0;
        }
        if (byteSize > MAX_REQUEST) {
            return 0;
        }
        long asize = blockSizeFor(byteSize);
        long size = size(memory.getLong(b));
        if (asize <= size) {
            shrink(b, size, asize);
            return address;
        }
        long next = b + size;
        long nextTag = memory.getLong(next);
        boolean nextFree = !isAllocated(nextTag);
        long avail = nextFree ? size + size(nextTag) : size;
        if (avail >= asize) {
            if (nextFree) {
                unlink(next);
            }
            writeTags(b, avail, true);
            shrink(b, avail, asize);
            return address;
        }
        if (b + avail == epilogue && memory.sbrk(asize - avail) != MemorySource.FAILED) {
            if (nextFree) {
                unlink(next);
            }
            epilogue += asize - avail;
            memory.putLong(epilogue, pack(0, true));
            writeTags(b, asize, true);
            return address;
        }
        long moved = malloc(byteSize);
        if (moved == 0) {
            return 0;
        }
        memory.copy(address, moved, size - OVERHEAD);
        free(address);
        return moved;
    }

    /** Cuts the allocated block {@code b} of {@code size} bytes down to {@code asize}, freeing the tail. */
    private void shrink(long b, long size, long asize) {
        if (size - asize < MIN_BLOCK) {
            return;
        }
        writeTags(b, asize, true);
        long tail = b + asize;
        writeTags(tail, size - asize, false);
        release(tail);
    }

    @Override
    public long memalign(long byteAlignment, long byteSize) {
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
        long p = malloc(byteSize + byteAlignment + MIN_BLOCK);
        if (p == 0) {
            return 0;
        }
        long b = p - WORD;
        long size = size(memory.getLong(b));
        long q = (p + byteAlignment - 1) & -byteAlignment;
        if (q != p && q - p < MIN_BLOCK) {
            q += byteAlignment; // the leading gap must be able to stand as a free block
        }
        if (q != p) {
            long lead = q - p;
            writeTags(q - WORD, size - lead, true);
            writeTags(b, lead, false);
            release(b);
            b = q - WORD;
            size -= lead;
        }
        shrink(b, size, blockSizeFor(byteSize));
        return q;
    }

    @Override
    public long usableSize(long address) {
        return size(memory.getLong(checkedBlock(address, "malloc_usable_size()"))) - OVERHEAD;
    }

    // ---- free list ------------------------------------------------------------------------------------

    private void insert(long b) {
        memory.putLong(b + NEXT, freeHead);
        memory.putLong(b + PREV, 0);
        if (freeHead != 0) {
            memory.putLong(freeHead + PREV, b);
        }
        freeHead = b;
    }

    private void unlink(long b) {
        long next = memory.getLong(b + NEXT);
        long prev = memory.getLong(b + PREV);
        if (prev == 0) {
            freeHead = next;
        } else {
            memory.putLong(prev + NEXT, next);
        }
        if (next != 0) {
            memory.putLong(next + PREV, prev);
        }
    }

    private void writeTags(long b, long size, boolean allocated) {
        long tag = pack(size, allocated);
        memory.putLong(b, tag);
        memory.putLong(b + size - WORD, tag);
    }

    // ---- instruments ----------------------------------------------------------------------------------

    @Override
    public HeapStats stats() {
        long[] c = new long[6]; // live, allocated, usable, free blocks, free bytes, largest free
        walk(block -> {
            if (block.state() == BlockState.ALLOCATED) {
                c[0]++;
                c[1] += block.byteSize();
                c[2] += block.usable();
            } else if (block.state() == BlockState.FREE) {
                c[3]++;
                c[4] += block.byteSize();
                c[5] = Math.max(c[5], block.byteSize());
            }
        });
        return new HeapStats(c[0], c[1], c[2], c[3], c[4], c[5], memory.brk() - memory.heapStart(),
                memory.mappedBytes(), memory.peakFootprintBytes(), searches, searchSteps);
    }

    @Override
    public void walk(Consumer<Block> visitor) {
        visitor.accept(new Block(heapStart, PROLOGUE_END, firstBlock, 0, BlockState.METADATA));
        long b = firstBlock;
        while (b < epilogue) {
            long tag = memory.getLong(b);
            long size = size(tag);
            if (size < MIN_BLOCK || size > epilogue - b) {
                break; // corrupt: check() says so; the walk stops rather than wander off the heap
            }
            visitor.accept(new Block(b, size, b + WORD, size - OVERHEAD,
                    isAllocated(tag) ? BlockState.ALLOCATED : BlockState.FREE));
            b += size;
        }
        visitor.accept(new Block(epilogue, WORD, epilogue + WORD, 0, BlockState.METADATA));
    }

    @Override
    public List<Violation> check() {
        List<Violation> found = new ArrayList<>();
        if (epilogue != memory.brk() - WORD) {
            found.add(new Violation(epilogue, "the epilogue is not the last word below the break 0x%x"
                    .formatted(memory.brk())));
        }
        if (memory.getLong(heapStart + WORD) != pack(2 * WORD, true)
                || memory.getLong(heapStart + 2 * WORD) != pack(2 * WORD, true)) {
            found.add(new Violation(heapStart + WORD, "the prologue's header or footer was overwritten"));
        }
        if (memory.getLong(epilogue) != pack(0, true)) {
            found.add(new Violation(epilogue, "the epilogue header was overwritten"));
        }
        Set<Long> freeBlocks = new HashSet<>();
        boolean previousFree = false;
        long b = firstBlock;
        while (b < epilogue) {
            long tag = memory.getLong(b);
            long size = size(tag);
            if (((b + WORD) & (ALIGNMENT - 1)) != 0) {
                found.add(new Violation(b, "payload is not 16-byte aligned"));
            }
            if (size < MIN_BLOCK || size > epilogue - b || (tag & (ALIGNMENT - 2)) != 0) {
                found.add(new Violation(b, "bad block size %d: the walk cannot go on".formatted(size)));
                return found;
            }
            if (memory.getLong(b + size - WORD) != tag) {
                found.add(new Violation(b, "header 0x%x does not match footer 0x%x"
                        .formatted(tag, memory.getLong(b + size - WORD))));
            }
            boolean free = !isAllocated(tag);
            if (free && previousFree) {
                found.add(new Violation(b, "two adjacent free blocks escaped coalescing"));
            }
            if (free) {
                freeBlocks.add(b);
            }
            previousFree = free;
            b += size;
        }
        if (b != epilogue) {
            found.add(new Violation(b, "the block walk ends at 0x%x, not at the epilogue 0x%x".formatted(b, epilogue)));
        }
        checkFreeList(freeBlocks, found);
        return found;
    }

    private void checkFreeList(Set<Long> freeBlocks, List<Violation> found) {
        Set<Long> listed = new HashSet<>();
        long prev = 0;
        for (long b = freeHead; b != 0; b = memory.getLong(b + NEXT)) {
            if (!freeBlocks.contains(b)) {
                found.add(new Violation(b, "the free list points at 0x%x, which is not a free block of the heap"
                        .formatted(b)));
                return;
            }
            if (!listed.add(b)) {
                found.add(new Violation(b, "the free list has a cycle"));
                return;
            }
            if (memory.getLong(b + PREV) != prev) {
                found.add(new Violation(b, "prev link 0x%x should be 0x%x".formatted(memory.getLong(b + PREV), prev)));
            }
            prev = b;
        }
        for (long b : freeBlocks) {
            if (!listed.contains(b)) {
                found.add(new Violation(b, "free block is not on the free list"));
            }
        }
    }

    @Override
    public void close() {
        memory.close();
    }

    @Override
    public String toString() {
        return name + "@" + memory;
    }
}
