package io.github.alloclab.trace;

import java.io.BufferedInputStream;
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
 * @param format the trace's format, or {@code null} to tell it from the content each time it is opened
 */
public record TraceSource(String name, Opener opener, TraceFormat format) {

    /** Opens a trace's bytes. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** A trace whose format is told from its content. */
    public TraceSource(String name, Opener opener) {
        this(name, opener, null);
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

    /** {@return this trace, read in {@code format} whatever its content looks like; {@code null} detects} */
    public TraceSource withFormat(TraceFormat format) {
        return new TraceSource(name, opener, format);
    }

    /**
     * {@return a new reader of this trace, in its format or the one detected from its first lines}
     *
     * @throws TraceFormatException if the format cannot be told, or the header is malformed
     */
    public TraceReader open() {
        InputStream in = openStream();
        try {
            BufferedInputStream buffered = new BufferedInputStream(in, TraceFormat.SNIFF_BYTES);
            TraceFormat f = format != null ? format : TraceFormat.detect(name, buffered);
            return f.reader(name, buffered);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /** {@return the format this trace is read in: the forced one, or the one its content shows} */
    public TraceFormat detectFormat() {
        if (format != null) {
            return format;
        }
        InputStream in = openStream();
        try (BufferedInputStream buffered = new BufferedInputStream(in, TraceFormat.SNIFF_BYTES)) {
            return TraceFormat.detect(name, buffered);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    /** {@return a new reader of this trace, in the classic CS:APP {@code .rep} format} */
    public RepTraceReader openRep() {
        return new RepTraceReader(name, openStream());
    }

    private InputStream openStream() {
        try {
            return opener.open();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was written
        }
    }
}
