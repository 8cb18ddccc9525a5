package io.github.alloclab.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.replay.ReplayOptions;
import io.github.alloclab.replay.ReplayResult;
import io.github.alloclab.replay.Replayer;
import io.github.alloclab.trace.TraceFormat;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceProfile;
import io.github.alloclab.trace.TraceSource;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GeneratorTest {

    private static final List<HistogramRow> TABLE = HistogramRow.parse("t", List.of(
            "# size weight lifetime", "16 60 10", "100-200 30 50  # a range", "4096 10 inf"));

    private static GeneratorSettings settings(long seed) {
        return GeneratorSettings.DEFAULTS.withSeed(seed).withOps(4000).withTable(TABLE);
    }

    private static String text(GeneratorKind kind, GeneratorSettings s) {
        StringWriter out = new StringWriter();
        kind.write(s, TraceFormat.rep, "g.rep", out);
        return out.toString();
    }

    @ParameterizedTest
    @EnumSource(GeneratorKind.class)
    void theSameSeedGivesTheSameTraceByteForByte(GeneratorKind kind) {
        assertThat(text(kind, settings(7))).isEqualTo(text(kind, settings(7)));
        if (kind != GeneratorKind.binary) { // binary is the same for every seed, and says so
            assertThat(text(kind, settings(7))).isNotEqualTo(text(kind, settings(8)));
        }
    }

    @ParameterizedTest
    @EnumSource(GeneratorKind.class)
    void tracesMakeSenseStayInBoundsAndReplayCleanly(GeneratorKind kind) {
        GeneratorSettings s = settings(3);
        List<TraceOp> ops = kind.generate(s);
        String rep = text(kind, s);
        TraceSource source = new TraceSource("g.rep", () -> new ByteArrayInputStream(rep.getBytes(StandardCharsets.UTF_8)));
        TraceProfile p = TraceProfile.of(source); // throws if a free or realloc names a block that is not live
        assertThat(p.ops()).isEqualTo(ops.size()).isBetween(3000L, 6000L);
        for (int i = 0; i < ops.size(); i++) {
            TraceOp op = ops.get(i);
            assertThat(op.line()).isEqualTo(i + 5);
            if (op.kind() != TraceOp.Kind.FREE && kind != GeneratorKind.histogram && kind != GeneratorKind.coalesce) {
                assertThat(op.byteSize()).as(op.toString()).isBetween(s.minSize(), s.maxSize());
            }
        }
        if (kind == GeneratorKind.histogram) {
            assertThat(p.leakedBlocks()).isPositive();
        } else {
            assertThat(p.leakedBlocks()).as("balanced").isZero();
        }
        ReplayResult r = new Replayer(ReplayOptions.UNTIMED).replay(source, "firstfit",
                () -> AllocatorRegistry.standard().create("firstfit"));
        assertThat(r.error()).isNull();
    }

    @Test
    void binarySizesSitJustAbovePowersOfTwo() {
        Set<Long> sizes = new HashSet<>();
        for (TraceOp op : GeneratorKind.binary.generate(settings(1))) {
            if (op.kind() == TraceOp.Kind.ALLOC) {
                sizes.add(op.byteSize());
            }
        }
        assertThat(sizes).contains(8L, 17L, 33L, 65L, 129L, 257L, 513L, 1025L, 2049L);
        for (long size : sizes) {
            assertThat(size == 8 || Long.bitCount(size - 1) == 1).as("size %d", size).isTrue();
        }
    }

    @Test
    void coalesceRoundsFreeEveryOtherBlockThenAskForTheirSum() {
        List<TraceOp> ops = GeneratorKind.coalesce.generate(settings(5));
        // one round: 32 allocations of s, 16 frees of the even ones, 16 of the odd ones from the top, then 32 s
        long s = ops.getFirst().byteSize();
        for (int i = 0; i < 32; i++) {
            assertThat(ops.get(i)).isEqualTo(new TraceOp(TraceOp.Kind.ALLOC, i, s, i + 5));
        }
        for (int i = 0; i < 16; i++) {
            assertThat(ops.get(32 + i).id()).isEqualTo(2 * i);
            assertThat(ops.get(48 + i).id()).isEqualTo(31 - 2 * i);
        }
        assertThat(ops.get(64)).isEqualTo(new TraceOp(TraceOp.Kind.ALLOC, 32, 32 * s, 69));
        assertThat(ops.get(65)).isEqualTo(new TraceOp(TraceOp.Kind.FREE, 32, 0, 70));
    }

    @Test
    void reallocChainsGrowByHalfPlusSixteen() {
        Map<Integer, Long> size = new HashMap<>();
        int grown = 0;
        for (TraceOp op : GeneratorKind.realloc.generate(settings(2))) {
            if (op.kind() == TraceOp.Kind.REALLOC) {
                long before = size.get(op.id());
                assertThat(op.byteSize()).isEqualTo(Math.min(4096, before + before / 2 + 16));
                grown++;
            }
            size.put(op.id(), op.byteSize());
        }
        assertThat(grown).isGreaterThan(1000);
    }

    @Test
    void phasedProgramsBuildUpAndTearDownOncePerPhase() {
        for (int phases : new int[] {1, 3, 5}) {
            GeneratorSettings s = new GeneratorSettings(4, 6000, 8, 4096, 100, phases, List.of());
            // a tear-down: live blocks fall to a quarter of what the phase built over the survivors before it
            int live = 0;
            int base = 0;
            int peak = 0;
            boolean building = true;
            int teardowns = 0;
            for (TraceOp op : GeneratorKind.phased.generate(s)) {
                live += op.kind() == TraceOp.Kind.ALLOC ? 1 : op.kind() == TraceOp.Kind.FREE ? -1 : 0;
                if (building) {
                    peak = Math.max(peak, live);
                    if (peak - base > 200 && live - base < (peak - base) / 4) {
                        teardowns++;
                        building = false;
                        base = live;
                    }
                } else {
                    base = Math.min(base, live);
                    if (live > base + 200) {
                        building = true;
                        peak = live;
                    }
                }
            }
            assertThat(teardowns).as("%d phases", phases).isEqualTo(phases);
        }
    }

    @Test
    void histogramDrawsRowsByWeightAndNeverFreesInfiniteLifetimes() {
        List<TraceOp> ops = GeneratorKind.histogram.generate(settings(9).withOps(40_000));
        Map<Integer, Long> sizes = new HashMap<>();
        int small = 0;
        int medium = 0;
        int page = 0;
        for (TraceOp op : ops) {
            if (op.kind() == TraceOp.Kind.ALLOC) {
                sizes.put(op.id(), op.byteSize());
                long b = op.byteSize();
                if (b == 16) {
                    small++;
                } else if (b >= 100 && b <= 200) {
                    medium++;
                } else {
                    assertThat(b).isEqualTo(4096);
                    page++;
                }
            } else {
                assertThat(sizes.remove(op.id())).as("a block that lives forever was freed").isNotEqualTo(4096L);
            }
        }
        int n = small + medium + page;
        assertThat(n).isEqualTo(20_000);
        assertThat(small / (double) n).isBetween(0.58, 0.62);
        assertThat(medium / (double) n).isBetween(0.28, 0.32);
        assertThat(sizes.values()).containsOnly(4096L).hasSize(page);
    }

    @Test
    void badTablesAndSettingsAreClearErrors() {
        assertThatThrownBy(() -> HistogramRow.parse("w.tbl", List.of("16 1 10", "32 x 10")))
                .hasMessage("w.tbl:2: not a number in '32 x 10'");
        assertThatThrownBy(() -> HistogramRow.parse("w.tbl", List.of("16 1")))
                .hasMessage("w.tbl:1: expected 'size[-size] weight lifetime', not '16 1'");
        assertThatThrownBy(() -> HistogramRow.parse("w.tbl", List.of("64-16 1 10")))
                .hasMessage("w.tbl:1: a size range must satisfy 0 <= min <= max: 64-16");
        assertThatThrownBy(() -> HistogramRow.parse("w.tbl", List.of("# nothing")))
                .hasMessage("w.tbl: the table has no rows");
        assertThatThrownBy(() -> GeneratorKind.binary.generate(new GeneratorSettings(1, 100, 8, 32, 10, 1, List.of())))
                .hasMessageContaining("raise maxSize to at least 33");
        assertThatThrownBy(() -> GeneratorKind.histogram.generate(GeneratorSettings.DEFAULTS))
                .hasMessageContaining("--table");
        assertThat(EnumSet.allOf(GeneratorKind.class)).hasSize(6);
        assertThat(new ArrayList<>(List.of(GeneratorKind.values())).stream().map(Enum::name))
                .containsExactly("random", "binary", "coalesce", "realloc", "phased", "histogram");
    }
}
