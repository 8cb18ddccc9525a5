package io.github.alloclab.allocator;

import io.github.alloclab.memory.MemorySource;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Any allocator, shared between threads: every call runs under one lock, as glibc's {@code malloc} holds its
 * arena's mutex. This is the explicit way to use a {@linkplain Allocator#isThreadSafe() confined} allocator from
 * several threads; the allocator underneath then refuses a call from any thread that does not hold the lock, so
 * a caller that goes around this wrapper gets {@link WrongThreadException}, not a corrupted heap.
 *
 * {@snippet :
 * Allocator shared = new ConcurrentAllocator(AllocatorRegistry.standard().create("firstfit"));
 * Thread.ofPlatform().start(() -> shared.free(shared.malloc(100)));   // any thread may call it now
 * shared.withLock(heap -> ((FirstFitAllocator) heap).topFreeBytes()); // the allocator's own API, under the lock
 * }
 *
 * <ol>
 *   <li>On construction, under the lock, the wrapped allocator is {@linkplain Allocator#guardWith guarded} by it,
 *       and with it its memory source, so from then on it accepts only threads that hold the lock.</li>
 *   <li>Each call takes the lock, calls the allocator, and releases the lock. {@link #walk} calls its visitor
 *       under the lock too, so the visitor must not wait on another thread that uses this allocator.</li>
 *   <li>{@link #memory()} is the allocator's source where any thread may load and store (the flat source), and
 *       otherwise (the simulated source, whose TLB changes on every miss) a view of it that takes the lock around
 *       each access.</li>
 * </ol>
 *
 * A thread-safe allocator such as {@code malloc} with magazines needs no wrapper; wrapped, it loses its lock-free
 * fast paths. The lock is a {@link ReentrantLock}, not fair: a thread that just released it may take it again.
 */
public final class ConcurrentAllocator implements Allocator {

    private final Allocator allocator;
    private final ReentrantLock lock = new ReentrantLock();
    private final MemorySource memory;

    /**
     * Shares {@code allocator}, which this wrapper then owns: closing it closes the allocator.
     *
     * @throws WrongThreadException  if the calling thread may not use {@code allocator}
     * @throws IllegalStateException if {@code allocator} is already shared under another lock
     */
    public ConcurrentAllocator(Allocator allocator) {
        this.allocator = allocator;
        lock.lock();
        try {
            allocator.guardWith(lock);
        } finally {
            lock.unlock();
        }
        MemorySource source = allocator.memory();
        this.memory = source.isConfined() ? new LockedMemorySource(source, lock) : source;
    }

    /**
     * {@return what {@code action} returns, run on the wrapped allocator under the lock} For the allocator's own
     * API, such as {@code zinit} or {@code slabInfo}; the allocator must not escape {@code action}.
     */
    public <T> T withLock(Function<? super Allocator, T> action) {
        lock.lock();
        try {
            return action.apply(allocator);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String name() {
        return allocator.name();
    }

    /** {@inheritDoc} Any thread may use it. */
    @Override
    public MemorySource memory() {
        return memory;
    }

    @Override
    public long alignment() {
        return allocator.alignment();
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public long malloc(long byteSize) {
        lock.lock();
        try {
            return allocator.malloc(byteSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long calloc(long count, long byteSize) {
        lock.lock();
        try {
            return allocator.calloc(count, byteSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long realloc(long address, long byteSize) {
        lock.lock();
        try {
            return allocator.realloc(address, byteSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void free(long address) {
        lock.lock();
        try {
            allocator.free(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long usableSize(long address) {
        lock.lock();
        try {
            return allocator.usableSize(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long memalign(long byteAlignment, long byteSize) {
        lock.lock();
        try {
            return allocator.memalign(byteAlignment, byteSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public HeapStats stats() {
        lock.lock();
        try {
            return allocator.stats();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Violation> check() {
        lock.lock();
        try {
            return allocator.check();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void walk(Consumer<Block> visitor) {
        lock.lock();
        try {
            allocator.walk(visitor);
        } finally {
            lock.unlock();
        }
    }

    /** {@inheritDoc} It is already shared under its own lock; another one is refused. */
    @Override
    public void guardWith(ReentrantLock other) {
        if (other != lock) {
            throw new IllegalStateException(name() + " is already shared under its ConcurrentAllocator's lock");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            allocator.close();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ConcurrentAllocator[" + allocator + "]";
    }
}
