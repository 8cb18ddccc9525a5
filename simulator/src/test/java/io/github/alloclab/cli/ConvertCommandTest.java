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

class ConvertCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mtrace", "ltrace", "rep213", "rep"})
    void aBundledTraceRoundTripsThroughEveryFormat(String via) throws IOException {
        Path middle = dir.resolve("middle." + via);
        Path back = dir.resolve("back.rep");
        var there = run("convert", "--to", via, "git_log_stat.rep", middle.toString());
        assertThat(there.exit()).as(there.err()).isZero();
        assertThat(there.err()).contains("56,077 operations (27,697 malloc, 810 realloc, 27,570 free), 127 blocks never freed");
        var again = run("convert", "--to", "rep", middle.toString(), back.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        try (var original = getClass().getResourceAsStream("/io/github/alloclab/trace/bundled/git_log_stat.rep")) {
            assertThat(Files.readAllBytes(back)).isEqualTo(original.readAllBytes());
        }
    }

    @Test
    void theMtraceSampleBecomesARepThatLeaks815() throws IOException {
        Path out = dir.resolve("ls.rep");
        var r = run("convert", "--to", "rep", "ls_l_usr_share_doc.mtrace", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("815 blocks never freed");
        assertThat(Files.readAllLines(out).subList(0, 4)).containsExactly("217088", "1659", "2506", "1");
    }

    @Test
    void badInputLeavesNoOutputAndExitsTwo() throws IOException {
        Path in = Files.writeString(dir.resolve("bad.ltrace"), "malloc(8) = 0x10\nmalloc(x) = 0x20\n");
        Path out = dir.resolve("out.rep");
        var r = run("convert", "--to", "rep", in.toString(), out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("alloclab: bad.ltrace:2: the size should be a number, not 'x'\n");
        assertThat(out).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(in);
        }
        assertThat(run("convert", in.toString(), out.toString()).err()).contains("Missing required option: '--to");
    }
}
