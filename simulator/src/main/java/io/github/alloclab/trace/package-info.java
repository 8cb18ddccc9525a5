/**
 * Malloc traces: the operations a program made, read one at a time so that a reader's memory does not grow
 * with the trace's length.
 *
 * <p>{@link io.github.alloclab.trace.RepTraceReader} reads the CS:APP malloclab {@code .rep} format;
 * {@link io.github.alloclab.trace.TraceSource} names a trace and opens it, from a file or from the traces
 * bundled with alloclab ({@link io.github.alloclab.trace.BundledTraces}).
 */
package io.github.alloclab.trace;
