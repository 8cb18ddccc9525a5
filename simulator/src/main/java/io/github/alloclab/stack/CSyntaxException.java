package io.github.alloclab.stack;

/** A program outside the C subset, or malformed: the message names the file, line and column. */
public class CSyntaxException extends RuntimeException {

    private final int line;
    private final int column;

    public CSyntaxException(String file, int line, int column, String message) {
        super("%s:%d:%d: %s".formatted(file, line, column, message));
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
