package io.github.alloclab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's plots, made with XChart and written as SVG (inline in the page) or PNG ({@code --png}): footprint
 * against live payload over time, the share of the footprint not live over time, and utilisation by allocator.
 *
 * <p>XChart draws through AWT, so this class needs no display, only {@code java.awt.headless=true}, which it
 * sets when nobody has decided (the {@code alloclab} launcher passes it too).
 */
final class ReportCharts {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final int WIDTH = 880;
    static final int HEIGHT = 400;
    private static final Color LIVE = new Color(0x33, 0x33, 0x33);
    /** Tableau 10, the palette the page's legend and timelines use too. */
    static final List<Color> PALETTE = List.of(new Color(0x4e79a7), new Color(0xe15759), new Color(0x59a14f),
            new Color(0xb07aa1), new Color(0xf28e2b), new Color(0x76b7b2), new Color(0xedc948), new Color(0xff9da7),
            new Color(0x9c755f), new Color(0xbab0ac));

    private ReportCharts() {
    }

    /** {@return live payload and each allocator's footprint over one trace, in KiB} */
    static XYChart footprint(String trace, List<ReportRun> runs) {
        XYChart chart = xy("Footprint and live payload: " + trace, "operation", "KiB");
        if (!runs.isEmpty()) {
            List<SeriesPoint> points = runs.getFirst().points();
            XYSeries live = chart.addSeries("live payload (the trace)", x(points),
                    points.stream().mapToDouble(p -> p.liveBytes() / 1024.0).toArray());
            live.setLineColor(LIVE);
            live.setMarker(SeriesMarkers.NONE);
            live.setLineStyle(new BasicStroke(3.5f)); // solid: a dashed line becomes thousands of SVG paths
        }
        for (int i = 0; i < runs.size(); i++) {
            ReportRun run = runs.get(i);
            XYSeries s = chart.addSeries("footprint: " + run.allocator(), x(run.points()),
                    run.points().stream().mapToDouble(p -> p.footprintBytes() / 1024.0).toArray());
            s.setLineColor(PALETTE.get(i % PALETTE.size()));
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** {@return {@code 1 - L(t) / M(t)} for each allocator over one trace, in percent} */
    static XYChart waste(String trace, List<ReportRun> runs) {
        XYChart chart = xy("Fragmentation: share of the footprint not live, 1 - L(t)/M(t): " + trace,
                "operation", "%");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        for (int i = 0; i < runs.size(); i++) {
            ReportRun run = runs.get(i);
            List<SeriesPoint> points = run.points().stream().filter(p -> p.footprintBytes() > 0).toList();
            if (points.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(run.allocator(), x(points),
                    points.stream().mapToDouble(p -> 100 * p.waste()).toArray());
            s.setLineColor(PALETTE.get(i % PALETTE.size()));
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** {@return each allocator's utilisation on each trace, as grouped bars, in percent} */
    static CategoryChart utilization(List<String> allocators, List<TraceReport> traces) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Utilisation (peak live payload / peak footprint) by allocator")
                .xAxisTitle("allocator").yAxisTitle("%").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setSeriesColors(PALETTE.toArray(Color[]::new));
        for (TraceReport trace : traces) {
            List<Double> values = allocators.stream()
                    .map(a -> trace.runs().stream().filter(r -> r.allocator().equals(a)).findFirst()
                            .map(r -> 100 * r.result().utilization()).orElse(0.0))
                    .toList();
            chart.addSeries(trace.name(), allocators, values);
        }
        return chart;
    }

    /** {@return the chart as an {@code <svg>} element, compacted by {@link SvgCompactor}} */
    static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not draw a chart: " + e.getMessage(), e);
        }
        return SvgCompactor.compact(out.toString(StandardCharsets.UTF_8));
    }

    /** Writes the chart as a PNG. */
    static void png(Chart<?, ?> chart, OutputStream out) throws IOException {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(0).setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisDecimalPattern("#,###").setYAxisDecimalPattern("#,###");
        return chart;
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setChartTitleBoxVisible(false);
        styler.setAntiAlias(true);
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setPlotGridLinesStroke(new BasicStroke(1f)); // XChart's default is dashed: see LIVE
        styler.setPlotGridLinesColor(new Color(0xe2e2e2));
    }

    private static double[] x(List<SeriesPoint> points) {
        return points.stream().mapToDouble(SeriesPoint::number).toArray();
    }
}
