package io.github.alloclab.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A named trace that can be opened, as many times as a replay needs.
 *
 * @param name   the file name, as reports show it
 * @param opener opens the bytes of the trace
 */
public record TraceSource(String name, Opener opener) {

    /** Opens a trace's bytes. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * {@return a trace read from a file}
     *
     * @throws UncheckedIOException naming the file, if it is missing, a directory or unreadable
     */
    public static TraceSource of(Path file) {
        if (!Files.exists(file)) {
            throw unreadable(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw unreadable(file + ": is a directory, not a trace");
        }
        if (!Files.isReadable(file)) {
            throw unreadable(file + ": permission denied");
        }
        return new TraceSource(file.getFileName().toString(), () -> Files.newInputStream(file));
    }

    private static UncheckedIOException unreadable(String message) {
        return new UncheckedIOException(message, new IOException(message));
    }

    /** {@return a new reader of this trace, in the CS:APP {@code .rep} format} */
    public RepTraceReader openRep() {
        try {
            return new RepTraceReader(name, opener.open());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }
}
