/**
 * Reading the lab's input files (ELF executables, C programs, tables) with errors a user can act on: each names
 * the file and what is wrong with it, in one line, such as {@code prog.c: is a directory, not a file}.
 */
package io.github.alloclab.files;
