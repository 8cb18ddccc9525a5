package io.github.alloclab.cli;

import io.github.alloclab.replay.PreparedTrace;
import io.github.alloclab.replay.ReplayOptions;
import io.github.alloclab.replay.ReplayResult;
import io.github.alloclab.replay.Replayer;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.TraceSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab replay}: replay traces on allocators, with integrity checks. */
@Command(name = "replay",
        header = "Replay malloc traces on allocators, checking every block.", mixinStandardHelpOptions = true,
        description = {"Replay malloc traces (CS:APP .rep, 15-213 .rep, glibc mtrace or ltrace format) on allocators,",
                "checking every block (alignment, bounds, overlap, contents) and measuring throughput,",
                "utilisation, fragmentation, the byte ladder and leaks."})
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ReplaySelection selection;

    @Option(names = {"-s", "--set"}, paramLabel = "SETTING=VALUE",
            description = "Override an allocator setting, such as trimThreshold=64K (see 'alloclab list').")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--check-every-op",
            description = "Run the allocator's heap checker after every operation, not just at the end (slow).")
    boolean checkEveryOp;

    @Parameters(paramLabel = "TRACE", arity = "1..*",
            description = "Trace files, or names of bundled traces (${COMPLETION-CANDIDATES}).",
            completionCandidates = BundledNames.class)
    List<String> traces;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<TraceSource> sources = traces.stream().map(t -> source(t).withFormat(selection.traceFormat)).toList();
        List<ReplayResult> results = run(sources, selection.allocators, settings,
                (selection.noTiming ? ReplayOptions.UNTIMED : ReplayOptions.DEFAULTS).withCheckEveryOp(checkEveryOp),
                selection.memory, selection.memorySettings());
        ReplayReport.print(results, selection.format, false, spec.commandLine().getOut());
        return exitCode(results, spec.commandLine().getErr());
    }

    /** Replays every trace on every allocator (all registered ones if none are named). */
    static List<ReplayResult> run(List<TraceSource> traces, List<String> allocatorNames,
                                  Map<String, String> settings, ReplayOptions options, MemoryChoice memory,
                                  MemorySettings limits) {
        AllocatorRegistry registry = AllocatorRegistry.standard();
        List<String> names = allocatorNames.isEmpty() ? registry.names() : allocatorNames;
        names.forEach(registry::spec); // unknown names fail before any work is done
        // Profiles first: a malformed trace fails before any replay, and the progress bar knows its total.
        List<PreparedTrace> prepared = new ArrayList<>(traces.stream().map(PreparedTrace::new).toList());
        long total = prepared.stream().mapToLong(p -> p.profile().ops()).sum() * names.size();
        List<ReplayResult> results = new ArrayList<>();
        try (TerminalProgress.Handle progress = TerminalProgress.open(total)) {
            Replayer replayer = new Replayer(options, progress.progress());
            for (int i = 0; i < prepared.size(); i++) {
                PreparedTrace trace = prepared.get(i);
                prepared.set(i, null); // its packed arrays can go once its replays are done
                for (String name : names) {
                    results.add(replayer.replay(trace, name, () -> registry.create(name, memory.create(limits), settings)));
                }
            }
        }
        return results;
    }

    /**
     * {@return 0 if every replay passed, else 1 if an allocator failed a check, else 4 if one ran out of
     * memory}; each replay that ran out of memory is one line on {@code err}, since that is the limit's doing
     * and not the allocator's.
     */
    static int exitCode(List<ReplayResult> results, PrintWriter err) {
        results.stream().filter(ReplayResult::outOfMemory).forEach(r ->
                err.println("alloclab: %s on %s: %s".formatted(r.allocator(), r.trace(), r.error())));
        err.flush();
        if (results.stream().anyMatch(r -> !r.valid() && !r.outOfMemory())) {
            return AlloclabCommand.EXIT_ALLOCATOR_ERROR;
        }
        return results.stream().anyMatch(ReplayResult::outOfMemory) ? AlloclabCommand.EXIT_OUT_OF_MEMORY : 0;
    }

    /** A file if one exists at that path, else a bundled trace of that name. */
    static TraceSource source(String trace) {
        Path path = Path.of(trace);
        if (!Files.exists(path)) {
            var bundled = BundledTraces.find(trace);
            if (bundled.isPresent()) {
                return bundled.get();
            }
        }
        return TraceSource.of(path);
    }

    /** The bundled trace names, for help and completion. */
    static final class BundledNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return BundledTraces.allNames().iterator();
        }
    }
}
