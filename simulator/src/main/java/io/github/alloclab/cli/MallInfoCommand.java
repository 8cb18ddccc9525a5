package io.github.alloclab.cli;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.malloc.MallocAllocator;
import io.github.alloclab.malloc.MallocStats;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.replay.Replayer;
import io.github.alloclab.trace.TraceSource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code alloclab mallinfo}: a trace replayed up to an operation on the composite {@code malloc}, then glibc's
 * {@code mallinfo2} fields, what {@code malloc_stats()} prints, and the byte ladder.
 */
@Command(name = "mallinfo",
        header = "Replay a trace prefix on malloc, then print mallinfo2 and the byte ladder.", mixinStandardHelpOptions = true,
        description = {"Replay a trace (checked, as 'replay' does) up to an operation on the composite malloc, then",
                "print glibc's mallinfo2 fields, what malloc_stats() prints, and the byte ladder: requested",
                "(the trace's live payload) <= allocated (usable bytes of live blocks) <= active (pages holding",
                "a live byte) <= mapped (the heap to a page, plus mappings), with the allocator's metadata."},
        footer = {"", "Example: alloclab mallinfo git_log_stat.rep --at 30000"})
final class MallInfoCommand implements Callable<Integer> {

    @Option(names = "--at", paramLabel = "OP",
            description = "Stop after this many operations (default: the whole trace).")
    Long at;

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME", defaultValue = "malloc",
            description = "The composite malloc, or a registry entry made from it (default: ${DEFAULT-VALUE}).")
    String allocator;

    @Option(names = {"-s", "--set"}, paramLabel = "SETTING=VALUE",
            description = "Override an allocator setting, such as smallMax=128 (see 'alloclab list').")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Parameters(paramLabel = "TRACE", description = "A trace file, or the name of a bundled trace.")
    String trace;

    @Spec
    CommandSpec spec;

    /** What the command reports, and its JSON form. */
    record Report(String trace, String allocator, long opsReplayed, long totalOps, long line, long liveBlocks,
                  long requestedBytes, MallocStats stats) {
    }

    @Override
    public Integer call() {
        TraceSource source = ReplayCommand.source(trace);
        AllocatorRegistry registry = AllocatorRegistry.standard();
        registry.spec(allocator);
        PrintWriter out = spec.commandLine().getOut();
        try (Allocator heap = registry.create(allocator, settings)) {
            if (!(heap instanceof MallocAllocator malloc)) {
                throw new IllegalArgumentException(("'%s' is not the composite malloc; mallinfo reads its heap, bins"
                        + " and mappings (try -a malloc)").formatted(allocator));
            }
            Replayer.Prefix prefix = TraceAt.replay(source, heap, allocator, at, spec.commandLine().getErr());
            if (prefix == null) {
                return AlloclabCommand.EXIT_ALLOCATOR_ERROR;
            }
            print(new Report(prefix.trace(), allocator, prefix.opsReplayed(), prefix.totalOps(), prefix.line(),
                    prefix.liveBlocks(), prefix.payloadBytes(), malloc.mallocStats()), out);
        }
        out.flush();
        return 0;
    }

    private void print(Report r, PrintWriter out) {
        MallocStats s = r.stats();
        switch (format) {
            case json -> out.println(Output.json(r));
            case csv -> {
                List<Object[]> rows = new ArrayList<>();
                rows.add(new Object[] {r.trace(), r.allocator(), r.opsReplayed(), r.requestedBytes(), s.allocatedBytes(),
                        s.activeBytes(), s.mappedBytes(), s.metadataBytes(), s.arena(), s.ordblks(), s.smblks(),
                        s.hblks(), s.hblkhd(), s.usmblks(), s.fsmblks(), s.uordblks(), s.fordblks(), s.keepcost(),
                        s.mmapThreshold(), s.trimThreshold()});
                out.print(Output.csv(rows, "trace", "allocator", "ops", "requested", "allocated", "active", "mapped",
                        "metadata", "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                        "fordblks", "keepcost", "mmapThreshold", "trimThreshold"));
            }
            case table, markdown -> {
                out.printf(Locale.ROOT, "%s after %,d of %,d operations of %s (line %,d), %,d block%s live%n%n",
                        r.allocator(), r.opsReplayed(), r.totalOps(), r.trace(), r.line(), r.liveBlocks(),
                        r.liveBlocks() == 1 ? "" : "s");
                out.println("mallinfo2():");
                field(out, "arena", s.arena(), "bytes of the brk heap");
                field(out, "ordblks", s.ordblks(), "free blocks of the heap, top included");
                field(out, "smblks", s.smblks(), "free objects in the small bins (glibc: fastbin blocks)");
                field(out, "hblks", s.hblks(), "mmapped regions");
                field(out, "hblkhd", s.hblkhd(), "bytes in mmapped regions");
                field(out, "usmblks", s.usmblks(), "always 0, as in glibc");
                field(out, "fsmblks", s.fsmblks(), "bytes of free bin objects");
                field(out, "uordblks", s.uordblks(), "bytes of the heap in use: arena - fordblks");
                field(out, "fordblks", s.fordblks(), "free bytes of the heap");
                field(out, "keepcost", s.keepcost(), "the free top of the heap, which a trim gives back");
                out.println();
                out.println("malloc_stats():");
                out.print(s.mallocStatsText());
                out.println();
                out.println("byte ladder:");
                rung(out, "requested", r.requestedBytes(), "live payload the trace asked for", 0);
                rung(out, "allocated", s.allocatedBytes(), "usable bytes of live blocks", r.requestedBytes());
                rung(out, "active", s.activeBytes(), "pages holding a byte of a live block", s.allocatedBytes());
                rung(out, "mapped", s.mappedBytes(), "the heap to a page, plus mappings", s.activeBytes());
                out.printf(Locale.ROOT, "  %-10s %,14d   headers, slab headers and leftovers, mapping headers%n",
                        "metadata", s.metadataBytes());
                out.println();
                out.printf(Locale.ROOT, "thresholds: mmap %s%s, trim %s%n", Output.size(s.mmapThreshold()),
                        s.mmapThreshold() > 128 * 1024 ? " (raised by the dynamic threshold)" : "",
                        Output.size(s.trimThreshold()));
            }
        }
    }

    private static void field(PrintWriter out, String name, long value, String meaning) {
        out.printf(Locale.ROOT, "  %-9s= %12d   %s%n", name, value, meaning);
    }

    private static void rung(PrintWriter out, String name, long value, String meaning, long below) {
        String ratio = below > 0 ? String.format(Locale.ROOT, "  (%.1f%% above the rung below)",
                100.0 * (value - below) / below) : "";
        out.printf(Locale.ROOT, "  %-10s %,14d   %s%s%n", name, value, meaning, ratio);
    }
}
