package io.github.alloclab.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.replay.PreparedTrace;
import io.github.alloclab.replay.ReplayProgress;
import io.github.alloclab.trace.TraceSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page model end to end on a small trace: rows, panels, plots, hover text, and nothing from the network. */
class ReportPageTest {

    /** 40 operations: 20 mallocs of growing sizes, then every other one freed, then a realloc. */
    static TraceSource smallTrace() {
        StringBuilder ops = new StringBuilder();
        int n = 0;
        for (int i = 0; i < 20; i++, n++) {
            ops.append("a ").append(i).append(' ').append(16 + 40 * i).append('\n');
        }
        for (int i = 0; i < 20; i += 2, n++) {
            ops.append("f ").append(i).append('\n');
        }
        ops.append("a 20 200000\n").append("r 1 3000\n").append("f 20\n");
        n += 3;
        String text = "100000\n21\n" + n + "\n1\n" + ops;
        return new TraceSource("small.rep", () -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static final List<String> ALLOCATORS = List.of("firstfit", "buddy");
    private static TraceReport report;
    private static String html;

    @BeforeAll
    static void build() {
        AllocatorRegistry registry = AllocatorRegistry.standard();
        ReportBuilder builder = new ReportBuilder(10, registry::create, ReplayProgress.NONE);
        report = builder.build(new PreparedTrace(smallTrace()), ALLOCATORS);
        html = new ReportPage(List.of(report), ALLOCATORS, new ReportPlots(List.of(report), ALLOCATORS)).html();
    }

    @Test
    void everyAllocatorHasTheSameSampledRows() {
        assertThat(report.ops()).isEqualTo(33);
        assertThat(report.rowOps()).contains(1, 33, report.peakLiveOp());
        assertThat(report.everyOp()).isFalse();
        for (ReportRun run : report.runs()) {
            assertThat(run.result().valid()).as(run.result().error()).isTrue();
            assertThat(run.rows()).extracting(HeapRow::number)
                    .containsExactlyElementsOf(java.util.Arrays.stream(report.rowOps()).boxed().toList());
            assertThat(run.points()).hasSize(33);
        }
    }

    @Test
    void rowsHoldTheHeapAsTheOperationLeftIt() {
        HeapRow first = report.runs().getFirst().rows().getFirst();
        assertThat(first.op().kind()).isEqualTo(io.github.alloclab.trace.TraceOp.Kind.ALLOC);
        assertThat(first.liveBytes()).isEqualTo(16);
        assertThat(first.hitStart()).isLessThanOrEqualTo(first.address());
        assertThat(first.hitEnd()).isGreaterThan(first.address());
        assertThat(first.runs().stream().mapToLong(BlockRun::allocatedBytes).sum()).isPositive();
        assertThat(first.call()).matches("malloc\\(16\\) = 0x[0-9a-f]+ \\(id 0\\)");
        HeapRow last = report.runs().getFirst().rows().getLast();
        assertThat(last.call()).startsWith("free(0x");
        // the 200,000-byte block is mmapped: after its free the row has no block at that address
        assertThat(last.hitStart()).isEqualTo(-1);
    }

    @Test
    void thePageHasAPanelPerAllocatorAndARowPerSampledOperation() {
        assertThat(count("<section class=\"trace\"")).isEqualTo(1);
        assertThat(count("<figure class=\"panel\" data-allocator=\"")).isEqualTo(2);
        assertThat(html).contains("data-allocator=\"firstfit\"", "data-allocator=\"buddy\"");
        assertThat(count("<g class=\"row\" data-op=")).isEqualTo(2 * report.rowOps().length);
        assertThat(count("<svg class=\"timeline\"")).isEqualTo(2);
        assertThat(count("<figure class=\"plot\"")).isEqualTo(3);
        assertThat(html).contains("Rows are sampled: " + report.rowOps().length + " of 33 operations");
        assertThat(html).containsPattern("<title>op 1 \\(line 5\\): malloc\\(16\\) = 0x[0-9a-f]+ \\(id 0\\); live 16 B");
        assertThat(html).containsPattern("<title>(allocated|free) block at 0x[0-9a-f]+, [0-9,]+ B</title>");
    }

    @Test
    void nothingIsLoadedFromTheNetwork() {
        assertThat(html).doesNotContainPattern("(?i)<script");
        assertThat(html).doesNotContainPattern("(?i)<link\\b");
        assertThat(html).doesNotContainPattern("(?i)<(img|iframe|object|embed|video|audio|source)\\b");
        assertThat(html).doesNotContainPattern("(?i)@import|url\\((?!#)"); // url(#clip) is the page's own
        Matcher refs = Pattern.compile("(?i)\\b(?:src|href|xlink:href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
        while (refs.find()) {
            assertThat(refs.group(1)).as("a reference").doesNotContainPattern("(?i)^(https?:|//)");
        }
        assertThat(html).doesNotContain("<!DOCTYPE svg", "<?xml");
    }

    @Test
    void theSameInputsGiveTheSamePage() {
        AllocatorRegistry registry = AllocatorRegistry.standard();
        TraceReport again = new ReportBuilder(10, registry::create, ReplayProgress.NONE)
                .build(new PreparedTrace(smallTrace()), ALLOCATORS);
        String page = new ReportPage(List.of(again), ALLOCATORS, new ReportPlots(List.of(again), ALLOCATORS)).html();
        assertThat(page.replaceAll("clip\\d+", "clip")).isEqualTo(html.replaceAll("clip\\d+", "clip"));
    }

    private static int count(String text) {
        return html.split(Pattern.quote(text), -1).length - 1;
    }
}
