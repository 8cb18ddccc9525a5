package io.github.alloclab.allocator;

/**
 * An allocator that keeps its free memory as blocks of power-of-two orders, or can be read that way, and so
 * can show a {@code /proc/buddyinfo} line.
 */
public interface BuddyInfoView {

    /** {@return the free blocks per order, now} */
    BuddyInfo buddyInfo();
}
