package io.github.alloclab.internal;

import io.github.alloclab.memory.MemorySource;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A memory source whose {@code mmap} is served from the break: what a page allocator sees when its "kernel" is
 * an {@code sbrk} heap, as on a Unix without {@code mmap}, or as glibc's main arena grows by {@code sbrk} and
 * turns to {@code mmap} only when the break cannot move.
 *
 * <pre>
 *   heapStart         first mapping                                            brk
 *   | pad (to a page) | mapping | hole (munmap'd, zeroed) | mapping | mapping |
 *                     ^ page-aligned                                          ^ a hole that reaches the break
 *                                                                               is given back with sbrk(-n)
 * </pre>
 *
 * <ol>
 *   <li>{@code mmap(n)}: the lowest hole of at least {@code n} (rounded to pages) takes it, first fit, its low
 *       part; if none, the break moves up by {@code n}, after a one-off pad to a page boundary; if the break
 *       cannot move, a real mapping of the underlying source serves it.</li>
 *   <li>{@code munmap}: a range of the break is zeroed (memory handed out again must read as zero) and becomes
 *       a hole, merged with its neighbours; then every hole that ends at the break is trimmed off with a
 *       negative {@code sbrk}. A range of a real mapping is unmapped below.</li>
 * </ol>
 *
 * Why it exists: an object cache keeps an empty slab or two for the next allocation, so a heap whose every
 * block is freed still holds pages. Held in mappings, they would keep {@code mappedBytes} above zero, and the
 * alternative, handing every empty slab back, costs a mapping per allocation when one block comes and goes.
 * Held in the break they are heap, as glibc's freed small chunks are.
 *
 * <p>{@link #mappedBytes()} counts real mappings only; memory served from the break is in
 * {@code brk() - heapStart()}. Loads and stores go straight to the underlying source. This source assumes it
 * alone moves the break while it has mappings there. The bookkeeping (holes and live ranges) is the kernel's
 * own, in Java maps, as {@link io.github.alloclab.memory.FlatMemorySource} keeps its mappings. Not
 * thread-safe.
 */
public final class BrkMappedSource implements MemorySource {

    private final MemorySource system;
    private final long pageSize;
    /** Ranges of the break handed out by {@link #mmap}: start to end (exclusive). */
    private final TreeMap<Long, Long> live = new TreeMap<>();
    /** Ranges of the break not handed out (released, or the pad): start to end (exclusive). */
    private final TreeMap<Long, Long> holes = new TreeMap<>();
    private long brkMappedBytes;

    public BrkMappedSource(MemorySource system) {
        this.system = system;
        this.pageSize = system.pageSize();
    }

    /** {@return the source underneath, whose break this one moves} */
    public MemorySource system() {
        return system;
    }

    /** {@return bytes of the break currently handed out as mappings} */
    public long brkMappedBytes() {
        return brkMappedBytes;
    }

    @Override
    public long pageSize() {
        return pageSize;
    }

    @Override
    public long heapStart() {
        return system.heapStart();
    }

    @Override
    public long brk() {
        return system.brk();
    }

    @Override
    public long sbrk(long increment) {
        return system.sbrk(increment);
    }

    @Override
    public boolean brk(long address) {
        return system.brk(address);
    }

    @Override
    public long mmap(long byteSize) {
        if (byteSize <= 0) {
            throw new IllegalArgumentException("mmap length must be positive: " + byteSize);
        }
        long length = (byteSize + pageSize - 1) & -pageSize;
        if (length <= 0) {
            return FAILED;
        }
        for (Map.Entry<Long, Long> hole : holes.entrySet()) {
            long start = (hole.getKey() + pageSize - 1) & -pageSize;
            if (hole.getValue() - start >= length) {
                take(hole.getKey(), hole.getValue(), start, length);
                return start;
            }
        }
        long old = system.brk();
        long pad = -old & (pageSize - 1);
        if (length <= Long.MAX_VALUE - pad && system.sbrk(pad + length) != FAILED) {
            if (pad > 0) {
                addHole(old, old + pad);
            }
            long start = old + pad;
            live.put(start, start + length);
            brkMappedBytes += length;
            return start;
        }
        return system.mmap(byteSize);
    }

    private void take(long holeStart, long holeEnd, long start, long length) {
        holes.remove(holeStart);
        if (holeStart < start) {
            holes.put(holeStart, start);
        }
        if (start + length < holeEnd) {
            holes.put(start + length, holeEnd);
        }
        live.put(start, start + length);
        brkMappedBytes += length;
    }

    @Override
    public int munmap(long address, long byteSize) {
        if (byteSize <= 0 || (address & (pageSize - 1)) != 0) {
            return -1;
        }
        long end = address + ((byteSize + pageSize - 1) & -pageSize);
        if (address >= system.heapStart() && address < system.brk()) {
            releaseBrk(address, Math.min(end, system.brk()));
            trimTop();
            return 0;
        }
        return system.munmap(address, byteSize);
    }

    /** Turns the live parts of {@code [from, to)} into zeroed holes. */
    private void releaseBrk(long from, long to) {
        Map.Entry<Long, Long> m = live.lowerEntry(to);
        while (m != null && m.getValue() > from) {
            long a = Math.max(m.getKey(), from);
            long b = Math.min(m.getValue(), to);
            live.remove(m.getKey());
            if (m.getKey() < a) {
                live.put(m.getKey(), a);
            }
            if (b < m.getValue()) {
                live.put(b, m.getValue());
            }
            system.fill(a, b - a, (byte) 0);
            brkMappedBytes -= b - a;
            addHole(a, b);
            m = live.lowerEntry(a);
        }
    }

    private void addHole(long start, long end) {
        Map.Entry<Long, Long> below = holes.floorEntry(start);
        if (below != null && below.getValue() >= start) {
            start = below.getKey();
            end = Math.max(end, below.getValue());
            holes.remove(below.getKey());
        }
        Map.Entry<Long, Long> above = holes.ceilingEntry(start);
        while (above != null && above.getKey() <= end) {
            end = Math.max(end, above.getValue());
            holes.remove(above.getKey());
            above = holes.ceilingEntry(start);
        }
        holes.put(start, end);
    }

    /** Gives back, with a negative sbrk, the hole that ends at the break. */
    private void trimTop() {
        Map.Entry<Long, Long> top = holes.lastEntry();
        if (top != null && top.getValue() == system.brk() && system.sbrk(top.getKey() - top.getValue()) != FAILED) {
            holes.remove(top.getKey());
        }
    }

    @Override
    public long mappedBytes() {
        return system.mappedBytes();
    }

    @Override
    public long peakFootprintBytes() {
        return system.peakFootprintBytes();
    }

    @Override
    public boolean isMapped(long address, long byteSize) {
        if (!system.isMapped(address, byteSize)) {
            return false;
        }
        Map.Entry<Long, Long> hole = holes.lowerEntry(address + Math.max(byteSize, 1));
        return hole == null || hole.getValue() <= address;
    }

    @Override
    public byte getByte(long address) {
        return system.getByte(address);
    }

    @Override
    public void putByte(long address, byte value) {
        system.putByte(address, value);
    }

    @Override
    public int getInt(long address) {
        return system.getInt(address);
    }

    @Override
    public void putInt(long address, int value) {
        system.putInt(address, value);
    }

    @Override
    public long getLong(long address) {
        return system.getLong(address);
    }

    @Override
    public void putLong(long address, long value) {
        system.putLong(address, value);
    }

    @Override
    public void copy(long source, long target, long byteSize) {
        system.copy(source, target, byteSize);
    }

    @Override
    public void fill(long address, long byteSize, byte value) {
        system.fill(address, byteSize, value);
    }

    @Override
    public MemorySegment segment(long address, long byteSize) {
        return system.segment(address, byteSize);
    }

    @Override
    public long addressOf(MemorySegment segment) {
        return system.addressOf(segment);
    }

    @Override
    public boolean isConfined() {
        return system.isConfined();
    }

    @Override
    public void guardWith(ReentrantLock lock) {
        system.guardWith(lock);
    }

    @Override
    public void close() {
        system.close();
    }

    @Override
    public String toString() {
        return "BrkMappedSource[%d bytes of the break mapped, %d holes, over %s]"
                .formatted(brkMappedBytes, holes.size(), system);
    }
}
