package io.github.alloclab.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fast memory source: one off-heap reservation for the heap and one for the mmap area, with no page
 * accounting. This is what benchmarks and library users take.
 *
 * <pre>
 *   reservation      virtual addresses                    segment offsets
 *   heap             [heapStart, heapStart + heapLimit)   address - heapStart
 *   mmap area        [mmapTop - mmapLimit, mmapTop)       address - (mmapTop - mmapLimit)
 * </pre>
 *
 * <p>A load or store costs one subtraction and one unsigned compare to pick the reservation, then a
 * bounds-checked {@link MemorySegment} access: an address outside both reservations gets an
 * {@link IndexOutOfBoundsException}, never a JVM crash. Addresses inside a reservation but outside the heap
 * or a mapping are not caught here; the simulated source catches them as faults.
 *
 * <p>Each reservation is allocated, zeroed, from a shared {@link Arena} the first time it is used, and freed
 * by {@link #close()}. Memory that {@code sbrk} releases or {@code munmap} unmaps is zeroed then, so that
 * memory handed out again reads as zero, as a kernel's fresh pages do.
 *
 * <p>Not thread-safe: an allocator that owns a source serialises its calls.
 */
public final class FlatMemorySource implements MemorySource {

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final MemorySettings settings;
    private final long heapStart;
    private final long heapLimit;
    private final long mmapLow;
    private final long mmapLimit;
    private final long pageSize;
    private final Arena arena = Arena.ofShared();

    private MemorySegment heap = MemorySegment.NULL;
    private MemorySegment mmapArea = MemorySegment.NULL;
    private long brk;
    /** Live mappings: start address to end address (exclusive). */
    private final TreeMap<Long, Long> mappings = new TreeMap<>();
    private long mappedBytes;
    private long peakFootprint;

    public FlatMemorySource() {
        this(MemorySettings.DEFAULTS);
    }

    public FlatMemorySource(MemorySettings settings) {
        this.settings = settings;
        this.heapStart = settings.heapStart();
        this.heapLimit = settings.heapLimit();
        this.mmapLimit = settings.mmapLimit();
        this.mmapLow = settings.mmapTop() - settings.mmapLimit();
        this.pageSize = settings.pageSize();
        this.brk = heapStart;
    }

    public MemorySettings settings() {
        return settings;
    }

    @Override
    public long pageSize() {
        return pageSize;
    }

    @Override
    public long heapStart() {
        return heapStart;
    }

    @Override
    public long brk() {
        return brk;
    }

    @Override
    public long sbrk(long increment) {
        long old = brk;
        return brk(old + increment) ? old : FAILED;
    }

    @Override
    public boolean brk(long address) {
        if (address < heapStart || address - heapStart > heapLimit) {
            return false;
        }
        if (address > brk && heap.byteSize() == 0) {
            heap = arena.allocate(heapLimit, pageSize);
        }
        if (address < brk) {
            heap.asSlice(address - heapStart, brk - address).fill((byte) 0);
        }
        brk = address;
        notePeak();
        return true;
    }

    @Override
    public long mmap(long byteSize) {
        if (byteSize <= 0) {
            throw new IllegalArgumentException("mmap length must be positive: " + byteSize);
        }
        if (byteSize > mmapLimit) {
            return FAILED;
        }
        long length = (byteSize + pageSize - 1) & -pageSize;
        // Top down, as Linux places mappings: the highest gap below mmapTop that fits.
        long ceiling = mmapLow + mmapLimit;
        long start = FAILED;
        for (Map.Entry<Long, Long> m : mappings.descendingMap().entrySet()) {
            if (ceiling - m.getValue() >= length) {
                break;
            }
            ceiling = m.getKey();
        }
        if (ceiling - mmapLow >= length) {
            start = ceiling - length;
        }
        if (start == FAILED) {
            return FAILED;
        }
        if (mmapArea.byteSize() == 0) {
            mmapArea = arena.allocate(mmapLimit, pageSize);
        }
        mappings.put(start, start + length);
        mappedBytes += length;
        notePeak();
        return start;
    }

    @Override
    public int munmap(long address, long byteSize) {
        if (byteSize <= 0 || (address & (pageSize - 1)) != 0) {
            return -1;
        }
        long end = address + ((byteSize + pageSize - 1) & -pageSize);
        Map.Entry<Long, Long> m = mappings.lowerEntry(end);
        while (m != null && m.getValue() > address) {
            long from = Math.max(m.getKey(), address);
            long to = Math.min(m.getValue(), end);
            mappings.remove(m.getKey());
            if (m.getKey() < from) {
                mappings.put(m.getKey(), from);
            }
            if (to < m.getValue()) {
                mappings.put(to, m.getValue());
            }
            mmapArea.asSlice(from - mmapLow, to - from).fill((byte) 0);
            mappedBytes -= to - from;
            m = mappings.lowerEntry(from);
        }
        return 0;
    }

    @Override
    public long mappedBytes() {
        return mappedBytes;
    }

    @Override
    public long peakFootprintBytes() {
        return peakFootprint;
    }

    private void notePeak() {
        long footprint = brk - heapStart + mappedBytes;
        if (footprint > peakFootprint) {
            peakFootprint = footprint;
        }
    }

    @Override
    public boolean isMapped(long address, long byteSize) {
        if (byteSize < 0) {
            return false;
        }
        if (address >= heapStart && address <= brk && byteSize <= brk - address) {
            return true;
        }
        Map.Entry<Long, Long> m = mappings.floorEntry(address);
        return m != null && address - m.getKey() >= 0 && byteSize <= m.getValue() - address;
    }

    // ---- loads and stores: pick the reservation with one subtract and one unsigned compare ----------

    private MemorySegment region(long address) {
        return Long.compareUnsigned(address - heapStart, heapLimit) < 0 ? heap : mmapArea;
    }

    private long offset(long address) {
        long off = address - heapStart;
        return Long.compareUnsigned(off, heapLimit) < 0 ? off : address - mmapLow;
    }

    @Override
    public byte getByte(long address) {
        return region(address).get(BYTE, offset(address));
    }

    @Override
    public void putByte(long address, byte value) {
        region(address).set(BYTE, offset(address), value);
    }

    @Override
    public int getInt(long address) {
        return region(address).get(INT, offset(address));
    }

    @Override
    public void putInt(long address, int value) {
        region(address).set(INT, offset(address), value);
    }

    @Override
    public long getLong(long address) {
        long off = address - heapStart;
        if (Long.compareUnsigned(off, heapLimit) < 0) {
            return heap.get(LONG, off);
        }
        return mmapArea.get(LONG, address - mmapLow);
    }

    @Override
    public void putLong(long address, long value) {
        long off = address - heapStart;
        if (Long.compareUnsigned(off, heapLimit) < 0) {
            heap.set(LONG, off, value);
        } else {
            mmapArea.set(LONG, address - mmapLow, value);
        }
    }

    @Override
    public void copy(long source, long target, long byteSize) {
        MemorySegment.copy(region(source), offset(source), region(target), offset(target), byteSize);
    }

    @Override
    public void fill(long address, long byteSize, byte value) {
        region(address).asSlice(offset(address), byteSize).fill(value);
    }

    @Override
    public MemorySegment segment(long address, long byteSize) {
        return region(address).asSlice(offset(address), byteSize);
    }

    @Override
    public long addressOf(MemorySegment segment) {
        long native_ = segment.address();
        if (segment.isNative() && heap.byteSize() > 0 && native_ - heap.address() >= 0
                && native_ - heap.address() < heapLimit) {
            return heapStart + (native_ - heap.address());
        }
        if (segment.isNative() && mmapArea.byteSize() > 0 && native_ - mmapArea.address() >= 0
                && native_ - mmapArea.address() < mmapLimit) {
            return mmapLow + (native_ - mmapArea.address());
        }
        throw new IllegalArgumentException("not a segment of this memory source: " + segment);
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            heap = MemorySegment.NULL;
            mmapArea = MemorySegment.NULL;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "FlatMemorySource[heap=0x%x..0x%x, mapped=%d bytes in %d mappings]"
                .formatted(heapStart, brk, mappedBytes, mappings.size());
    }
}
