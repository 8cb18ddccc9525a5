package io.github.alloclab.stack;

/**
 * How a run died: what a real process gets as {@code SIGSEGV}.
 *
 * @param kind    {@code stack overflow} when the stack ran into its guard area, else {@code segmentation fault}
 * @param address the address whose access faulted
 * @param message what was executing, where, and why the access faulted
 * @param state   the machine at the fault: the instruction that faulted, its registers before it, the stack
 */
public record Fault(String kind, long address, String message, Step state) {

    /** The kind of a fault in the guard area below the stack. */
    public static final String STACK_OVERFLOW = "stack overflow";
    /** The kind of any other fault. */
    public static final String SEGMENTATION_FAULT = "segmentation fault";
}
