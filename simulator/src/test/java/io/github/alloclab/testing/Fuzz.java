package io.github.alloclab.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quicktheories.core.Gen;
import org.opentest4j.AssertionFailedError;

/**
 * What the parser fuzz properties ({@code *FuzzProperties}) share: how many examples to run, random text,
 * mutations of real samples, and the check that a parser ends in time with nothing but its typed error.
 *
 * <p>A normal build runs each property's fast, fixed-seed count. A longer run sets
 * {@code -Dalloclab.fuzz.examples=N} (and optionally {@code -Dalloclab.fuzz.seed=S} for other inputs); see
 * {@code docs/testing.md}.
 *
 * <p>A text mutation is a list of {@link Edit}s, applied in order to the sample's lines. Each edit is a few
 * small integers, so QuickTheories shrinks a failure towards fewer, simpler edits; the failure message shows
 * the mutated text itself.
 */
public final class Fuzz {

    /** The longest one input may take: a parser that loops or backtracks without bound fails here. */
    public static final Duration DEADLINE = Duration.ofSeconds(Long.getLong("alloclab.fuzz.deadline.seconds", 5));

    /** Numbers that break parsers: zero, negatives, the edges of int and long, and past them. */
    public static final List<String> EDGE_NUMBERS = List.of("0", "-1", "1", "-0", "1000000000", "2147483646", "2147483647", "2147483648",
            "4294967295", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "18446744073709551615", "18446744073709551616", "99999999999999999999999999",
            "0x0", "0xffffffffffffffff", "0x10000000000000000", "0x7fffffffffffffff", "0x8000000000000000",
            "00000000000000000000000000000001", "1e9", "1_000", "+5", "0b101", "007", "-4096");

    /** Tokens that mean something to one of the parsers, or to none. */
    public static final List<String> JUNK = List.of("", " ", "\t", "\r", "a", "r", "f", "@", "+", "-", "<", ">",
            "!", "=", "= Start", "(nil)", "nil", "<void>", "0x", "(", ")", ",", ";", "{", "}", "[", "]", "*", "&",
            "/*", "*/", "//", "\"", "'", "\\", "#", "int", "char", "long", "void", "return", "while", "for", "if",
            "else", "main", "sizeof", "malloc(", "free(", "realloc(", "calloc(", ") = ", "<unfinished ...>",
            "<... malloc resumed>", "[pid 1]", "1234", "libc.so->", "\u0000", "\u00e9", "\uffff", "\ud800",
            "\u2028", "+20", "-0", "+", ",,", "+-1");

    private static final Pattern NUMBER = Pattern.compile("-?(?:0[xX][0-9a-fA-F]+|\\d+)");

    private Fuzz() {
    }

    /** {@return the examples a property runs: {@code fast} in a normal build, or {@code -Dalloclab.fuzz.examples}} */
    public static int examples(int fast) {
        return Integer.getInteger("alloclab.fuzz.examples", fast);
    }

    /** {@return the fixed seed of a property, or the one {@code -Dalloclab.fuzz.seed} gives, mixed with it} */
    public static long seed(long fixed) {
        Long override = Long.getLong("alloclab.fuzz.seed");
        return override == null ? fixed : fixed * 31 + override;
    }

    /**
     * Runs {@code parse} on {@code input} within {@link #DEADLINE}. Success and an exception that
     * {@code typed} accepts pass; any other exception, or running past the deadline, fails with the input.
     */
    public static void expectOnlyTyped(String input, Predicate<Throwable> typed, Runnable parse) {
        try {
            assertTimeoutPreemptively(DEADLINE, () -> {
                try {
                    parse.run();
                } catch (Throwable e) {
                    if (!typed.test(e)) {
                        throw new AssertionFailedError("unexpected " + e + "\n--- input ---\n" + show(input)
                                + "\n--- end ---", e);
                    }
                }
            });
        } catch (AssertionFailedError e) {
            if (e.getMessage() != null && e.getMessage().startsWith("unexpected ")) {
                throw e;
            }
            throw new AssertionFailedError(e.getMessage() + "\n--- input ---\n" + show(input) + "\n--- end ---", e);
        }
    }

    /** {@return the input as a Java string literal would show it, so that control characters are seen} */
    public static String show(String input) {
        StringBuilder b = new StringBuilder();
        for (char c : input.toCharArray()) {
            if (c == '\n') {
                b.append("\\n\n");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !Character.isLetterOrDigit(c))) {
                b.append("\\u%04x".formatted((int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---- edits of text ------------------------------------------------------------------------------------

    /** The kinds of {@link Edit}. */
    public enum Kind {
        FLIP_BIT, TRUNCATE, DUPLICATE_LINE, DELETE_LINE, EDGE_NUMBER, INSERT_JUNK, SWAP_LINES, INSERT_CHAR
    }

    /**
     * One change to text: {@code kind} at line {@code line} and character {@code at} (both modulo what is
     * there), with {@code value} choosing the bit, edge number, junk token or character.
     */
    public record Edit(Kind kind, int line, int at, int value) {
    }

    /** {@return edits, the simplest ({@code FLIP_BIT} at 0) first when shrunk} */
    public static Gen<Edit> edits() {
        return integers().between(0, Kind.values().length - 1).zip(integers().between(0, 400),
                integers().between(0, 200), integers().between(0, 255),
                (k, line, at, value) -> new Edit(Kind.values()[k], line, at, value));
    }

    /** {@return one to {@code most} edits} */
    public static Gen<List<Edit>> editLists(int most) {
        return lists().of(edits()).ofSizeBetween(1, most);
    }

    /** {@return {@code text} with the edits applied in order} */
    public static String mutate(String text, List<Edit> edits) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        for (Edit e : edits) {
            if (lines.isEmpty()) {
                lines.add("");
            }
            int i = e.line() % lines.size();
            String l = lines.get(i);
            switch (e.kind()) {
                case FLIP_BIT -> {
                    if (!l.isEmpty()) {
                        int at = e.at() % l.length();
                        char flipped = (char) (l.charAt(at) ^ (1 << (e.value() % 8)));
                        lines.set(i, l.substring(0, at) + flipped + l.substring(at + 1));
                    }
                }
                case TRUNCATE -> {
                    // Cut the text inside line i: that line is cut at 'at', the lines after it go.
                    lines.set(i, l.substring(0, Math.min(l.length(), e.at())));
                    lines.subList(i + 1, lines.size()).clear();
                }
                case DUPLICATE_LINE -> lines.add(i, l);
                case DELETE_LINE -> lines.remove(i);
                case EDGE_NUMBER -> lines.set(i, replaceNumber(l, e.at(), EDGE_NUMBERS.get(e.value() % EDGE_NUMBERS.size())));
                case INSERT_JUNK -> {
                    int at = e.at() % (l.length() + 1);
                    String junk = JUNK.get(e.value() % JUNK.size());
                    lines.set(i, l.substring(0, at) + junk + l.substring(at));
                }
                case SWAP_LINES -> {
                    int j = (e.at() + e.value()) % lines.size();
                    lines.set(i, lines.get(j));
                    lines.set(j, l);
                }
                case INSERT_CHAR -> {
                    int at = e.at() % (l.length() + 1);
                    lines.set(i, l.substring(0, at) + (char) e.value() + l.substring(at));
                }
            }
        }
        return String.join("\n", lines);
    }

    /** Replaces the {@code which}-th number of the line (modulo their count), or appends one if there is none. */
    private static String replaceNumber(String line, int which, String number) {
        Matcher m = NUMBER.matcher(line);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return line + " " + number;
        }
        int[] s = spans.get(which % spans.size());
        return line.substring(0, s[0]) + number + line.substring(s[1]);
    }

    /** {@return random text of up to {@code most} characters, drawn mostly from {@code alphabet}} */
    public static Gen<String> randomText(String alphabet, int most) {
        return lists().of(integers().between(0, alphabet.length() + 15)).ofSizeBetween(0, most).map(codes -> {
            StringBuilder b = new StringBuilder();
            for (int c : codes) {
                // Past the alphabet: a few characters that no alphabet here has.
                b.append(c < alphabet.length() ? alphabet.charAt(c) : "\n\u0000\u00e9\uffff\ud800 \t\r-+0x9()<>".charAt(c - alphabet.length()));
            }
            return b.toString();
        });
    }

    /** {@return the first {@code lines} lines of {@code text}} */
    public static String head(String text, int lines) {
        return String.join("\n", Arrays.asList(text.split("\n", -1)).subList(0, Math.min(lines, text.split("\n", -1).length)));
    }
}
