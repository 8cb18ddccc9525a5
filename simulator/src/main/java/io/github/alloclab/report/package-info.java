/**
 * {@code alloclab report}: one self-contained HTML page per run, with a villoc-style timeline of each heap
 * (one row per sampled operation, blocks placed by address and coloured by state), the heaps of several
 * allocators side by side on the same trace, and XChart plots of footprint, live payload, fragmentation and
 * utilisation.
 *
 * <p>Everything is drawn from a replay's checked pass through a {@link io.github.alloclab.replay.ReplayObserver}
 * and {@link io.github.alloclab.allocator.Allocator#walk}: no allocator knows it is being drawn.
 */
package io.github.alloclab.report;
