package io.github.alloclab.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.regex.Matcher;

/**
 * A writer that hides answers: it holds text back until a line is complete, replaces what the
 * {@link QuizMixin.Mask masks} pick out of it with {@value QuizMixin#HIDDEN}, and passes it on.
 */
final class MaskingWriter extends Writer {

    private final PrintWriter out;
    private final List<QuizMixin.Mask> masks;
    private final StringBuilder line = new StringBuilder();

    MaskingWriter(PrintWriter out, List<QuizMixin.Mask> masks) {
        this.out = out;
        this.masks = List.copyOf(masks);
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            line.append(chars[i]);
            if (chars[i] == '\n') {
                out.write(mask(line.toString(), masks));
                line.setLength(0);
            }
        }
    }

    /** Passes on what is held, masked, then flushes: a prompt without a newline is shown before a pause. */
    @Override
    public void flush() {
        if (!line.isEmpty()) {
            out.write(mask(line.toString(), masks));
            line.setLength(0);
        }
        out.flush();
    }

    @Override
    public void close() {
        flush();
    }

    /** {@return {@code text} with every capturing group of every match of each mask replaced} */
    static String mask(String text, List<QuizMixin.Mask> masks) {
        String result = text;
        for (QuizMixin.Mask mask : masks) {
            Matcher m = mask.pattern().matcher(result);
            StringBuilder masked = new StringBuilder(result.length());
            int copied = 0;
            while (m.find()) {
                for (int g = 1; g <= m.groupCount(); g++) {
                    if (m.start(g) < 0 || m.start(g) < copied) {
                        continue;
                    }
                    masked.append(result, copied, m.start(g));
                    int width = m.end(g) - m.start(g);
                    masked.append(mask.keepWidth() && width > 1 ? " ".repeat(width - 1) : "").append(QuizMixin.HIDDEN);
                    copied = m.end(g);
                }
            }
            result = masked.append(result, copied, result.length()).toString();
        }
        return result;
    }
}
