package io.github.alloclab.memory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>A load or store costs one subtraction and one range check per reservation it tries, the heap's first:
 * an address outside both reservations, or any address once the source is closed, gets an
 * {@link IndexOutOfBoundsException}, never a JVM crash. Addresses inside a reservation but outside the heap
 * or a mapping are not caught here; the simulated source catches them as faults.
 *
 * <p>How the access itself is made depends on whether this module may use restricted methods
 * ({@code --enable-native-access}, which the CLI and the benchmarks give it):
 * <ul>
 *   <li>with it, the checked address is turned into a host address and read through one segment over all
 *       of the host's memory, a {@code static final} constant, so the JIT folds away the segment's own bounds
 *       and liveness checks: the range check above is the only one (zone's and malloc's 64-byte pairs got
 *       14-20% faster; measured in {@code bench/README.md});</li>
 *   <li>without it, each access goes through the reservation's own bounded {@link MemorySegment}, which
 *       checks bounds and liveness once more, and nothing prints a restricted-method warning.</li>
 * </ul>
 *
 * <p>Each reservation is a private mapping of a sparse temporary file (deleted at once), owned by a shared
 * {@link Arena} and unmapped by {@link #close()}. Untouched pages read as zero and cost nothing, as a kernel's
 * fresh anonymous pages do, so a 1 GiB reservation is made in well under a millisecond and only the pages an
 * allocator touches become resident. Where no temporary file can be mapped, the reservation falls back to
 * {@link Arena#allocate}, which zeroes it up front. Memory that {@code sbrk} releases or {@code munmap} unmaps
 * is zeroed then, so that memory handed out again reads as zero.
 *
 * <p>Not thread-safe: an allocator that owns a source serialises its calls. In particular {@link #close()}
 * must not race with another thread's load or store: with native access, a load that passed its check just
 * before the unmap would reach unmapped host memory.
 */
public final class FlatMemorySource implements MemorySource {

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    /** Whether this module may call restricted methods: then loads and stores go through {@link #HOST}. */
    private static final boolean DIRECT = FlatMemorySource.class.getModule().isNativeAccessEnabled();
    /**
     * All of the host's memory, read and written only at host addresses that {@link #host} has checked
     * against a live reservation; {@code null} without native access.
     */
    private static final MemorySegment HOST = DIRECT ? MemorySegment.NULL.reinterpret(Long.MAX_VALUE) : null;

    private final MemorySettings settings;
    private final long heapStart;
    private final long heapLimit;
    private final long mmapLow;
    private final long mmapLimit;
    private final long pageSize;
    private final Arena arena = Arena.ofShared();

    private MemorySegment heap;
    private MemorySegment mmapArea;
    /** Host addresses of the two reservations. */
    private final long heapHost;
    private final long mmapHost;
    /** Bytes of each reservation that loads and stores may reach: all of it while open, none once closed. */
    private long heapOpen;
    private long mmapOpen;
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
        this.heap = reserve(heapLimit);
        this.mmapArea = reserve(mmapLimit);
        this.heapHost = heap.address();
        this.mmapHost = mmapArea.address();
        this.heapOpen = heapLimit;
        this.mmapOpen = mmapLimit;
    }

    /** {@return {@code byteSize} bytes of zero memory that become resident only when touched} */
    private MemorySegment reserve(long byteSize) {
        if (byteSize == 0) {
            return MemorySegment.NULL;
        }
        try {
            Path file = Files.createTempFile("alloclab-", ".mem");
            try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
                sparse.setLength(byteSize);
                return sparse.getChannel().map(FileChannel.MapMode.PRIVATE, 0, byteSize, arena);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return arena.allocate(byteSize, pageSize);
        }
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

    /**
     * Makes the first {@code heapBytes} of the heap reservation and the top {@code mmapBytes} of the mmap area
     * resident now, like {@code MAP_POPULATE}, by writing zeros there (where the memory is zero already). A
     * timed run calls it first so that it measures the allocator rather than the kernel's page faults.
     */
    public void populate(long heapBytes, long mmapBytes) {
        long heapEnd = Math.min(heapLimit, Math.max(heapBytes, brk - heapStart));
        if (brk - heapStart < heapEnd) {
            heap.asSlice(brk - heapStart, heapEnd - (brk - heapStart)).fill((byte) 0);
        }
        long from = Math.max(0, mmapLimit - Math.min(mmapBytes, mmapLimit));
        for (long page = from; page < mmapLimit; page += pageSize) {
            long address = mmapLow + page;
            if (!isMapped(address, 1)) {
                mmapArea.set(BYTE, page, (byte) 0);
            }
        }
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

    /**
     * {@return the host address of the {@code width} bytes at {@code address}}
     *
     * <p>{@code (off | (open - width - off)) >= 0} is {@code 0 <= off && off + width <= open} in one test: a
     * negative {@code off} sets the sign bit on the left, and an {@code off} past {@code open - width} on the
     * right; {@code open} is 0 once the source is closed, so nothing passes then.
     *
     * @throws IndexOutOfBoundsException if the bytes are not all inside one live reservation
     */
    private long host(long address, int width) {
        long off = address - heapStart;
        if ((off | (heapOpen - width - off)) >= 0) {
            return heapHost + off;
        }
        off = address - mmapLow;
        if ((off | (mmapOpen - width - off)) >= 0) {
            return mmapHost + off;
        }
        throw outside(address, width);
    }

    /** Kept out of {@link #host} so that its bytecode stays small enough for the JIT to inline everywhere. */
    private IndexOutOfBoundsException outside(long address, int width) {
        return new IndexOutOfBoundsException("%d bytes at 0x%x are outside this memory source%s"
                .formatted(width, address, heapOpen == 0 ? " (closed)" : ""));
    }

    @Override
    public byte getByte(long address) {
        return DIRECT ? HOST.get(BYTE, host(address, 1)) : region(address).get(BYTE, offset(address));
    }

    @Override
    public void putByte(long address, byte value) {
        if (DIRECT) {
            HOST.set(BYTE, host(address, 1), value);
        } else {
            region(address).set(BYTE, offset(address), value);
        }
    }

    @Override
    public int getInt(long address) {
        return DIRECT ? HOST.get(INT, host(address, 4)) : region(address).get(INT, offset(address));
    }

    @Override
    public void putInt(long address, int value) {
        if (DIRECT) {
            HOST.set(INT, host(address, 4), value);
        } else {
            region(address).set(INT, offset(address), value);
        }
    }

    @Override
    public long getLong(long address) {
        return DIRECT ? HOST.get(LONG, host(address, 8)) : region(address).get(LONG, offset(address));
    }

    @Override
    public void putLong(long address, long value) {
        if (DIRECT) {
            HOST.set(LONG, host(address, 8), value);
        } else {
            region(address).set(LONG, offset(address), value);
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
            heapOpen = 0;
            mmapOpen = 0;
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
