package io.github.alloclab.allocator;

import java.util.List;
import java.util.Locale;

/**
 * Free blocks counted by order, the numbers Linux prints in {@code /proc/buddyinfo}.
 *
 * <p>Column {@code k} counts the free blocks of order {@code k}, each {@code orderZeroBytes << k} bytes.
 * The kernel's order 0 is one 4 KiB page; an allocator's order 0 is its smallest block, whatever its size.
 * {@link #line()} prints the kernel's format, one line per zone:
 * <pre>
 * Node 0, zone   Normal    216     55     13      3      1      0      1      0      1      1      3
 * </pre>
 *
 * <p>A buddy allocator's blocks are exactly {@code orderZeroBytes << k} bytes. An allocator whose free
 * blocks come in any multiple of order 0, such as the page allocator's runs, counts a block of {@code n}
 * order-0 units at order {@code floor(log2 n)}, so that column {@code k} holds blocks of {@code 2^k} to
 * {@code 2^(k+1) - 1} units; {@code freeBytesPerOrder} then keeps their real size.
 *
 * @param zone              the zone name the line shows, such as {@code Normal}
 * @param orderZeroBytes    the size of an order-0 block, a power of two
 * @param freeBlocks        free blocks per order, from order 0 up
 * @param freeBytesPerOrder the bytes of those free blocks, per order
 */
public record BuddyInfo(String zone, long orderZeroBytes, List<Long> freeBlocks, List<Long> freeBytesPerOrder) {

    public BuddyInfo {
        if (orderZeroBytes <= 0 || Long.bitCount(orderZeroBytes) != 1) {
            throw new IllegalArgumentException("orderZeroBytes must be a power of two: " + orderZeroBytes);
        }
        freeBlocks = List.copyOf(freeBlocks);
        freeBytesPerOrder = List.copyOf(freeBytesPerOrder);
        if (freeBlocks.size() != freeBytesPerOrder.size()) {
            throw new IllegalArgumentException("free blocks and free bytes must be given for the same orders");
        }
    }

    /** {@return the free blocks of a buddy allocator, each exactly {@code orderZeroBytes << k} bytes} */
    public static BuddyInfo exact(String zone, long orderZeroBytes, List<Long> freeBlocks) {
        List<Long> bytes = new java.util.ArrayList<>();
        for (int order = 0; order < freeBlocks.size(); order++) {
            bytes.add(freeBlocks.get(order) * (orderZeroBytes << order));
        }
        return new BuddyInfo(zone, orderZeroBytes, freeBlocks, bytes);
    }

    /** {@return the byte size of a block of {@code order}} */
    public long blockBytes(int order) {
        return orderZeroBytes << order;
    }

    /** {@return the free bytes all the free blocks add up to} */
    public long freeBytes() {
        return freeBytesPerOrder.stream().mapToLong(Long::longValue).sum();
    }

    /** {@return whether every free block of order k is exactly {@code orderZeroBytes << k} bytes} */
    public boolean exact() {
        for (int order = 0; order < freeBlocks.size(); order++) {
            if (freeBytesPerOrder.get(order) != freeBlocks.get(order) * blockBytes(order)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@return the {@code /proc/buddyinfo} line, as {@code mm/vmstat.c} prints it: {@code "Node %d, zone %8s "}
     * and then {@code "%6lu "} per order} No newline is appended; the kernel's trailing space is kept.
     */
    public String line() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Node %d, zone %8s ", 0, zone));
        for (long count : freeBlocks) {
            line.append(String.format(Locale.ROOT, "%6d ", count));
        }
        return line.toString();
    }
}
