package io.github.alloclab.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes a trace, one operation at a time, in one of the {@link TraceFormat}s.
 *
 * <p>A {@code .rep} header needs the counts before the first operation, so every writer is made from the
 * trace's {@link TraceProfile}. The address-based formats (mtrace, ltrace) need addresses, which a
 * {@code .rep} trace does not have: their writers invent them with {@link SyntheticAddresses}.
 *
 * {@snippet :
 * TraceProfile profile = TraceProfile.of(source);
 * try (TraceReader in = source.open(); TraceWriter out = TraceWriter.of(TraceFormat.ltrace, profile, writer)) {
 *     in.forEachRemaining(out::write);
 * }
 * }
 */
public abstract class TraceWriter implements AutoCloseable {

    private final Writer out;
    private final StringBuilder line = new StringBuilder(64);

    TraceWriter(Writer out) {
        this.out = out;
    }

    /** {@return a writer of {@code format} onto {@code out}, for the trace that {@code profile} describes} */
    public static TraceWriter of(TraceFormat format, TraceProfile profile, Writer out) {
        return switch (format) {
            case rep -> new RepTraceWriter(out, profile, RepTraceReader.Variant.CLASSIC);
            case rep213 -> new RepTraceWriter(out, profile, RepTraceReader.Variant.CMU_15_213);
            case mtrace -> new MtraceWriter(out);
            case ltrace -> new LtraceWriter(out);
        };
    }

    /** Writes one operation. */
    public abstract void write(TraceOp op);

    /** Appends {@code text} and a newline to the output. */
    final void line(CharSequence text) {
        try {
            out.append(text).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return an empty builder for the next line} */
    final StringBuilder builder() {
        line.setLength(0);
        return line;
    }

    /** Writes what the format needs after the last operation, if anything. */
    void finish() {
    }

    /** Finishes the trace and flushes (but does not close) the output. */
    @Override
    public final void close() {
        finish();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
