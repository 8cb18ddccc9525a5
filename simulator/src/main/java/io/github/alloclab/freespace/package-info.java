/**
 * OSTEP's free-space homework simulator, {@code malloc.py}, as {@code alloclab freelist}: the same flags and
 * output line for line, with Python's random numbers ({@link io.github.alloclab.freespace.PythonRandom}), and
 * the answers computed by the first-fit allocator family
 * ({@link io.github.alloclab.freespace.FreeSpaceSimulator}).
 */
package io.github.alloclab.freespace;
