package io.github.alloclab.firstfit;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import java.util.List;
import java.util.function.Consumer;

/**
 * Requests at or above the mmap threshold: each gets an {@code mmap} mapping of its own, given back with
 * {@code munmap} at {@code free}, as glibc does for large chunks.
 *
 * <pre>
 *  m (page-aligned mapping start, L bytes long)
 *  m + 0     next: the next mapping, by address, or 0
 *  m + 8     prev: the previous mapping, or 0
 *  m + 16    p, so that the walk finds the payload
 *            (checked mode: red zone 0xcc from m + 24 to p - 24, and at p - 24 the keyed requested size)
 *  p - 16    m, so that free(p) finds the mapping
 *  p - 8     tag: L | m=1 | a=1
 *  p         payload, aligned as asked; usable up to m + L
 * </pre>
 *
 * The mappings form a list in address order, so that {@code free} can tell a real block from a forged one
 * and the walk can report them. The last few unmapped payloads are remembered, so that freeing one again is
 * reported as a double free rather than a read of unmapped memory.
 */
final class MappedBlocks {

    private static final long WORD = FirstFitLayout.WORD;
    private static final long TAG_BITS = FirstFitLayout.MMAPPED | FirstFitLayout.ALLOCATED;
    private static final int REMEMBERED = 16;

    private final MemorySource memory;
    private final long alignment;
    private final boolean checked;
    private final long redZone;
    private final long pageSize;
    private final long[] unmapped = new long[REMEMBERED];
    private int unmappedNext;
    private long head;
    private long count;
    private long bytes;

    MappedBlocks(MemorySource memory, long alignment, boolean checked, long redZone) {
        this.memory = memory;
        this.alignment = alignment;
        this.checked = checked;
        this.redZone = redZone;
        this.pageSize = memory.pageSize();
    }

    /** Bytes from the mapping start to the lowest payload: links, (red zone and size word), back pointer, tag. */
    private long headerBytes() {
        return checked ? 3 * WORD + redZone + 3 * WORD : 5 * WORD;
    }

    /** {@return a payload of {@code byteSize} bytes aligned to {@code byteAlignment} in a new mapping, or 0} */
    long allocate(long byteSize, long byteAlignment) {
        long align = Math.max(alignment, byteAlignment);
        // p = roundUp(m + header, align) with m page-aligned, so p - m <= header + align
        long length = FirstFitLayout.roundUp(headerBytes() + align + byteSize + (checked ? redZone : 0), pageSize);
        long m = memory.mmap(length);
        if (m == MemorySource.FAILED) {
            return 0;
        }
        long p = FirstFitLayout.roundUp(m + headerBytes(), align);
        long after = 0;
        for (long c = head; c != 0 && c < m; c = memory.getLong(c)) {
            after = c;
        }
        long next = after == 0 ? head : memory.getLong(after);
        memory.putLong(m, next);
        memory.putLong(m + WORD, after);
        if (after == 0) {
            head = m;
        } else {
            memory.putLong(after, m);
        }
        if (next != 0) {
            memory.putLong(next + WORD, m);
        }
        memory.putLong(m + 2 * WORD, p);
        memory.putLong(p - 2 * WORD, m);
        memory.putLong(p - WORD, length | TAG_BITS);
        if (checked) {
            arm(m, length, p, byteSize);
        }
        for (int i = 0; i < REMEMBERED; i++) {
            if (unmapped[i] == p) {
                unmapped[i] = 0;
            }
        }
        count++;
        bytes += length;
        return p;
    }

    private void arm(long m, long length, long p, long byteSize) {
        memory.putLong(p - 3 * WORD, Guards.encodeSize(byteSize, p));
        memory.fill(m + 3 * WORD, p - 3 * WORD - (m + 3 * WORD), Guards.RED_ZONE);
        memory.fill(p + byteSize, m + length - p - byteSize, Guards.RED_ZONE);
    }

    /** {@return whether {@code p} looks like a payload of this class: its tag below it says mmapped} */
    boolean claims(long p) {
        if ((p & (WORD - 1)) != 0 || !memory.isMapped(p - 2 * WORD, 2 * WORD)) {
            return wasUnmapped(p);
        }
        return (memory.getLong(p - WORD) & TAG_BITS) == TAG_BITS || wasUnmapped(p);
    }

    private boolean wasUnmapped(long p) {
        for (long q : unmapped) {
            if (q == p && p != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return the mapping start of the live block whose payload is {@code p}}
     *
     * @throws HeapCorruptionException if {@code p} is not one
     */
    long validate(long p, String call) {
        if (wasUnmapped(p)) {
            if (call.equals("free()")) {
                throw new HeapCorruptionException(CorruptionKind.DOUBLE_FREE, "free(): double free detected", p);
            }
            throw new HeapCorruptionException(CorruptionKind.USE_AFTER_FREE, call + ": invalid pointer", p);
        }
        String reason = call.equals("free()") ? "munmap_chunk(): invalid pointer" : call + ": invalid pointer";
        if ((p & (alignment - 1)) != 0 || !memory.isMapped(p - 2 * WORD, 2 * WORD)) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, reason, p);
        }
        long tag = memory.getLong(p - WORD);
        long m = memory.getLong(p - 2 * WORD);
        long length = FirstFitLayout.size(tag);
        if ((tag & TAG_BITS) != TAG_BITS || (m & (pageSize - 1)) != 0 || m >= p || p - m >= length
                || !memory.isMapped(m, length) || !listed(m)) {
            throw new HeapCorruptionException(CorruptionKind.INVALID_POINTER, reason, p);
        }
        if (checked) {
            long n = Guards.decodeSize(memory.getLong(p - 3 * WORD), p);
            if (n < 0 || n > m + length - p - redZone) {
                throw new HeapCorruptionException(CorruptionKind.UNDERFLOW,
                        "memory clobbered before allocated block", p - 3 * WORD);
            }
            verifyRedZones(m, length, p, n);
        }
        return m;
    }

    private boolean listed(long m) {
        for (long c = head; c != 0 && c <= m; c = memory.getLong(c)) {
            if (c == m) {
                return true;
            }
        }
        return false;
    }

    private void verifyRedZones(long m, long length, long p, long n) {
        long bad = Guards.firstDifferent(memory, m + 3 * WORD, p - 3 * WORD, Guards.RED_ZONE);
        if (bad >= 0) {
            arm(m, length, p, n);
            throw new HeapCorruptionException(CorruptionKind.UNDERFLOW, "memory clobbered before allocated block", bad);
        }
        bad = Guards.firstDifferent(memory, p + n, m + length, Guards.RED_ZONE);
        if (bad >= 0) {
            arm(m, length, p, n);
            throw new HeapCorruptionException(CorruptionKind.OVERFLOW, "memory clobbered past end of allocated block", bad);
        }
    }

    /** {@return the bytes the live block at {@code p} (validated) can hold} */
    long usable(long p, long m) {
        long length = FirstFitLayout.size(memory.getLong(p - WORD));
        return checked ? Guards.decodeSize(memory.getLong(p - 3 * WORD), p) : m + length - p;
    }

    /** {@return the most bytes the block at {@code p} could hold without moving} */
    long capacity(long p, long m) {
        long length = FirstFitLayout.size(memory.getLong(p - WORD));
        return m + length - p - (checked ? redZone : 0);
    }

    /** Changes the requested size of the block at {@code p} in place ({@code byteSize <= capacity}). */
    void resize(long p, long m, long byteSize) {
        if (checked) {
            arm(m, FirstFitLayout.size(memory.getLong(p - WORD)), p, byteSize);
        }
    }

    /** Unmaps the validated block at {@code p}. */
    void free(long p, long m) {
        long length = FirstFitLayout.size(memory.getLong(p - WORD));
        long next = memory.getLong(m);
        long prev = memory.getLong(m + WORD);
        if (prev == 0) {
            head = next;
        } else {
            memory.putLong(prev, next);
        }
        if (next != 0) {
            memory.putLong(next + WORD, prev);
        }
        memory.munmap(m, length);
        unmapped[unmappedNext] = p;
        unmappedNext = (unmappedNext + 1) % REMEMBERED;
        count--;
        bytes -= length;
    }

    long count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    /** {@return the bytes callers may use in all mapped blocks} */
    long usableBytes() {
        long total = 0;
        for (long m = head; m != 0; m = memory.getLong(m)) {
            long p = payloadOf(m);
            if (p == 0) {
                break;
            }
            total += usable(p, m);
        }
        return total;
    }

    /** Reports every mapped block, lowest address first, as one allocated block. */
    void walk(Consumer<Block> visitor) {
        for (long m = head; m != 0; m = memory.getLong(m)) {
            long p = payloadOf(m);
            if (p == 0) {
                return;
            }
            long length = FirstFitLayout.size(memory.getLong(p - WORD));
            visitor.accept(new Block(m, length, p, usable(p, m), BlockState.ALLOCATED));
        }
    }

    /** {@return the payload of the mapping at {@code m}, or 0 if its record of it is broken} */
    private long payloadOf(long m) {
        long p = memory.getLong(m + 2 * WORD);
        if (p <= m || (p & (WORD - 1)) != 0 || !memory.isMapped(m, p - m) || memory.getLong(p - 2 * WORD) != m
                || (memory.getLong(p - WORD) & TAG_BITS) != TAG_BITS) {
            return 0;
        }
        return p;
    }

    /** Adds what is wrong with the mappings to {@code found}. */
    void check(List<Violation> found) {
        long prev = 0;
        long seen = 0;
        for (long m = head; m != 0; m = memory.getLong(m)) {
            if (++seen > count) {
                found.add(new Violation(m, "the list of mapped blocks is longer than the %d blocks mapped".formatted(count)));
                return;
            }
            if (memory.getLong(m + WORD) != prev) {
                found.add(new Violation(m, "mapped block's prev link 0x%x should be 0x%x"
                        .formatted(memory.getLong(m + WORD), prev)));
            }
            if (prev != 0 && m <= prev) {
                found.add(new Violation(m, "mapped blocks are not in address order"));
            }
            long p = payloadOf(m);
            if (p == 0) {
                found.add(new Violation(m, "mapped block has no payload whose back pointer and tag are intact"));
                prev = m;
                continue;
            }
            long length = FirstFitLayout.size(memory.getLong(p - WORD));
            if (!memory.isMapped(m, length)) {
                found.add(new Violation(m, "mapped block of %d bytes is not wholly mapped".formatted(length)));
            } else if (checked) {
                long n = Guards.decodeSize(memory.getLong(p - 3 * WORD), p);
                if (n < 0 || n > m + length - p - redZone) {
                    found.add(new Violation(p - 3 * WORD, "the size word of mapped block 0x%x was overwritten".formatted(p)));
                } else {
                    long bad = Guards.firstDifferent(memory, m + 3 * WORD, p - 3 * WORD, Guards.RED_ZONE);
                    if (bad >= 0) {
                        found.add(new Violation(bad, "memory clobbered before allocated block 0x%x".formatted(p)));
                    }
                    bad = Guards.firstDifferent(memory, p + n, m + length, Guards.RED_ZONE);
                    if (bad >= 0) {
                        found.add(new Violation(bad, "memory clobbered past end of allocated block 0x%x".formatted(p)));
                    }
                }
            }
            prev = m;
        }
        if (seen != count) {
            found.add(new Violation(head, "the list holds %d mapped blocks, not %d".formatted(seen, count)));
        }
    }
}
