package io.github.alloclab.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shrinks the SVG that XChart writes through VectorGraphics2D, without changing what it draws.
 *
 * <p>XChart draws a series as one {@code <line>} per segment, each with its full style: a thousand-point plot
 * with five series is 5,000 elements and most of a megabyte. Consecutive {@code <line>}s with the same style
 * become one {@code <path>} here, a polyline where each segment starts at the last one's end (as a series'
 * segments do) and a new subpath ({@code M}) where it does not. Coordinates are rounded to one decimal
 * (VectorGraphics2D writes seventeen digits), a tenth of a pixel at the plot's size.
 */
final class SvgCompactor {

    private static final Pattern LINE = Pattern.compile(
            "<line style=\"([^\"]*)\" x1=\"([^\"]*)\" x2=\"([^\"]*)\" y1=\"([^\"]*)\" y2=\"([^\"]*)\"/>");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d{2,}");
    private static final Pattern PROLOGUE = Pattern.compile("(?s)^.*?(?=<svg)");

    private SvgCompactor() {
    }

    /** {@return {@code svg} with its XML prologue and doctype removed, rounded, and its lines joined} */
    static String compact(String svg) {
        String rounded = DECIMAL.matcher(PROLOGUE.matcher(svg).replaceFirst(""))
                .replaceAll(m -> Html.coordinate(Double.parseDouble(m.group())));
        StringBuilder out = new StringBuilder(rounded.length() / 2);
        StringBuilder d = new StringBuilder();
        String style = null;
        String endX = null;
        String endY = null;
        int last = 0;
        Matcher m = LINE.matcher(rounded);
        while (m.find()) {
            boolean adjacent = style != null && rounded.substring(last, m.start()).isBlank();
            if (!adjacent || !m.group(1).equals(style)) {
                flush(out, style, d);
                out.append(rounded, last, m.start());
                style = m.group(1);
                endX = null;
            }
            if (!m.group(2).equals(endX) || !m.group(4).equals(endY)) {
                d.append(d.isEmpty() ? "" : " ").append('M').append(m.group(2)).append(',').append(m.group(4));
            }
            d.append(" L").append(m.group(3)).append(',').append(m.group(5));
            endX = m.group(3);
            endY = m.group(5);
            last = m.end();
        }
        flush(out, style, d);
        out.append(rounded, last, rounded.length());
        return out.toString().replace("\n  ", "\n");
    }

    private static void flush(StringBuilder out, String style, StringBuilder d) {
        if (style != null && !d.isEmpty()) {
            out.append("<path style=\"").append(style).append("\" d=\"").append(d).append("\"/>\n");
        }
        d.setLength(0);
    }
}
