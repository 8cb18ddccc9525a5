package io.github.alloclab.cli;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.SlabInfo;
import io.github.alloclab.allocator.SlabInfoView;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.replay.Replayer;
import io.github.alloclab.trace.TraceSource;
import java.io.PrintWriter;
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

/**
 * {@code alloclab slabinfo}: a trace replayed up to an operation, then the allocator's object caches in the
 * format of Linux's {@code /proc/slabinfo}, version 2.1.
 */
@Command(name = "slabinfo",
        header = "Replay a trace prefix, then print the object caches as /proc/slabinfo does.", mixinStandardHelpOptions = true,
        description = {"Replay a trace (checked, as 'replay' does) up to an operation, then print the allocator's",
                "object caches as Linux's /proc/slabinfo (version 2.1) does: objects in use and in all slabs,",
                "the object size, objects and pages per slab, the magazine tunables, and the slabs in use and",
                "in all. Works on slab and on malloc, whose small bins are slab caches."},
        footer = {"", "Example: alloclab slabinfo tsort_dag.rep --at 50000"})
final class SlabInfoCommand implements Callable<Integer> {

    @Option(names = "--at", paramLabel = "OP",
            description = "Stop after this many operations (default: the whole trace).")
    Long at;

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME", defaultValue = "slab",
            description = "An allocator made of object caches (default: ${DEFAULT-VALUE}).")
    String allocator;

    @Option(names = {"-s", "--set"}, paramLabel = "SETTING=VALUE",
            description = "Override an allocator setting, such as maxEmptySlabs=4 (see 'alloclab list').")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--all", description = "Also list caches that have never had a slab (the kernel lists them all).")
    boolean all;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (the /proc/slabinfo text), json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Parameters(paramLabel = "TRACE", description = "A trace file, or the name of a bundled trace.")
    String trace;

    @Mixin
    QuizMixin quiz;

    /**
     * The answers of a quiz: each cache's objects in use and in all, slabs in use and in all, and shared
     * objects; its name, object size, layout and tunables are the question.
     */
    static final List<QuizMixin.Mask> ANSWERS = List.of(QuizMixin.Mask.aligned(
            "^\\S+ +(\\d+) +(\\d+) +\\d+ +\\d+ +\\d+ : tunables +\\d+ +\\d+ +\\d+ : slabdata +(\\d+) +(\\d+) +(\\d+)"));

    @Spec
    CommandSpec spec;

    /** What the command reports, and its JSON form. */
    record Report(String trace, String allocator, long opsReplayed, long totalOps, long line, List<SlabInfo> caches) {
    }

    @Override
    public Integer call() {
        TraceSource source = ReplayCommand.source(trace);
        AllocatorRegistry registry = AllocatorRegistry.standard();
        registry.spec(allocator);
        quiz.requireText(format == OutputFormat.table || format == OutputFormat.markdown, format.name());
        PrintWriter out = quiz.mask(spec.commandLine().getOut(), ANSWERS);
        try (Allocator heap = registry.create(allocator, settings)) {
            if (!(heap instanceof SlabInfoView view)) {
                throw new IllegalArgumentException(("'%s' has no object caches; slabinfo needs an allocator made of"
                        + " them, such as slab or malloc").formatted(allocator));
            }
            Replayer.Prefix prefix = TraceAt.replay(source, heap, allocator, at, spec.commandLine().getErr());
            if (prefix == null) {
                return AlloclabCommand.EXIT_ALLOCATOR_ERROR;
            }
            List<SlabInfo> caches = view.slabInfo().stream().filter(c -> all || c.slabs() > 0 || c.activeObjects() > 0)
                    .toList();
            print(new Report(prefix.trace(), allocator, prefix.opsReplayed(), prefix.totalOps(), prefix.line(),
                    caches), out);
        }
        out.flush();
        return 0;
    }

    private void print(Report r, PrintWriter out) {
        switch (format) {
            case json -> out.println(Output.json(r));
            case csv -> {
                List<Object[]> rows = new ArrayList<>();
                for (SlabInfo c : r.caches()) {
                    rows.add(new Object[] {c.name(), c.activeObjects(), c.objects(), c.objectSize(), c.objectsPerSlab(),
                            c.pagesPerSlab(), c.limit(), c.batchCount(), c.sharedFactor(), c.activeSlabs(), c.slabs(),
                            c.sharedAvail()});
                }
                out.print(Output.csv(rows, "name", "activeObjs", "numObjs", "objSize", "objPerSlab", "pagesPerSlab",
                        "limit", "batchCount", "sharedFactor", "activeSlabs", "numSlabs", "sharedAvail"));
            }
            case table, markdown -> out.print(SlabInfo.table(r.caches()));
        }
    }
}
