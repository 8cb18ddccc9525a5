package io.github.alloclab.cli;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.memory.Vma;
import io.github.alloclab.process.SimulatedProcess;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.trace.RepTraceReader;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab pmap}: a simulated process's mappings with sizes and resident memory, as {@code pmap -x}. */
@Command(name = "pmap",
        header = "Load an executable and print its mappings with sizes and RSS.", mixinStandardHelpOptions = true,
        description = {"Load an executable into a simulated process and print its mappings as pmap -x does:",
                "size, resident (RSS) and dirty kilobytes, and mode, per mapping. Pages become resident",
                "when first touched: by the loader (the stack, the last data page), by --touch, or by an",
                "allocator replaying a trace in the process's heap (--replay)."},
        footer = {"", "Example: alloclab pmap ./prog --replay tsort_dag.rep -a firstfit"})
final class PmapCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The executable.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    @Mixin
    ProcessMixin process;

    @Option(names = "--touch", description = "Write to every page of the heap after --sbrk, making it resident.")
    boolean touch;

    @Option(names = "--replay", paramLabel = "TRACE",
            description = "Replay a trace (file or bundled name) with an allocator in the process's heap first.")
    String replay;

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME", defaultValue = "firstfit",
            description = "The allocator for --replay (default: ${DEFAULT-VALUE}).")
    String allocator;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (SimulatedProcess p = process.start(file, args)) {
            SimulatedMemorySource memory = p.memory();
            if (touch && memory.brk() > memory.heapStart()) {
                memory.fill(memory.heapStart(), memory.brk() - memory.heapStart(), (byte) 0x5a);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (replay != null) {
                Allocator heap = AllocatorRegistry.standard().create(allocator, memory, Map.of());
                long ops = replay(heap, ReplayCommand.source(replay));
                out.printf("# after replaying %s (%,d operations) with %s in the heap: %d minor faults%n",
                        replay, ops, allocator, memory.minorFaults());
            }
            print(p, out);
            out.flush();
        }
        return 0;
    }

    /** Runs the trace's mallocs, reallocs and frees, writing every byte handed out so that it is touched. */
    static long replay(Allocator heap, TraceSource trace) {
        Map<Integer, long[]> live = new HashMap<>();
        long ops = 0;
        try (RepTraceReader reader = trace.openRep()) {
            while (reader.hasNext()) {
                TraceOp op = reader.next();
                ops++;
                switch (op.kind()) {
                    case ALLOC -> {
                        long address = heap.malloc(op.byteSize());
                        if (address == 0) {
                            throw new IllegalArgumentException("line %d: malloc(%d) returned NULL: the process's heap is full"
                                    .formatted(op.line(), op.byteSize()));
                        }
                        heap.memory().fill(address, op.byteSize(), (byte) op.id());
                        live.put(op.id(), new long[] {address, op.byteSize()});
                    }
                    case REALLOC -> {
                        long[] block = live.get(op.id());
                        long address = heap.realloc(block == null ? 0 : block[0], op.byteSize());
                        if (address == 0 && op.byteSize() > 0) {
                            throw new IllegalArgumentException("line %d: realloc returned NULL".formatted(op.line()));
                        }
                        heap.memory().fill(address, op.byteSize(), (byte) op.id());
                        live.put(op.id(), new long[] {address, op.byteSize()});
                    }
                    case FREE -> {
                        long[] block = live.remove(op.id());
                        if (block != null) {
                            heap.free(block[0]);
                        }
                    }
                }
            }
        }
        return ops;
    }

    /** Prints the mappings in {@code pmap -x}'s columns. */
    static void print(SimulatedProcess p, PrintWriter out) {
        SimulatedMemorySource memory = p.memory();
        out.println("alloclab:   " + String.join(" ", p.argv()));
        out.println("Address           Kbytes     RSS   Dirty Mode  Mapping");
        long size = 0;
        long rss = 0;
        long dirty = 0;
        for (Vma v : memory.vmas()) {
            long k = v.byteSize() >> 10;
            long r = memory.residentBytes(v.start(), v.end()) >> 10;
            long d = memory.dirtyBytes(v.start(), v.end()) >> 10;
            size += k;
            rss += r;
            dirty += d;
            String mode = v.permissions().substring(0, 3) + (v.permissions().endsWith("s") ? "s" : "-") + "-";
            String mapping = v.isFileBacked() ? Path.of(v.file().path()).getFileName().toString()
                    : v.name().equals("[stack]") ? "  [ stack ]" : "  [ anon ]";
            out.printf("%016x %7d %7d %7d %s %s%n", v.start(), k, r, d, mode, mapping);
        }
        out.println("---------------- ------- ------- ------- ");
        out.printf("total kB %15d %7d %7d%n", size, rss, dirty);
    }
}
