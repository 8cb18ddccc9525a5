package io.github.alloclab.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlatMemorySourceTest {

    private static final MemorySettings SMALL = MemorySettings.DEFAULTS.withHeapLimit(64 * 1024).withMmapLimit(64 * 1024);

    @Test
    void sbrkMovesTheBreakAndFailsLikeEnomemPastTheLimit() {
        try (var memory = new FlatMemorySource(SMALL)) {
            long start = memory.heapStart();
            assertThat(start).isEqualTo(0x555555559000L);
            assertThat(memory.sbrk(0)).isEqualTo(start);
            assertThat(memory.sbrk(100)).isEqualTo(start);
            assertThat(memory.brk()).isEqualTo(start + 100);
            assertThat(memory.sbrk(64 * 1024)).isEqualTo(MemorySource.FAILED);
            assertThat(memory.brk()).as("a failed sbrk leaves the break").isEqualTo(start + 100);
            assertThat(memory.sbrk(-200)).as("below the heap start").isEqualTo(MemorySource.FAILED);
            assertThat(memory.brk(start + 64 * 1024)).isTrue();
            assertThat(memory.footprintBytes()).isEqualTo(64 * 1024);
            assertThat(memory.brk(start)).isTrue();
            assertThat(memory.peakFootprintBytes()).isEqualTo(64 * 1024);
        }
    }

    @Test
    void memoryGivenBackReadsAsZeroWhenHandedOutAgain() {
        try (var memory = new FlatMemorySource(SMALL)) {
            long start = memory.sbrk(4096);
            memory.putLong(start + 4000, -1L);
            memory.sbrk(-4096);
            memory.sbrk(4096);
            assertThat(memory.getLong(start + 4000)).isZero();

            long m = memory.mmap(8192);
            memory.putLong(m + 8, 42);
            assertThat(memory.munmap(m, 8192)).isZero();
            long again = memory.mmap(8192);
            assertThat(again).isEqualTo(m);
            assertThat(memory.getLong(again + 8)).isZero();
        }
    }

    @Test
    void mmapPlacesPageAlignedMappingsTopDownAndReusesHoles() {
        try (var memory = new FlatMemorySource(SMALL)) {
            long top = SMALL.mmapTop();
            long a = memory.mmap(1);
            long b = memory.mmap(5000);
            assertThat(a).isEqualTo(top - 4096);
            assertThat(b).isEqualTo(a - 8192);
            assertThat(memory.mappedBytes()).isEqualTo(3 * 4096);
            assertThat(memory.isMapped(b, 8192)).isTrue();
            assertThat(memory.isMapped(b, 8193)).as("a range running past one mapping").isFalse();
            assertThat(memory.munmap(a, 4096)).isZero();
            assertThat(memory.isMapped(a, 1)).isFalse();
            assertThat(memory.mmap(4096)).as("the hole at the top is reused").isEqualTo(a);
            assertThat(memory.munmap(b + 4096, 4096)).as("part of a mapping").isZero();
            assertThat(memory.isMapped(b, 4096)).isTrue();
            assertThat(memory.isMapped(b + 4096, 1)).isFalse();
            assertThat(memory.munmap(b + 1, 4096)).as("unaligned").isEqualTo(-1);
            assertThat(memory.mmap(64 * 1024)).as("the area is too full").isEqualTo(MemorySource.FAILED);
            assertThatThrownBy(() -> memory.mmap(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void loadsAndStoresAreLittleEndianAndSegmentsViewTheSameBytes() {
        try (var memory = new FlatMemorySource(SMALL)) {
            long p = memory.sbrk(64);
            memory.putLong(p, 0x0102030405060708L);
            assertThat(memory.getByte(p)).isEqualTo((byte) 8);
            assertThat(memory.getInt(p + 4)).isEqualTo(0x01020304);
            memory.copy(p, p + 3, 8);
            assertThat(memory.getByte(p + 3)).isEqualTo((byte) 8);
            var segment = memory.segment(p, 16);
            assertThat(memory.addressOf(segment)).isEqualTo(p);
            assertThat(memory.addressOf(segment.asSlice(5))).isEqualTo(p + 5);
            long m = memory.mmap(4096);
            assertThat(memory.addressOf(memory.segment(m + 8, 8))).isEqualTo(m + 8);
        }
    }

    @Test
    void addressesOutsideEveryReservationAreStoppedNotCrashing() {
        try (var memory = new FlatMemorySource(SMALL)) {
            memory.sbrk(64);
            assertThatThrownBy(() -> memory.getLong(0x1000)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> memory.putLong(0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void accessesThatStraddleTheEndOfAReservationOrComeAfterCloseAreStopped() {
        var memory = new FlatMemorySource(SMALL);
        long heapEnd = memory.heapStart() + SMALL.heapLimit();
        memory.brk(heapEnd);
        memory.putLong(heapEnd - 8, -1);
        assertThat(memory.getLong(heapEnd - 8)).isEqualTo(-1);
        assertThat(memory.getInt(heapEnd - 4)).isEqualTo(-1);
        assertThat(memory.getByte(heapEnd - 1)).isEqualTo((byte) -1);
        assertThatThrownBy(() -> memory.getLong(heapEnd - 7)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memory.putInt(heapEnd - 3, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memory.getByte(heapEnd)).isInstanceOf(IndexOutOfBoundsException.class);
        long mmapTop = SMALL.mmapTop();
        memory.mmap(4096);
        memory.putLong(mmapTop - 8, 7);
        assertThatThrownBy(() -> memory.getLong(mmapTop - 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memory.getLong(mmapTop - SMALL.mmapLimit() - 8))
                .isInstanceOf(IndexOutOfBoundsException.class);
        memory.close();
        assertThatThrownBy(() -> memory.getLong(heapEnd - 8))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> memory.putLong(mmapTop - 8, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void populateLeavesEverythingOutsideTheHeapAndMappingsZeroAndTheHeapAlone() {
        try (var memory = new FlatMemorySource(SMALL)) {
            long p = memory.sbrk(64);
            memory.putLong(p, 7);
            long m = memory.mmap(4096);
            memory.putLong(m, 9);
            memory.populate(32 * 1024, 32 * 1024);
            assertThat(memory.getLong(p)).isEqualTo(7);
            assertThat(memory.getLong(m)).isEqualTo(9);
            assertThat(memory.brk()).isEqualTo(p + 64);
            assertThat(memory.mappedBytes()).isEqualTo(4096);
            long q = memory.sbrk(4096);
            assertThat(memory.getLong(q + 8)).isZero();
        }
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new MemorySettings(0x1001, 4096, 0x7fff_f7ff_f000L, 4096, 4096))
                .hasMessageContaining("heapStart");
        assertThatThrownBy(() -> new MemorySettings(0x10000, 4096, 0x7fff_f7ff_f000L, 4096, 3000))
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> new MemorySettings(0x10000, 1 << 20, 0x20000, 4096, 4096))
                .hasMessageContaining("overlaps");
    }
}
