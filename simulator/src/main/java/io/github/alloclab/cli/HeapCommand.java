package io.github.alloclab.cli;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.heapmap.HeapMap;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.replay.ReplayObserver;
import io.github.alloclab.replay.PreparedTrace;
import io.github.alloclab.replay.ReplayOptions;
import io.github.alloclab.replay.Replayer;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceSource;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code alloclab heap}: the heap drawn after each operation of an operation list or a trace, as a row of cells
 * per region, coloured by what the bytes hold.
 */
@Command(name = "heap",
        header = "Draw the heap after each operation: blocks to scale, by state, region by region.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run an operation list (-A, as OSTEP's malloc.py) or replay a trace (checked, as 'replay' "
                + "does) on an allocator, and after each operation (or only after --at OP) print what it did, "
                + "'ptr[3] = malloc(30) -> 0x...', and the heap: one row of cells per region (the break's [heap], each "
                + "mmap'd region), each cell a power-of-two number of bytes, shown by what they hold: # allocated, "
                + "! red zone, = header or metadata, + padding, . free, _ no block. A cell that holds several shows "
                + "the first of that list, so a small block never vanishes. Colours on a terminal; the characters "
                + "alone otherwise.",
        footer = {"", "Examples:",
                "  alloclab heap -A +20,+30,-0,+10 --scale 16",
                "  alloclab heap -a buddy -A +100,+3000,+200000,-1",
                "  alloclab heap -a malloc find_doc_gz.rep --at 1000 --quiz"})
final class HeapCommand implements Callable<Integer> {

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME", defaultValue = "firstfit",
            description = "The allocator, any of 'alloclab list' (default: ${DEFAULT-VALUE}).")
    String allocator;

    @Option(names = {"-s", "--set"}, paramLabel = "SETTING=VALUE",
            description = "Override an allocator setting, such as trimThreshold=64K (see 'alloclab list').")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = {"-A", "--allocList"}, paramLabel = "OPS", converter = AllocList.Converter.class,
            description = "Operations instead of a trace: +SIZE mallocs SIZE bytes, -N frees the Nth malloc's block"
                    + " (from 0), as in malloc.py: +20,+30,-0,+10.")
    AllocList allocList;

    @Parameters(paramLabel = "TRACE", arity = "0..1", description = "A trace file, or the name of a bundled trace.")
    String trace;

    @Option(names = "--at", paramLabel = "OP",
            description = "Draw only after this many operations (0: before the first); default: after each.")
    Long at;

    @Option(names = "--width", paramLabel = "CELLS", defaultValue = "64",
            description = "Cells a row (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "4",
            description = "Rows a region may take when scaled: each cell is the smallest power of two of bytes that"
                    + " fits the region in N rows (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--scale", paramLabel = "BYTES", converter = ByteSizeConverter.class, defaultValue = "0",
            description = "Bytes a cell instead, a power of two (8 shows every boundary tag); a region then takes as"
                    + " many rows as it needs.")
    long scale;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", converter = ColorConverter.class,
            description = "auto (colours on a terminal), always or never (default: ${DEFAULT-VALUE}).")
    Ansi color;

    @Mixin
    QuizMixin quiz;

    @Spec
    CommandSpec spec;

    /** Payload address to bytes requested, for every block live now. */
    private final Map<Long, Long> requested = new HashMap<>();
    private HeapPicture picture;

    @Override
    public Integer call() {
        if ((allocList == null) == (trace == null)) {
            throw new ParameterException(spec.commandLine(), "give either a TRACE or -A OPS, not "
                    + (trace == null ? "neither" : "both"));
        }
        if (width < 1 || rows < 1) {
            throw new ParameterException(spec.commandLine(), "--width and --rows must be at least 1, not %d and %d"
                    .formatted(width, rows));
        }
        if (scale < 0 || Long.bitCount(scale) > 1) {
            throw new ParameterException(spec.commandLine(), "--scale must be a power of two, such as 16 or 4K, not "
                    + scale);
        }
        if (at != null && at < 0) {
            throw new ParameterException(spec.commandLine(), "--at must not be negative, not " + at);
        }
        quiz.hides(); // --quiz with --solve fails here, before anything is printed
        AllocatorRegistry registry = AllocatorRegistry.standard();
        registry.spec(allocator); // an unknown name fails here, listing the known ones
        picture = new HeapPicture(color, width);
        PrintWriter out = spec.commandLine().getOut();
        try (Allocator heap = registry.create(allocator, settings)) {
            int exit = allocList != null ? runList(heap, out) : runTrace(heap, out);
            out.flush();
            return exit;
        }
    }

    private int runList(Allocator heap, PrintWriter out) {
        if (at != null && at > allocList.ops().size()) {
            throw new ParameterException(spec.commandLine(), "--at %d is past the end: -A has %d operations"
                    .formatted(at, allocList.ops().size()));
        }
        out.println("allocator " + allocator);
        out.println("ops " + allocList.text());
        out.println(picture.legend());
        out.println();
        if (at != null && at == 0) {
            draw(heap, "before the first operation", out);
        }
        long[] pointers = new long[allocList.ops().size()];
        int done = 0;
        for (AllocList.Op op : allocList.ops()) {
            String line;
            if (op.malloc()) {
                long p = heap.malloc(op.byteSize());
                pointers[op.index()] = p;
                if (p != 0) {
                    requested.put(p, op.byteSize());
                }
                line = "ptr[%d] = malloc(%d) -> %s".formatted(op.index(), op.byteSize(), quiz.answer(address(p)));
            } else {
                long p = pointers[op.index()];
                heap.free(p);
                requested.remove(p);
                line = "free(ptr[%d])".formatted(op.index());
            }
            done++;
            if (at == null || at == done) {
                draw(heap, line, out);
            }
        }
        return 0;
    }

    private int runTrace(Allocator heap, PrintWriter out) {
        TraceSource source = ReplayCommand.source(trace);
        PreparedTrace prepared = new PreparedTrace(source);
        long total = prepared.profile().ops();
        if (at != null && at > total) {
            throw new ParameterException(spec.commandLine(), "--at %d is past the end: %s has %d operations"
                    .formatted(at, source.name(), total));
        }
        out.println("allocator " + allocator);
        out.printf(Locale.ROOT, "trace %s, %,d operations%n", source.name(), total);
        out.println(picture.legend());
        out.println();
        if (at != null && at == 0) {
            draw(heap, "before the first operation", out);
        }
        long[] done = {0};
        Map<Integer, Long> byId = new HashMap<>();
        ReplayObserver observer = (number, op, address, replayed, liveBytes) -> {
            done[0]++;
            Long before = op.kind() == TraceOp.Kind.ALLOC ? null : byId.remove(op.id());
            if (before != null) {
                requested.remove(before);
            }
            if (op.kind() != TraceOp.Kind.FREE) {
                byId.put(op.id(), address);
                requested.put(address, op.byteSize());
            }
            String line = switch (op.kind()) {
                case ALLOC -> "ptr[%d] = malloc(%d) -> %s".formatted(op.id(), op.byteSize(),
                        quiz.answer(address(address)));
                case REALLOC -> "ptr[%d] = realloc(ptr[%d], %d) -> %s".formatted(op.id(), op.id(), op.byteSize(),
                        quiz.answer(address(address)));
                case FREE -> "free(ptr[%d])".formatted(op.id());
            };
            if (at == null || at == done[0]) {
                draw(heap, String.format(Locale.ROOT, "%s   (op %,d, line %,d)", line, done[0], op.line()), out);
            }
        };
        Replayer.Prefix prefix = new Replayer(ReplayOptions.UNTIMED)
                .replayPrefix(prepared, heap, at != null ? at : total, observer);
        if (!prefix.valid()) {
            out.flush();
            spec.commandLine().getErr().printf("alloclab: %s on %s: %s%n", allocator, source.name(), prefix.error());
            spec.commandLine().getErr().flush();
            return AlloclabCommand.EXIT_ALLOCATOR_ERROR;
        }
        return 0;
    }

    private void draw(Allocator heap, String line, PrintWriter out) {
        out.println(line);
        if (quiz.hides()) {
            out.println("  " + QuizMixin.HIDDEN);
        } else {
            picture.print(HeapMap.of(heap, requested, (long) width * rows, scale), out);
        }
        out.println();
    }

    private static String address(long address) {
        return address == 0 ? "NULL" : "0x%x".formatted(address);
    }

    /** {@code --color}: auto, always or never, as picocli's {@link Ansi} AUTO, ON and OFF. */
    static final class ColorConverter implements ITypeConverter<Ansi> {
        @Override
        public Ansi convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "auto" -> Ansi.AUTO;
                case "always", "on", "yes" -> Ansi.ON;
                case "never", "off", "no" -> Ansi.OFF;
                default -> throw new TypeConversionException("'%s' is not auto, always or never".formatted(value));
            };
        }
    }
}
