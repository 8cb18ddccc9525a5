package io.github.alloclab.allocator;

/**
 * A misuse of the heap that an allocator detected, such as a double free. Its message mirrors glibc's where
 * glibc has one ({@code free(): double free detected}, {@code free(): invalid pointer}), followed by the
 * address. The allocator throws it before it changes anything, so the heap stays usable. {@link #kind()}
 * tells the cases apart without parsing the message.
 */
public class HeapCorruptionException extends RuntimeException {

    private final CorruptionKind kind;
    private final String reason;
    private final long address;

    /** A corruption of kind {@link CorruptionKind#OTHER}. */
    public HeapCorruptionException(String reason, long address) {
        this(CorruptionKind.OTHER, reason, address);
    }

    public HeapCorruptionException(CorruptionKind kind, String reason, long address) {
        super(reason + " (address 0x" + Long.toHexString(address) + ")");
        this.kind = kind;
        this.reason = reason;
        this.address = address;
    }

    /** {@return what kind of misuse this is} */
    public CorruptionKind kind() {
        return kind;
    }

    /** {@return glibc's wording of the error, without the address} */
    public String reason() {
        return reason;
    }

    /** {@return the address involved} */
    public long address() {
        return address;
    }
}
