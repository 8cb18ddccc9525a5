package io.github.alloclab.memory;

/**
 * Why an access raised a {@link SegmentationFault}. A kernel only knows "no mapping here" ({@code SEGV_MAPERR})
 * or "a mapping, but not for this" ({@code SEGV_ACCERR}); the simulated process can also tell which mistake
 * of a C program that usually is.
 */
public enum FaultReason {
    /** The address is in the NULL page, the first page of the address space, which is never mapped. */
    NULL_DEREFERENCE("NULL pointer dereference"),
    /** No mapping holds the address: a wild pointer, a use after {@code munmap}, or past the break. */
    UNMAPPED("address not mapped"),
    /** A store to a mapping without write permission: text, read-only data, or RELRO. */
    WRITE_TO_READ_ONLY("write to read-only memory"),
    /** An instruction fetch from a mapping without execute permission (the NX bit). */
    EXECUTE_NOT_EXECUTABLE("execute from non-executable memory"),
    /** A load from a mapping with no access at all ({@code PROT_NONE}), such as a guard page. */
    NO_ACCESS("access to a PROT_NONE mapping"),
    /** Below the stack, where the stack may not grow: past its rlimit, or into the guard gap. */
    STACK_OVERFLOW("stack overflow (stack guard hit)");

    private final String description;

    FaultReason(String description) {
        this.description = description;
    }

    /** {@return a short description, such as "write to read-only memory"} */
    public String description() {
        return description;
    }

    /** {@return the {@code si_code} a kernel would report: {@code SEGV_MAPERR} or {@code SEGV_ACCERR}} */
    public String siCode() {
        return switch (this) {
            case NULL_DEREFERENCE, UNMAPPED, STACK_OVERFLOW -> "SEGV_MAPERR";
            case WRITE_TO_READ_ONLY, EXECUTE_NOT_EXECUTABLE, NO_ACCESS -> "SEGV_ACCERR";
        };
    }
}
