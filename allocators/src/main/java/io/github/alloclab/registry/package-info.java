/**
 * The registry of named allocators, each with a typed settings record and its defaults. The CLI, the
 * contract tests and the benchmarks all pick allocators from
 * {@link io.github.alloclab.registry.AllocatorRegistry#standard()}.
 */
package io.github.alloclab.registry;
