package io.github.alloclab.layout;

/** A declared program that does not parse: the message names the line and the problem. */
public final class DeclarationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final String problem;

    public DeclarationException(int line, String problem) {
        super("line %d: %s".formatted(line, problem));
        this.line = line;
        this.problem = problem;
    }

    /** {@return what is wrong with the line, without the line number} */
    public String problem() {
        return problem;
    }

    /** {@return the line at fault, from 1} */
    public int line() {
        return line;
    }
}
