package io.github.alloclab.report;

import static io.github.alloclab.allocator.BlockState.ALLOCATED;
import static io.github.alloclab.allocator.BlockState.FREE;
import static io.github.alloclab.allocator.BlockState.METADATA;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Blocks to the runs a row draws: merged where the eye could not tell them apart, never across a real gap. */
class RunBuilderTest {

    private static Block block(long address, long size, BlockState state) {
        return new Block(address, size, address + 16, size - 16, state);
    }

    private static List<BlockRun> runs(long granularity, Block... blocks) {
        RunBuilder builder = new RunBuilder(granularity);
        for (Block b : blocks) {
            builder.add(b);
        }
        return builder.runs();
    }

    @Test
    void adjacentBlocksOfOneStateAreOneBar() {
        List<BlockRun> runs = runs(1, block(0x1000, 32, ALLOCATED), block(0x1020, 64, ALLOCATED),
                block(0x1060, 4000, FREE), block(0x2000, 16, ALLOCATED));
        assertThat(runs).containsExactly(new BlockRun(0x1000, 0x1060, 2, 96, 0, 0),
                new BlockRun(0x1060, 0x2000, 1, 0, 4000, 0), new BlockRun(0x2000, 0x2010, 1, 16, 0, 0));
        assertThat(runs).noneMatch(BlockRun::mixed);
    }

    @Test
    void blocksTooSmallToSeeBecomeAMixedRunColouredByItsMajority() {
        List<BlockRun> runs = runs(256, block(0, 32, ALLOCATED), block(32, 16, FREE), block(48, 48, ALLOCATED),
                block(96, 64, METADATA), block(160, 4096, FREE));
        assertThat(runs.getFirst()).isEqualTo(new BlockRun(0, 160, 4, 80, 16, 64));
        assertThat(runs.getFirst().mixed()).isTrue();
        assertThat(runs.getFirst().state()).isEqualTo(ALLOCATED);
        assertThat(runs).hasSize(2);
    }

    @Test
    void aWideGapAlwaysShows() {
        List<BlockRun> runs = runs(64, block(0, 16, ALLOCATED), block(1000, 16, FREE));
        assertThat(runs).extracting(BlockRun::start).containsExactly(0L, 1000L);
    }

    @Test
    void overlappingBlocksCountOnlyPastTheRunBeforeThem() {
        List<BlockRun> runs = runs(1, block(0, 4096, METADATA), block(64, 64, ALLOCATED),
                block(4000, 200, FREE));
        assertThat(runs).containsExactly(new BlockRun(0, 4096, 1, 0, 0, 4096), new BlockRun(4096, 4200, 1, 0, 104, 0));
    }

    @Test
    void aHundredThousandInterleavedBlocksStayAFewRunsPerPixel() {
        RunBuilder builder = new RunBuilder(100_000 * 32 / 240);
        for (int i = 0; i < 100_000; i++) {
            builder.add(block(i * 32L, 32, i % 3 == 0 ? FREE : ALLOCATED));
        }
        List<BlockRun> runs = builder.runs();
        assertThat(runs.size()).isLessThanOrEqualTo(2 * 240);
        assertThat(runs.stream().mapToLong(BlockRun::blocks).sum()).isEqualTo(100_000);
        assertThat(runs.stream().mapToLong(r -> r.allocatedBytes() + r.freeBytes()).sum()).isEqualTo(3_200_000);
        assertThat(runs.getLast().end()).isEqualTo(3_200_000);
    }
}
