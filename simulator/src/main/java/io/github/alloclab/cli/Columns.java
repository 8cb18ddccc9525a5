package io.github.alloclab.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.ColumnData;
import com.github.freva.asciitable.HorizontalAlign;
import java.util.List;
import java.util.function.Function;

/** Columns of a report, printed as an ASCII table or a Markdown table from the same definition. */
final class Columns<T> {

    /** One column: its header, whether it is right-aligned (numbers), and how a row shows in it. */
    record Col<T>(String header, boolean right, Function<T, String> value) {
    }

    private final List<Col<T>> columns;

    @SafeVarargs
    Columns(Col<T>... columns) {
        this.columns = List.of(columns);
    }

    static <T> Col<T> left(String header, Function<T, String> value) {
        return new Col<>(header, false, value);
    }

    static <T> Col<T> right(String header, Function<T, String> value) {
        return new Col<>(header, true, value);
    }

    String ascii(List<T> rows) {
        List<ColumnData<T>> data = columns.stream().map(c -> new Column().header(c.header())
                .headerAlign(c.right() ? HorizontalAlign.RIGHT : HorizontalAlign.LEFT)
                .dataAlign(c.right() ? HorizontalAlign.RIGHT : HorizontalAlign.LEFT)
                .with(c.value())).toList();
        return AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, rows, data);
    }

    String markdown(List<T> rows) {
        StringBuilder b = new StringBuilder();
        b.append('|');
        columns.forEach(c -> b.append(' ').append(escape(c.header())).append(" |"));
        b.append("\n|");
        columns.forEach(c -> b.append(c.right() ? " ---: |" : " --- |"));
        b.append('\n');
        for (T row : rows) {
            b.append('|');
            columns.forEach(c -> b.append(' ').append(escape(c.value().apply(row))).append(" |"));
            b.append('\n');
        }
        return b.toString();
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
