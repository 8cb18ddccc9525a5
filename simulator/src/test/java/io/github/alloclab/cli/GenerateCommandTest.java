package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenerateCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"random", "binary", "coalesce", "realloc", "phased"})
    void sameSeedSameFileAndTheFileReplays(String kind) throws IOException {
        Path a = dir.resolve("a.rep");
        Path b = dir.resolve("b.rep");
        var r = run("generate", kind, "--seed", "42", "--ops", "2000", a.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).startsWith("alloclab: " + kind + " (seed 42) -> ");
        assertThat(run("generate", kind, "--seed", "42", "--ops", "2000", b.toString()).exit()).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        var replay = run("replay", "--no-timing", "--format", "csv", a.toString());
        assertThat(replay.exit()).as(replay.err()).isZero();
    }

    @Test
    void aHistogramFromATableInAnotherFormat() throws IOException {
        Path table = Files.writeString(dir.resolve("w.tbl"), "# size weight lifetime\n32 3 20\n1000-2000 1 inf\n");
        Path out = dir.resolve("h.ltrace");
        var r = run("generate", "histogram", "--table", table.toString(), "--to", "ltrace", "--ops", "1000", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllLines(out).getFirst()).matches("malloc\\(\\d+\\) = 0x[0-9a-f]+");
        var replay = run("replay", "--no-timing", "--format", "json", out.toString());
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("\"leakedBlocks\"");
    }

    @Test
    void badRequestsAreOneLineAndExitTwo() throws IOException {
        Path table = Files.writeString(dir.resolve("bad.tbl"), "32 3\n");
        for (String[] args : new String[][] {
                {"generate", "histogram", dir.resolve("x.rep").toString()},
                {"generate", "histogram", "--table", table.toString(), dir.resolve("x.rep").toString()},
                {"generate", "binary", "--max-size", "20", dir.resolve("x.rep").toString()},
                {"generate", "random", "--min-size", "100", "--max-size", "10", dir.resolve("x.rep").toString()},
                {"generate", "fractal", dir.resolve("x.rep").toString()}}) {
            var r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.err()).startsWith("alloclab: ");
        }
        assertThat(dir.resolve("x.rep")).doesNotExist();
    }
}
