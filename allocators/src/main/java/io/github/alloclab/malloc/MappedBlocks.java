package io.github.alloclab.malloc;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Requests at or above the mmap threshold: a mapping each, given back with {@code munmap} at {@code free}, as
 * glibc's {@code mmap}'d chunks.
 *
 * <pre>
 *  m (page-aligned, L bytes mapped)                                   p = roundUp(m + 48, alignment)        m + L
 *  | L | next mapping | previous mapping | (pad, for an alignment) | m | p XOR key |  payload ...            |
 *  +0   +8             +16                                       p - 16  p - 8
 * </pre>
 *
 * The two words below the payload find the mapping from {@code p} whatever its alignment; the keyed word tells a
 * real payload from a forged pointer. The mappings are doubly linked by address for the walk and the checker.
 * The last few unmapped payloads are remembered, so that freeing one again is reported as a double free rather
 * than as an unknown pointer. Not thread-safe.
 */
final class MappedBlocks {

    static final long HEADER = 48;
    private static final long LENGTH = 0;
    private static final long NEXT = 8;
    private static final long PREV = 16;
    private static final long SALT = 0x3A9E_D0B1_0C45_1DEL;
    private static final int REMEMBERED = 16;

    private final MemorySource memory;
    private final long pageSize;
    private final long key;
    private final long[] unmapped = new long[REMEMBERED];
    private int unmappedNext;
    private long head;
    private long count;
    private long bytes;
    private long peakCount;
    private long peakBytes;

    MappedBlocks(MemorySource memory, long key) {
        this.memory = memory;
        this.pageSize = memory.pageSize();
        this.key = key ^ SALT;
    }

    /** {@return a payload of {@code byteSize} bytes aligned to {@code byteAlignment} (at least 16), or 0} */
    long allocate(long byteSize, long byteAlignment) {
        long align = Math.max(16, byteAlignment);
        long length = (HEADER + align + byteSize + pageSize - 1) & -pageSize; // p - m <= HEADER + align - 16
        if (length <= 0) {
            return 0;
        }
        long m = memory.mmap(length);
        if (m == MemorySource.FAILED) {
            return 0;
        }
        long p = (m + HEADER + align - 1) & -align;
        memory.putLong(m + LENGTH, length);
        memory.putLong(p - 16, m);
        memory.putLong(p - 8, p ^ key);
        long after = 0;
        for (long c = head; c != 0 && c < m; c = memory.getLong(c + NEXT)) {
            after = c;
        }
        long next = after == 0 ? head : memory.getLong(after + NEXT);
        memory.putLong(m + NEXT, next);
        memory.putLong(m + PREV, after);
        if (after == 0) {
            head = m;
        } else {
            memory.putLong(after + NEXT, m);
        }
        if (next != 0) {
            memory.putLong(next + PREV, m);
        }
        count++;
        bytes += length;
        peakCount = Math.max(peakCount, count);
        peakBytes = Math.max(peakBytes, bytes);
        return p;
    }

    /** {@return whether {@code p} is the payload of a live mapping of this allocator} */
    boolean owns(long p) {
        return (p & 15) == 0 && memory.isMapped(p - 16, 16) && memory.getLong(p - 8) == (p ^ key);
    }

    /**
     * {@return the mapping that holds the payload {@code p}}
     *
     * @throws HeapCorruptionException if {@code p} is no live payload here, a double free when it was one lately
     */
    long mappingOf(long p, String call) {
        if (owns(p)) {
            long m = memory.getLong(p - 16);
            if ((m & (pageSize - 1)) == 0 && m <= p - HEADER && memory.isMapped(m, HEADER)) {
                return m;
            }
        }
        for (long u : unmapped) {
            if (u == p && p != 0) {
                throw new HeapCorruptionException(CorruptionKind.DOUBLE_FREE,
                        call.equals("free()") ? "free(): double free detected" : call + ": invalid pointer", p);
            }
        }
        throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", p);
    }

    /** {@return the bytes a caller may use at {@code p} in mapping {@code m}} */
    long usable(long p, long m) {
        return m + memory.getLong(m + LENGTH) - p;
    }

    /** {@return the bytes mapped for mapping {@code m}} */
    long length(long m) {
        return memory.getLong(m + LENGTH);
    }

    /** Unmaps the mapping {@code m} whose payload is {@code p}. */
    void free(long p, long m) {
        long length = memory.getLong(m + LENGTH);
        long next = memory.getLong(m + NEXT);
        long prev = memory.getLong(m + PREV);
        if (prev == 0) {
            head = next;
        } else {
            memory.putLong(prev + NEXT, next);
        }
        if (next != 0) {
            memory.putLong(next + PREV, prev);
        }
        memory.munmap(m, length);
        count--;
        bytes -= length;
        unmapped[unmappedNext] = p;
        unmappedNext = (unmappedNext + 1) % REMEMBERED;
    }

    /** Forgets {@code p} as lately unmapped: the address is handed out again. */
    void reused(long p) {
        for (int i = 0; i < REMEMBERED; i++) {
            if (unmapped[i] == p) {
                unmapped[i] = 0;
            }
        }
    }

    long count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    long peakCount() {
        return peakCount;
    }

    long peakBytes() {
        return peakBytes;
    }

    /** Reports each mapping as its header (metadata) and its payload (allocated), lowest address first. */
    void walk(Consumer<Block> visitor) {
        for (long m = head; m != 0; m = memory.getLong(m + NEXT)) {
            long length = memory.getLong(m + LENGTH);
            long p = payloadOf(m);
            visitor.accept(new Block(m, p - m, p, 0, BlockState.METADATA));
            visitor.accept(new Block(p, m + length - p, p, m + length - p, BlockState.ALLOCATED));
        }
    }

    /** {@return the payload of mapping {@code m}: the first 16-aligned address past the header with its keyed word} */
    private long payloadOf(long m) {
        for (long p = m + HEADER; p < m + memory.getLong(m + LENGTH); p += 16) {
            if (memory.getLong(p - 8) == (p ^ key) && memory.getLong(p - 16) == m) {
                return p;
            }
        }
        return m + HEADER;
    }

    List<Violation> check() {
        List<Violation> violations = new ArrayList<>();
        long seen = 0;
        long total = 0;
        long prev = 0;
        for (long m = head; m != 0; m = memory.getLong(m + NEXT)) {
            if (++seen > count) {
                violations.add(new Violation(m, "M1: the mapping list is longer than the %d mappings counted".formatted(count)));
                return violations;
            }
            long length = memory.getLong(m + LENGTH);
            if (memory.getLong(m + PREV) != prev || (prev != 0 && prev >= m)) {
                violations.add(new Violation(m, "M1: the mapping list is not doubly linked in address order"));
            }
            if (length <= 0 || length % pageSize != 0 || !memory.isMapped(m, length)) {
                violations.add(new Violation(m, "M2: the mapping's length %d is not a live whole-page mapping".formatted(length)));
                return violations;
            }
            long p = payloadOf(m);
            if (memory.getLong(p - 8) != (p ^ key)) {
                violations.add(new Violation(m, "M2: no payload with a valid keyed word in the mapping"));
            }
            total += length;
            prev = m;
        }
        if (seen != count || total != bytes) {
            violations.add(new Violation(head, "M1: %d mappings of %d bytes listed, %d of %d counted"
                    .formatted(seen, total, count, bytes)));
        }
        return violations;
    }
}
