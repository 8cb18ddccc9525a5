package io.github.alloclab.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.trace.TraceConverter;
import io.github.alloclab.trace.TraceFormat;
import io.github.alloclab.trace.TraceSource;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A valid trace may use any id below the header's count, and the largest is {@code Integer.MAX_VALUE - 1}.
 * Found while fuzzing the readers: the timed replay and the converters sized arrays by the largest id, so this
 * one-block trace asked for 16 GiB.
 */
class SparseIdsTest {

    private static final TraceSource ONE_HIGH_ID = new TraceSource("high.rep", () -> new ByteArrayInputStream("""
            4096
            2147483647
            3
            1
            a 2147483646 16
            r 2147483646 32
            f 2147483646
            """.getBytes(StandardCharsets.UTF_8)));

    @Test
    void aTimedReplayOfOneBlockWithTheLargestIdTakesLittleMemory() {
        Replayer timed = new Replayer(new ReplayOptions(true, 1, 1, 0, false));
        ReplayResult r = timed.replay(ONE_HIGH_ID, "firstfit", () -> AllocatorRegistry.standard().create("firstfit"));
        assertThat(r.error()).isNull();
        assertThat(r.opsPerSecond()).isPositive();
    }

    @Test
    void convertingOneBlockWithTheLargestIdTakesLittleMemory() {
        for (TraceFormat format : new TraceFormat[] {TraceFormat.mtrace, TraceFormat.ltrace}) {
            StringWriter out = new StringWriter();
            TraceConverter.convert(ONE_HIGH_ID, format, out);
            assertThat(out.toString()).as(format.name()).contains("0x555555559010");
        }
    }
}
