/**
 * The heap drawn as rows of cells, one row or band per region (the break's heap, each mapped region), each
 * cell a fixed number of bytes coloured by what they hold: {@code alloclab heap}'s picture. Built from
 * {@link io.github.alloclab.allocator.Allocator#walk} and the bytes themselves, never from a second model of
 * an allocator.
 */
package io.github.alloclab.heapmap;
