package io.github.alloclab.trace;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.github.alloclab.testing.Fuzz;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Feeds random text and mutated real traces to the {@code .rep}, mtrace and ltrace readers and to format
 * detection; a trace that reads is then profiled and converted to every format, as the commands do. Each may read the trace or reject it with a {@link TraceFormatException}; any other exception, or
 * a read that takes longer than {@link Fuzz#DEADLINE}, fails with the input shown.
 */
class TraceFuzzProperties {

    private static final String LTRACE = """
            malloc(16) = 0x5555555592a0
            calloc(4, 8) = 0x5555555592c0
            hello from the program, which ltrace interleaves
            realloc(0x5555555592a0, 32) = 0x5555555592f0
            1234 libfoo.so->malloc(100) = 0x555555559320
            [pid 1234] free(0x5555555592c0) = <void>
            free(nil)
            memalign(64, 100) = 0x555555559400
            realloc((nil), 8) = 0x555555559500
            realloc(0x555555559500, 0) = (nil)
            reallocarray(0x555555559320, 10, 20) = 0x555555559600
            aligned_alloc(4096, 4096) = 0x55555555a000
            posix_memalign(0x7ffe0000, 16, 32) = 0
            [pid 7] malloc(24 <unfinished ...>
            [pid 8] malloc(40) = 0x2000
            [pid 7] <... malloc resumed> ) = 0x1000
            [pid 8] realloc(0x2000, <unfinished ...>
            [pid 8] <... realloc resumed> 80) = 0x3000
            free(0x5555555592f0)
            """;
    private static final String REP213 = """
            1
            3
            5
            64
            a 0 16
            a 1 32
            r 0 48
            f 1
            a 2 8
            """;

    private static final List<String> REP = samples("rep", List.of("big.rep", "double-free.rep", "grow.rep",
            "mmap.rep"), "tsort_dag.rep");
    private static final List<String> MTRACE = samples("mtrace", List.of("bad.mtrace"), "ls_l_usr_share_doc.mtrace");

    /** The small examples of {@code docs/examples}, and the first lines of a bundled trace. */
    private static List<String> samples(String what, List<String> examples, String bundled) {
        List<String> samples = new ArrayList<>();
        try {
            for (String name : examples) {
                samples.add(Files.readString(Path.of("..", "docs", "examples", name)));
            }
            try (InputStream in = TraceFuzzProperties.class.getResourceAsStream("bundled/" + bundled)) {
                samples.add(Fuzz.head(new String(in.readAllBytes(), StandardCharsets.UTF_8), 60));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + " samples", e);
        }
        return samples;
    }

    /** Reads the whole trace in {@code format}, and once more in the format detection tells. */
    static void readAll(String text, TraceFormat format) {
        Fuzz.expectOnlyTyped(text, e -> e instanceof TraceFormatException, () -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try (TraceReader r = format.reader("fuzz", new ByteArrayInputStream(bytes))) {
                drain(r);
            } catch (TraceFormatException expected) {
                // the detection below must still not fail otherwise
            }
            TraceFormat detected = TraceFormat.detect("fuzz", new BufferedInputStream(new ByteArrayInputStream(bytes)));
            try (TraceReader r = detected.reader("fuzz", new ByteArrayInputStream(bytes))) {
                drain(r);
            }
            // What every command does next with a trace that reads: profile it, or convert it.
            TraceSource source = new TraceSource("fuzz", () -> new ByteArrayInputStream(bytes));
            TraceProfile.of(source);
            for (TraceFormat to : TraceFormat.values()) {
                TraceConverter.convert(source, to, Writer.nullWriter());
            }
        });
    }

    private static void drain(TraceReader r) {
        while (r.hasNext()) {
            TraceOp op = r.next();
            if (op.byteSize() < 0) {
                throw new AssertionError("a negative size came out: " + op);
            }
        }
        r.warnings();
    }

    private static void mutated(long seed, int examples, List<String> samples, TraceFormat format) {
        qt().withFixedSeed(Fuzz.seed(seed)).withExamples(Fuzz.examples(examples)).withShrinkCycles(300)
                .forAll(integers().between(0, samples.size() - 1), Fuzz.editLists(6))
                .checkAssert((which, edits) -> readAll(Fuzz.mutate(samples.get(which), edits), format));
    }

    @Test
    void mutatedRepTracesGetOnlyTheTypedError() {
        mutated(0x2E9, 2000, REP, TraceFormat.rep);
    }

    @Test
    void mutatedRep213TracesGetOnlyTheTypedError() {
        mutated(0x213, 1000, List.of(REP213), TraceFormat.rep213);
    }

    @Test
    void mutatedMtraceLogsGetOnlyTheTypedError() {
        mutated(0x3772ACE, 1500, MTRACE, TraceFormat.mtrace);
    }

    @Test
    void mutatedLtraceLogsGetOnlyTheTypedError() {
        mutated(0x17ACE, 1500, List.of(LTRACE), TraceFormat.ltrace);
    }

    @Test
    void randomTextGetsOnlyTheTypedError() {
        TraceFormat[] formats = TraceFormat.values();
        qt().withFixedSeed(Fuzz.seed(0x7E87)).withExamples(Fuzz.examples(1000))
                .forAll(integers().between(0, formats.length - 1),
                        Fuzz.randomText("0123456789abcdefx afr@+-<>!=()\n,[]pid.nil", 200))
                .checkAssert((f, text) -> readAll(text, formats[f]));
    }
}
