package io.github.alloclab.memory;

/** What a memory access does, which decides the permission it needs. */
public enum AccessKind {
    /** A load: needs {@link Protection#READ}. */
    READ("read", Protection.READ),
    /** A store: needs {@link Protection#WRITE}. */
    WRITE("write", Protection.WRITE),
    /** An instruction fetch: needs {@link Protection#EXECUTE}. */
    EXECUTE("execute", Protection.EXECUTE);

    private final String verb;
    private final int protection;

    AccessKind(String verb, int protection) {
        this.verb = verb;
        this.protection = protection;
    }

    /** {@return the permission bit this access needs} */
    public int protection() {
        return protection;
    }

    /** {@return the access as a word: read, write or execute} */
    public String verb() {
        return verb;
    }
}
