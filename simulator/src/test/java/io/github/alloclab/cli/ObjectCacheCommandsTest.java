package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code alloclab slabinfo}, {@code zprint} and {@code mallinfo}: the formats they imitate, numbers that add up, bad input. */
class ObjectCacheCommandsTest {

    @Test
    void slabinfoPrintsTheKernelsVersion21Layout() {
        CliRun r = run("slabinfo", "tsort_dag.rep");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("slabinfo - version: 2.1");
        assertThat(lines.get(1)).isEqualTo("# name            <active_objs> <num_objs> <objsize> <objperslab>"
                + " <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
                + " <num_slabs> <sharedavail>");
        // tsort's 74,453 requests of 10 and 16 bytes all take kmalloc-16: 250 objects per one-page slab; the
        // tunables are the magazines: 16 rounds, a whole magazine at a time, a depot of 4; 5 objects are rounds
        // left of the last refill of a magazine, active to the slabs
        assertThat(lines).contains(
                "kmalloc-16         74458  74500     16  250    1 : tunables   16   16    4 : slabdata    298    298      0");
        assertThat(run("slabinfo", "tsort_dag.rep", "-a", "slab.nomagazine").out().lines()).contains(
                "kmalloc-16         74453  74500     16  250    1 : tunables    0    0    0 : slabdata    298    298      0");
        assertThat(lines.subList(2, lines.size()))
                .allMatch(l -> l.matches("\\S+ +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ : tunables +\\d+ +\\d+ +\\d+ : slabdata +\\d+ +\\d+ +\\d+"));
        assertThat(run("slabinfo", "tsort_dag.rep", "--all").out().lines()).as("every cache, slabs or not")
                .hasSize(2 + 12 + 2); // kmalloc's, kmem_magazine_16, kmem_slab_cache
    }

    @Test
    void slabinfoShowsMallocsBinsAndStopsWhereAsked() throws Exception {
        CliRun bins = run("slabinfo", "tsort_dag.rep", "-a", "malloc", "--at", "1000");
        assertThat(bins.out()).contains("malloc-16 ").doesNotContain("kmalloc");
        CliRun json = run("slabinfo", "find_doc_gz.rep", "--at", "5000", "--format", "json");
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertThat(node.get("opsReplayed").asLong()).isEqualTo(5000);
        for (JsonNode cache : node.get("caches")) {
            assertThat(cache.get("objects").asLong())
                    .isEqualTo(cache.get("slabs").asLong() * cache.get("objectsPerSlab").asLong())
                    .isGreaterThanOrEqualTo(cache.get("activeObjects").asLong());
        }
        CliRun csv = run("slabinfo", "find_doc_gz.rep", "--format", "csv");
        assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("name,activeObjs,numObjs,objSize");
    }

    @Test
    void zprintShowsTheZonesInMachsColumns() {
        CliRun r = run("zprint", "tsort_dag.rep");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).contains("elem", "cur", "max", "alloc");
        assertThat(lines.get(1)).startsWith("zone name").contains("size", "#elts", "inuse", "count");
        assertThat(lines.get(2)).matches("-+");
        // 74,453 elements of kalloc.16 in one-page chunks of 252: 296 chunks, 1184 KiB
        assertThat(lines).anyMatch(l -> l.matches("kalloc\\.16 +16 +1184K +262144K +74592 +16515072 +74453 +4K +252 +CX"));
        assertThat(run("zprint", "tsort_dag.rep", "--all").out().lines()).hasSize(3 + 25);
    }

    @Test
    void mallinfoPrintsMallinfo2MallocStatsAndALadderThatClimbs() throws Exception {
        CliRun r = run("mallinfo", "git_log_stat.rep", "--at", "30000");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("mallinfo2():", "  arena    = ", "  keepcost = ", "malloc_stats():", "Arena 0:",
                "Total (incl. mmap):", "max mmap bytes   = ", "byte ladder:", "thresholds: mmap ");
        JsonNode json = new ObjectMapper().readTree(run("mallinfo", "git_log_stat.rep", "--at", "30000", "--format",
                "json").out());
        JsonNode s = json.get("stats");
        long requested = json.get("requestedBytes").asLong();
        assertThat(requested).isPositive().isLessThanOrEqualTo(s.get("allocatedBytes").asLong());
        assertThat(s.get("allocatedBytes").asLong()).isLessThanOrEqualTo(s.get("activeBytes").asLong());
        assertThat(s.get("activeBytes").asLong()).isLessThanOrEqualTo(s.get("mappedBytes").asLong());
        assertThat(s.get("uordblks").asLong() + s.get("fordblks").asLong()).isEqualTo(s.get("arena").asLong());
    }

    @Test
    void badInputGetsAClearMessageAndExitCode2() {
        assertThat(run("slabinfo", "find_doc_gz.rep", "-a", "firstfit").err()).contains("'firstfit' has no object caches");
        assertThat(run("zprint", "find_doc_gz.rep", "-a", "slab").err()).contains("'slab' has no zones");
        CliRun mallinfo = run("mallinfo", "find_doc_gz.rep", "-a", "zone");
        assertThat(mallinfo.exit()).isEqualTo(2);
        assertThat(mallinfo.err()).contains("'zone' is not the composite malloc");
        assertThat(run("slabinfo", "find_doc_gz.rep", "--at", "999999").err()).contains("cannot stop after 999999");
        assertThat(run("mallinfo", "find_doc_gz.rep", "-s", "smallMax=100").err()).contains("smallMax must be a size class");
        assertThat(run("zprint", "no/such.rep").exit()).isEqualTo(2);
        assertThat(run("slabinfo").err()).contains("Missing required parameter: 'TRACE'");
    }
}
