package io.github.alloclab.allocator;

/**
 * Thrown by an allocator's {@link AllocatorSegmentAllocator} view where C's {@code malloc} would return
 * {@code NULL}: the memory source could not grow ({@code ENOMEM}).
 */
public class AllocationFailedException extends RuntimeException {

    public AllocationFailedException(String allocator, long byteSize, long byteAlignment) {
        super("%s: out of memory allocating %d bytes aligned to %d".formatted(allocator, byteSize, byteAlignment));
    }
}
