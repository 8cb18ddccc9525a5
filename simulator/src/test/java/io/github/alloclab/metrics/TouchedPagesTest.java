package io.github.alloclab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySource;
import org.junit.jupiter.api.Test;

class TouchedPagesTest {

    @Test
    void pagesBecomeResidentOnFirstTouchAndLeaveWhenTheHeapShrinks() {
        try (MemorySource memory = new FlatMemorySource()) {
            TouchedPages pages = new TouchedPages(memory);
            long start = memory.sbrk(5 * 4096);
            pages.touch(start + 100, 10);              // page 0
            pages.touch(start + 4090, 10);             // pages 0 and 1
            pages.touch(start + 3 * 4096, 0);          // page 3 (a zero-byte touch still touches a byte)
            pages.afterOperation();
            assertThat(pages.residentBytes()).isEqualTo(3 * 4096);
            assertThat(pages.faults()).isEqualTo(3);

            memory.sbrk(-3 * 4096 - 1);                // break inside page 1: pages 2.. go
            pages.afterOperation();
            assertThat(pages.residentBytes()).isEqualTo(2 * 4096);

            memory.sbrk(4 * 4096);
            pages.touch(start + 3 * 4096, 8);          // page 3 again: a fresh page, a new fault
            pages.afterOperation();
            assertThat(pages.residentBytes()).isEqualTo(3 * 4096);
            assertThat(pages.faults()).isEqualTo(4);
        }
    }

    @Test
    void unmappedPagesAreNotResident() {
        try (MemorySource memory = new FlatMemorySource()) {
            TouchedPages pages = new TouchedPages(memory);
            long a = memory.mmap(2 * 4096);
            long b = memory.mmap(4096);
            pages.touch(a, 2 * 4096);
            pages.touch(b + 8, 8);
            pages.touch(b + 4096 * 100, 8);            // not mapped: no page, no fault
            pages.afterOperation();
            assertThat(pages.residentBytes()).isEqualTo(3 * 4096);
            assertThat(pages.faults()).isEqualTo(3);
            memory.munmap(a, 2 * 4096);
            pages.afterOperation();
            assertThat(pages.residentBytes()).isEqualTo(4096);
        }
    }
}
