package io.github.alloclab.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * Reads a CS:APP malloclab {@code .rep} trace, one operation at a time.
 *
 * <pre>
 *  classic (CS:APP 2002)                      CMU 15-213 variant (mdriver since 2016)
 *  286720   suggested heap size (bytes)       1        weight: 0 ignore, 1 all, 2 utilisation, 3 throughput
 *  12558    number of ids: 0 .. n-1           12558    number of ids
 *  25106    number of operations              25106    number of operations
 *  1        weight                            285494   peak live payload (bytes)
 *  a 0 16        allocate id 0, 16 bytes
 *  r 0 32        reallocate id 0 to 32 bytes
 *  f 0           free id 0
 * </pre>
 *
 * The reader keeps only the current line, so it reads traces of any length in constant memory. Blank lines
 * are skipped. Every malformed line, and an operation count that differs from the header's, is a
 * {@link TraceFormatException} naming the file and line. Whether an operation makes sense (freeing a block
 * that is not live) is for the replay to judge, since only it tracks the live blocks.
 */
public final class RepTraceReader implements TraceReader {

    /** The two header layouts. */
    public enum Variant {
        /** Suggested heap size, ids, ops, weight. */
        CLASSIC,
        /** Weight (0..3), ids, ops, peak payload bytes. */
        CMU_15_213
    }

    /**
     * The four header lines.
     *
     * @param suggestedHeapBytes the heap size the trace suggests; in the 15-213 variant, its peak payload bytes
     * @param ids                how many ids the trace uses
     * @param ops                how many operations follow
     * @param weight             the trace's weight in a scored run
     * @param variant            which header layout the trace has
     */
    public record Header(long suggestedHeapBytes, int ids, long ops, long weight, Variant variant) {

        /** A classic header. */
        public Header(long suggestedHeapBytes, int ids, long ops, long weight) {
            this(suggestedHeapBytes, ids, ops, weight, Variant.CLASSIC);
        }
    }

    private final String name;
    private final BufferedReader in;
    private final Header header;
    private long line;
    private long opsRead;
    private TraceOp next;

    /**
     * Reads a classic trace's header at once.
     *
     * @throws TraceFormatException if the header is malformed
     */
    public RepTraceReader(String name, InputStream input) {
        this(name, input, Variant.CLASSIC);
    }

    /**
     * Reads the header at once.
     *
     * @throws TraceFormatException if the header is malformed
     */
    public RepTraceReader(String name, InputStream input, Variant variant) {
        this.name = name;
        this.in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8), 1 << 16);
        try {
            if (variant == Variant.CLASSIC) {
                long heap = headerNumber("suggested heap size", Long.MAX_VALUE);
                long ids = headerNumber("number of ids", Integer.MAX_VALUE);
                long ops = headerNumber("number of operations", Long.MAX_VALUE);
                long weight = headerNumber("weight", Long.MAX_VALUE);
                this.header = new Header(heap, (int) ids, ops, weight, variant);
            } else {
                long weight = headerNumber("weight", 3);
                long ids = headerNumber("number of ids", Integer.MAX_VALUE);
                long ops = headerNumber("number of operations", Long.MAX_VALUE);
                long peak = headerNumber("peak payload bytes", Long.MAX_VALUE);
                this.header = new Header(peak, (int) ids, ops, weight, variant);
            }
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TraceFormat format() {
        return header.variant() == Variant.CLASSIC ? TraceFormat.rep : TraceFormat.rep213;
    }

    public Header header() {
        return header;
    }

    private long headerNumber(String what, long max) {
        String text = nextLine();
        if (text == null) {
            throw error("the trace ends inside its header: the " + what + " is missing");
        }
        text = text.strip();
        try {
            long value = Long.parseLong(text);
            if (value < 0 || value > max) {
                throw error("the header's %s must be between 0 and %d, not %s".formatted(what, max, text));
            }
            return value;
        } catch (NumberFormatException e) {
            throw error("the header's %s should be a number, not '%s'".formatted(what, abbreviate(text)));
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = readOp();
        }
        return next != null;
    }

    @Override
    public TraceOp next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        TraceOp op = next;
        next = null;
        return op;
    }

    private TraceOp readOp() {
        String text;
        do {
            text = nextLine();
            if (text == null) {
                if (opsRead != header.ops()) {
                    throw error("the header promises %d operations but the trace ends after %d"
                            .formatted(header.ops(), opsRead));
                }
                return null;
            }
            text = text.strip();
        } while (text.isEmpty());
        if (opsRead == header.ops()) {
            throw error("more operations than the %d the header promises".formatted(header.ops()));
        }
        String[] fields = text.split("\\s+");
        TraceOp.Kind kind = switch (fields[0]) {
            case "a" -> TraceOp.Kind.ALLOC;
            case "r" -> TraceOp.Kind.REALLOC;
            case "f" -> TraceOp.Kind.FREE;
            default -> throw error("expected 'a <id> <bytes>', 'r <id> <bytes>' or 'f <id>', not '%s'"
                    .formatted(abbreviate(text)));
        };
        int arity = kind == TraceOp.Kind.FREE ? 2 : 3;
        if (fields.length != arity) {
            throw error("'%s' takes %s, not '%s'".formatted(fields[0],
                    arity == 2 ? "an id" : "an id and a size in bytes", abbreviate(text)));
        }
        int id = id(fields[1]);
        long byteSize = arity == 3 ? byteSize(fields[2]) : 0;
        opsRead++;
        return new TraceOp(kind, id, byteSize, line);
    }

    private int id(String text) {
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw error("the id should be a number, not '%s'".formatted(abbreviate(text)));
        }
        if (id < 0 || id >= header.ids()) {
            throw error("id %d is out of range: the header declares %d ids (0..%d)"
                    .formatted(id, header.ids(), header.ids() - 1));
        }
        return (int) id;
    }

    private long byteSize(String text) {
        try {
            long size = Long.parseLong(text);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error("the size should be a number of bytes, not '%s'".formatted(abbreviate(text)));
    }

    private String nextLine() {
        try {
            String text = in.readLine();
            if (text != null) {
                line++;
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    private TraceFormatException error(String message) {
        return new TraceFormatException(name, Math.max(line, 1), message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close of a reader loses nothing
        }
    }
}
