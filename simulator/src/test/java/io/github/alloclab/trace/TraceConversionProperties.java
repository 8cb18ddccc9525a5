package io.github.alloclab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.github.alloclab.testing.RandomTraces;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through {@code convert}: the operations on blocks survive every pair of formats. */
class TraceConversionProperties {

    @TempDir
    Path dir;

    private static List<String> ops(TraceSource source) {
        List<String> ops = new ArrayList<>();
        try (TraceReader r = source.open()) {
            r.forEachRemaining(op -> ops.add(op.kind() + " " + op.id() + " " + op.byteSize()));
        }
        return ops;
    }

    private static String convert(String name, String text, TraceFormat to) {
        StringWriter out = new StringWriter();
        TraceConverter.convert(RandomTraces.source(name, text), to, out);
        return out.toString();
    }

    @Test
    void everyFormatKeepsTheOperations() {
        qt().withFixedSeed(0xC0DE).withExamples(100).forAll(RandomTraces.steps(150)).checkAssert(steps -> {
            String rep = RandomTraces.rep(RandomTraces.ops(steps));
            List<String> expected = ops(RandomTraces.source("in.rep", rep));
            for (TraceFormat via : TraceFormat.values()) {
                String converted = convert("in.rep", rep, via);
                TraceSource middle = RandomTraces.source("mid", converted);
                assertThat(middle.detectFormat()).as("detected after conversion to %s", via)
                        .isEqualTo(via == TraceFormat.rep213 && expected.isEmpty() ? TraceFormat.rep : via);
                assertThat(ops(middle.withFormat(via))).as("via %s", via).isEqualTo(expected);
                String back = convert("mid", converted, TraceFormat.rep);
                assertThat(back).as("rep -> %s -> rep", via).isEqualTo(rep.replaceFirst("^0\n", suggested(back)));
            }
        });
    }

    /** The heap size line a written trace carries (the generated ones say 0). */
    private static String suggested(String written) {
        return written.substring(0, written.indexOf('\n') + 1);
    }

    @Test
    void theBundledTracesRoundTripByteForByte() throws IOException {
        for (String name : BundledTraces.names()) {
            for (TraceFormat via : List.of(TraceFormat.mtrace, TraceFormat.ltrace, TraceFormat.rep213)) {
                Path middle = dir.resolve(name + "." + via);
                Path back = dir.resolve(name + "." + via + ".rep");
                TraceConverter.convert(BundledTraces.find(name).orElseThrow(), via, middle);
                TraceConverter.convert(TraceSource.of(middle), TraceFormat.rep, back);
                try (var original = BundledTraces.class.getResourceAsStream("bundled/" + name)) {
                    assertThat(Files.readAllBytes(back)).as("%s via %s", name, via).isEqualTo(original.readAllBytes());
                }
            }
        }
    }

    @Test
    void theMtraceSampleKeepsItsBlocksThroughRep() {
        TraceSource sample = BundledTraces.find("ls_l_usr_share_doc.mtrace").orElseThrow();
        String rep = convert("s", textOf(sample), TraceFormat.rep);
        String mtrace = convert("s.rep", rep, TraceFormat.mtrace);
        assertThat(ops(RandomTraces.source("again", mtrace))).isEqualTo(ops(sample));
        assertThat(TraceProfile.of(RandomTraces.source("again", mtrace)).leakedBlocks()).isEqualTo(815);
    }

    private static String textOf(TraceSource source) {
        try (var in = source.opener().open()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
