package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code alloclab threads}: refusals named, every run checked, over either memory source. */
class ThreadsCommandTest {

    @Test
    void overFlatMemoryMallocServesASecondThreadAndFirstFitRefusesIt() {
        CliRun r = run("threads", "-a", "malloc,firstfit.checked,buddy", "--threads", "1,3", "--ops", "2000");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("\\| malloc +\\| yes +\\| served")
                .contains("refused: allocator firstfit.checked is confined to thread 'first' but was")
                .containsPattern("\\| malloc +\\| itself \\(magazines\\) +\\| +3 \\|")
                .containsPattern("\\| buddy +\\| ConcurrentAllocator +\\| +3 \\|")
                .doesNotContain("VIOLATIONS");
    }

    @Test
    void overSimulatedMemoryEvenMallocIsConfinedAndOnlyTheWrapperShares() {
        CliRun r = run("threads", "-a", "malloc,slab", "--threads", "2", "--ops", "2000", "--memory", "simulated",
                "--max-size", "300");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("| malloc    | no          | refused: allocator malloc is confined")
                .contains("| slab      | no          | refused: allocator slab is confined")
                .doesNotContain("itself (magazines)")
                .contains("| malloc    | ConcurrentAllocator |       2 |")
                .doesNotContain("VIOLATIONS");
    }
}
