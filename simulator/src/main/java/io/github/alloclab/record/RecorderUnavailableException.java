package io.github.alloclab.record;

/**
 * {@code alloclab record} cannot work on this machine: there is no C compiler to build its interposer, or
 * the interposer would not build. Everything else in alloclab works without it.
 */
public class RecorderUnavailableException extends IllegalStateException {

    public RecorderUnavailableException(String message) {
        super(message);
    }
}
