package io.github.alloclab.cli;

import static io.github.alloclab.cli.Columns.left;
import static io.github.alloclab.cli.Columns.right;

import io.github.alloclab.metrics.PerformanceIndex;
import io.github.alloclab.metrics.SizeClassCount;
import io.github.alloclab.replay.ReplayResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints replay results as tables, JSON, CSV or Markdown. */
final class ReplayReport {

    /** The CSV columns, in order; the first nine are those of the first alloclab release. */
    static final String[] CSV_COLUMNS = {"trace", "allocator", "valid", "error", "ops", "opsPerSecond",
            "peakPayloadBytes", "peakFootprintBytes", "utilization", "referenceOpsPerSecond", "performanceIndex",
            "jw1", "jw2", "jw3", "jw4", "internal", "internalBytes", "external", "largestFreeBlock", "freeBlocks",
            "freeBytes", "freeHistogram", "requestedBytes", "allocatedBytes", "activeBytes", "mappedBytes",
            "residentBytes", "residentEstimated", "metadataBytes", "searchStepsMean", "searchStepsMax",
            "searchStepsSampledEvery", "pageFaults", "leakedBlocks", "leakedBytes", "traceWarnings"};

    private static final Columns<ReplayResult> MAIN = new Columns<>(
            left("trace", ReplayResult::trace),
            left("allocator", ReplayResult::allocator),
            left("valid", r -> r.valid() ? "yes" : "NO"),
            right("ops", r -> Output.bytes(r.ops())),
            right("ops/s", r -> Output.rate(r.opsPerSecond())),
            right("glibc ops/s", r -> Output.rate(r.referenceOpsPerSecond())),
            right("util", r -> Output.percent(r.utilization())),
            right("index", r -> r.performanceIndex() == null ? "-" : fixed(r.performanceIndex(), 1)),
            right("steps mean/max", r -> fixed(r.searchSteps().mean(), 1) + " / " + r.searchSteps().max()
                    + (r.searchSteps().sampledEvery() > 1 ? "~" : "")),
            right("leaked", r -> Output.bytes(r.leakedBlocks()) + " (" + Output.size(r.leakedBytes()) + ")"));

    private static final Columns<ReplayResult> FRAGMENTATION = new Columns<>(
            left("trace", ReplayResult::trace),
            left("allocator", ReplayResult::allocator),
            right("jw1 (mean)", r -> Output.excess(r.fragmentation().jw1())),
            right("jw2 (@peak live)", r -> Output.excess(r.fragmentation().jw2())),
            right("jw3 (@peak used)", r -> Output.excess(r.fragmentation().jw3())),
            right("jw4 (max/max)", r -> Output.excess(r.fragmentation().jw4())),
            right("internal", r -> Output.percent(r.fragmentation().internal())),
            right("external", r -> Output.percent(r.fragmentation().external())),
            right("largest free", r -> Output.bytes(r.fragmentation().largestFreeBlock())),
            right("free blocks", r -> Output.bytes(r.fragmentation().freeBlocks())));

    private static final Columns<ReplayResult> BYTES = new Columns<>(
            left("trace", ReplayResult::trace),
            left("allocator", ReplayResult::allocator),
            right("requested", r -> Output.bytes(r.bytes().requested())),
            right("allocated", r -> Output.bytes(r.bytes().allocated())),
            right("active", r -> Output.bytes(r.bytes().active())),
            right("mapped", r -> Output.bytes(r.bytes().mapped())),
            right("resident", r -> Output.bytes(r.bytes().resident()) + (r.bytes().residentEstimated() ? "~" : "")),
            right("metadata", r -> Output.bytes(r.bytes().metadata())),
            right("page faults", r -> Output.bytes(r.pageFaults()) + (r.bytes().residentEstimated() ? "~" : "")));

    private ReplayReport() {
    }

    static void print(List<ReplayResult> results, OutputFormat format, boolean summary, PrintWriter out) {
        switch (format) {
            case json -> out.println(Output.json(results));
            case csv -> out.print(Output.csv(results.stream().map(ReplayReport::csvRow).toList(), CSV_COLUMNS));
            case table, markdown -> {
                boolean md = format == OutputFormat.markdown;
                out.println(md ? MAIN.markdown(results) : MAIN.ascii(results));
                out.println();
                out.println(md ? "Fragmentation (Johnstone & Wilson over time; the rest at the point of peak live memory):\n"
                        : "Fragmentation (Johnstone & Wilson over time; the rest at the point of peak live memory):");
                out.println(md ? FRAGMENTATION.markdown(results) : FRAGMENTATION.ascii(results));
                out.println();
                out.println(md ? "Bytes at the point of peak live memory:\n" : "Bytes at the point of peak live memory:");
                out.println(md ? BYTES.markdown(results) : BYTES.ascii(results));
                if (!summary) {
                    out.println();
                    out.println(md ? "Free blocks at the point of peak live memory, by size class:\n"
                            : "Free blocks at the point of peak live memory, by size class:");
                    for (ReplayResult r : results) {
                        out.println((md ? "- " : "  ") + r.allocator() + " on " + r.trace() + ": "
                                + histogram(r.fragmentation().histogram()));
                    }
                }
                if (summary && results.stream().map(ReplayResult::trace).distinct().count() > 1) {
                    out.println();
                    out.println(md ? "Mean over traces, by allocator:\n" : "Mean over traces, by allocator:");
                    List<Mean> means = means(results);
                    out.println(md ? SUMMARY.markdown(means) : SUMMARY.ascii(means));
                }
                out.println();
                out.println(legend(md));
                for (ReplayResult r : results) {
                    if (!r.valid()) {
                        out.printf("%s on %s: %s%n", r.allocator(), r.trace(), r.error());
                    }
                }
            }
        }
        out.flush();
    }

    private static String legend(boolean md) {
        String text = "util = peak payload / peak footprint; index = CS:APP's 100 (0.6 util + 0.4 min(1, ops/s / glibc "
                + "ops/s)), glibc timed through FFM in this run; jw1..jw4 = Johnstone & Wilson's fragmentation, memory "
                + "used / memory live - 1; ~ = estimated or sampled. Every formula: docs/fragmentation.md.";
        return md ? "_" + text + "_" : text;
    }

    static String histogram(List<SizeClassCount> histogram) {
        if (histogram.isEmpty()) {
            return "none";
        }
        return histogram.stream().map(c -> "[%s, %s): %d (%s)".formatted(Output.size(c.fromBytes()),
                Output.size(c.toBytes()), c.blocks(), Output.size(c.bytes()))).collect(Collectors.joining(", "));
    }

    private static Object[] csvRow(ReplayResult r) {
        var f = r.fragmentation();
        var b = r.bytes();
        var s = r.searchSteps();
        String hist = f.histogram().stream().map(c -> c.fromBytes() + "-" + c.toBytes() + ":" + c.blocks() + ":" + c.bytes())
                .collect(Collectors.joining(";"));
        return new Object[] {r.trace(), r.allocator(), r.valid(), r.error() == null ? "" : r.error(), r.ops(),
                Math.round(r.opsPerSecond()), r.peakPayloadBytes(), r.peakFootprintBytes(), fixed(r.utilization(), 6),
                Math.round(r.referenceOpsPerSecond()), r.performanceIndex() == null ? "" : fixed(r.performanceIndex(), 3),
                fixed(f.jw1(), 6), fixed(f.jw2(), 6), fixed(f.jw3(), 6), fixed(f.jw4(), 6),
                fixed(f.internal(), 6), f.internalBytes(), fixed(f.external(), 6), f.largestFreeBlock(),
                f.freeBlocks(), f.freeBytes(), hist, b.requested(), b.allocated(), b.active(), b.mapped(),
                b.resident(), b.residentEstimated(), b.metadata(), fixed(s.mean(), 3), s.max(), s.sampledEvery(),
                r.pageFaults(), r.leakedBlocks(), r.leakedBytes(), r.traceWarnings()};
    }

    private static String fixed(Double value, int decimals) {
        return value == null ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /**
     * One allocator's results over the traces it replayed. The index follows CS:APP's {@code mdriver}: mean
     * utilisation, and throughput as total operations over total time, for the allocator and for glibc.
     */
    private record Mean(String allocator, int traces, int valid, double utilization, double opsPerSecond,
                        Double index) {
    }

    private static final Columns<Mean> SUMMARY = new Columns<>(
            left("allocator", Mean::allocator),
            right("valid", m -> m.valid() + "/" + m.traces()),
            right("mean util", m -> Output.percent(m.utilization())),
            right("ops/s", m -> Output.rate(m.opsPerSecond())),
            right("index", m -> m.index() == null ? "-" : fixed(m.index(), 1)));

    private static List<Mean> means(List<ReplayResult> results) {
        Map<String, List<ReplayResult>> byAllocator = new LinkedHashMap<>();
        for (ReplayResult r : results) {
            byAllocator.computeIfAbsent(r.allocator(), k -> new ArrayList<>()).add(r);
        }
        List<Mean> means = new ArrayList<>();
        byAllocator.forEach((name, rs) -> {
            double util = rs.stream().mapToDouble(ReplayResult::utilization).average().orElse(0);
            double throughput = overallRate(rs, false);
            double reference = overallRate(rs, true);
            means.add(new Mean(name, rs.size(), (int) rs.stream().filter(ReplayResult::valid).count(), util,
                    throughput, PerformanceIndex.of(util, throughput, reference)));
        });
        return means;
    }

    /** {@return total operations over total seconds, or 0 if any trace was not timed} */
    private static double overallRate(List<ReplayResult> rs, boolean reference) {
        double ops = 0;
        double seconds = 0;
        for (ReplayResult r : rs) {
            double rate = reference ? r.referenceOpsPerSecond() : r.opsPerSecond();
            if (!(rate > 0)) {
                return 0;
            }
            ops += r.ops();
            seconds += r.ops() / rate;
        }
        return seconds == 0 ? 0 : ops / seconds;
    }
}
