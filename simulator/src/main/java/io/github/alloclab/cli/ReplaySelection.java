package io.github.alloclab.cli;

import java.util.ArrayList;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.trace.TraceFormat;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options {@code replay} and {@code compare} share: which allocators, what output, whether to time, and how
 * to read the traces.
 */
final class ReplaySelection {

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME",
            description = "An allocator from 'alloclab list'; repeat for several (default: all of them).")
    List<String> allocators = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json, csv or markdown (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--trace-format", paramLabel = "FORMAT",
            description = "Read the named traces in this format (${COMPLETION-CANDIDATES}) instead of telling it "
                    + "from their content.")
    TraceFormat traceFormat;

    @Option(names = "--no-timing", description = "Skip the timed runs: check only (ops/s is then 0).")
    boolean noTiming;

    @Option(names = "--memory", paramLabel = "SOURCE", defaultValue = "flat",
            description = "flat (fast; resident memory estimated from touched pages) or simulated (page tables: "
                    + "resident memory and page faults counted exactly, every access checked) (default: ${DEFAULT-VALUE}).")
    MemoryChoice memory;

    @Option(names = "--heap-limit", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "The most the heap may grow to, a multiple of 4K such as 256K; sbrk past it fails, as "
                    + "RLIMIT_DATA makes it fail (default: 1G).")
    Long heapLimit;

    @Option(names = "--mmap-limit", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "The most the mmap area may span, a multiple of 4K; mmap past it fails (default: 1G).")
    Long mmapLimit;

    /** {@return the memory settings with the limits asked for} */
    MemorySettings memorySettings() {
        MemorySettings settings = MemorySettings.DEFAULTS;
        if (heapLimit != null) {
            settings = settings.withHeapLimit(heapLimit);
        }
        return mmapLimit == null ? settings : settings.withMmapLimit(mmapLimit);
    }
}
