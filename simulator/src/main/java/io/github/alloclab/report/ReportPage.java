package io.github.alloclab.report;

import io.github.alloclab.replay.ReplayResult;
import java.util.List;

/**
 * The report as one self-contained HTML page: inline CSS, inline SVG, no script, nothing fetched. It reads on a
 * machine with no network, and prints.
 *
 * <p>The page has a summary (a table and a utilisation bar chart), then a section per trace: the heaps of every
 * allocator side by side, one timeline row per sampled operation aligned across them, and the trace's two
 * plots. Element classes are stable, for tests and for anyone who styles the page: {@code section.trace},
 * {@code figure.panel[data-allocator]}, {@code svg.timeline g.row[data-op]}, {@code figure.plot}.
 */
public final class ReportPage {

    /** The timelines' total height, about: rows get {@code TIMELINE_HEIGHT / rows} pixels, within limits. */
    static final double TIMELINE_HEIGHT = 760;
    static final double MIN_ROW_HEIGHT = 3;
    static final double MAX_ROW_HEIGHT = 18;
    private static final double LABEL_WIDTH = 190;

    private final List<TraceReport> traces;
    private final List<String> allocators;
    private final ReportPlots plots;

    /** A page for {@code traces}, each replayed on {@code allocators}, with {@code plots} drawn from them. */
    public ReportPage(List<TraceReport> traces, List<String> allocators, ReportPlots plots) {
        this.traces = List.copyOf(traces);
        this.allocators = List.copyOf(allocators);
        this.plots = plots;
    }

    /** {@return the whole page} */
    public String html() {
        StringBuilder html = new StringBuilder(1 << 20);
        String names = String.join(", ", traces.stream().map(TraceReport::name).toList());
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>alloclab report: ").append(Html.escape(names)).append("</title>\n<style>\n")
                .append(ReportStyle.CSS).append("</style>\n</head>\n<body>\n");
        header(html);
        summary(html);
        for (int i = 0; i < traces.size(); i++) {
            trace(html, i);
        }
        html.append("<footer>Made by <code>alloclab report</code>: one file, no scripts, nothing loaded from the ")
                .append("network. Hover over a bar for its addresses and bytes, over a row for its operation. ")
                .append("The formulas are in alloclab's <code>docs/fragmentation.md</code>.</footer>\n")
                .append("</body>\n</html>\n");
        return html.toString();
    }

    private void header(StringBuilder html) {
        html.append("<header>\n<h1>alloclab report</h1>\n<p>")
                .append(traces.size() == 1 ? "One trace" : Html.count(traces.size()) + " traces")
                .append(" replayed on ").append(Html.escape(String.join(", ", allocators)))
                .append(", with every integrity check of <code>alloclab replay</code> (untimed: this page is ")
                .append("about memory).</p>\n<p class=\"legend\">")
                .append("<span class=\"chip a\"></span>allocated <span class=\"chip f\"></span>free ")
                .append("<span class=\"chip m\"></span>allocator metadata <span class=\"chip a x\"></span>")
                .append("blocks too small to tell apart (coloured by the state with most bytes) ")
                .append("<span class=\"chip hit k-alloc\"></span>block that malloc returned ")
                .append("<span class=\"chip hit k-realloc\"></span>realloc ")
                .append("<span class=\"chip hit k-free\"></span>address freed</p>\n</header>\n");
    }

    private void summary(StringBuilder html) {
        html.append("<section class=\"summary\">\n<h2>Utilisation by allocator</h2>\n<table>\n<thead><tr>")
                .append("<th>trace</th><th>allocator</th><th>valid</th><th>ops</th><th>util</th>")
                .append("<th>peak live</th><th>peak footprint</th><th>fragmentation at peak live (jw2)</th>")
                .append("<th>free blocks at peak</th></tr></thead>\n<tbody>\n");
        for (TraceReport trace : traces) {
            for (ReportRun run : trace.runs()) {
                ReplayResult r = run.result();
                html.append("<tr><td>").append(Html.escape(trace.name())).append("</td><td>")
                        .append(Html.escape(run.allocator())).append("</td><td>")
                        .append(r.valid() ? "yes" : "<span class=\"bad\">no</span>").append("</td><td>")
                        .append(Html.count(r.ops())).append("</td><td>").append(Html.percent(r.utilization()))
                        .append("</td><td>").append(Html.size(r.peakPayloadBytes())).append("</td><td>")
                        .append(Html.size(r.peakFootprintBytes())).append("</td><td>")
                        .append(r.fragmentation().jw2() == null ? "-" : Html.percent(r.fragmentation().jw2()))
                        .append("</td><td>").append(Html.count(r.fragmentation().freeBlocks())).append("</td></tr>\n");
            }
        }
        html.append("</tbody>\n</table>\n<figure class=\"plot\" id=\"plot-utilization\">")
                .append(plots.svg("utilization")).append("</figure>\n</section>\n");
    }

    private void trace(StringBuilder html, int index) {
        TraceReport trace = traces.get(index);
        long[] rowOps = trace.rowOps();
        html.append("<section class=\"trace\" id=\"trace-").append(index + 1).append("\">\n<h2>")
                .append(Html.escape(trace.name())).append("</h2>\n<p>").append(Html.count(trace.ops()))
                .append(" operations; live payload peaks after operation ").append(Html.count(trace.peakLiveOp()))
                .append(".</p>\n<p class=\"sampling\">");
        if (trace.everyOp()) {
            html.append("Each row is the heap after one operation: every operation of the trace is shown.");
        } else {
            html.append("Each row is the heap after one operation. Rows are sampled: ")
                    .append(Html.count(rowOps.length)).append(" of ").append(Html.count(trace.ops()))
                    .append(" operations, evenly spaced, plus the one at peak live payload (").append("<b>peak</b>")
                    .append("); <code>--max-rows</code> changes how many.");
        }
        html.append(" Addresses grow to the right; grey bands are the address ranges that ever hold a block, ")
                .append("with the empty space between distant ranges cut out.</p>\n");
        double rowHeight = Math.floor(Math.clamp(TIMELINE_HEIGHT / Math.max(1, rowOps.length), MIN_ROW_HEIGHT,
                MAX_ROW_HEIGHT)); // whole pixels: crisp rows, short coordinates
        html.append("<div class=\"heaps\" style=\"grid-template-columns: ").append((int) LABEL_WIDTH)
                .append("px repeat(").append(trace.runs().size()).append(", minmax(0, 1fr))\">\n");
        opLabels(html, trace, rowHeight);
        for (ReportRun run : trace.runs()) {
            panel(html, run, rowHeight);
        }
        html.append("</div>\n<div class=\"plots\">\n<figure class=\"plot\">").append(plots.svg(plots.footprintName(index)))
                .append("</figure>\n<figure class=\"plot\">").append(plots.svg(plots.fragmentationName(index)))
                .append("<figcaption>1 - L(t)/M(t) is Johnstone and Wilson's relative excess f = M/L - 1 seen from ")
                .append("the other side, f / (1 + f): 0 when every byte holds live payload.</figcaption></figure>\n")
                .append("</div>\n</section>\n");
    }

    /** The column of operation labels: every row's when they fit, else every k-th, and always the peak. */
    private static void opLabels(StringBuilder html, TraceReport trace, double rowHeight) {
        long[] ops = trace.rowOps();
        List<HeapRow> rows = trace.runs().isEmpty() ? List.of() : trace.runs().getFirst().rows();
        double height = ops.length * rowHeight;
        double font = Math.min(13, Math.max(rowHeight - 1, 10));
        int every = (int) Math.ceil((font + 2) / rowHeight);
        html.append("<div class=\"ops\"><div class=\"caption\">operation</div><svg class=\"labels\" ")
                .append("xmlns=\"http://www.w3.org/2000/svg\" width=\"").append((int) LABEL_WIDTH).append("\" height=\"")
                .append(Html.coordinate(height)).append("\" font-size=\"").append(Html.coordinate(font)).append("\">");
        int peakRow = java.util.Arrays.binarySearch(ops, trace.peakLiveOp());
        for (int i = 0; i < ops.length; i++) {
            boolean peak = i == peakRow;
            if (!peak && (i % every != 0 || peakRow >= 0 && Math.abs(i - peakRow) < every)) {
                continue; // every k-th row, and none that would overlap the peak's label
            }
            String call = i < rows.size() ? shortCall(rows.get(i)) : "";
            html.append("<text x=\"").append((int) LABEL_WIDTH - 6).append("\" y=\"")
                    .append(Html.coordinate(i * rowHeight + rowHeight / 2)).append('"')
                    .append(peak ? " class=\"peak\"" : "").append('>')
                    .append(peak ? "peak \u25b6 " : "").append(Html.count(ops[i])).append(' ')
                    .append(Html.escape(call)).append("</text>");
        }
        html.append("</svg></div>\n");
    }

    private static String shortCall(HeapRow row) {
        return switch (row.op().kind()) {
            case ALLOC -> "malloc(" + row.op().byteSize() + ")";
            case REALLOC -> "realloc(" + row.op().byteSize() + ")";
            case FREE -> "free";
        };
    }

    private static void panel(StringBuilder html, ReportRun run, double rowHeight) {
        ReplayResult r = run.result();
        AddressAxis axis = TimelineSvg.axis(run.rows());
        html.append("<figure class=\"panel\" data-allocator=\"").append(Html.escape(run.allocator()))
                .append("\">\n<figcaption class=\"caption\"><b>").append(Html.escape(run.allocator())).append("</b> ");
        if (r.valid()) {
            html.append("util ").append(Html.percent(r.utilization())).append(", peak footprint ")
                    .append(Html.size(r.peakFootprintBytes()));
        } else {
            html.append("<span class=\"bad\" title=\"").append(Html.escape(r.error())).append("\">invalid: ")
                    .append(Html.escape(r.error())).append("</span>");
        }
        html.append("</figcaption>\n").append(TimelineSvg.render(run.rows(), axis, rowHeight)).append('\n');
        html.append("<div class=\"axis\">");
        double free = 0; // labels are about a third of a panel wide: the next one starts past the last one
        for (AddressAxis.Region region : axis.regions()) {
            if (region.x() >= free && region.x() <= 0.65 * TimelineSvg.WIDTH) {
                free = region.x() + 0.36 * TimelineSvg.WIDTH;
                html.append("<span style=\"left: ").append(Html.coordinate(100 * region.x() / TimelineSvg.WIDTH))
                        .append("%\" title=\"").append(Html.address(region.start())).append(" to ")
                        .append(Html.address(region.end())).append("\">").append(Html.address(region.start()))
                        .append("<br>").append(Html.size(region.byteSize())).append("</span>");
            }
        }
        html.append("</div>\n</figure>\n");
    }
}
