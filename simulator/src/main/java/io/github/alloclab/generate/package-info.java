/**
 * Seeded, deterministic synthetic traces ({@code alloclab generate}): random sizes and lifetimes, sizes that
 * defeat buddy systems, coalescing patterns, realloc growth chains, phase-structured programs, and workloads
 * drawn from a table. {@link io.github.alloclab.generate.GeneratorKind} lists them.
 */
package io.github.alloclab.generate;
