package io.github.alloclab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** JSON, CSV and number formatting shared by the commands. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final CsvMapper CSV = new CsvMapper();

    private Output() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return CSV with a header row; each row holds one value per column, in order} */
    static String csv(List<Object[]> rows, String... columns) {
        CsvSchema.Builder schema = CsvSchema.builder();
        for (String column : columns) {
            schema.addColumn(column);
        }
        try {
            return CSV.writer(schema.build().withHeader()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return a byte count with thousands separators: {@code 2,422,252}} */
    static String bytes(long byteCount) {
        return String.format(Locale.ROOT, "%,d", byteCount);
    }

    /** {@return a rate with an SI suffix: {@code 12.3M}, {@code 850K}} */
    static String rate(double perSecond) {
        if (perSecond <= 0) {
            return "-";
        }
        if (perSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.2fG", perSecond / 1e9);
        }
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fK", perSecond / 1e3);
    }

    /** {@return a byte count with a binary unit: {@code 512 B}, {@code 4 KiB}, {@code 1.5 MiB}} */
    static String size(long byteCount) {
        if (byteCount < 1024) {
            return byteCount + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = byteCount;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value)) + " " + units[unit];
    }

    /** {@return a relative excess as a percentage, {@code +12.5%}, or {@code -} when undefined} */
    static String excess(Double fraction) {
        return fraction == null ? "-" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** {@return a fraction as a percentage with one decimal: {@code 78.1%}} */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
