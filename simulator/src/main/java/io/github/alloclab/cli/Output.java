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

    /** {@return a fraction as a percentage with one decimal: {@code 78.1%}} */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
