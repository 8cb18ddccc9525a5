package io.github.alloclab.trace;

import java.util.Iterator;
import java.util.List;

/**
 * Reads a malloc trace one operation at a time, in any format, so that memory does not grow with the
 * trace's length (address-based formats keep a map of the live blocks, no more).
 *
 * <p>Malformed lines are {@link TraceFormatException}s naming the file and line. Calls that a format's own
 * tools tolerate (glibc's {@code mtrace} script: freeing an address never allocated, a failed
 * {@code malloc}) are skipped and counted as {@linkplain #warnings() warnings}, not errors.
 */
public interface TraceReader extends Iterator<TraceOp>, AutoCloseable {

    /** {@return the trace's name, as errors and reports show it} */
    String name();

    /** {@return the format being read} */
    TraceFormat format();

    /** {@return how many calls were skipped so far, each with a warning} */
    default long warningCount() {
        return 0;
    }

    /** {@return the first warnings, {@code file:line: what}; at most 100 are kept} */
    default List<String> warnings() {
        return List.of();
    }

    /** Closes the underlying input; never throws. */
    @Override
    void close();
}
