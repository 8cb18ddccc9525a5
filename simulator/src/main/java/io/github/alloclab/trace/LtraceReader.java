package io.github.alloclab.trace;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads ltrace-style call lines, as villoc reads them (and as {@code alloclab record}'s interposer writes
 * them).
 *
 * <pre>
 *  malloc(16) = 0x5555555592a0
 *  calloc(4, 8) = 0x5555555592c0                    size 4 * 8
 *  realloc(0x5555555592a0, 32) = 0x5555555592f0
 *  free(0x5555555592c0) = &lt;void&gt;                    "= &lt;void&gt;" may be left out
 *  memalign(64, 100) = 0x555555559340               also aligned_alloc, valloc, pvalloc, reallocarray
 *  1234 malloc(8) = 0x...                           "ltrace -f": a pid first (or "[pid 1234] ")
 *  libfoo.so->malloc(8) = 0x...                     "ltrace -e": the calling library first
 *  malloc(8 &lt;unfinished ...&gt;                         a call interrupted by another thread's...
 *  &lt;... malloc resumed&gt; ) = 0x...                    ...completes later
 * </pre>
 *
 * Numbers are decimal or {@code 0x} hexadecimal; {@code (nil)}, {@code nil} and {@code <void>} are 0. Lines
 * that are not calls of these functions are skipped, since ltrace output interleaves with the program's own;
 * a call of one of them with arguments that do not parse is a {@link TraceFormatException}. An alignment is
 * not kept: a {@code memalign} replays as a {@code malloc} of its size. {@code posix_memalign} returns its
 * block through memory ltrace does not show, so it is skipped with a warning.
 */
public final class LtraceReader extends AddressTraceReader {

    private static final Set<String> CALLS = Set.of("malloc", "calloc", "realloc", "reallocarray", "free",
            "memalign", "aligned_alloc", "valloc", "pvalloc", "posix_memalign");
    private static final Pattern PID = Pattern.compile("^(?:\\[pid (\\d+)]|(\\d+))\\s+");
    private static final Pattern CALL = Pattern.compile(
            "^(?:[\\w.+@-]+->)?(\\w+)\\((.*?)\\)(?:\\s*=\\s*(\\S+).*)?$");
    private static final Pattern UNFINISHED = Pattern.compile("^(?:[\\w.+@-]+->)?(\\w+)\\((.*?)\\s*<unfinished \\.\\.\\.>$");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. (\\w+) resumed>\\s*(.*)\\)\\s*=\\s*(\\S+).*$");
    private static final Pattern LOOKS_LIKE = Pattern.compile(
            "^(?:[\\w.+@-]+->)?(malloc|calloc|realloc|reallocarray|free|memalign|aligned_alloc|valloc|pvalloc"
                    + "|posix_memalign)\\(.*");

    /** Arguments of calls left unfinished, by pid and function. */
    private final Map<String, String> unfinished = new HashMap<>();

    public LtraceReader(String name, InputStream input) {
        super(name, input);
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.ltrace;
    }

    static boolean looksLikeLtrace(String line) {
        return LOOKS_LIKE.matcher(PID.matcher(line).replaceFirst("")).matches();
    }

    @Override
    void parse(String text, long at) {
        String pid = "";
        Matcher p = PID.matcher(text);
        if (p.find()) {
            pid = p.group(1) != null ? p.group(1) : p.group(2);
            text = text.substring(p.end());
        }
        Matcher u = UNFINISHED.matcher(text);
        if (u.matches()) {
            if (CALLS.contains(u.group(1))) {
                unfinished.put(pid + " " + u.group(1), u.group(2));
            }
            return;
        }
        Matcher r = RESUMED.matcher(text);
        if (r.matches()) {
            String start = unfinished.remove(pid + " " + r.group(1));
            if (start != null) {
                String rest = r.group(2).strip();
                String args = rest.isEmpty() ? start
                        : start + (rest.startsWith(",") || start.strip().endsWith(",") ? " " : ", ") + rest;
                call(r.group(1), args, r.group(3), at);
            }
            return;
        }
        if (text.contains("<no return ...>")) {
            return;
        }
        Matcher c = CALL.matcher(text);
        if (c.matches() && CALLS.contains(c.group(1))) {
            call(c.group(1), c.group(2), c.group(3), at);
        }
    }

    private void call(String function, String argText, String result, long at) {
        String[] args = argText.isBlank() ? new String[0] : argText.split(",");
        if (result == null && !function.equals("free")) {
            warn(at, "%s(%s) has no result; skipped".formatted(function, argText));
            return;
        }
        long address = result == null ? 0 : number(result, at, "result of " + function, false);
        switch (function) {
            case "malloc", "valloc", "pvalloc" -> emit(malloc(address, size(args, 0, 1, function, at), at));
            case "calloc" -> {
                long count = size(args, 0, 2, function, at);
                long each = size(args, 1, 2, function, at);
                emit(malloc(address, product(count, each, at), at));
            }
            case "memalign", "aligned_alloc" -> emit(malloc(address, size(args, 1, 2, function, at), at));
            case "realloc" -> emit(realloc(pointer(args, 0, 2, function, at), address,
                    size(args, 1, 2, function, at), at));
            case "reallocarray" -> emit(realloc(pointer(args, 0, 3, function, at), address,
                    product(size(args, 1, 3, function, at), size(args, 2, 3, function, at), at), at));
            case "free" -> emit(free(pointer(args, 0, 1, function, at), at));
            case "posix_memalign" -> warn(at, "posix_memalign returns its block through a pointer ltrace does "
                    + "not show; skipped");
            default -> throw new IllegalStateException(function);
        }
    }

    private long pointer(String[] args, int index, int arity, String function, long at) {
        checkArity(args, arity, function, at);
        return number(args[index], at, "pointer", false);
    }

    private long size(String[] args, int index, int arity, String function, long at) {
        checkArity(args, arity, function, at);
        long size = number(args[index], at, "size", false);
        if (size < 0) {
            throw error(at, "the size of %s should not be negative: %s".formatted(function, args[index].strip()));
        }
        return size;
    }

    private void checkArity(String[] args, int arity, String function, long at) {
        if (args.length != arity) {
            throw error(at, "%s takes %d argument%s, not %d: '%s(%s)'".formatted(function, arity,
                    arity == 1 ? "" : "s", args.length, function, abbreviate(String.join(",", args))));
        }
    }

    private long product(long count, long each, long at) {
        if (Math.multiplyHigh(count, each) != 0 || count * each < 0) {
            throw error(at, "the size %d * %d overflows".formatted(count, each));
        }
        return count * each;
    }
}
