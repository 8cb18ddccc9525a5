package io.github.alloclab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.alloclab.testing.RandomTraces;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MtraceReaderTest {

    private static final String SAMPLE = "ls_l_usr_share_doc.mtrace";

    @TempDir
    Path dir;

    private static List<TraceOp> readAll(TraceReader reader) {
        List<TraceOp> ops = new ArrayList<>();
        try (reader) {
            reader.forEachRemaining(ops::add);
        }
        return ops;
    }

    private static MtraceReader reader(String text) {
        return new MtraceReader("t.mtrace", new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theSampleLeaks815BlocksAsGlibcsMtraceScriptSays() {
        TraceProfile p = TraceProfile.of(BundledTraces.find(SAMPLE).orElseThrow());
        assertThat(p.format()).isEqualTo(TraceFormat.mtrace);
        assertThat(p.leakedBlocks()).isEqualTo(815);
        assertThat(p.allocs()).isEqualTo(1659);
        assertThat(p.frees()).isEqualTo(844);
        assertThat(p.reallocs()).isEqualTo(3);
        assertThat(p.ops()).isEqualTo(1659 + 844 + 3);
        assertThat(p.warningCount()).isZero();
    }

    @Test
    void readsEveryKindOfLineAndSkipsWhatTheScriptSkips() {
        TraceReader r = reader("""
                = Start
                @ ./prog:[0x1149] + 0x10 0x20
                @ ./prog:[0x1150] - (nil)
                - 0x99
                @ ./prog:(main+0x1f)[0x1160] < 0x10
                @ ./prog:(main+0x1f)[0x1160] > 0x30 0x40
                + (nil) 0x10
                + 0x30 0x8
                < 0x30
                + 0x50 0x1
                ! 0x50 0x100
                = End
                """);
        List<TraceOp> ops = readAll(r);
        assertThat(ops).containsExactly(
                new TraceOp(TraceOp.Kind.ALLOC, 0, 0x20, 2),
                new TraceOp(TraceOp.Kind.REALLOC, 0, 0x40, 5),
                new TraceOp(TraceOp.Kind.FREE, 0, 0, 9),
                new TraceOp(TraceOp.Kind.ALLOC, 1, 1, 10));
        assertThat(r.warningCount()).isEqualTo(4);
        assertThat(r.warnings()).containsExactly(
                "t.mtrace:4: free of 0x99, which was never allocated; skipped",
                "t.mtrace:7: an allocation of 16 bytes failed (returned NULL); skipped",
                "t.mtrace:8: 0x30 is allocated again while still live (duplicate); the first block stays",
                "t.mtrace:11: realloc(0x50, 0x100) failed; the block stays");
    }

    @Test
    void aReallocOfAnUnknownAddressIsANewBlock() {
        List<TraceOp> ops = readAll(reader("< 0x70\n> 0x80 0x10\n- 0x80\n"));
        assertThat(ops).containsExactly(new TraceOp(TraceOp.Kind.ALLOC, 0, 16, 1),
                new TraceOp(TraceOp.Kind.FREE, 0, 0, 3));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad address      | '+ 0xzz 0x10'    | t.mtrace:1: the address should be a number, not '0xzz'
            missing size     | '@ a + 0x10'     | t.mtrace:1: '+' takes '+ 0xaddress 0xsize', not '@ a + 0x10'
            not mtrace       | 'hello world'    | t.mtrace:1: expected an mtrace line ('+ 0xaddress 0xsize', '- 0xaddress', '< 0xold', '> 0xnew 0xsize', '= Start'), not 'hello world'
            caller only      | '@ ./prog:[0x1]' | t.mtrace:1: expected an operation after the caller, not '@ ./prog:[0x1]'
            """)
    void malformedLinesNameFileAndLine(String what, String line, String message) {
        assertThatThrownBy(() -> readAll(reader(line + "\n"))).as(what)
                .isInstanceOf(TraceFormatException.class).hasMessage(message);
    }

    /** glibc's own {@code mtrace} script, where it is installed, agrees on every trace we write. */
    @Test
    void glibcsMtraceScriptCountsTheSameBlocksNotFreed() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mtrace")), "glibc's mtrace script is not installed");
        Path sample = dir.resolve(SAMPLE);
        try (var in = BundledTraces.class.getResourceAsStream("bundled/" + SAMPLE)) {
            Files.copy(in, sample);
        }
        assertThat(scriptLeaks(sample)).isEqualTo(815);

        var ops = RandomTraces.ops(generated());
        String rep = RandomTraces.rep(ops);
        StringWriter mtrace = new StringWriter();
        TraceProfile p = TraceConverter.convert(RandomTraces.source("g.rep", rep), TraceFormat.mtrace, mtrace);
        Path log = Files.writeString(dir.resolve("g.mtrace"), mtrace.toString());
        assertThat(scriptLeaks(log)).isEqualTo(p.leakedBlocks()).isPositive();
    }

    private static List<RandomTraces.Step> generated() {
        List<RandomTraces.Step> steps = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < 400; i++) {
            steps.add(new RandomTraces.Step(random.nextInt(100), random.nextInt(1000), random.nextInt(5000)));
        }
        return steps;
    }

    private static long scriptLeaks(Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/mtrace", log.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> l.startsWith("0x")).count();
    }
}
