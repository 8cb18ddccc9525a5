/**
 * The simulated process: an ELF executable loaded into a {@link io.github.alloclab.memory.SimulatedMemorySource}
 * as Linux's {@code execve} loads it with ASLR off ({@link io.github.alloclab.process.ElfLoader}), its
 * {@code /proc/PID/maps} ({@link io.github.alloclab.process.ProcMaps}), and the constants of the x86-64 and i386
 * address spaces ({@link io.github.alloclab.process.Abi}).
 */
package io.github.alloclab.process;
