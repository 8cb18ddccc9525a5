package io.github.alloclab.stack;

import io.github.alloclab.stack.CAst.Type;

/**
 * A named object of a program: a global, a parameter or a local. Each declaration is one {@code Variable},
 * compared by identity, so that two locals named {@code i} in different blocks stay apart.
 */
final class Variable {

    /** Where a variable lives. */
    enum Kind {
        /** In data or bss, at a fixed address. */
        GLOBAL,
        /** A function's parameter: pushed by the caller, or passed in a register and spilled. */
        PARAM,
        /** A local of a function, at a fixed offset from the frame pointer. */
        LOCAL
    }

    private final Kind kind;
    private final String name;
    private final Type type;
    private final int line;
    private final int index;

    Variable(Kind kind, String name, Type type, int line, int index) {
        this.kind = kind;
        this.name = name;
        this.type = type;
        this.line = line;
        this.index = index;
    }

    Kind kind() {
        return kind;
    }

    String name() {
        return name;
    }

    Type type() {
        return type;
    }

    int line() {
        return line;
    }

    /** {@return the parameter's position, the local's order of declaration in its function, or the global's} */
    int index() {
        return index;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + type + " " + name;
    }
}
