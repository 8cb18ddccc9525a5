package io.github.alloclab.metrics;

/**
 * One row of a free-block histogram: the free blocks whose size lies in {@code [fromBytes, toBytes)}.
 * Size classes are powers of two, so a row's {@code toBytes} is twice its {@code fromBytes}.
 *
 * @param fromBytes the smallest block size of the class
 * @param toBytes   one past the largest block size of the class
 * @param blocks    how many free blocks fall in the class
 * @param bytes     their total size, headers included
 */
public record SizeClassCount(long fromBytes, long toBytes, long blocks, long bytes) {
}
