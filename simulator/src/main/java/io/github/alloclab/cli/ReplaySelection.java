package io.github.alloclab.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code replay} and {@code compare} share: which allocators, over which memory, what output, whether to time. */
final class ReplaySelection {

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME",
            description = "An allocator from 'alloclab list'; repeat for several (default: all of them).")
    List<String> allocators = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--no-timing", description = "Skip the timed runs: check only (ops/s is then 0).")
    boolean noTiming;

    @Option(names = "--memory", paramLabel = "SOURCE", defaultValue = "flat",
            description = "flat (fast) or simulated (pages: reports peak RSS and page faults) (default: ${DEFAULT-VALUE}).")
    MemoryChoice memory;
}
