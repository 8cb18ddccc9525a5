package io.github.alloclab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSummaryTest {

    @TempDir
    Path dir;

    private static String result(String allocator, double score) {
        return """
                {"benchmark": "io.github.alloclab.bench.AllocFreePairBenchmark.allocFreePair",
                 "params": {"allocator": "%s", "byteSize": "64"},
                 "primaryMetric": {"score": %s, "scoreError": 0.5, "scoreUnit": "ns/op"}}""".formatted(allocator, score);
    }

    @Test
    void ratiosAreToGlibcAndBumpOfTheSameCase() throws IOException {
        Path json = Files.writeString(dir.resolve("out.json"),
                "[" + result("firstfit", 30) + "," + result("glibc", 10) + "," + result("bump", 2) + "]");
        assertThat(BenchSummary.run(new String[] {json.toString()})).isZero();
        String markdown = Files.readString(dir.resolve("out.md"));
        assertThat(markdown).contains("| allocFreePair byteSize=64 | firstfit | 30.00 ns/op | ± 0.50 | 3.00 | 15.00 |");
        assertThat(markdown).contains("| allocFreePair byteSize=64 | glibc | 10.00 ns/op | ± 0.50 | 1.00 | 5.00 |");
        assertThat(Files.size(dir.resolve("out.png"))).isPositive();
    }

    @Test
    void notAJmhResultIsAClearError() throws IOException {
        Path json = Files.writeString(dir.resolve("bad.json"), "{\"x\": 1}");
        assertThatThrownBy(() -> BenchSummary.run(new String[] {json.toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JMH JSON result");
        assertThatThrownBy(() -> BenchSummary.run(new String[] {dir.resolve("none.json").toString()}))
                .hasMessageContaining("no such file");
    }
}
