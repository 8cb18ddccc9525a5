package io.github.alloclab.trace;

import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Reads a glibc {@code mtrace} log: what {@code MALLOC_TRACE=file} with {@code mtrace()} (or
 * {@code libc_malloc_debug.so}) writes.
 *
 * <pre>
 *  = Start
 *  @ /lib/x86_64-linux-gnu/libc.so.6:(__strdup+1a)[0x9e9aa] + 0x55555557a2a0 0xa     malloc, calloc, memalign
 *  @ ls:[0x183a4] - 0x55555557a960                                                   free
 *  @ ls:[0x18032] &lt; 0x55555557aa70                                                   realloc: the old block,
 *  @ ls:[0x18032] &gt; 0x55555558a190 0xa280                                            then the new one and its size
 *  @ ls:[0x18032] ! 0x55555557aa70 0xa280                                            a realloc that failed
 *  = End
 * </pre>
 *
 * The {@code @ caller} part is optional. Addresses are C's {@code %p} ({@code 0x...} or {@code (nil)}) and
 * sizes hexadecimal, as glibc's {@code mtrace} script reads them. A {@code <} line followed by a {@code >}
 * line is one {@code realloc}; a {@code <} alone frees. Calls the script tolerates are skipped with a warning
 * (see {@link AddressTraceReader}), so the blocks live at the end are those the script lists under
 * "Memory not freed". Any other line is a {@link TraceFormatException}.
 */
public final class MtraceReader extends AddressTraceReader {

    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern LOOKS_LIKE = Pattern.compile(
            "^(= Start|= End|@ \\S+ [-+<>!] .*|[-+<>!] (0x[0-9a-fA-F]+|\\(nil\\)).*)$");

    /** The {@code <} line waiting for its {@code >}: the old address, or -1 when none is pending. */
    private long pendingOld = -1;
    private long pendingLine;

    public MtraceReader(String name, InputStream input) {
        super(name, input);
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.mtrace;
    }

    static boolean looksLikeMtrace(String line) {
        return LOOKS_LIKE.matcher(line).matches();
    }

    @Override
    void parse(String text, long at) {
        if (text.isEmpty()) {
            return;
        }
        String[] cols = SPACES.split(text);
        int n = cols[0].equals("@") ? 2 : 0;
        if (cols.length <= n) {
            throw error(at, "expected an operation after the caller, not '%s'".formatted(abbreviate(text)));
        }
        String op = cols[n];
        if (op.equals(">")) {
            arity(cols, n, 3, at, text, "'> 0xnew 0xsize'");
            long address = number(cols[n + 1], at, "address", false);
            long size = size(cols[n + 2], at);
            if (pendingOld < 0) {
                // a '>' without its '<': the script adds it as a new block
                emit(malloc(address, size, at));
                return;
            }
            long old = pendingOld;
            pendingOld = -1;
            emit(realloc(old, address, size, pendingLine));
            return;
        }
        emit(flushPending());
        emit(switch (op) {
            case "=" -> null; // "= Start", "= End"
            case "+" -> {
                arity(cols, n, 3, at, text, "'+ 0xaddress 0xsize'");
                yield malloc(number(cols[n + 1], at, "address", false), size(cols[n + 2], at), at);
            }
            case "-" -> {
                arity(cols, n, 2, at, text, "'- 0xaddress'");
                yield free(number(cols[n + 1], at, "address", false), at);
            }
            case "<" -> {
                arity(cols, n, 2, at, text, "'< 0xaddress'");
                pendingOld = number(cols[n + 1], at, "address", false);
                pendingLine = at;
                yield null;
            }
            case "!" -> {
                arity(cols, n, 3, at, text, "'! 0xaddress 0xsize'");
                warn(at, "realloc(%s, %s) failed; the block stays".formatted(cols[n + 1], cols[n + 2]));
                yield null;
            }
            default -> throw error(at, "expected an mtrace line ('+ 0xaddress 0xsize', '- 0xaddress', "
                    + "'< 0xold', '> 0xnew 0xsize', '= Start'), not '%s'".formatted(abbreviate(text)));
        });
    }

    /** A {@code <} that no {@code >} followed frees its block, as the script's removal does. */
    private TraceOp flushPending() {
        if (pendingOld < 0) {
            return null;
        }
        long old = pendingOld;
        pendingOld = -1;
        return free(old, pendingLine);
    }

    @Override
    TraceOp atEnd() {
        return flushPending();
    }

    private void arity(String[] cols, int n, int expected, long at, String text, String form) {
        if (cols.length < n + expected) {
            throw error(at, "'%s' takes %s, not '%s'".formatted(cols[n], form, abbreviate(text)));
        }
    }

    private long size(String text, long at) {
        long size = number(text, at, "size", true);
        if (size < 0) {
            throw error(at, "the size %s is too large".formatted(text));
        }
        return size;
    }
}
