/**
 * Trace replay: runs a trace against an allocator, checks every block as the CS:APP driver does, and
 * measures throughput, peak payload, peak footprint and utilisation.
 */
package io.github.alloclab.replay;
