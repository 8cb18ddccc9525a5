package io.github.alloclab.allocator;

import io.github.alloclab.memory.MemorySource;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A confined memory source seen from any thread: each call takes the lock that guards the source, as a
 * {@link ConcurrentAllocator} guards its allocator. A segment that {@link #segment} returns is plain off-heap
 * memory, used without the lock.
 */
final class LockedMemorySource implements MemorySource {

    private final MemorySource delegate;
    private final ReentrantLock lock;

    LockedMemorySource(MemorySource source, ReentrantLock lock) {
        this.delegate = source;
        this.lock = lock;
    }

    @Override
    public long pageSize() {
        lock.lock();
        try {
            return delegate.pageSize();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long heapStart() {
        lock.lock();
        try {
            return delegate.heapStart();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long brk() {
        lock.lock();
        try {
            return delegate.brk();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long sbrk(long increment) {
        lock.lock();
        try {
            return delegate.sbrk(increment);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean brk(long address) {
        lock.lock();
        try {
            return delegate.brk(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long mmap(long byteSize) {
        lock.lock();
        try {
            return delegate.mmap(byteSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int munmap(long address, long byteSize) {
        lock.lock();
        try {
            return delegate.munmap(address, byteSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long mappedBytes() {
        lock.lock();
        try {
            return delegate.mappedBytes();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long footprintBytes() {
        lock.lock();
        try {
            return delegate.footprintBytes();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long peakFootprintBytes() {
        lock.lock();
        try {
            return delegate.peakFootprintBytes();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isMapped(long address, long byteSize) {
        lock.lock();
        try {
            return delegate.isMapped(address, byteSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public byte getByte(long address) {
        lock.lock();
        try {
            return delegate.getByte(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putByte(long address, byte value) {
        lock.lock();
        try {
            delegate.putByte(address, value);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public short getShort(long address) {
        lock.lock();
        try {
            return delegate.getShort(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putShort(long address, short value) {
        lock.lock();
        try {
            delegate.putShort(address, value);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int getInt(long address) {
        lock.lock();
        try {
            return delegate.getInt(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putInt(long address, int value) {
        lock.lock();
        try {
            delegate.putInt(address, value);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long getLong(long address) {
        lock.lock();
        try {
            return delegate.getLong(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putLong(long address, long value) {
        lock.lock();
        try {
            delegate.putLong(address, value);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void copy(long source, long target, long byteSize) {
        lock.lock();
        try {
            delegate.copy(source, target, byteSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void fill(long address, long byteSize, byte value) {
        lock.lock();
        try {
            delegate.fill(address, byteSize, value);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public MemorySegment segment(long address, long byteSize) {
        lock.lock();
        try {
            return delegate.segment(address, byteSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long addressOf(MemorySegment segment) {
        lock.lock();
        try {
            return delegate.addressOf(segment);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            delegate.close();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "locked " + delegate;
    }
}
