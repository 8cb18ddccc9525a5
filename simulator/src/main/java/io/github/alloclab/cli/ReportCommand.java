package io.github.alloclab.cli;

import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.replay.PreparedTrace;
import io.github.alloclab.report.ReportBuilder;
import io.github.alloclab.report.ReportPage;
import io.github.alloclab.report.ReportPlots;
import io.github.alloclab.report.TraceReport;
import io.github.alloclab.trace.TraceFormat;
import io.github.alloclab.trace.TraceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab report}: one self-contained HTML page of heap timelines and plots. */
@Command(name = "report",
        header = "Write an HTML page of heap timelines and plots for traces replayed on allocators.",
        mixinStandardHelpOptions = true,
        description = "Replay traces on allocators (checked, untimed) and write one self-contained HTML file: a "
                + "villoc-style timeline of each heap (a row per sampled operation, blocks placed by address and "
                + "coloured by state), the allocators' heaps side by side, and plots of footprint against live "
                + "payload, fragmentation over time and utilisation by allocator. It needs no network to view. "
                + "--png also writes the plots as PNG files.")
final class ReportCommand implements Callable<Integer> {

    /** Four families that differ the most: a free list, the buddy system, slab caches, a composite malloc. */
    static final List<String> DEFAULT_ALLOCATORS = List.of("firstfit", "buddy", "slab", "malloc");

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME",
            description = "An allocator from 'alloclab list'; repeat for several (default: "
                    + "firstfit, buddy, slab and malloc).")
    List<String> allocators = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
            description = "The HTML file to write, such as report.html.")
    Path output;

    @Option(names = "--png", paramLabel = "DIR",
            description = "Also write the plots as PNG files in DIR (made if missing).")
    Path pngDir;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "200",
            description = "Timeline rows per trace: N operations evenly spaced, plus the one at peak live "
                    + "payload (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--trace-format", paramLabel = "FORMAT",
            description = "Read the traces in this format (${COMPLETION-CANDIDATES}) instead of telling it "
                    + "from their content.")
    TraceFormat traceFormat;

    @Option(names = "--memory", paramLabel = "SOURCE", defaultValue = "flat",
            description = "flat or simulated, as for 'alloclab replay' (default: ${DEFAULT-VALUE}).")
    MemoryChoice memory;

    @Parameters(paramLabel = "TRACE", arity = "1..*",
            description = "Trace files, or names of bundled traces (${COMPLETION-CANDIDATES}).",
            completionCandidates = ReplayCommand.BundledNames.class)
    List<String> traces;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AllocatorRegistry registry = AllocatorRegistry.standard();
        List<String> names = allocators.isEmpty() ? DEFAULT_ALLOCATORS : allocators;
        names.forEach(registry::spec); // an unknown name fails before any work is done
        if (maxRows < 2) {
            throw new IllegalArgumentException("--max-rows must be at least 2, not " + maxRows);
        }
        checkWritable(output);
        if (pngDir != null) {
            checkPngDirectory(pngDir);
        }
        List<PreparedTrace> prepared = traces.stream()
                .map(t -> new PreparedTrace(ReplayCommand.source(t).withFormat(traceFormat))).toList();
        long total = prepared.stream().mapToLong(p -> p.profile().ops()).sum() * names.size();
        List<TraceReport> reports = new ArrayList<>();
        try (TerminalProgress.Handle progress = TerminalProgress.open(total)) {
            ReportBuilder builder = new ReportBuilder(maxRows,
                    name -> registry.create(name, memory.create(), Map.of()), progress.progress());
            for (PreparedTrace trace : prepared) {
                reports.add(builder.build(trace, names));
            }
        }
        ReportPlots plots = new ReportPlots(reports, names);
        String html = new ReportPage(reports, names, plots).html();
        try {
            Files.writeString(output, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("%s: cannot write the report (%s)".formatted(output, reason(e)), e);
        }
        var out = spec.commandLine().getOut();
        out.printf("wrote %s (%s)%n", output, Output.size(html.getBytes(StandardCharsets.UTF_8).length));
        if (pngDir != null) {
            for (Path png : plots.writePngs(pngDir)) {
                out.printf("wrote %s%n", png);
            }
        }
        out.flush();
        boolean valid = reports.stream().flatMap(r -> r.runs().stream()).allMatch(r -> r.result().valid());
        return valid ? 0 : AlloclabCommand.EXIT_ALLOCATOR_ERROR;
    }

    /** Fails early, before any replay, when the report could not be written. */
    private static void checkWritable(Path output) {
        Path absolute = output.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw unwritable(output + ": is a directory; name the HTML file to write");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw unwritable(output + ": cannot write the report (no such directory: " + dir + ")");
        }
        if (!Files.isWritable(dir) || Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw unwritable(output + ": cannot write the report (permission denied)");
        }
    }

    /** Fails early, before the report is written, when the PNG directory cannot be made. */
    private static void checkPngDirectory(Path pngDir) {
        if (Files.exists(pngDir) && !Files.isDirectory(pngDir)) {
            throw unwritable(pngDir + ": cannot make the PNG directory (a file is in the way)");
        }
    }

    // UncheckedIOException(cause) alone would take the cause's toString, "java.io.IOException: ...", as its message.
    private static UncheckedIOException unwritable(String message) {
        return new UncheckedIOException(message, new IOException(message));
    }

    private static String reason(IOException e) {
        return e.getClass().getSimpleName().equals("AccessDeniedException") ? "permission denied"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
