package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code alloclab buddyinfo}: the kernel's format, golden lines, the other formats, and bad input. */
class BuddyInfoCommandTest {

    @Test
    void printsOneLineInTheKernelsFormat() {
        CliRun r = run("buddyinfo", "git_log_stat.rep", "--at", "3000");
        assertThat(r.exit()).as(r.err()).isZero();
        // "Node %d, zone %8s " then "%6lu " per order: orders 0 to 12 of the default buddy
        assertThat(r.out()).matches("Node 0, zone   Normal ( {0,5}\\d{1,6} ){13}\\R");
    }

    @Test
    void goldenLines() {
        assertThat(run("buddyinfo", "find_doc_gz.rep", "--at", "1000").out()).isEqualTo(
                "Node 0, zone   Normal      0      0      0      1      1      1      2      1      0      1      1      0      0 \n");
        assertThat(run("buddyinfo", "find_doc_gz.rep", "--at", "0").out()).as("no arena yet").isEqualTo(
                "Node 0, zone   Normal " + "     0 ".repeat(13) + "\n");
        assertThat(run("buddyinfo", "git_log_stat.rep", "-a", "page", "--at", "20000").out()).isEqualTo(
                "Node 0, zone   Normal      1      0      0      0      0      0      0      1 \n");
    }

    @Test
    void jsonAddsUp() throws Exception {
        CliRun r = run("buddyinfo", "tsort_dag.rep", "--at", "50000", "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("opsReplayed").asLong()).isEqualTo(50_000);
        long free = 0;
        for (int k = 0; k < json.get("freeBlocks").size(); k++) {
            free += json.get("freeBlocks").get(k).asLong() * (16L << k);
        }
        assertThat(json.get("freeBytes").asLong()).isEqualTo(free);
        assertThat(json.get("buddyinfo").asText()).startsWith("Node 0, zone   Normal");
        long arenas = json.get("arenas").asLong();
        // No request of tsort's first 50,000 is above 32 KiB: every allocated byte is in a 64 KiB arena.
        assertThat(free + json.get("allocatedBytes").asLong() + arenas * 4 * 1024).isEqualTo(arenas * 64 * 1024);
        assertThat(json.get("internalFragmentationBytes").asLong())
                .isEqualTo(json.get("allocatedBytes").asLong() - json.get("requestedBytes").asLong()).isPositive();
    }

    @Test
    void csvHasARowPerOrderAndDetailsATable() {
        CliRun csv = run("buddyinfo", "find_doc_gz.rep", "--at", "500", "--format", "csv", "-a", "buddy.header");
        assertThat(csv.out().lines()).hasSize(1 + 12).first().isEqualTo("order,blockBytes,freeBlocks,freeBytes");
        assertThat(csv.out().lines().skip(1)).allMatch(line -> line.matches("\\d+,\\d+,\\d+,\\d+"));
        CliRun details = run("buddyinfo", "find_doc_gz.rep", "--details");
        assertThat(details.out()).contains("buddy after 25,106 of 25,106 operations of find_doc_gz.rep")
                .containsPattern("\\| order \\| block +\\| free blocks \\| free bytes \\|").contains("internal fragmentation")
                .contains("arenas 1,");
    }

    @Test
    void badInputGetsAClearMessageAndExitCode2() {
        assertThat(run("buddyinfo", "find_doc_gz.rep", "-a", "firstfit"))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("'firstfit' keeps no free blocks by order"));
        assertThat(run("buddyinfo", "find_doc_gz.rep", "--at", "25107").err())
                .contains("find_doc_gz.rep has 25106 operations; cannot stop after 25107");
        assertThat(run("buddyinfo", "no/such.rep").err()).contains("no/such.rep: no such file");
        assertThat(run("buddyinfo", "find_doc_gz.rep", "-s", "minBlock=24").err()).contains("power of two");
        assertThat(run("buddyinfo", "find_doc_gz.rep", "-a", "nope").err()).contains("unknown allocator 'nope'");
        assertThat(run("buddyinfo").err()).contains("Missing required parameter: 'TRACE'");
        assertThat(run("buddyinfo", "find_doc_gz.rep", "--at", "x").exit()).isEqualTo(2);
    }
}
