/**
 * {@code alloclab record}: records the malloc calls of a real program with an {@code LD_PRELOAD} interposer
 * written in C ({@code alloclab_record.c}, built with gcc on first use) and turns them into a trace.
 */
package io.github.alloclab.record;
