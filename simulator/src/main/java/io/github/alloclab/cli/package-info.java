/**
 * The {@code alloclab} command line, built with picocli: {@code list}, {@code replay}, {@code compare} and
 * {@code freelist} (OSTEP's {@code malloc.py}).
 * Exit codes: 0 when all is well, 1 when a replay found an allocator error, 2 for bad input or usage, 3 for
 * an internal error (a bug in alloclab: please report it with {@code --debug} output).
 */
package io.github.alloclab.cli;
