package io.github.alloclab.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.github.alloclab.replay.ReplayResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Prints replay results as a table, JSON or CSV. */
final class ReplayReport {

    private ReplayReport() {
    }

    static void print(List<ReplayResult> results, OutputFormat format, boolean summary, PrintWriter out) {
        switch (format) {
            case json -> out.println(Output.json(results));
            case csv -> out.print(Output.csv(results.stream().map(ReplayReport::csvRow).toList(),
                    "trace", "allocator", "valid", "error", "ops", "opsPerSecond", "peakPayloadBytes",
                    "peakFootprintBytes", "utilization", "searchSteps", "peakRssBytes", "minorFaults"));
            case table -> {
                out.println(table(results));
                if (summary && results.stream().map(ReplayResult::trace).distinct().count() > 1) {
                    out.println();
                    out.println("Mean over traces, by allocator:");
                    out.println(summaryTable(results));
                }
                for (ReplayResult r : results) {
                    if (!r.valid()) {
                        out.printf("%s on %s: %s%n", r.allocator(), r.trace(), r.error());
                    }
                }
            }
        }
        out.flush();
    }

    private static Object[] csvRow(ReplayResult r) {
        return new Object[] {r.trace(), r.allocator(), r.valid(), r.error() == null ? "" : r.error(), r.ops(),
                Math.round(r.opsPerSecond()), r.peakPayloadBytes(), r.peakFootprintBytes(),
                String.format(Locale.ROOT, "%.6f", r.utilization()), String.format(Locale.ROOT, "%.3f", r.searchSteps()),
                r.peakRssBytes(), r.minorFaults()};
    }

    private static String table(List<ReplayResult> results) {
        List<com.github.freva.asciitable.ColumnData<ReplayResult>> columns = new ArrayList<>(List.of(
                left("trace", ReplayResult::trace),
                left("allocator", ReplayResult::allocator),
                left("valid", r -> r.valid() ? "yes" : "NO"),
                right("ops", r -> Output.bytes(r.ops())),
                right("ops/s", r -> Output.rate(r.opsPerSecond())),
                right("peak payload", r -> Output.bytes(r.peakPayloadBytes())),
                right("peak footprint", r -> Output.bytes(r.peakFootprintBytes())),
                right("util", r -> Output.percent(r.utilization())),
                right("steps/alloc", r -> String.format(Locale.ROOT, "%.1f", r.searchSteps()))));
        if (results.stream().anyMatch(ReplayResult::paged)) {
            columns.add(right("peak RSS", r -> r.paged() ? Output.bytes(r.peakRssBytes()) : "-"));
            columns.add(right("page faults", r -> r.paged() ? Output.bytes(r.minorFaults()) : "-"));
        }
        return AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, results, columns);
    }

    /** One allocator's means over the traces it replayed. */
    private record Mean(String allocator, int traces, int valid, double utilization, double opsPerSecond) {
    }

    private static String summaryTable(List<ReplayResult> results) {
        Map<String, List<ReplayResult>> byAllocator = new LinkedHashMap<>();
        for (ReplayResult r : results) {
            byAllocator.computeIfAbsent(r.allocator(), k -> new ArrayList<>()).add(r);
        }
        List<Mean> means = byAllocator.entrySet().stream().map(e -> new Mean(e.getKey(), e.getValue().size(),
                (int) e.getValue().stream().filter(ReplayResult::valid).count(),
                e.getValue().stream().mapToDouble(ReplayResult::utilization).average().orElse(0),
                e.getValue().stream().mapToDouble(ReplayResult::opsPerSecond).average().orElse(0))).toList();
        return AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, means, List.of(
                new Column().header("allocator").dataAlign(HorizontalAlign.LEFT).with(Mean::allocator),
                new Column().header("valid").dataAlign(HorizontalAlign.RIGHT).with(m -> m.valid() + "/" + m.traces()),
                new Column().header("mean util").dataAlign(HorizontalAlign.RIGHT)
                        .with(m -> Output.percent(m.utilization())),
                new Column().header("mean ops/s").dataAlign(HorizontalAlign.RIGHT)
                        .with(m -> Output.rate(m.opsPerSecond()))));
    }

    private static com.github.freva.asciitable.ColumnData<ReplayResult> left(String header,
                                                                              Function<ReplayResult, String> f) {
        return new Column().header(header).dataAlign(HorizontalAlign.LEFT).with(f);
    }

    private static com.github.freva.asciitable.ColumnData<ReplayResult> right(String header,
                                                                               Function<ReplayResult, String> f) {
        return new Column().header(header).headerAlign(HorizontalAlign.RIGHT).dataAlign(HorizontalAlign.RIGHT).with(f);
    }
}
