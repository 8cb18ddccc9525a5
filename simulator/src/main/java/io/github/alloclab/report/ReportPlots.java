package io.github.alloclab.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Every plot of one report, by file name: {@code utilization} for the whole report, and
 * {@code TRACE-footprint} and {@code TRACE-fragmentation} for each trace. The page inlines them as SVG;
 * {@code --png DIR} writes them as {@code DIR/NAME.png}.
 */
public final class ReportPlots {

    private final Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
    private final List<String> traceKeys = new ArrayList<>();

    /** Draws the plots of {@code traces} replayed on {@code allocators}. */
    public ReportPlots(List<TraceReport> traces, List<String> allocators) {
        charts.put("utilization", ReportCharts.utilization(allocators, traces));
        for (TraceReport trace : traces) {
            String base = fileName(trace.name());
            for (int n = 2; traceKeys.contains(base); n++) {
                base = fileName(trace.name()) + "-" + n; // two traces of the same name in different directories
            }
            traceKeys.add(base);
            charts.put(base + "-footprint", ReportCharts.footprint(trace.name(), trace.runs()));
            charts.put(base + "-fragmentation", ReportCharts.waste(trace.name(), trace.runs()));
        }
    }

    /** {@return the name of trace {@code index}'s footprint plot} */
    public String footprintName(int index) {
        return traceKeys.get(index) + "-footprint";
    }

    /** {@return the name of trace {@code index}'s fragmentation plot} */
    public String fragmentationName(int index) {
        return traceKeys.get(index) + "-fragmentation";
    }

    /** {@return the plot of that name as an inline {@code <svg>} element} */
    public String svg(String name) {
        Chart<?, ?> chart = charts.get(name);
        if (chart == null) {
            throw new IllegalArgumentException("no plot named " + name + "; there are " + charts.keySet());
        }
        return ReportCharts.svg(chart);
    }

    /** {@return the plots' names, in the page's order} */
    public List<String> names() {
        return List.copyOf(charts.keySet());
    }

    /**
     * Writes every plot as {@code dir/NAME.png}, making {@code dir} if needed. {@return the files written}
     *
     * @throws UncheckedIOException naming the directory or file that could not be written
     */
    public List<Path> writePngs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("%s: cannot make the PNG directory (%s)".formatted(dir, reason(e)), e);
        }
        List<Path> written = new ArrayList<>();
        for (var entry : charts.entrySet()) {
            Path file = dir.resolve(entry.getKey() + ".png");
            try (OutputStream out = Files.newOutputStream(file)) {
                ReportCharts.png(entry.getValue(), out);
            } catch (IOException e) {
                throw new UncheckedIOException("%s: cannot write (%s)".formatted(file, reason(e)), e);
            }
            written.add(file);
        }
        return written;
    }

    /** {@return the part of a plot's file name that names a trace: {@code git_log_stat.rep} to {@code git_log_stat}} */
    static String fileName(String trace) {
        String base = trace.replaceFirst("\\.[A-Za-z0-9]+$", "");
        return base.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static String reason(IOException e) {
        String name = e.getClass().getSimpleName();
        return switch (name) {
            case "AccessDeniedException" -> "permission denied";
            case "NoSuchFileException" -> "no such directory";
            case "FileAlreadyExistsException" -> "a file is in the way";
            case "NotDirectoryException" -> "not a directory";
            default -> e.getMessage() == null ? name : e.getMessage();
        };
    }
}
