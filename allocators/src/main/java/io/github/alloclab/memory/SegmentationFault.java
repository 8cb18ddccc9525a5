package io.github.alloclab.memory;

import java.util.Optional;

/**
 * A memory access that the simulated process may not make: what a real process gets as {@code SIGSEGV}.
 * It carries the faulting address, the kind and width of the access, the {@link FaultReason}, and the
 * mapping involved, if there is one. Nothing was stored when it is thrown: a store that would cross into a
 * forbidden page faults before it writes any byte.
 *
 * {@snippet :
 * try {
 *     process.memory().putLong(0, 42);
 * } catch (SegmentationFault fault) {
 *     fault.reason();   // NULL_DEREFERENCE
 *     fault.address();  // 0x0
 * }
 * }
 */
public final class SegmentationFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long address;
    private final AccessKind access;
    private final long byteSize;
    private final FaultReason reason;
    private final transient Vma vma;

    /**
     * @param address  the first address of the access that may not be made
     * @param access   what the access did
     * @param byteSize how many bytes it touched
     * @param reason   why it may not be made
     * @param vma      the mapping that refused it, or the stack it tried to grow, or {@code null}
     * @param detail   one more sentence for the message, or {@code null}
     */
    public SegmentationFault(long address, AccessKind access, long byteSize, FaultReason reason, Vma vma,
                             String detail) {
        super(message(address, access, byteSize, reason, vma, detail));
        this.address = address;
        this.access = access;
        this.byteSize = byteSize;
        this.reason = reason;
        this.vma = vma;
    }

    private static String message(long address, AccessKind access, long byteSize, FaultReason reason, Vma vma,
                                  String detail) {
        StringBuilder text = new StringBuilder("segmentation fault: %s of %d byte%s at 0x%x: %s".formatted(
                access.verb(), byteSize, byteSize == 1 ? "" : "s", address, reason.description()));
        if (vma != null) {
            text.append(" (").append(vma.describe()).append(')');
        }
        if (detail != null) {
            text.append("; ").append(detail);
        }
        return text.toString();
    }

    /** {@return the address of the faulting access} */
    public long address() {
        return address;
    }

    /** {@return what the faulting access did} */
    public AccessKind access() {
        return access;
    }

    /** {@return how many bytes the faulting access touched} */
    public long byteSize() {
        return byteSize;
    }

    /** {@return why the access faulted} */
    public FaultReason reason() {
        return reason;
    }

    /** {@return the mapping that refused the access, if one did} */
    public Optional<Vma> vma() {
        return Optional.ofNullable(vma);
    }
}
