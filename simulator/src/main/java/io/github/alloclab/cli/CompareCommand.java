package io.github.alloclab.cli;

import io.github.alloclab.replay.ReplayOptions;
import io.github.alloclab.replay.ReplayResult;
import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.TraceFormat;
import io.github.alloclab.trace.TraceSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab compare}: the main job, every allocator on the bundled real traces. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Replay the bundled real traces (or the given ones) on every registered allocator",
                "and compare utilisation, fragmentation, throughput and the CS:APP performance index."})
final class CompareCommand implements Callable<Integer> {

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME",
            description = "Compare only these allocators; repeat for several (default: all of them).")
    List<String> allocators = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json, csv or markdown (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--no-timing", description = "Skip the timed runs: check only (ops/s is then 0).")
    boolean noTiming;

    @Option(names = "--trace-format", paramLabel = "FORMAT",
            description = "Read the given traces in this format (${COMPLETION-CANDIDATES}) instead of telling it "
                    + "from the content.")
    TraceFormat traceFormat;

    @Parameters(paramLabel = "TRACE", arity = "0..*",
            description = "Trace files or bundled trace names (default: every bundled trace).")
    List<String> traces = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<TraceSource> sources = traces.isEmpty()
                ? BundledTraces.all()
                : traces.stream().map(t -> ReplayCommand.source(t).withFormat(traceFormat)).toList();
        List<ReplayResult> results = ReplayCommand.run(sources, allocators, Map.of(),
                noTiming ? ReplayOptions.UNTIMED : ReplayOptions.DEFAULTS);
        ReplayReport.print(results, format, true, spec.commandLine().getOut());
        return ReplayCommand.exitCode(results);
    }
}
