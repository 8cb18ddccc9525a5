/**
 * The stack-frame simulator: a small subset of C, parsed by hand ({@link io.github.alloclab.stack.CParser}),
 * checked ({@code TypeChecker}), compiled for a {@link io.github.alloclab.stack.Convention calling convention}
 * ({@code Compiler}, {@code FrameLayout}), linked into an ELF executable and loaded into a simulated process
 * ({@code ProgramImage}), and run on a machine ({@code StackMachine}) whose every push, spill and local is a
 * real load or store in that process's {@code [stack]}. {@link io.github.alloclab.stack.StackSimulator} is the
 * entry point; {@link io.github.alloclab.stack.StackView} and {@link io.github.alloclab.stack.StackJson} print
 * a run. The lesson is {@code docs/stack-frames.md}.
 */
package io.github.alloclab.stack;
