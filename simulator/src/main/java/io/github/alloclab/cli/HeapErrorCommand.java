package io.github.alloclab.cli;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.SegmentationFault;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.registry.AllocatorRegistry;
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
 * {@code alloclab heaperror}: one classic heap mistake, made on a real allocator, and what the allocator says.
 * The mistake is a few C lines played on the allocator's own memory; the bytes around the block are dumped just
 * before the call that should catch it, so the red zones ({@code 0xcc}) and poison ({@code 0x6b}) of checked mode
 * are there to see.
 */
@Command(name = "heaperror",
        header = "Make a classic heap mistake and show what the allocator catches.", mixinStandardHelpOptions = true,
        description = {"Run one classic heap mistake on an allocator and report what it detects:",
                "  double-free     free the same block twice",
                "  overflow        write one byte past the end of a block, then free it",
                "  underflow       write one byte before the start of a block, then free it",
                "  use-after-free  write into a freed block, then allocate again",
                "  invalid         free a pointer malloc never returned",
                "  interior        free a pointer into the middle of a block",
                "The default allocator, firstfit.checked, guards every payload with 0xcc red zones and",
                "poisons freed payloads with 0x6b; try -a firstfit to see what an unchecked heap misses."},
        footer = {"", "Example: alloclab heaperror overflow -a firstfit",
                "         alloclab heaperror --matrix     (every kind on every allocator: detection rates)"})
final class HeapErrorCommand implements Callable<Integer> {

    enum Kind { DOUBLE_FREE, OVERFLOW, UNDERFLOW, USE_AFTER_FREE, INVALID, INTERIOR }

    private static final String KINDS = "double-free, overflow, underflow, use-after-free, invalid, interior";

    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "One of: " + KINDS + ".")
    String kind;

    @Option(names = "--matrix", description = {"Instead of one mistake, run every kind on every allocator of the",
            "registry over seeded random trials, and print the detection rates (%)."})
    boolean matrix;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "50",
            description = "With --matrix: trials per allocator and kind (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "With --matrix: the seed of the trials (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME", defaultValue = "firstfit.checked",
            description = "The allocator (default: ${DEFAULT-VALUE}).")
    String allocator;

    @Option(names = {"-s", "--set"}, paramLabel = "SETTING=VALUE",
            description = "Override an allocator setting, such as redZoneBytes=32 (see 'alloclab list').")
    Map<String, String> settings = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    /** The C lines shown, and the bytes dumped before the call that should catch the mistake. */
    private final List<String> program = new ArrayList<>();
    private List<String> dump = List.of();

    @Override
    public Integer call() {
        if (matrix) {
            if (kind != null) {
                throw new IllegalArgumentException("--matrix runs every heap error; give no KIND");
            }
            return matrix();
        }
        if (kind == null) {
            throw new IllegalArgumentException("missing heap error; heap errors: " + KINDS);
        }
        Kind demo;
        try {
            demo = Kind.valueOf(kind.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown heap error '%s'; heap errors: %s".formatted(kind, KINDS));
        }
        AllocatorRegistry registry = AllocatorRegistry.standard();
        registry.spec(allocator);
        PrintWriter out = spec.commandLine().getOut();
        // Over a simulated process's memory, so that a heap corrupted past the allocator's checks faults as a
        // real process would, at the address it strayed to.
        try (Allocator heap = registry.create(allocator, new SimulatedMemorySource(), settings)) {
            out.printf("allocator: %s%n", allocator);
            String caught = null;
            String crashed = null;
            try {
                run(demo, heap);
            } catch (HeapCorruptionException e) {
                caught = "%s (address 0x%x)%n   kind %s: the heap is unchanged, and still usable".formatted(e.reason(),
                        e.address(), e.kind());
            } catch (SegmentationFault e) {
                crashed = e.getMessage();
            }
            program.forEach(line -> out.println("  " + line));
            if (!dump.isEmpty()) {
                out.println();
                dump.forEach(out::println);
            }
            out.println();
            if (crashed != null) {
                out.println("=> SIGSEGV: the allocator followed a pointer the mistake had overwritten");
                out.println("   " + crashed);
                out.flush();
                return 0;   // a heap this broken cannot be checked
            }
            out.println(caught != null ? "=> caught: " + caught
                    : "=> not caught: the call returned as if nothing were wrong");
            List<Violation> violations = heap.check();
            out.printf("   check(): %s%n", violations.isEmpty() ? "no violation found"
                    : violations.size() + " violation" + (violations.size() == 1 ? "" : "s"));
            violations.stream().limit(5).forEach(v -> out.println("     " + v));
        }
        out.flush();
        return 0;
    }

    /** The detection matrix: a row per registry allocator, a column per kind, the rate of detected trials. */
    private int matrix() {
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be at least 1, not " + trials);
        }
        AllocatorRegistry registry = AllocatorRegistry.standard();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("detection rate (%%) of each heap error, %d seeded trials per cell (seed %d)%n", trials, seed);
        List<String> names = registry.names();
        List<List<String>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String name : names) {
            List<String> row = new ArrayList<>(List.of(name));
            for (Kind k : Kind.values()) {
                DetectionMatrix.Tally t = DetectionMatrix.run(registry, name, k, trials, seed);
                row.add(t.percent());
                String note = note(t);
                if (!note.isEmpty()) {
                    notes.add("  %s %s: %s".formatted(name, display(k), note));
                }
            }
            rows.add(row);
        }
        List<Columns.Col<List<String>>> cols = new ArrayList<>();
        cols.add(Columns.left("allocator", r -> r.get(0)));
        for (Kind k : Kind.values()) {
            int column = k.ordinal() + 1;
            cols.add(Columns.right(display(k), r -> r.get(column)));
        }
        @SuppressWarnings("unchecked")
        Columns.Col<List<String>>[] array = cols.toArray(Columns.Col[]::new);
        out.println(new Columns<>(array).ascii(rows));
        if (!notes.isEmpty()) {
            out.println("trials that crashed instead of being detected (out of each cell's trials):");
            notes.forEach(out::println);
        }
        out.flush();
        return 0;
    }

    private static String display(Kind k) {
        return k.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The trials that crashed the simulated process or broke the allocator, if any. */
    private static String note(DetectionMatrix.Tally t) {
        List<String> parts = new ArrayList<>();
        if (t.count(DetectionMatrix.Outcome.FAULT) > 0) {
            parts.add(t.count(DetectionMatrix.Outcome.FAULT) + " SIGSEGV");
        }
        if (t.count(DetectionMatrix.Outcome.BROKEN) > 0) {
            parts.add(t.count(DetectionMatrix.Outcome.BROKEN) + " other exception");
        }
        return String.join(", ", parts);
    }

    private void run(Kind demo, Allocator heap) {
        switch (demo) {
            case DOUBLE_FREE -> {
                long p = malloc(heap, "p", 24);
                malloc(heap, "q", 24, "a neighbour, so that p does not merge into the top");
                say("free(p);");
                heap.free(p);
                dump(heap, p, 24, "p");
                say("free(p);", "the second time");
                heap.free(p);
            }
            case OVERFLOW -> {
                long p = malloc(heap, "p", 24);
                malloc(heap, "q", 24, "a neighbour");
                say("memset(p, 'A', 25);", "one byte more than malloc gave");
                heap.memory().fill(p, 25, (byte) 'A');
                dump(heap, p, 24, "p");
                say("free(p);");
                heap.free(p);
            }
            case UNDERFLOW -> {
                long p = malloc(heap, "p", 24);
                malloc(heap, "q", 24, "a neighbour");
                say("p[-1] = 0;", "one byte before the start");
                heap.memory().putByte(p - 1, (byte) 0);
                dump(heap, p, 24, "p");
                say("free(p);");
                heap.free(p);
            }
            case USE_AFTER_FREE -> {
                long p = malloc(heap, "p", 24);
                malloc(heap, "q", 24, "a neighbour");
                say("free(p);");
                heap.free(p);
                say("p[8] = 42;", "a store through a dangling pointer");
                heap.memory().putByte(p + 8, (byte) 42);
                dump(heap, p, 24, "p");
                say("char *r = malloc(24);", "the same size again: LIFO hands p's block out first");
                heap.malloc(24);
            }
            case INVALID -> {
                malloc(heap, "p", 24);
                long bogus = 0x10000;
                say("free((void *) 0x%x);".formatted(bogus), "no block was ever there");
                heap.free(bogus);
            }
            case INTERIOR -> {
                long p = malloc(heap, "p", 200);
                malloc(heap, "q", 24, "a neighbour");
                say("free(p + 64);", "inside p's block, not its start");
                heap.free(p + 64);
            }
        }
    }

    private long malloc(Allocator heap, String name, long byteSize) {
        return malloc(heap, name, byteSize, null);
    }

    private long malloc(Allocator heap, String name, long byteSize, String why) {
        long address = heap.malloc(byteSize);
        if (address == 0) {
            throw new IllegalArgumentException("malloc(%d) returned NULL on %s".formatted(byteSize, allocator));
        }
        say("char *%s = malloc(%d);".formatted(name, byteSize),
                "%s = 0x%x".formatted(name, address) + (why == null ? "" : ", " + why));
        return address;
    }

    private void say(String line) {
        program.add(line);
    }

    private void say(String line, String comment) {
        program.add("%-36s // %s".formatted(line, comment));
    }

    /** The 16-byte rows from 32 bytes before the payload to 32 after it, as they are now. */
    private void dump(Allocator heap, long payload, long byteSize, String name) {
        List<String> rows = new ArrayList<>();
        rows.add("  the bytes around %s (%d bytes at 0x%x) before the last line:".formatted(name, byteSize, payload));
        long from = (payload - 32) & -16L;
        long to = (payload + byteSize + 32 + 15) & -16L;
        for (long row = from; row < to; row += 16) {
            StringBuilder line = new StringBuilder("  0x%x ".formatted(row));
            for (long a = row; a < row + 16; a++) {
                line.append(a % 8 == 0 ? "  " : " ");
                line.append("%02x".formatted(heap.memory().getByte(a) & 0xff));
            }
            if (payload >= row && payload < row + 16) {
                line.append("   <- ").append(name);
            } else if (payload + byteSize - 1 >= row && payload + byteSize - 1 < row + 16) {
                line.append("   <- end of ").append(name);
            }
            rows.add(line.toString());
        }
        dump = rows;
    }
}
