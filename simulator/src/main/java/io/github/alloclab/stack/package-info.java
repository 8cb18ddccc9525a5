/**
 * The stack-frame simulator: a small subset of C, parsed by hand ({@link io.github.alloclab.stack.CParser})
 * and run under a calling convention so that every push, spill and local is a real store in a simulated
 * stack.
 */
package io.github.alloclab.stack;
