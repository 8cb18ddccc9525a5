package io.github.alloclab.memory;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The memory an allocator manages, reached the way a C allocator reaches a kernel.
 *
 * <pre>
 *   high  +---------------------+ mmapTop()
 *         | mmap area           |   mmap() hands out page-aligned ranges, top down
 *         |   (grows down)      |
 *         +---------------------+ mmapTop() - mmapLimit
 *         :                     :
 *         +---------------------+ heapStart() + heapLimit
 *         | (room to grow)      |
 *         +---------------------+ brk()          sbrk(+n) moves it up, sbrk(-n) trims
 *         | heap                |
 *   low   +---------------------+ heapStart()
 * </pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Addresses are simulated virtual addresses. {@code 0} is never a valid address: it is C's
 *       {@code NULL}.</li>
 *   <li>{@link #sbrk} and {@link #mmap} fail as the system calls do, by returning {@link #FAILED}
 *       ({@code (void *) -1}, errno {@code ENOMEM}); they never throw for lack of memory.</li>
 *   <li>Memory that {@code sbrk} or {@code mmap} hands out reads as zero, as fresh pages from a kernel do,
 *       even where it was used and released before.</li>
 *   <li>Loads and stores take addresses inside the heap or a mapping. A source may check them (the
 *       {@linkplain SimulatedMemorySource simulated source} throws {@link SegmentationFault} for an address
 *       outside any mapping or without the permission) or may not (the flat source only stops accesses
 *       outside its reservations, with {@link IndexOutOfBoundsException}).</li>
 *   <li>Threads: the system calls ({@code sbrk}, {@code brk}, {@code mmap}, {@code munmap}) are the owning
 *       allocator's to serialise. Loads and stores may come from any thread unless the source
 *       {@linkplain #isConfined() is confined}: then they are accepted from the thread that made it, or, once it
 *       is {@linkplain #guardWith guarded}, from a thread that holds the guard's lock, and refused with
 *       {@link WrongThreadException} from any other. {@link #close()} releases the off-heap memory at
 *       once.</li>
 * </ul>
 *
 * Multi-byte values are little-endian and may be unaligned.
 */
public interface MemorySource extends AutoCloseable {

    /** What {@link #sbrk} and {@link #mmap} return on failure: C's {@code (void *) -1}. */
    long FAILED = -1L;

    /** {@return the page size in bytes, a power of two} */
    long pageSize();

    // ---- brk heap ---------------------------------------------------------------------------------

    /** {@return the address where the heap starts: the initial break} */
    long heapStart();

    /** {@return the current break: the first address past the heap, like {@code sbrk(0)}} */
    long brk();

    /**
     * Moves the break by {@code increment} bytes, like {@code sbrk(2)}.
     *
     * @param increment bytes to add (positive), to release (negative) or zero to query
     * @return the previous break, or {@link #FAILED} when the heap cannot grow that far (past the limit)
     *         or would shrink below {@link #heapStart()}
     */
    long sbrk(long increment);

    /**
     * Sets the break, like {@code brk(2)}.
     *
     * @return {@code true} on success, {@code false} ({@code ENOMEM}) when the address is out of range
     */
    boolean brk(long address);

    // ---- mmap area --------------------------------------------------------------------------------

    /**
     * Maps {@code byteSize} bytes, rounded up to whole pages, of zeroed anonymous read-write memory.
     *
     * @return the page-aligned address of the mapping, or {@link #FAILED} when the area is exhausted
     * @throws IllegalArgumentException if {@code byteSize <= 0}
     */
    long mmap(long byteSize);

    /**
     * Removes the mappings of the pages in {@code [address, address + byteSize)}, like {@code munmap(2)}.
     * Pages of the range that are not mapped are ignored, as the kernel ignores them.
     *
     * @return {@code 0}, or {@code -1} ({@code EINVAL}) if {@code address} is not page-aligned or
     *         {@code byteSize <= 0}
     */
    int munmap(long address, long byteSize);

    // ---- accounting -------------------------------------------------------------------------------

    /** {@return bytes currently mapped by {@link #mmap}, in whole pages} */
    long mappedBytes();

    /** {@return the current footprint: heap bytes ({@code brk() - heapStart()}) plus mapped bytes} */
    default long footprintBytes() {
        return brk() - heapStart() + mappedBytes();
    }

    /** {@return the high-water mark of {@link #footprintBytes()} since this source was made} */
    long peakFootprintBytes();

    /**
     * {@return whether every byte of {@code [address, address + byteSize)} lies inside the heap (below the
     * break) or inside one live mapping}
     */
    boolean isMapped(long address, long byteSize);

    // ---- loads and stores -------------------------------------------------------------------------

    byte getByte(long address);

    void putByte(long address, byte value);

    /** {@return the 2-byte little-endian value at {@code address}} */
    default short getShort(long address) {
        return (short) (getByte(address) & 0xff | getByte(address + 1) << 8);
    }

    /** Stores a 2-byte little-endian value at {@code address}. */
    default void putShort(long address, short value) {
        putByte(address, (byte) value);
        putByte(address + 1, (byte) (value >> 8));
    }

    int getInt(long address);

    void putInt(long address, int value);

    long getLong(long address);

    void putLong(long address, long value);

    /** Copies {@code byteSize} bytes from {@code source} to {@code target}; the ranges may overlap. */
    void copy(long source, long target, long byteSize);

    /** Sets {@code byteSize} bytes at {@code address} to {@code value}, like {@code memset}. */
    void fill(long address, long byteSize, byte value);

    /**
     * {@return a view of the real off-heap bytes at {@code [address, address + byteSize)}} The view stays
     * valid until the source is closed, and is how Java code reads and writes what an allocator hands out.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the heap reservation or one mapping
     */
    MemorySegment segment(long address, long byteSize);

    /**
     * {@return the virtual address of the first byte of {@code segment}}, the inverse of {@link #segment}.
     *
     * @throws IllegalArgumentException if the segment is not a view of this source's memory
     */
    long addressOf(MemorySegment segment);

    /**
     * {@return whether this source accepts calls only from the thread that made it, or from holders of its guard}
     * The simulated source is confined because its TLB and page table change on every miss; the flat source is
     * not, its loads and stores being plain accesses to shared off-heap memory.
     */
    default boolean isConfined() {
        return false;
    }

    /**
     * From now on accepts calls from any thread that holds {@code lock}, and from no other; a source that is not
     * {@linkplain #isConfined() confined} ignores this. {@code ConcurrentAllocator} calls it.
     *
     * @throws WrongThreadException  if the calling thread may not use the source now
     * @throws IllegalStateException if the source is already guarded by another lock
     */
    default void guardWith(ReentrantLock lock) {
    }

    /** Releases all off-heap memory of this source. Addresses it handed out become invalid. */
    @Override
    void close();
}
