package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every replay row carries the metrics, in every format. */
class ReplayReportTest {

    @TempDir
    Path dir;

    @Test
    void jsonRowsCarryEveryMetric() throws IOException {
        var r = run("replay", "--no-timing", "--format", "json", "-a", "firstfit", "ls_l_usr_share_doc.mtrace");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode row = new ObjectMapper().readTree(r.out()).get(0);
        for (String field : List.of("utilization", "performanceIndex", "referenceOpsPerSecond", "fragmentation",
                "bytes", "searchSteps", "pageFaults", "leakedBlocks", "leakedBytes", "traceWarnings")) {
            assertThat(row.has(field)).as(field).isTrue();
        }
        JsonNode f = row.get("fragmentation");
        for (String field : List.of("jw1", "jw2", "jw3", "jw4", "internal", "internalBytes", "external",
                "largestFreeBlock", "freeBlocks", "freeBytes", "histogram")) {
            assertThat(f.has(field)).as(field).isTrue();
        }
        assertThat(f.get("jw2").asDouble()).isLessThanOrEqualTo(f.get("jw4").asDouble());
        assertThat(f.get("jw4").asDouble()).isLessThanOrEqualTo(f.get("jw3").asDouble());
        JsonNode b = row.get("bytes");
        assertThat(b.get("requested").asLong()).isLessThanOrEqualTo(b.get("allocated").asLong());
        assertThat(b.get("allocated").asLong()).isLessThanOrEqualTo(b.get("active").asLong());
        assertThat(b.get("active").asLong()).isLessThanOrEqualTo(b.get("mapped").asLong());
        assertThat(b.get("residentEstimated").asBoolean()).isTrue();
        assertThat(row.get("searchSteps").has("max")).isTrue();
        assertThat(row.get("leakedBlocks").asLong()).isEqualTo(815);
        assertThat(row.get("performanceIndex").isNull()).as("untimed").isTrue();
    }

    @Test
    void csvHasOneColumnPerMetric() {
        var r = run("replay", "--no-timing", "--format", "csv", "-a", "firstfit", "find_doc_gz.rep");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst().split(",")).containsExactly(ReplayReport.CSV_COLUMNS);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("find_doc_gz.rep,firstfit,true,,25106,0,285494,");
        assertThat(lines.get(1)).endsWith(",10,1988,0"); // leaked blocks and bytes, no warnings
    }

    @Test
    void markdownPrintsGithubTables() {
        var r = run("replay", "--no-timing", "--format", "markdown", "-a", "firstfit", "find_doc_gz.rep");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("| trace | allocator | valid | ops |", "| --- | --- | --- | ---: |",
                "| find_doc_gz.rep | firstfit | yes | 25,106 |", "| jw1 (mean) |", "| requested |");
        assertThat(r.out()).doesNotContain("+----");
    }

    @Test
    void listPrintsMarkdownToo() {
        var r = run("list", "--format", "markdown");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("| allocator | description | settings (defaults) |\n| --- | --- | --- |\n");
        assertThat(r.out()).contains("| firstfit |");
    }

    @Test
    void aTraceFormatCanBeForced() throws IOException {
        // a 15-213 header with a tiny peak reads as classic unless named: weight 1, 1 id, 2 ops, peak 3
        Path trace = Files.writeString(dir.resolve("t.rep"), "1\n1\n2\n3\na 0 3\nf 0\n");
        var classic = run("replay", "--no-timing", "--format", "csv", trace.toString());
        var forced = run("replay", "--no-timing", "--format", "csv", "--trace-format", "rep213", trace.toString());
        assertThat(classic.exit()).as(classic.err()).isZero();
        assertThat(forced.exit()).as(forced.err()).isZero();
        var wrong = run("replay", "--no-timing", "--trace-format", "ltrace", trace.toString());
        assertThat(wrong.exit()).isZero(); // no ltrace calls in it: an empty trace, replayed
        var bad = run("replay", "--trace-format", "xml", trace.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("alloclab: Invalid value for option '--trace-format'");
    }

    @Test
    void aMalformedMtraceLineIsOneErrorWithItsLine() throws IOException {
        Path trace = Files.writeString(dir.resolve("bad.mtrace"), "= Start\n+ 0x10 0x20\n+ 0xnope 0x10\n");
        var r = run("replay", "--no-timing", trace.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("alloclab: bad.mtrace:3: the address should be a number, not '0xnope'\n");
    }
}
