package io.github.alloclab.allocator;

/**
 * One block of a heap, as {@link Allocator#walk} reports it.
 *
 * <pre>
 *   address                payload               payload + usable   address + byteSize
 *   |  header / metadata   |  usable bytes ...   |  footer, padding |
 * </pre>
 *
 * @param address   where the block starts, including its header
 * @param byteSize  the whole block, header and footer included
 * @param payload   the address a caller holds ({@code malloc}'s result); for a free block, where a payload
 *                  would start
 * @param usable    the bytes a caller may use
 * @param state     allocated, free, or the allocator's own
 */
public record Block(long address, long byteSize, long payload, long usable, BlockState state) {

    /** {@return the first address past this block} */
    public long end() {
        return address + byteSize;
    }

    /** {@return the metadata bytes of this block: all but the usable payload} */
    public long overhead() {
        return byteSize - usable;
    }
}
