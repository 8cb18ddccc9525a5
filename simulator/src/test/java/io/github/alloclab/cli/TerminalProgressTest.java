package io.github.alloclab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.replay.ReplayProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {

    @Test
    void aLongReplayOnATerminalShowsABar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var handle = TerminalProgress.open(400_000, true, new PrintStream(bytes, true, StandardCharsets.UTF_8), 100)) {
            assertThat(handle.progress()).isNotSameAs(ReplayProgress.NONE);
            handle.progress().phase("firstfit on tsort_dag.rep");
            handle.progress().advanced(200_000);
        }
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("replay", "%", "firstfit on tsort_dag.rep");
    }

    @Test
    void pipedOutputOrAShortReplayShowsNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (var piped = TerminalProgress.open(10_000_000, false, out, 100);
             var shortOne = TerminalProgress.open(TerminalProgress.MIN_OPS - 1, true, out, 100)) {
            assertThat(piped.progress()).isSameAs(ReplayProgress.NONE);
            assertThat(shortOne.progress()).isSameAs(ReplayProgress.NONE);
        }
        assertThat(bytes.size()).isZero();
    }

    @Test
    void theTestRunIsNotATerminalSoTheCommandPrintsNoBar() {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            var r = CliRun.run("replay", "--no-timing", "--format", "csv", "tsort_dag.rep");
            assertThat(r.exit()).isZero();
        } finally {
            System.setErr(saved);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("replay", "%");
    }
}
