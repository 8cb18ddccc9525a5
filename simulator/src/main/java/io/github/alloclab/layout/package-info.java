/**
 * The process drawn from high addresses to low ({@link io.github.alloclab.layout.LayoutView}), and synthetic
 * programs declared as C globals ({@link io.github.alloclab.layout.DeclaredProgram}) placed in .data, .bss and
 * .rodata as GCC places them, written as real ELF files ({@link io.github.alloclab.layout.SyntheticElf}).
 */
package io.github.alloclab.layout;
