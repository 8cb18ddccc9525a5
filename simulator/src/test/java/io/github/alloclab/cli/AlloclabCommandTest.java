package io.github.alloclab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlloclabCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AlloclabCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void listPrintsEveryAllocatorAsJson() throws IOException {
        Run r = run("list", "--format", "json");
        assertThat(r.exit()).isZero();
        JsonNode list = new ObjectMapper().readTree(r.out());
        assertThat(list.isArray()).isTrue();
        assertThat(list).anySatisfy(a -> {
            assertThat(a.get("name").asText()).isEqualTo("firstfit");
            assertThat(a.get("description").asText()).isNotBlank();
            assertThat(a.get("settings").get("trimThreshold").asLong()).isEqualTo(131072);
        });
    }

    @Test
    void replayPrintsTheDocumentedJsonFields() throws IOException {
        Run r = run("replay", "--format", "json", "--allocator", "firstfit", "find_doc_gz.rep");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode row = new ObjectMapper().readTree(r.out()).get(0);
        for (String field : new String[] {"trace", "allocator", "valid", "error", "ops", "opsPerSecond",
                "peakPayloadBytes", "peakFootprintBytes", "utilization"}) {
            assertThat(row.has(field)).as(field).isTrue();
        }
        assertThat(row.get("trace").asText()).isEqualTo("find_doc_gz.rep");
        assertThat(row.get("valid").asBoolean()).isTrue();
        assertThat(row.get("error").isNull()).isTrue();
        assertThat(row.get("ops").asLong()).isEqualTo(25_106);
        assertThat(row.get("opsPerSecond").asDouble()).isPositive();
        assertThat(row.get("peakPayloadBytes").asLong()).isEqualTo(285_494);
        assertThat(row.get("utilization").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void replayReadsTraceFilesAndCsv() throws IOException {
        Path trace = Files.writeString(dir.resolve("mine.rep"), "64\n2\n3\n1\na 0 10\na 1 20\nf 0\n");
        Run r = run("replay", "--no-timing", "--format", "csv", trace.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow())
                .startsWith("trace,allocator,valid,error,ops,opsPerSecond,peakPayloadBytes,peakFootprintBytes,utilization");
        assertThat(r.out()).contains("mine.rep,firstfit,true,,3,0,30,");
    }

    @Test
    void compareRunsEveryBundledTraceAndSummarises() {
        Run r = run("compare", "--no-timing");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("find_doc_gz.rep", "git_log_stat.rep", "tsort_dag.rep", "Mean over traces");
    }

    @Test
    void anAllocatorErrorExitsWithOne() throws IOException {
        Path trace = Files.writeString(dir.resolve("huge.rep"), "0\n1\n1\n1\na 0 1099511627776\n");
        Run r = run("replay", "--no-timing", trace.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("NO", "line 5: out of memory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonsense", "replay", "replay missing.rep", "replay --allocator nope find_doc_gz.rep",
            "replay --frobnicate find_doc_gz.rep", "replay --format xml find_doc_gz.rep", "replay DIR",
            "replay DIR/bad.rep", "replay --set chunkBytes=-5 find_doc_gz.rep", "replay --set x=1 find_doc_gz.rep",
            "list --format", ""})
    void badInputIsOneClearLineAndExitTwo(String command) throws IOException {
        Files.writeString(dir.resolve("bad.rep"), "100\n1\n1\n1\nq 0 1\n");
        String[] args = command.isEmpty() ? new String[0] : command.replace("DIR", dir.toString()).split(" ");
        Run r = run(args);
        assertThat(r.exit()).as(command).isEqualTo(2);
        assertThat(r.err().lines()).as(command).hasSize(1);
        assertThat(r.err()).startsWith("alloclab: ").doesNotContain("Exception", "\tat ");
    }

    @Test
    void malformedTraceErrorNamesFileAndLine() throws IOException {
        Files.writeString(dir.resolve("bad.rep"), "100\n1\n1\n1\nq 0 1\n");
        Run r = run("replay", dir.resolve("bad.rep").toString());
        assertThat(r.err()).isEqualTo("alloclab: bad.rep:5: expected 'a <id> <bytes>', 'r <id> <bytes>' or 'f <id>', not 'q 0 1'\n");
    }

    @Test
    void debugShowsTheStackTrace() {
        Run r = run("--debug", "replay", "missing.rep");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("UncheckedIOException", "\tat ");
    }
}
