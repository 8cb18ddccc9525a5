/**
 * The binary buddy family: power-of-two blocks, split in halves to allocate and merged with their buddies
 * on free, the scheme of Knowlton (1965) that Linux uses for physical pages.
 *
 * <p>{@link io.github.alloclab.buddy.BuddyAllocator} is the algorithm, as a malloc;
 * {@link io.github.alloclab.buddy.BuddyLayout} holds the buddy arithmetic and the tag bits;
 * {@link io.github.alloclab.buddy.BuddySettings} are its tunables (minimum block, arena order, brk or mmap
 * arenas, order map or headers) and {@link io.github.alloclab.buddy.BuddyStats} its counters. The registry
 * names three variants: {@code buddy} (order map, brk arenas), {@code buddy.header} (in-band headers) and
 * {@code buddy.mmap} (every arena its own mapping).
 */
package io.github.alloclab.buddy;
