package io.github.alloclab.report;

import java.util.Locale;

/** Escaping and number formatting for the report's HTML and SVG. */
final class Html {

    private Html() {
    }

    /** {@return {@code text} safe inside an element or a double-quoted attribute} */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@return a coordinate with at most one decimal, without a trailing {@code .0}} */
    static String coordinate(double value) {
        long tenths = Math.round(value * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10)
                : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }

    /** {@return a byte count with thousands separators: {@code 2,422,252 B}} */
    static String bytes(long byteCount) {
        return String.format(Locale.ROOT, "%,d B", byteCount);
    }

    /** {@return a count with thousands separators} */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@return a byte count with a binary unit: {@code 512 B}, {@code 4.0 KiB}, {@code 1.5 MiB}} */
    static String size(long byteCount) {
        if (byteCount < 1024) {
            return byteCount + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = byteCount / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@return a fraction as a percentage with one decimal} */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** {@return an address in hexadecimal, {@code 0x5555555592a0}} */
    static String address(long address) {
        return "0x" + Long.toHexString(address);
    }
}
