package io.github.alloclab.cli;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.replay.Replayer;
import io.github.alloclab.trace.TraceSource;
import io.github.alloclab.zone.ZoneAllocator;
import io.github.alloclab.zone.ZoneInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab zprint}: a trace replayed up to an operation, then the zone allocator's zones as Mach's zprint. */
@Command(name = "zprint",
        header = "Replay a trace prefix, then print the zones as Mach's zprint does.", mixinStandardHelpOptions = true,
        description = {"Replay a trace (checked, as 'replay' does) up to an operation, then print the zone",
                "allocator's zones as Mach's zprint does: element size, current and maximum size, current and",
                "maximum elements, elements in use, and the chunk (alloc) size and its element count. Flags:",
                "C collectable (zone_gc may give chunks back), X exhaustible (zalloc returns NULL at the maximum)."},
        footer = {"", "Example: alloclab zprint git_log_stat.rep --at 20000"})
final class ZprintCommand implements Callable<Integer> {

    @Option(names = "--at", paramLabel = "OP",
            description = "Stop after this many operations (default: the whole trace).")
    Long at;

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME", defaultValue = "zone",
            description = "A zone allocator (default: ${DEFAULT-VALUE}).")
    String allocator;

    @Option(names = {"-s", "--set"}, paramLabel = "SETTING=VALUE",
            description = "Override an allocator setting, such as kallocMaxBytes=1M (see 'alloclab list').")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--all", description = "Also list zones that hold no chunk.")
    boolean all;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (zprint's columns), json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Parameters(paramLabel = "TRACE", description = "A trace file, or the name of a bundled trace.")
    String trace;

    @Spec
    CommandSpec spec;

    /** What the command reports, and its JSON form. */
    record Report(String trace, String allocator, long opsReplayed, long totalOps, long line, List<ZoneInfo> zones) {
    }

    @Override
    public Integer call() {
        TraceSource source = ReplayCommand.source(trace);
        AllocatorRegistry registry = AllocatorRegistry.standard();
        registry.spec(allocator);
        PrintWriter out = spec.commandLine().getOut();
        try (Allocator heap = registry.create(allocator, settings)) {
            if (!(heap instanceof ZoneAllocator zones)) {
                throw new IllegalArgumentException("'%s' has no zones; zprint needs the zone allocator".formatted(allocator));
            }
            Replayer.Prefix prefix = TraceAt.replay(source, heap, allocator, at, spec.commandLine().getErr());
            if (prefix == null) {
                return AlloclabCommand.EXIT_ALLOCATOR_ERROR;
            }
            List<ZoneInfo> shown = zones.zoneInfo().stream().filter(z -> all || z.currentBytes() > 0).toList();
            print(new Report(prefix.trace(), allocator, prefix.opsReplayed(), prefix.totalOps(), prefix.line(), shown),
                    out);
        }
        out.flush();
        return 0;
    }

    private void print(Report r, PrintWriter out) {
        switch (format) {
            case json -> out.println(Output.json(r));
            case csv -> {
                List<Object[]> rows = new ArrayList<>();
                for (ZoneInfo z : r.zones()) {
                    rows.add(new Object[] {z.name(), z.elementSize(), z.currentBytes(), z.maxBytes(),
                            z.currentElements(), z.maxElements(), z.inUse(), z.allocBytes(), z.allocCount()});
                }
                out.print(Output.csv(rows, "name", "elemSize", "curSize", "maxSize", "curElts", "maxElts", "inUse",
                        "allocSize", "allocCount"));
            }
            case table, markdown -> out.print(ZoneInfo.table(r.zones()));
        }
    }
}
