package io.github.alloclab.freespace;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Integers read as malloc.py reads them: its options through Python's {@code optparse} (which takes
 * {@code 0x1f} as hexadecimal, {@code 0b101} as binary and {@code 017} as octal), and its {@code -A} sizes and
 * indices through Python's {@code int()}.
 */
public final class PythonInt {

    private PythonInt() {
    }

    /**
     * {@return an option value as {@code optparse}'s {@code type='int'} reads it}
     *
     * @throws IllegalArgumentException with optparse's wording, naming the option
     */
    public static BigInteger option(String option, String value) {
        String text = value;
        int radix;
        String head = text.length() >= 2 ? text.substring(0, 2).toLowerCase(Locale.ROOT) : text;
        if (head.equals("0x")) {
            radix = 16;
        } else if (head.equals("0b")) {
            radix = 2;
            text = text.length() > 2 ? text.substring(2) : "0";
        } else if (text.startsWith("0")) {
            radix = 8;
        } else {
            radix = 10;
        }
        try {
            return parse(text, radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option %s: invalid integer value: '%s'".formatted(option, value));
        }
    }

    /**
     * {@return {@code text} as Python's {@code int(text, radix)} reads it: surrounding whitespace, a sign, the
     * base's prefix, and single underscores between digits are allowed}
     *
     * @throws NumberFormatException if Python would raise {@code ValueError}
     */
    static BigInteger parse(String text, int radix) {
        String s = text.strip();
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        boolean prefixed = (radix == 16 && lower.startsWith("0x")) || (radix == 8 && lower.startsWith("0o"))
                || (radix == 2 && lower.startsWith("0b"));
        if (prefixed) {
            s = s.substring(2);
            if (s.startsWith("_")) {
                s = s.substring(1);
            }
        }
        if (s.isEmpty() || s.startsWith("_") || s.endsWith("_") || s.contains("__")) {
            throw new NumberFormatException("invalid literal for int() with base %d: '%s'".formatted(radix, text));
        }
        String digits = s.replace("_", "");
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 'z') {
                throw new NumberFormatException("invalid literal for int() with base %d: '%s'".formatted(radix, text));
            }
        }
        BigInteger value = new BigInteger(digits, radix);
        return negative ? value.negate() : value;
    }
}
