package io.github.alloclab.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The part that readers of address-based logs (mtrace, ltrace) share: they see addresses, a replay wants ids.
 *
 * <p>Each allocation gets the next id, 0, 1, 2, ..., as in a {@code .rep} trace; a {@code realloc} keeps its
 * block's id, whatever address it moves to. Calls that make no sense for the live blocks are handled as
 * glibc's {@code mtrace} script handles them, and counted as warnings:
 * <ul>
 *   <li>{@code free(NULL)}: nothing, silently (it is legal C);</li>
 *   <li>a free of an address that is not live: skipped ("was never alloc'd");</li>
 *   <li>an allocation that returned NULL: skipped; a failed {@code realloc} leaves its block live;</li>
 *   <li>an allocation at an address that is still live: skipped, the earlier block stays
 *       ("duplicate");</li>
 *   <li>a {@code realloc} of an address that is not live: its result counts as a new allocation.</li>
 * </ul>
 * So the blocks live at the end of the trace are exactly those the {@code mtrace} script reports as not
 * freed.
 */
abstract class AddressTraceReader implements TraceReader {

    private static final int KEPT_WARNINGS = 100;

    private final String name;
    private final BufferedReader in;
    private final Map<Long, Integer> liveIds = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private long warningCount;
    private int nextId;
    private long line;
    private final ArrayDeque<TraceOp> ready = new ArrayDeque<>();
    private boolean ended;

    AddressTraceReader(String name, InputStream input) {
        this.name = name;
        this.in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long warningCount() {
        return warningCount;
    }

    @Override
    public final List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** {@return how many ids were handed out: the {@code .rep} header's number of ids} */
    public final int ids() {
        return nextId;
    }

    @Override
    public final boolean hasNext() {
        while (ready.isEmpty() && !ended) {
            String text = nextLine();
            if (text == null) {
                ended = true;
                emit(atEnd());
            } else {
                parse(text.strip(), line);
            }
        }
        return !ready.isEmpty();
    }

    @Override
    public final TraceOp next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** Reads one line, and {@link #emit}s the operations it completes (none, one, or two). */
    abstract void parse(String text, long lineNumber);

    /** Queues an operation for the caller; {@code null} is ignored. */
    final void emit(TraceOp op) {
        if (op != null) {
            ready.add(op);
        }
    }

    /** {@return an operation still pending at the end of the input, or {@code null}} */
    TraceOp atEnd() {
        return null;
    }

    // ---- the calls, by address ------------------------------------------------------------------------

    final TraceOp malloc(long address, long byteSize, long at) {
        if (address == 0) {
            warn(at, "an allocation of %d bytes failed (returned NULL); skipped".formatted(byteSize));
            return null;
        }
        if (liveIds.containsKey(address)) {
            warn(at, "0x%x is allocated again while still live (duplicate); the first block stays".formatted(address));
            return null;
        }
        int id = nextId++;
        liveIds.put(address, id);
        return new TraceOp(TraceOp.Kind.ALLOC, id, byteSize, at);
    }

    final TraceOp free(long address, long at) {
        if (address == 0) {
            return null;
        }
        Integer id = liveIds.remove(address);
        if (id == null) {
            warn(at, "free of 0x%x, which was never allocated; skipped".formatted(address));
            return null;
        }
        return new TraceOp(TraceOp.Kind.FREE, id, 0, at);
    }

    final TraceOp realloc(long old, long address, long byteSize, long at) {
        if (old == 0) {
            return malloc(address, byteSize, at);
        }
        if (address == 0) {
            if (byteSize == 0) {
                return free(old, at);
            }
            warn(at, "realloc(0x%x, %d) failed (returned NULL); the block stays".formatted(old, byteSize));
            return null;
        }
        Integer id = liveIds.remove(old);
        if (id == null) {
            warn(at, "realloc of 0x%x, which was never allocated; its result counts as a new block".formatted(old));
            return malloc(address, byteSize, at);
        }
        Integer other = liveIds.get(address);
        if (other != null) {
            warn(at, "realloc moved 0x%x onto 0x%x, which is still live (duplicate); the old block is freed"
                    .formatted(old, address));
            return new TraceOp(TraceOp.Kind.FREE, id, 0, at);
        }
        liveIds.put(address, id);
        return new TraceOp(TraceOp.Kind.REALLOC, id, byteSize, at);
    }

    final void warn(long at, String message) {
        warningCount++;
        if (warnings.size() < KEPT_WARNINGS) {
            warnings.add(name + ":" + at + ": " + message);
        }
    }

    final TraceFormatException error(long at, String message) {
        return new TraceFormatException(name, Math.max(at, 1), message);
    }

    /** {@return a number as C's {@code %p} or {@code %#lx} prints it, or as villoc reads one} */
    final long number(String text, long at, String what, boolean hexWithoutPrefix) {
        String t = text.strip();
        if (t.equals("(nil)") || t.equals("nil") || t.equals("<void>") || t.equals("NULL")) {
            return 0;
        }
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return hexWithoutPrefix ? Long.parseUnsignedLong(t, 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw error(at, "the %s should be a number, not '%s'".formatted(what, abbreviate(t)));
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
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

    @Override
    public final void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // a failed close of a reader loses nothing
        }
    }
}
