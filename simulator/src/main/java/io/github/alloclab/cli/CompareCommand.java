package io.github.alloclab.cli;

import io.github.alloclab.replay.ReplayOptions;
import io.github.alloclab.replay.ReplayResult;
import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.TraceSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab compare}: the main job, every allocator on the bundled real traces. */
@Command(name = "compare",
        header = "Compare every allocator on the bundled real traces (the main job).", mixinStandardHelpOptions = true,
        description = {"Replay the bundled real traces (or the given ones) on every registered allocator",
                "and compare utilisation, fragmentation, throughput and the CS:APP performance index."})
final class CompareCommand implements Callable<Integer> {

    @Mixin
    ReplaySelection selection;

    @Parameters(paramLabel = "TRACE", arity = "0..*",
            description = "Trace files or bundled trace names (default: every bundled trace).")
    List<String> traces = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<TraceSource> sources = traces.isEmpty()
                ? BundledTraces.all()
                : traces.stream().map(t -> ReplayCommand.source(t).withFormat(selection.traceFormat)).toList();
        List<ReplayResult> results = ReplayCommand.run(sources, selection.allocators, Map.of(),
                selection.noTiming ? ReplayOptions.UNTIMED : ReplayOptions.DEFAULTS, selection.memory,
                selection.memorySettings());
        ReplayReport.print(results, selection.format, true, spec.commandLine().getOut());
        return ReplayCommand.exitCode(results, spec.commandLine().getErr());
    }
}
