package io.github.alloclab.generate;

import io.github.alloclab.files.InputFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a workload table: requests of {@code minSize..maxSize} bytes (uniform), drawn with relative
 * {@code weight}, living {@code meanLifetime} allocations on average, or forever.
 *
 * <p>The table is a text file, one row per line, {@code #} starting a comment:
 * <pre>
 *  # size     weight   lifetime (allocations; inf = never freed)
 *  16         50       10
 *  24-40      30       200
 *  4096       5        inf
 * </pre>
 *
 * @param minSize      the smallest size of the row
 * @param maxSize      the largest size of the row
 * @param weight       the row's relative frequency, positive
 * @param meanLifetime the mean lifetime in allocations, at least 1; {@link Double#POSITIVE_INFINITY} for blocks
 *                     that are never freed
 */
public record HistogramRow(long minSize, long maxSize, double weight, double meanLifetime) {

    public HistogramRow {
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("a size range must satisfy 0 <= min <= max: %d-%d".formatted(minSize, maxSize));
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("a weight must be a positive number: " + weight);
        }
        if (!(meanLifetime >= 1)) {
            throw new IllegalArgumentException("a lifetime must be at least 1 allocation, or inf: " + meanLifetime);
        }
    }

    /**
     * Reads a table file.
     *
     * @throws IllegalArgumentException naming the file and line of the first malformed row, or if it has none
     * @throws java.io.UncheckedIOException naming the file, if it cannot be read or is not UTF-8 text
     */
    public static List<HistogramRow> read(Path file) {
        return parse(file.getFileName().toString(), InputFiles.readText(file).lines().toList());
    }

    /** Parses the lines of a table; {@code name} is for errors. */
    public static List<HistogramRow> parse(String name, List<String> lines) {
        List<HistogramRow> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            int hash = text.indexOf('#');
            text = (hash >= 0 ? text.substring(0, hash) : text).strip();
            if (text.isEmpty()) {
                continue;
            }
            String where = name + ":" + (i + 1) + ": ";
            String[] f = text.split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException(where + "expected 'size[-size] weight lifetime', not '" + text + "'");
            }
            try {
                String[] range = f[0].split("-", 2);
                long min = Long.parseLong(range[0]);
                long max = range.length == 2 ? Long.parseLong(range[1]) : min;
                double lifetime = f[2].equals("inf") || f[2].equals("-") ? Double.POSITIVE_INFINITY
                        : Double.parseDouble(f[2]);
                rows.add(new HistogramRow(min, max, Double.parseDouble(f[1]), lifetime));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "not a number in '" + text + "'");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(name + ": the table has no rows");
        }
        return rows;
    }
}
