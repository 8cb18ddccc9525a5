package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.alloclab.replay.ReplayResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AlloclabCommandTest {

    @TempDir
    Path dir;

    @Test
    void listPrintsEveryAllocatorAsJson() throws IOException {
        CliRun r = run("list", "--format", "json");
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
        CliRun r = run("replay", "--format", "json", "--allocator", "firstfit", "find_doc_gz.rep");
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
        CliRun r = run("replay", "--no-timing", "--format", "csv", trace.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow())
                .startsWith("trace,allocator,valid,error,ops,opsPerSecond,peakPayloadBytes,peakFootprintBytes,utilization");
        assertThat(r.out()).contains("mine.rep,firstfit,true,,3,0,30,");
    }

    @Test
    void compareRunsEveryBundledTraceAndSummarises() {
        CliRun r = run("compare", "--no-timing");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("find_doc_gz.rep", "git_log_stat.rep", "tsort_dag.rep", "Mean over traces");
    }

    @Test
    void outOfMemoryIsOneLineOnStderrAndExitFour() throws IOException {
        Path trace = Files.writeString(dir.resolve("huge.rep"), "0\n1\n1\n1\na 0 1099511627776\n");
        CliRun r = run("replay", "--no-timing", "-a", "firstfit", trace.toString());
        assertThat(r.exit()).isEqualTo(AlloclabCommand.EXIT_OUT_OF_MEMORY).isEqualTo(4);
        assertThat(r.err()).isEqualTo("alloclab: firstfit on huge.rep: out of memory at line 5: "
                + "malloc(1099511627776) of id 0 returned NULL" + System.lineSeparator());
        assertThat(r.out()).contains("NO", "out of memory at line 5");
    }

    /** 40 blocks of 10,000 bytes fit the default 1 GiB, not a 256 KiB heap with a 128 KiB mmap area. */
    @ParameterizedTest
    @ValueSource(strings = {"firstfit flat", "malloc flat", "malloc simulated", "buddy simulated", "slab flat",
            "zone flat", "page simulated"})
    void heapAndMmapLimitsMakeMallocFailAtTheTraceLine(String allocatorAndMemory) throws IOException {
        String[] a = allocatorAndMemory.split(" ");
        StringBuilder rep = new StringBuilder("0\n40\n40\n1\n");
        for (int id = 0; id < 40; id++) {
            rep.append("a ").append(id).append(" 10000\n");
        }
        Path trace = Files.writeString(dir.resolve("forty.rep"), rep);
        assertThat(run("replay", "--no-timing", "-a", a[0], "--memory", a[1], trace.toString()).exit()).isZero();

        CliRun r = run("replay", "--no-timing", "-a", a[0], "--memory", a[1], "--heap-limit", "256K",
                "--mmap-limit", "128K", trace.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(4);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).matches("alloclab: %s on forty\\.rep: out of memory at line \\d+: malloc\\(10000\\) of id \\d+ returned NULL\\R"
                .formatted(a[0].replace(".", "\\.")));
        int line = Integer.parseInt(r.err().replaceAll("(?s).*at line (\\d+):.*", "$1"));
        assertThat(line).as("the line of a malloc past the limits").isBetween(6, 44);
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void anAllocatorErrorOutranksOutOfMemory() {
        StringWriter err = new StringWriter();
        var overlap = result("a.rep", "line 7: id 2's payload [0x10, 0x20) overlaps id 1's [0x10, 0x20)");
        var full = result("b.rep", "out of memory at line 9: malloc(10000) of id 3 returned NULL");
        assertThat(ReplayCommand.exitCode(List.of(overlap, full), new PrintWriter(err))).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("alloclab: firstfit on b.rep: out of memory at line 9: malloc(10000) "
                + "of id 3 returned NULL" + System.lineSeparator());
        assertThat(ReplayCommand.exitCode(List.of(full), new PrintWriter(new StringWriter()))).isEqualTo(4);
        assertThat(ReplayCommand.exitCode(List.of(result("c.rep", null)), new PrintWriter(new StringWriter())))
                .isZero();
    }

    private static ReplayResult result(String trace, String error) {
        return new ReplayResult(trace, "firstfit", error == null, error, 1, 0, 0, 0, 0, 0, null, null, null, null,
                0, 0, 0, 0);
    }

    @Test
    void aLimitThatIsNotAPageMultipleIsBadInput() {
        CliRun r = run("replay", "--no-timing", "-a", "firstfit", "--heap-limit", "1000", "find_doc_gz.rep");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("alloclab: ").contains("multiples of the page size").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonsense", "replay", "replay missing.rep", "replay --allocator nope find_doc_gz.rep",
            "replay --frobnicate find_doc_gz.rep", "replay --format xml find_doc_gz.rep", "replay DIR",
            "replay DIR/bad.rep", "replay --set chunkBytes=-5 find_doc_gz.rep", "replay --set x=1 find_doc_gz.rep",
            "list --format", ""})
    void badInputIsOneClearLineAndExitTwo(String command) throws IOException {
        Files.writeString(dir.resolve("bad.rep"), "100\n1\n1\n1\nq 0 1\n");
        String[] args = command.isEmpty() ? new String[0] : command.replace("DIR", dir.toString()).split(" ");
        CliRun r = run(args);
        assertThat(r.exit()).as(command).isEqualTo(2);
        assertThat(r.err().lines()).as(command).hasSize(1);
        assertThat(r.err()).startsWith("alloclab: ").doesNotContain("Exception", "\tat ");
    }

    @Test
    void malformedTraceErrorNamesFileAndLine() throws IOException {
        Files.writeString(dir.resolve("bad.rep"), "100\n1\n1\n1\nq 0 1\n");
        CliRun r = run("replay", dir.resolve("bad.rep").toString());
        assertThat(r.err()).isEqualTo("alloclab: bad.rep:5: expected 'a <id> <bytes>', 'r <id> <bytes>' or 'f <id>', not 'q 0 1'\n");
    }

    static final String CLASSIC = """
            int foo(int a, int b) {
                int c = a + b;
                return c;
            }
            int main(void) {
                int x = foo(10, 20);
                return x;
            }
            """;

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest
    @CsvSource({"cdecl, ebp, esp, eip, eax", "sysv, rbp, rsp, rip, rax"})
    void stackJsonHasExactlyTheFieldsOfTheIssue(String convention, String bp, String sp, String ip, String ax)
            throws IOException {
        Path source = Files.writeString(dir.resolve("classic.c"), CLASSIC);
        CliRun r = run("stack", "--format", "json", "--convention", convention, source.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(fields(root)).containsExactly("convention", "steps", "fault", "exitCode");
        assertThat(root.get("convention").asText()).isEqualTo(convention);
        assertThat(root.get("fault").isNull()).isTrue();
        assertThat(root.get("exitCode").asInt()).isEqualTo(30);
        for (JsonNode step : root.get("steps")) {
            assertThat(fields(step)).containsExactly("step", "event", "function", "line", "registers", "stack");
            assertThat(fields(step.get("registers"))).containsExactly(bp, sp, ip, ax);
            long previous = Long.MAX_VALUE;
            for (JsonNode slot : step.get("stack")) {
                assertThat(fields(slot)).containsExactly("address", "size", "label", "value");
                assertThat(slot.get("address").asLong()).as("from the highest address down").isLessThan(previous);
                previous = slot.get("address").asLong();
            }
        }
        JsonNode inFoo = null;
        for (JsonNode step : root.get("steps")) {
            if (step.get("event").asText().equals("return c")) {
                inFoo = step;
            }
        }
        assertThat(inFoo.get("function").asText()).isEqualTo("foo");
        assertThat(inFoo.get("line").asInt()).isEqualTo(3);
        assertThat(inFoo.get("registers").get(ax).asLong()).isEqualTo(30);
        List<String> labels = new ArrayList<>();
        inFoo.get("stack").forEach(slot -> labels.add(slot.get("label").asText()));
        assertThat(labels).containsSubsequence("return address", "saved " + bp, "c");
    }

    @Test
    void stackOverflowIsAFaultInTheJson() throws IOException {
        Path source = Files.writeString(dir.resolve("forever.c"), "int f(int n) { return f(n + 1); } int main(void) { return f(0); }");
        CliRun r = run("stack", "--format", "json", "--stack-limit", "16K", "--steps", "4", source.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(fields(root.get("fault"))).containsExactly("kind", "address", "message");
        assertThat(root.get("fault").get("kind").asText()).isEqualTo("stack overflow");
        assertThat(root.get("fault").get("address").asLong()).isLessThan(0xffffe000L - (16 << 10));
        assertThat(root.get("exitCode").asInt()).isEqualTo(139);
        assertThat(root.get("steps")).hasSize(4);
    }

    @Test
    void stackTextDrawsTheFrameWithArrows() throws IOException {
        Path source = Files.writeString(dir.resolve("classic.c"), CLASSIC);
        CliRun r = run("stack", source.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("foo(a=10, b=20) is entered from main", "| return address  -> main:6",
                "saved ebp                   <- ebp", "(gdb) bt", "#1  0x", "in main () at ", "(gdb) x/8wx $esp",
                "exit status 30 after 22 steps");
    }

    @Test
    void stepWaitsForEnterAndRunsOnAtTheEndOfInput() throws IOException {
        Path source = Files.writeString(dir.resolve("classic.c"), CLASSIC);
        CliRun plain = run("stack", source.toString());
        java.io.InputStream stdin = System.in;
        var input = new java.io.ByteArrayInputStream("\n\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            System.setIn(input);
            CliRun stepped = run("stack", "--step", source.toString());
            assertThat(stepped.exit()).isZero();
            // A prompt before each of the three lines, and one more that met the end of the input.
            assertThat(stepped.out().lines().filter(StackCommand.EnterPause.PROMPT::equals).count()).isEqualTo(4);
            assertThat(stepped.out().replace(StackCommand.EnterPause.PROMPT + "\n", "")).isEqualTo(plain.out());
        } finally {
            System.setIn(stdin);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stack", "stack DIR/missing.c", "stack --convention arm DIR/ok.c",
            "stack --stack-limit 5x DIR/ok.c", "stack --stack-limit 100 DIR/ok.c", "stack --format json --step DIR/ok.c",
            "stack --format xml DIR/ok.c", "stack DIR/syntax.c", "stack DIR/types.c", "stack DIR/divide.c",
            "stack --max-steps 50 DIR/loop.c"})
    void badStackInputIsOneClearLineAndExitTwo(String command) throws IOException {
        Files.writeString(dir.resolve("ok.c"), CLASSIC);
        Files.writeString(dir.resolve("syntax.c"), "int main(void) { float x; }");
        Files.writeString(dir.resolve("types.c"), "int main(void) { int *p = 3; return 0; }");
        Files.writeString(dir.resolve("divide.c"), "int main(void) { int z = 0; return 1 / z; }");
        Files.writeString(dir.resolve("loop.c"), "int main(void) { while (1) { } }");
        CliRun r = run(command.replace("DIR", dir.toString()).split(" "));
        assertThat(r.exit()).as(command).isEqualTo(2);
        assertThat(r.err().lines()).as(command).hasSize(1);
        assertThat(r.err()).startsWith("alloclab: ").doesNotContain("Exception", "\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void stackErrorsNameTheFileLineAndColumn() throws IOException {
        Path source = Files.writeString(dir.resolve("bad.c"), "int main(void) {\n    float x;\n}\n");
        CliRun r = run("stack", source.toString());
        assertThat(r.err()).isEqualTo("alloclab: " + source + ":2:5: 'float' is outside the C subset"
                + " (types are int, long, char, void and pointers)\n");
    }

    @Test
    void debugShowsTheStackTrace() {
        CliRun r = run("--debug", "replay", "missing.rep");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("UncheckedIOException", "\tat ");
    }
}
