package io.github.alloclab.trace;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The trace formats alloclab reads and writes. The names are those {@code --trace-format} and
 * {@code convert --to} take.
 *
 * <pre>
 *  rep      CS:APP malloclab .rep: heap size, ids, ops, weight; then 'a id bytes' / 'r id bytes' / 'f id'
 *  rep213   the CMU 15-213 variant of .rep: weight (0..3), ids, ops, peak bytes; then the same lines
 *  mtrace   glibc's mtrace(3) log: '@ caller + 0xaddr 0xsize', '- 0xaddr', '&lt; 0xold' / '&gt; 0xnew 0xsize'
 *  ltrace   ltrace-style calls, as villoc reads them: 'malloc(16) = 0x...', 'free(0x...)', ...
 * </pre>
 */
public enum TraceFormat {
    /** CS:APP malloclab {@code .rep}, with the classic header: suggested heap size, ids, ops, weight. */
    rep,
    /** The CMU 15-213 {@code .rep} variant: weight first, then ids, ops and peak payload bytes. */
    rep213,
    /** A glibc {@code mtrace} log. */
    mtrace,
    /** ltrace-style call lines. */
    ltrace;

    /** How many bytes detection may look at. */
    static final int SNIFF_BYTES = 64 * 1024;
    private static final int SNIFF_LINES = 200;

    /** {@return a reader of {@code input} in this format} */
    public TraceReader reader(String name, InputStream input) {
        return switch (this) {
            case rep -> new RepTraceReader(name, input, RepTraceReader.Variant.CLASSIC);
            case rep213 -> new RepTraceReader(name, input, RepTraceReader.Variant.CMU_15_213);
            case mtrace -> new MtraceReader(name, input);
            case ltrace -> new LtraceReader(name, input);
        };
    }

    /**
     * Tells the format of a trace from its first lines (at most 64 KiB), then rewinds.
     *
     * <ul>
     *   <li>The first non-blank line is a number: {@code .rep}. If the first header number is a 15-213 weight
     *       (0..3) and the fourth is larger than any weight, the 15-213 variant; otherwise the classic one,
     *       whose fourth number is the weight. (A classic trace with a heap size of 0..3 and a 15-213 trace
     *       with peak bytes of 0..3 look alike; {@code --trace-format} decides those.)</li>
     *   <li>A line {@code = Start}, or a line that starts with {@code @ caller} or with an mtrace operator
     *       ({@code + - < > !}) followed by an address: {@code mtrace}.</li>
     *   <li>A line that is a call of {@code malloc}, {@code calloc}, {@code realloc}, {@code free} or a
     *       {@code memalign} function: {@code ltrace}.</li>
     * </ul>
     *
     * @param input a stream that supports {@code mark}; it is reset to where it was
     * @throws TraceFormatException if none of these fits
     */
    public static TraceFormat detect(String name, BufferedInputStream input) {
        List<String> lines = new ArrayList<>();
        input.mark(SNIFF_BYTES);
        try {
            byte[] head = input.readNBytes(SNIFF_BYTES);
            input.reset();
            BufferedReader text = new BufferedReader(new InputStreamReader(
                    new java.io.ByteArrayInputStream(head), StandardCharsets.UTF_8));
            String line;
            while (lines.size() < SNIFF_LINES && (line = text.readLine()) != null) {
                lines.add(line.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
        List<String> nonBlank = lines.stream().filter(l -> !l.isEmpty()).toList();
        if (nonBlank.isEmpty()) {
            throw new TraceFormatException(name, 1, "the trace is empty: there is nothing to tell its format from");
        }
        if (nonBlank.getFirst().matches("\\d+")) {
            List<Long> header = nonBlank.stream().limit(4).takeWhile(l -> l.matches("\\d{1,18}"))
                    .map(Long::parseLong).toList();
            if (header.size() == 4 && header.get(0) <= 3 && header.get(3) > 3) {
                return rep213;
            }
            return rep;
        }
        for (String line : nonBlank) {
            if (MtraceReader.looksLikeMtrace(line)) {
                return mtrace;
            }
            if (LtraceReader.looksLikeLtrace(line)) {
                return ltrace;
            }
        }
        throw new TraceFormatException(name, 1, "cannot tell the trace's format from its first lines: expected a "
                + "CS:APP .rep header (a number), a glibc mtrace log ('= Start', '@ caller + 0xaddr 0xsize') or "
                + "ltrace lines ('malloc(16) = 0x...'); name it with --trace-format rep|rep213|mtrace|ltrace");
    }
}
