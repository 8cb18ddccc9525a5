package io.github.alloclab.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.BuddyInfo;
import io.github.alloclab.allocator.BuddyInfoView;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.buddy.BuddyAllocator;
import io.github.alloclab.buddy.BuddyStats;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.replay.PreparedTrace;
import io.github.alloclab.replay.ReplayOptions;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code alloclab buddyinfo}: a trace replayed up to an operation, then the allocator's free blocks per order
 * in the format of Linux's {@code /proc/buddyinfo}.
 */
@Command(name = "buddyinfo",
        header = "Free blocks per order after part of a trace, as /proc/buddyinfo.",
        mixinStandardHelpOptions = true,
        description = {"Replay a trace (checked, as 'replay' does) up to an operation, then print the allocator's",
                "free blocks per order as Linux's /proc/buddyinfo does: column k counts the free blocks of",
                "order k, each (order-0 block) << k bytes. For the page allocator, a free run of n pages",
                "counts at order floor(log2 n)."},
        footer = {"", "Example: alloclab buddyinfo tsort_dag.rep --at 50000 --details"})
final class BuddyInfoCommand implements Callable<Integer> {

    @Option(names = "--at", paramLabel = "OP",
            description = "Stop after this many operations (default: the whole trace).")
    Long at;

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME", defaultValue = "buddy",
            description = "An allocator that keeps free blocks by order (default: ${DEFAULT-VALUE}).")
    String allocator;

    @Option(names = {"-s", "--set"}, paramLabel = "SETTING=VALUE",
            description = "Override an allocator setting, such as minBlock=32 (see 'alloclab list').")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--details",
            description = "Also print a table per order and the fragmentation figures (table format).")
    boolean details;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (the buddyinfo line), json, or csv (one row per order) (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Parameters(paramLabel = "TRACE", description = "A trace file, or the name of a bundled trace.")
    String trace;

    @Mixin
    QuizMixin quiz;

    /**
     * The answers of a quiz: the free blocks per order, and with {@code --details} the free blocks and bytes of
     * each order and every figure; the orders and block sizes are the question.
     */
    static final List<QuizMixin.Mask> ANSWERS = List.of(
            QuizMixin.Mask.aligned("(?:^Node \\d+, zone +\\S+|\\G) +(\\d+)"),
            QuizMixin.Mask.aligned("^\\| +\\d+ \\| +\\d+ \\S+ \\| +([\\d,]+) \\| +([\\d,]+) \\|$"),
            QuizMixin.Mask.aligned("^(?:live blocks|requested bytes|allocated bytes|internal fragmentation|free bytes"
                    + "|footprint) +([\\d,]+)"),
            QuizMixin.Mask.compact("\\(([\\d.]+%) of allocated"),
            QuizMixin.Mask.compact("^arenas ([\\d,]+), splits ([\\d,]+), merges ([\\d,]+)"));

    @Spec
    CommandSpec spec;

    /** What the command reports, and its JSON form. */
    record Report(String trace, String allocator, long opsReplayed, long totalOps, long line, String buddyinfo,
                  long orderZeroBytes, List<Long> freeBlocks, List<Long> freeBytesPerOrder, boolean exactOrders,
                  long liveBlocks, long requestedBytes,
                  long allocatedBytes, long internalFragmentationBytes, long freeBytes, long footprintBytes,
                  Long arenas, Long splits, Long merges) {

        double internalFragmentation() {
            return allocatedBytes == 0 ? 0 : (double) internalFragmentationBytes / allocatedBytes;
        }
    }

    @Override
    public Integer call() {
        TraceSource source = ReplayCommand.source(trace);
        AllocatorRegistry registry = AllocatorRegistry.standard();
        registry.spec(allocator); // an unknown name fails here, listing the known ones
        quiz.requireText(format == OutputFormat.table, format.name());
        PrintWriter out = quiz.mask(spec.commandLine().getOut(), ANSWERS);
        try (Allocator heap = registry.create(allocator, settings)) {
            if (!(heap instanceof BuddyInfoView view)) {
                throw new IllegalArgumentException("'%s' keeps no free blocks by order; buddyinfo needs a buddy or"
                        .formatted(allocator) + " page allocator, such as buddy, buddy.header, buddy.mmap or page");
            }
            PreparedTrace prepared = new PreparedTrace(source);
            Replayer.Prefix prefix = new Replayer(ReplayOptions.UNTIMED)
                    .replayPrefix(prepared, heap, at != null ? at : prepared.profile().ops());
            if (!prefix.valid()) {
                spec.commandLine().getErr().printf("alloclab: %s on %s: %s%n", allocator, source.name(), prefix.error());
                spec.commandLine().getErr().flush();
                return AlloclabCommand.EXIT_ALLOCATOR_ERROR;
            }
            print(report(prefix, heap, view.buddyInfo()), out);
        }
        out.flush();
        return 0;
    }

    private Report report(Replayer.Prefix prefix, Allocator heap, BuddyInfo info) {
        HeapStats stats = heap.stats();
        BuddyStats buddy = heap instanceof BuddyAllocator b ? b.buddyStats() : null;
        return new Report(prefix.trace(), allocator, prefix.opsReplayed(), prefix.totalOps(), prefix.line(),
                info.line(), info.orderZeroBytes(), info.freeBlocks(), info.freeBytesPerOrder(), info.exact(),
                prefix.liveBlocks(), prefix.payloadBytes(),
                stats.allocatedBytes(), stats.allocatedBytes() - prefix.payloadBytes(), info.freeBytes(),
                stats.footprintBytes(), buddy == null ? null : (long) buddy.arenas(),
                buddy == null ? null : buddy.splits(), buddy == null ? null : buddy.merges());
    }

    private void print(Report r, PrintWriter out) {
        switch (format) {
            case json -> out.println(Output.json(r));
            case csv -> {
                List<Object[]> rows = new ArrayList<>();
                for (int k = 0; k < r.freeBlocks().size(); k++) {
                    rows.add(new Object[] {k, r.orderZeroBytes() << k, r.freeBlocks().get(k),
                            r.freeBytesPerOrder().get(k)});
                }
                out.print(Output.csv(rows, "order", "blockBytes", "freeBlocks", "freeBytes"));
            }
            case table -> {
                out.println(r.buddyinfo());
                if (details) {
                    printDetails(r, out);
                }
            }
        }
    }

    private static void printDetails(Report r, PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "%s after %,d of %,d operations of %s (line %,d)%n", r.allocator(), r.opsReplayed(),
                r.totalOps(), r.trace(), r.line());
        List<Integer> orders = new ArrayList<>();
        for (int k = 0; k < r.freeBlocks().size(); k++) {
            orders.add(k);
        }
        out.println(AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, orders, List.of(
                new Column().header("order").dataAlign(HorizontalAlign.RIGHT).with(k -> Integer.toString(k)),
                new Column().header("block").dataAlign(HorizontalAlign.RIGHT)
                        .with(k -> size(r.orderZeroBytes() << k)),
                new Column().header("free blocks").dataAlign(HorizontalAlign.RIGHT)
                        .with(k -> Output.bytes(r.freeBlocks().get(k))),
                new Column().header("free bytes").dataAlign(HorizontalAlign.RIGHT)
                        .with(k -> Output.bytes(r.freeBytesPerOrder().get(k))))));
        if (!r.exactOrders()) {
            out.println("(free blocks come in any number of order-0 blocks here: order k counts those of 2^k to"
                    + " 2^(k+1) - 1)");
        }
        out.printf(Locale.ROOT, "live blocks            %,15d%n", r.liveBlocks());
        out.printf(Locale.ROOT, "requested bytes        %,15d%n", r.requestedBytes());
        out.printf(Locale.ROOT, "allocated bytes        %,15d   (whole blocks, headers included)%n", r.allocatedBytes());
        out.printf(Locale.ROOT, "internal fragmentation %,15d   (%s of allocated: rounding up to block sizes)%n",
                r.internalFragmentationBytes(), Output.percent(r.internalFragmentation()));
        out.printf(Locale.ROOT, "free bytes             %,15d%n", r.freeBytes());
        out.printf(Locale.ROOT, "footprint              %,15d   (heap + mapped)%n", r.footprintBytes());
        if (r.arenas() != null) {
            out.printf(Locale.ROOT, "arenas %,d, splits %,d, merges %,d%n", r.arenas(), r.splits(), r.merges());
        }
    }

    /** {@return a power-of-two size in B, KiB, MiB or GiB} */
    private static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
