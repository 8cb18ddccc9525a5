package io.github.alloclab.bench;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.ConcurrentAllocator;
import io.github.alloclab.registry.AllocatorRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a benchmark allocates from: an alloclab allocator, picked by registry name, or a baseline.
 *
 * <table>
 *   <caption>Baselines</caption>
 *   <tr><th>name</th><th>what it is</th></tr>
 *   <tr><td>{@code bump}</td><td>a bump pointer over one off-heap segment: the physical limit</td></tr>
 *   <tr><td>{@code lifo}</td><td>one LIFO free list of 4 KiB blocks over a {@code FlatMemorySource}, with no
 *       check: the floor of any free list here</td></tr>
 *   <tr><td>{@code glibc}</td><td>the C library's {@code malloc}/{@code free}, through FFM downcalls</td></tr>
 *   <tr><td>{@code jemalloc}, {@code mimalloc}, {@code tcmalloc}</td><td>Debian's {@code libjemalloc2},
 *       {@code libmimalloc2.0} and {@code libtcmalloc-minimal4}, loaded by library name</td></tr>
 *   <tr><td>{@code arena}</td><td>a confined {@link java.lang.foreign.Arena} per allocation</td></tr>
 *   <tr><td>{@code slicing}</td><td>{@link java.lang.foreign.SegmentAllocator#slicingAllocator}</td></tr>
 * </table>
 *
 * Any name with {@code +lock} after it ({@code zone+lock}, {@code glibc+lock}) is that heap behind one lock: an
 * alloclab allocator in a {@link ConcurrentAllocator}, a baseline in {@link Locked}. That is what a lock costs
 * one thread, and how a heap that is not thread-safe is shared ({@link SharedHeapBenchmark}).
 *
 * <p>A benchmark fork loads one implementation only, so the call site stays monomorphic and the JIT inlines it.
 * {@code malloc} returns a handle that {@code free} takes back: an address for most heaps, a slot for
 * {@code arena}.
 */
public sealed interface BenchHeap extends AutoCloseable
        permits BenchHeap.Lab, BenchHeap.Locked, Bump, Lifo, NativeHeap, ArenaPerAllocation, Slicing {

    /** The baselines, in the order reports list them. */
    List<String> BASELINES = List.of("bump", "lifo", "glibc", "jemalloc", "mimalloc", "tcmalloc", "arena", "slicing");

    long malloc(long byteSize);

    /** Resizes a block; heaps with no {@code realloc} of their own allocate anew and drop the old block. */
    long realloc(long handle, long byteSize);

    void free(long handle);

    /** {@return whether several threads may call it at once} The C allocators are; of the lab's, see its own. */
    default boolean isThreadSafe() {
        return false;
    }

    @Override
    void close();

    /**
     * {@return the heap of that name}
     *
     * @throws IllegalArgumentException for an unknown name, or a native library that is not installed
     */
    static BenchHeap of(String name) {
        if (name.endsWith("+lock")) {
            BenchHeap heap = of(name.substring(0, name.length() - "+lock".length()));
            return heap instanceof Lab lab ? new Lab(new ConcurrentAllocator(lab.allocator())) : new Locked(heap);
        }
        return switch (name) {
            case "bump" -> new Bump();
            case "lifo" -> new Lifo();
            case "glibc" -> new NativeHeap.Glibc();
            case "jemalloc" -> new NativeHeap.Jemalloc();
            case "mimalloc" -> new NativeHeap.Mimalloc();
            case "tcmalloc" -> new NativeHeap.Tcmalloc();
            case "arena" -> new ArenaPerAllocation();
            case "slicing" -> new Slicing();
            default -> new Lab(AllocatorRegistry.standard().create(name));
        };
    }

    /**
     * {@return every registry name and every baseline that can run here}; a baseline whose library is missing
     * is left out, and {@code skipped} receives one line saying why.
     */
    static List<String> available(List<String> skipped) {
        List<String> names = new ArrayList<>(AllocatorRegistry.standard().names());
        for (String baseline : BASELINES) {
            String missing = NativeHeap.missing(baseline);
            if (missing == null) {
                names.add(baseline);
            } else {
                skipped.add("skipping " + baseline + ": " + missing);
            }
        }
        return names;
    }

    /** A baseline behind one lock, as {@link ConcurrentAllocator} puts an alloclab allocator. */
    record Locked(BenchHeap heap, ReentrantLock lock) implements BenchHeap {
        Locked(BenchHeap heap) {
            this(heap, new ReentrantLock());
        }

        @Override
        public long malloc(long byteSize) {
            lock.lock();
            try {
                return heap.malloc(byteSize);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long realloc(long handle, long byteSize) {
            lock.lock();
            try {
                return heap.realloc(handle, byteSize);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void free(long handle) {
            lock.lock();
            try {
                heap.free(handle);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isThreadSafe() {
            return true;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                heap.close();
            } finally {
                lock.unlock();
            }
        }
    }

    /** An alloclab allocator. */
    record Lab(Allocator allocator) implements BenchHeap {
        @Override
        public long malloc(long byteSize) {
            return allocator.malloc(byteSize);
        }

        @Override
        public long realloc(long handle, long byteSize) {
            return allocator.realloc(handle, byteSize);
        }

        @Override
        public void free(long handle) {
            allocator.free(handle);
        }

        @Override
        public boolean isThreadSafe() {
            return allocator.isThreadSafe();
        }

        @Override
        public void close() {
            allocator.close();
        }
    }
}
