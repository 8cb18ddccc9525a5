package io.github.alloclab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapSnapshotTest {

    private static final long PAGE = 4096;
    private static final long BASE = 0x5555_5555_9000L;

    /**
     * A heap of three pages, by hand:
     * <pre>
     *  [BASE,        +16)    METADATA  16
     *  [+16,        +4112)   ALLOCATED 4096, usable 4080, request 4000   pages 0 and 1
     *  [+4112,      +4144)   FREE      32
     *  [+4144,      +4240)   FREE      96
     *  [+4240,      +8192)   FREE      3952
     *  [+8192,      +8256)   ALLOCATED 64, usable 48, request 40         page 2
     *  [+8256,      +8264)   METADATA  8
     * </pre>
     */
    @Test
    void ladderFragmentationAndHistogramOfAHandMadeHeap() {
        List<Block> blocks = List.of(
                new Block(BASE, 16, BASE + 16, 0, BlockState.METADATA),
                new Block(BASE + 16, 4096, BASE + 32, 4080, BlockState.ALLOCATED),
                new Block(BASE + 4112, 32, BASE + 4128, 16, BlockState.FREE),
                new Block(BASE + 4144, 96, BASE + 4160, 80, BlockState.FREE),
                new Block(BASE + 4240, 3952, BASE + 4256, 3936, BlockState.FREE),
                new Block(BASE + 8192, 64, BASE + 8208, 48, BlockState.ALLOCATED),
                new Block(BASE + 8256, 8, BASE + 8264, 0, BlockState.METADATA));
        HeapSnapshot s = HeapSnapshot.of(blocks, PAGE, 3 * PAGE, 4040, 2 * PAGE, true);

        assertThat(s.bytes()).isEqualTo(new ByteLadder(4040, 4080 + 48, 3 * PAGE, 3 * PAGE, 2 * PAGE,
                16 + 8 + 16 + 16, true));
        assertThat(s.allocatedBlocks()).isEqualTo(2);
        assertThat(s.internalBytes()).isEqualTo(4096 + 64 - 4040);
        assertThat(s.internal()).isEqualTo(120.0 / 4160);
        assertThat(s.freeBlocks()).isEqualTo(3);
        assertThat(s.freeBytes()).isEqualTo(32 + 96 + 3952);
        assertThat(s.largestFreeBlock()).isEqualTo(3952);
        assertThat(s.external()).isEqualTo(1 - 3952.0 / 4080);
        assertThat(s.freeHistogram()).containsExactly(
                new SizeClassCount(32, 64, 1, 32),
                new SizeClassCount(64, 128, 1, 96),
                new SizeClassCount(2048, 4096, 1, 3952));
    }

    @Test
    void aPageSharedByTwoAllocatedBlocksIsActiveOnce() {
        List<Block> blocks = List.of(
                new Block(BASE, 32, BASE + 8, 16, BlockState.ALLOCATED),
                new Block(BASE + 32, 32, BASE + 40, 16, BlockState.ALLOCATED),
                new Block(BASE + 64, 8000, BASE + 72, 7984, BlockState.FREE));
        HeapSnapshot s = HeapSnapshot.of(blocks, PAGE, 2 * PAGE, 20, PAGE, true);
        assertThat(s.bytes().active()).isEqualTo(PAGE);
        assertThat(s.external()).isZero();
        assertThat(s.internal()).isEqualTo((64 - 20) / 64.0);
    }

    @Test
    void anEmptyHeapHasNoFragmentation() {
        HeapSnapshot s = HeapSnapshot.of(List.of(), PAGE, 0, 0, 0, true);
        assertThat(s.internal()).isZero();
        assertThat(s.external()).isZero();
        assertThat(s.freeHistogram()).isEmpty();
        assertThat(s.bytes()).isEqualTo(ByteLadder.EMPTY);
    }

    @Test
    void sizeClassesArePowersOfTwo() {
        for (long size = 1; size < 1 << 20; size++) {
            int k = HeapSnapshot.sizeClass(size);
            assertThat(1L << k).isLessThanOrEqualTo(size);
            assertThat(size).isLessThan(1L << (k + 1));
        }
    }
}
