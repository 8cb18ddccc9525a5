package io.github.alloclab.allocator;

/**
 * A misuse of the heap that an allocator detected, such as a double free. Its message mirrors glibc's where
 * glibc has one ({@code free(): double free detected}, {@code free(): invalid pointer}), followed by the
 * address. The allocator throws it before it changes anything, so the heap stays usable.
 */
public class HeapCorruptionException extends RuntimeException {

    private final String reason;
    private final long address;

    public HeapCorruptionException(String reason, long address) {
        super(reason + " (address 0x" + Long.toHexString(address) + ")");
        this.reason = reason;
        this.address = address;
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
