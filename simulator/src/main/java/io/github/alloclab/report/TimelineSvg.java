package io.github.alloclab.report;

import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.trace.TraceOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws one allocator's timeline as inline SVG: a row per {@link HeapRow}, its runs placed by an
 * {@link AddressAxis} and coloured by state (the page's CSS gives the colours: classes {@code a}, {@code f},
 * {@code m} for allocated, free and metadata, {@code x} for a mixed run). The block the row's operation
 * returned is outlined, the address it freed marked ({@code hit}, which lets the pointer through). Every bar has a {@code <title>}, which browsers show on
 * hover: its addresses, bytes and state; an empty stretch of a row shows the operation.
 *
 * <p>The SVG is {@value #WIDTH} units wide and stretched to its panel's width ({@code preserveAspectRatio="none"},
 * strokes kept thin with {@code vector-effect}), so it holds no text; the page labels the axis.
 */
final class TimelineSvg {

    /** The drawing's width in SVG units: about the pixels of a panel, so one decimal place is enough. */
    static final double WIDTH = 1000;
    static final double BREAK_WIDTH = 16;
    static final double MIN_REGION_WIDTH = 40;

    private TimelineSvg() {
    }

    /** {@return the axis that shows every block of every row} */
    static AddressAxis axis(List<HeapRow> rows) {
        List<long[]> ranges = new ArrayList<>();
        for (HeapRow row : rows) {
            for (BlockRun run : row.runs()) {
                ranges.add(new long[] {run.start(), run.end()});
            }
        }
        return AddressAxis.of(ranges, WIDTH, BREAK_WIDTH, MIN_REGION_WIDTH);
    }

    /** {@return the SVG element of {@code rows} on {@code axis}, {@code rowHeight} pixels per row} */
    static String render(List<HeapRow> rows, AddressAxis axis, double rowHeight) {
        double height = rows.size() * rowHeight;
        double bar = rowHeight >= 4 ? rowHeight - 1 : rowHeight;
        StringBuilder svg = new StringBuilder(64 * 1024);
        svg.append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(Html.coordinate(WIDTH)).append(' ').append(Html.coordinate(height))
                .append("\" preserveAspectRatio=\"none\" height=\"").append(Html.coordinate(height))
                .append("\" role=\"img\">\n");
        for (AddressAxis.Region r : axis.regions()) {
            svg.append("<rect class=\"region\" x=\"").append(Html.coordinate(r.x())).append("\" y=\"0\" width=\"")
                    .append(Html.coordinate(r.width())).append("\" height=\"").append(Html.coordinate(height))
                    .append("\"><title>").append(Html.address(r.start())).append(" to ")
                    .append(Html.address(r.end())).append(" (").append(Html.size(r.byteSize()))
                    .append(")</title></rect>\n");
        }
        for (int i = 0; i < rows.size(); i++) {
            HeapRow row = rows.get(i);
            String y = Html.coordinate(i * rowHeight);
            String h = Html.coordinate(bar);
            svg.append("<g class=\"row\" data-op=\"").append(row.number()).append("\">");
            svg.append("<rect class=\"bg\" x=\"0\" y=\"").append(y).append("\" width=\"")
                    .append(Html.coordinate(WIDTH)).append("\" height=\"").append(h).append("\"><title>")
                    .append(Html.escape(opTitle(row))).append("</title></rect>");
            for (BlockRun run : row.runs()) {
                double x = axis.x(run.start());
                double w = Math.max(axis.x(run.end()) - x, 0.2);
                svg.append("<rect class=\"").append(cssClass(run)).append("\" x=\"").append(Html.coordinate(x))
                        .append("\" y=\"").append(y).append("\" width=\"").append(Html.coordinate(w))
                        .append("\" height=\"").append(h).append("\"><title>").append(runTitle(run))
                        .append("</title></rect>");
            }
            // malloc and realloc: the block returned; free: a tick where the block was, since it may have
            // coalesced into a free block many times its size
            boolean free = row.op().kind() == TraceOp.Kind.FREE;
            if (row.hitStart() >= 0 || free) {
                double x = free ? axis.x(row.address()) : axis.x(row.hitStart());
                double w = free ? 2 : Math.max(axis.x(row.hitEnd()) - x, 2);
                svg.append("<rect class=\"hit ").append(kindClass(row)).append("\" x=\"")
                        .append(Html.coordinate(x)).append("\" y=\"").append(y).append("\" width=\"")
                        .append(Html.coordinate(w)).append("\" height=\"").append(h).append("\"/>");
            }
            svg.append("</g>\n");
        }
        return svg.append("</svg>").toString();
    }

    /** {@return what hovering a row's empty stretch shows: the operation and the heap's totals} */
    static String opTitle(HeapRow row) {
        return "op %s (line %d): %s; live %s, footprint %s".formatted(Html.count(row.number()), row.op().line(),
                row.call(), Html.bytes(row.liveBytes()), Html.bytes(row.footprintBytes()));
    }

    /** {@return what hovering a run shows: where it is, how big, and what it holds} */
    static String runTitle(BlockRun run) {
        String where = Html.address(run.start()) + ", " + Html.bytes(run.byteSize());
        if (run.mixed()) {
            StringBuilder mix = new StringBuilder();
            long[] bytes = {run.allocatedBytes(), run.freeBytes(), run.metadataBytes()};
            for (BlockState state : BlockState.values()) {
                if (bytes[state.ordinal()] > 0) {
                    mix.append(mix.isEmpty() ? "" : ", ").append(Html.percent((double) bytes[state.ordinal()]
                            / (bytes[0] + bytes[1] + bytes[2]))).append(' ').append(name(state));
                }
            }
            return "%s blocks at %s: %s".formatted(Html.count(run.blocks()), where, mix);
        }
        return run.blocks() == 1 ? name(run.state()) + " block at " + where
                : Html.count(run.blocks()) + " " + name(run.state()) + " blocks at " + where;
    }

    static String name(BlockState state) {
        return switch (state) {
            case ALLOCATED -> "allocated";
            case FREE -> "free";
            case METADATA -> "metadata";
        };
    }

    private static String cssClass(BlockRun run) {
        String state = switch (run.state()) {
            case ALLOCATED -> "a";
            case FREE -> "f";
            case METADATA -> "m";
        };
        return run.mixed() ? state + " x" : state;
    }

    private static String kindClass(HeapRow row) {
        return switch (row.op().kind()) {
            case ALLOC -> "k-alloc";
            case REALLOC -> "k-realloc";
            case FREE -> "k-free";
        };
    }
}
