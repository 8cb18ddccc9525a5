package io.github.alloclab.freespace;

/**
 * Input that malloc.py rejects or stops on (a failed assertion, {@code KeyError}, {@code ValueError}), or that
 * alloclab cannot simulate faithfully. What was printed before it stays printed, as with malloc.py.
 */
public class FreeSpaceException extends IllegalArgumentException {

    public FreeSpaceException(String message) {
        super(message);
    }
}
