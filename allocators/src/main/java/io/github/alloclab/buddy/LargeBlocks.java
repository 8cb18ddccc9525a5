package io.github.alloclab.buddy;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Blocks too big for an arena, and blocks aligned beyond what an arena block gives: each gets a mapping of
 * its own, as glibc serves requests above {@code M_MMAP_THRESHOLD}.
 *
 * <pre>
 *  start (page-aligned)                       p = payload (16-aligned, or byteAlignment-aligned)     start + length
 *  | unused (only for large alignments) | header 48 bytes           | payload ...                | page tail |
 *                                       +0  canary(p)
 *                                       +8  start of the mapping
 *                                       +16 length of the mapping
 *                                       +24 next large payload, or 0
 *                                       +32 previous large payload, or 0
 *                                       +40 (pad, keeps p 16-aligned)
 * </pre>
 *
 * The header sits right below the payload, so {@code free(p)} finds it at {@code p - 48} whatever the
 * alignment. For an alignment above a page, the mapping is made {@code byteAlignment} larger than needed
 * and the unused pages before the header's page and after the payload are unmapped at once. The live large
 * blocks are doubly linked through their headers, so that the walk and the checker can find them.
 */
final class LargeBlocks {

    static final long HEADER = 48;
    private static final long CANARY = 0;
    private static final long START = 8;
    private static final long LENGTH = 16;
    private static final long NEXT = 24;
    private static final long PREV = 32;
    private static final long SALT = 0x1A46_E000_0000_0000L;

    private final MemorySource memory;
    private final long pageSize;
    private long head;
    private long count;
    private long mappedBytes;
    private long usableBytes;

    LargeBlocks(MemorySource memory) {
        this.memory = memory;
        this.pageSize = memory.pageSize();
    }

    private long pageUp(long bytes) {
        return (bytes + pageSize - 1) & -pageSize;
    }

    /**
     * Maps a block of {@code byteSize} usable bytes whose payload is aligned to {@code byteAlignment} (at
     * least 16).
     *
     * @return the payload address, or 0 when the mmap area is exhausted
     */
    long allocate(long byteSize, long byteAlignment) {
        long slack = byteAlignment <= 16 ? 0 : byteAlignment;
        long length = pageUp(HEADER + slack + byteSize);
        long start = memory.mmap(length);
        if (start == MemorySource.FAILED) {
            return 0;
        }
        long p = (start + HEADER + byteAlignment - 1) & -byteAlignment;
        long keepFrom = (p - HEADER) & -pageSize;
        long keepTo = pageUp(p + Math.max(byteSize, 1));
        if (keepFrom > start) {
            memory.munmap(start, keepFrom - start);
        }
        if (keepTo < start + length) {
            memory.munmap(keepTo, start + length - keepTo);
        }
        writeHeader(p, keepFrom, keepTo - keepFrom);
        link(p);
        return p;
    }

    private void writeHeader(long p, long start, long length) {
        long h = p - HEADER;
        memory.putLong(h + CANARY, BuddyLayout.canary(p ^ SALT));
        memory.putLong(h + START, start);
        memory.putLong(h + LENGTH, length);
        count++;
        mappedBytes += length;
        usableBytes += start + length - p;
    }

    private void link(long p) {
        memory.putLong(p - HEADER + NEXT, head);
        memory.putLong(p - HEADER + PREV, 0);
        if (head != 0) {
            memory.putLong(head - HEADER + PREV, p);
        }
        head = p;
    }

    /** {@return whether {@code p} is the payload of a live large block} */
    boolean owns(long p) {
        if ((p & 15) != 0 || !memory.isMapped(p - HEADER, HEADER)) {
            return false;
        }
        long h = p - HEADER;
        if (memory.getLong(h + CANARY) != BuddyLayout.canary(p ^ SALT)) {
            return false;
        }
        long start = memory.getLong(h + START);
        long length = memory.getLong(h + LENGTH);
        return start <= h && (start & (pageSize - 1)) == 0 && length > 0 && p < start + length
                && memory.isMapped(start, length);
    }

    /**
     * Unmaps the large block at {@code p}.
     *
     * @throws HeapCorruptionException if {@code p} is not a live large block
     */
    void free(long p, String call) {
        if (!owns(p)) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", p);
        }
        long h = p - HEADER;
        long start = memory.getLong(h + START);
        long length = memory.getLong(h + LENGTH);
        unlink(p);
        count--;
        mappedBytes -= length;
        usableBytes -= start + length - p;
        memory.munmap(start, length);
    }

    private void unlink(long p) {
        long n = memory.getLong(p - HEADER + NEXT);
        long prev = memory.getLong(p - HEADER + PREV);
        if (prev == 0) {
            head = n;
        } else {
            memory.putLong(prev - HEADER + NEXT, n);
        }
        if (n != 0) {
            memory.putLong(n - HEADER + PREV, prev);
        }
    }

    /** {@return the bytes a caller may use at {@code p}, a live large block} */
    long usable(long p) {
        long h = p - HEADER;
        return memory.getLong(h + START) + memory.getLong(h + LENGTH) - p;
    }

    /**
     * Shrinks the large block at {@code p} in place to {@code byteSize} usable bytes, unmapping whole pages
     * at its tail.
     *
     * @return whether it could: {@code byteSize} fits the block
     */
    boolean shrinkInPlace(long p, long byteSize) {
        long h = p - HEADER;
        long start = memory.getLong(h + START);
        long length = memory.getLong(h + LENGTH);
        if (byteSize > start + length - p) {
            return false;
        }
        long keepTo = pageUp(p + Math.max(byteSize, 1));
        if (keepTo < start + length) {
            memory.munmap(keepTo, start + length - keepTo);
            memory.putLong(h + LENGTH, keepTo - start);
            mappedBytes -= start + length - keepTo;
            usableBytes -= start + length - keepTo;
        }
        return true;
    }

    long count() {
        return count;
    }

    long mappedBytes() {
        return mappedBytes;
    }

    long usableBytes() {
        return usableBytes;
    }

    /** {@return every live large block, lowest address first} */
    List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (long p = head; p != 0 && seen.add(p); p = memory.getLong(p - HEADER + NEXT)) {
            long start = memory.getLong(p - HEADER + START);
            long length = memory.getLong(p - HEADER + LENGTH);
            blocks.add(new Block(start, length, p, start + length - p, BlockState.ALLOCATED));
        }
        blocks.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
        return blocks;
    }

    /** Checks the list of large blocks and each header; {@return the mappings checked, in address order} */
    List<Block> check(List<Violation> found) {
        Set<Long> seen = new HashSet<>();
        long prev = 0;
        long n = 0;
        long bytes = 0;
        for (long p = head; p != 0; p = memory.getLong(p - HEADER + NEXT)) {
            if (!seen.add(p)) {
                found.add(new Violation(p, "the list of large blocks has a cycle"));
                break;
            }
            if (!owns(p)) {
                found.add(new Violation(p, "large block header is corrupt or its mapping is gone"));
                break;
            }
            if (memory.getLong(p - HEADER + PREV) != prev) {
                found.add(new Violation(p, "large block prev link 0x%x should be 0x%x"
                        .formatted(memory.getLong(p - HEADER + PREV), prev)));
            }
            n++;
            bytes += memory.getLong(p - HEADER + LENGTH);
            prev = p;
        }
        if (n != count || bytes != mappedBytes) {
            found.add(new Violation(head, "large blocks counted %d (%d bytes) but %d (%d bytes) are listed"
                    .formatted(count, mappedBytes, n, bytes)));
        }
        return blocks();
    }
}
