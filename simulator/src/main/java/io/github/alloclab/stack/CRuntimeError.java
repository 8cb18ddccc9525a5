package io.github.alloclab.stack;

/**
 * A program that cannot go on, for a reason other than a memory fault: a division by zero (a real process gets
 * {@code SIGFPE}), or more steps than allowed. The message names the file, line and column.
 */
public class CRuntimeError extends RuntimeException {

    public CRuntimeError(String file, int line, int column, String message) {
        super("%s:%d:%d: %s".formatted(file, line, column, message));
    }
}
