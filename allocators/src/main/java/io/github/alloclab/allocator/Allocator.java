package io.github.alloclab.allocator;

import io.github.alloclab.memory.MemorySource;
import java.lang.foreign.SegmentAllocator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A memory allocator over a {@link MemorySource}, with C's interface and a lab's instruments.
 *
 * <p>Addresses are simulated virtual addresses; {@code 0} is {@code NULL}. As in C, running out of memory
 * is not an exception: {@code malloc}, {@code calloc}, {@code realloc} and {@code memalign} return
 * {@code 0} and leave the heap as it was. Misuse that an allocator detects, such as freeing a pointer twice
 * or freeing one it never returned, throws {@link HeapCorruptionException} with glibc's wording, and leaves
 * the heap usable. Arguments that C cannot even express, such as a negative size, throw
 * {@link IllegalArgumentException}.
 *
 * <h2>Threads</h2>
 * An allocator that is not {@linkplain #isThreadSafe() thread-safe} is confined to the thread that made it, as a
 * confined {@link java.lang.foreign.Arena} is: a call that changes the heap from any other thread throws
 * {@link WrongThreadException} before it changes anything. To share one between threads, wrap it in a
 * {@link ConcurrentAllocator}, which serialises every call under one lock. Reads ({@link #stats}, {@link #check},
 * {@link #walk}, {@link #usableSize}) are not checked; made from another thread while the heap changes, they may
 * see it half changed. A confined memory source (the simulated one) refuses every access from another thread.
 *
 * {@snippet :
 * try (Allocator heap = AllocatorRegistry.standard().create("firstfit")) {
 *     long p = heap.malloc(100);               // e.g. 0x555555559020
 *     heap.memory().putLong(p, 42);            // a real store, into off-heap memory
 *     p = heap.realloc(p, 4000);               // the 42 moves with it
 *     heap.free(p);
 *     assert heap.check().isEmpty();           // the heap checker finds nothing wrong
 * }
 * }
 */
public interface Allocator extends AutoCloseable {

    /** {@return the registry name of this allocator, such as {@code firstfit}} */
    String name();

    /** {@return the memory source this allocator draws from, and through which its bytes are read} */
    MemorySource memory();

    /** {@return the alignment of every address that {@link #malloc} returns, a power of two} */
    long alignment();

    /**
     * Allocates at least {@code byteSize} bytes, aligned to {@link #alignment()}. {@code malloc(0)} returns
     * a unique, freeable address, as glibc does.
     *
     * @return the address of the payload, or {@code 0} when memory is exhausted
     * @throws IllegalArgumentException if {@code byteSize < 0}
     */
    long malloc(long byteSize);

    /**
     * Allocates zeroed memory for {@code count} elements of {@code byteSize} bytes.
     *
     * @implSpec {@code malloc(count * byteSize)}, then zeroes the requested bytes, since a block may be
     *           recycled; an overflowing product returns {@code 0}, as glibc's {@code calloc} does.
     * @return the address, or {@code 0} when memory is exhausted or {@code count * byteSize} overflows
     * @throws IllegalArgumentException if either argument is negative
     */
    default long calloc(long count, long byteSize) {
        if (count < 0 || byteSize < 0) {
            throw new IllegalArgumentException("count and byteSize must not be negative: " + count + ", " + byteSize);
        }
        if (count != 0 && byteSize > Long.MAX_VALUE / count) {
            return 0;
        }
        long total = count * byteSize;
        long p = malloc(total);
        if (p != 0) {
            memory().fill(p, total, (byte) 0);
        }
        return p;
    }

    /**
     * Resizes the block at {@code address}, moving it if it must; the first
     * {@code min(old size, byteSize)} bytes are kept. {@code realloc(0, n)} is {@code malloc(n)}, and
     * {@code realloc(p, 0)} frees {@code p} and returns {@code 0}, as glibc does.
     *
     * @return the new address, or {@code 0} when memory is exhausted, in which case the old block is untouched
     * @throws HeapCorruptionException if {@code address} is not a live block this allocator returned
     *                                 (where the allocator can tell)
     */
    long realloc(long address, long byteSize);

    /**
     * Frees the block at {@code address}. {@code free(0)} does nothing.
     *
     * @throws HeapCorruptionException for a double free or an invalid pointer (where the allocator can tell)
     */
    void free(long address);

    /** {@return how many bytes the block at {@code address} can hold, like {@code malloc_usable_size}} */
    long usableSize(long address);

    /**
     * Allocates {@code byteSize} bytes at an address that is a multiple of {@code byteAlignment}.
     *
     * @return the address, or {@code 0} when memory is exhausted
     * @throws IllegalArgumentException if {@code byteAlignment} is not a positive power of two, or
     *                                  {@code byteSize < 0}
     */
    long memalign(long byteAlignment, long byteSize);

    /** {@return a snapshot of this allocator's counters} */
    HeapStats stats();

    /**
     * Runs the heap checker: walks every structure and verifies the allocator's invariants.
     *
     * @return the violations found; an empty list means the heap is consistent
     */
    List<Violation> check();

    /** Reports every block, lowest address first within each region, to {@code visitor}. */
    void walk(Consumer<Block> visitor);

    /**
     * {@return a view of this allocator as a {@link SegmentAllocator}} Segments it returns are real
     * off-heap memory inside this allocator's heap; they stay allocated until {@link #free} is called with
     * their {@link MemorySource virtual address} or the allocator is closed.
     */
    default AllocatorSegmentAllocator asSegmentAllocator() {
        return new AllocatorSegmentAllocator(this);
    }

    /**
     * {@return whether any thread may call this allocator at any time} The slab allocator and {@code malloc} are,
     * with their per-thread magazines, over a memory source that is not {@linkplain MemorySource#isConfined()
     * confined}; every other allocator is confined to the thread that made it.
     */
    default boolean isThreadSafe() {
        return false;
    }

    /**
     * Shares this allocator, and the memory source it owns, with the threads that hold {@code lock}: from now on
     * a call from a thread that holds it is accepted, and from any other (the maker included) refused with
     * {@link WrongThreadException}. {@link ConcurrentAllocator} calls this; an allocator that is already
     * thread-safe passes it on to its memory source only.
     *
     * @throws WrongThreadException  if the calling thread may not use this allocator now
     * @throws IllegalStateException if it is already shared under another lock
     */
    default void guardWith(ReentrantLock lock) {
        memory().guardWith(lock);
    }

    /** Closes this allocator and, if it owns it, its memory source. */
    @Override
    void close();
}
