package io.github.alloclab.trace;

/**
 * A trace that cannot be read or makes no sense: a malformed line, a count that does not add up, or an
 * operation on a block that is not live. The message names the file and the line, {@code file:line: what}.
 */
public class TraceFormatException extends RuntimeException {

    private final String trace;
    private final long line;

    public TraceFormatException(String trace, long line, String message) {
        super(trace + ":" + line + ": " + message);
        this.trace = trace;
        this.line = line;
    }

    public String trace() {
        return trace;
    }

    public long line() {
        return line;
    }
}
