package io.github.alloclab.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulatedMemorySourceTest {

    private static final long PAGE = 4096;
    private static final MemorySettings SMALL = MemorySettings.DEFAULTS.withHeapLimit(64 * PAGE).withMmapLimit(64 * PAGE);

    @Test
    void sbrkMovesTheBreakAndTheHeapAreaFollowsItInWholePages() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long start = memory.heapStart();
            assertThat(start).isEqualTo(0x555555559000L);
            assertThat(memory.vmas()).isEmpty();
            assertThat(memory.sbrk(100)).isEqualTo(start);
            assertThat(memory.vmas()).singleElement().satisfies(heap -> {
                assertThat(heap.start()).isEqualTo(start);
                assertThat(heap.end()).isEqualTo(start + PAGE);
                assertThat(heap.name()).isEqualTo("[heap]");
                assertThat(heap.permissions()).isEqualTo("rw-p");
            });
            assertThat(memory.sbrk(64 * PAGE)).as("past the heap limit").isEqualTo(MemorySource.FAILED);
            assertThat(memory.sbrk(-200)).as("below the heap start").isEqualTo(MemorySource.FAILED);
            assertThat(memory.sbrk(PAGE)).isEqualTo(start + 100);
            assertThat(memory.vmas().getFirst().end()).isEqualTo(start + 2 * PAGE);
            assertThat(memory.brk(start)).isTrue();
            assertThat(memory.vmas()).as("a heap trimmed to nothing has no area").isEmpty();
            assertThat(memory.peakFootprintBytes()).isEqualTo(PAGE + 100);
        }
    }

    @Test
    void firstTouchIsAMinorFaultThatMakesThePageResident() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long start = memory.sbrk(3 * PAGE);
            assertThat(memory.residentBytes()).as("sbrk maps but does not touch").isZero();
            memory.putLong(start + PAGE + 8, 42);
            assertThat(memory.minorFaults()).isEqualTo(1);
            assertThat(memory.residentBytes()).isEqualTo(PAGE);
            assertThat(memory.getLong(start + PAGE + 8)).isEqualTo(42);
            memory.getByte(start + PAGE + 100);
            assertThat(memory.minorFaults()).as("a resident page does not fault again").isEqualTo(1);
            memory.getByte(start);
            assertThat(memory.residentBytes()).isEqualTo(2 * PAGE);
            assertThat(memory.dirtyBytes(start, start + 3 * PAGE)).as("only the stored-to page is dirty").isEqualTo(PAGE);
            memory.sbrk(-2 * PAGE);
            assertThat(memory.residentBytes()).as("a trim releases the frames above the break").isEqualTo(PAGE);
            assertThat(memory.peakResidentBytes()).isEqualTo(2 * PAGE);
            memory.sbrk(2 * PAGE);
            assertThat(memory.getLong(start + PAGE + 8)).as("a page given back comes back zeroed").isZero();
        }
    }

    @Test
    void theFirstStoreToAPageReadBeforeMarksItDirty() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long start = memory.sbrk(PAGE);
            memory.getLong(start);
            assertThat(memory.dirtyBytes(start, start + PAGE)).isZero();
            memory.putLong(start, 1); // the TLB holds the page read-only until the walk sets the dirty bit
            assertThat(memory.dirtyBytes(start, start + PAGE)).isEqualTo(PAGE);
            assertThat(memory.pageTableEntry(start) & PteLayout.DIRTY).isNotZero();
        }
    }

    @Test
    void bytesReleasedInsideAPageThatStaysMappedReadAsZeroWhenHandedOutAgain() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long start = memory.sbrk(4000);
            memory.putLong(start + 3000, -1);
            memory.sbrk(-2000);
            memory.sbrk(2000);
            assertThat(memory.getLong(start + 3000)).isZero();
        }
    }

    @Test
    void aNullDereferenceFaultsWithItsReason() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            SegmentationFault fault = catchThrowableOfType(SegmentationFault.class, () -> memory.getLong(0));
            assertThat(fault.reason()).isEqualTo(FaultReason.NULL_DEREFERENCE);
            assertThat(fault.address()).isZero();
            assertThat(fault.access()).isEqualTo(AccessKind.READ);
            assertThat(fault.byteSize()).isEqualTo(8);
            assertThat(fault.getMessage()).contains("read of 8 bytes at 0x0", "NULL pointer dereference");
            assertThat(catchThrowableOfType(SegmentationFault.class, () -> memory.putInt(0x18, 1)).reason())
                    .as("a field of a NULL struct pointer").isEqualTo(FaultReason.NULL_DEREFERENCE);
        }
    }

    @Test
    void anAccessPastTheBreakFaultsOnlyBeyondTheHeapsLastPage() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long start = memory.sbrk(100);
            memory.putLong(start + 200, 7); // past the break but inside its page: Linux does not notice either
            SegmentationFault fault = catchThrowableOfType(SegmentationFault.class, () -> memory.putLong(start + PAGE, 1));
            assertThat(fault.reason()).isEqualTo(FaultReason.UNMAPPED);
            assertThat(fault.getMessage()).contains("past the break");
        }
    }

    @Test
    void aStoreToReadOnlyMemoryFaultsAndStoresNothing() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long text = 0x400000;
            memory.mapFixed(Vma.anonymous(text, text + PAGE, Protection.READ_EXECUTE, "/bin/prog", "text"));
            memory.mapFixed(Vma.anonymous(text + PAGE, text + 2 * PAGE, Protection.READ_WRITE, "", "data"));
            SegmentationFault fault = catchThrowableOfType(SegmentationFault.class, () -> memory.putByte(text + 5, (byte) 1));
            assertThat(fault.reason()).isEqualTo(FaultReason.WRITE_TO_READ_ONLY);
            assertThat(fault.vma()).get().extracting(Vma::label).isEqualTo("text");
            assertThat(fault.getMessage()).contains("r-xp text /bin/prog");
            // A store straddling the writable page and the read-only one must not change the writable byte.
            memory.putByte(text + PAGE, (byte) 9);
            assertThatThrownBy(() -> memory.putLong(text + PAGE - 4, -1L)).isInstanceOf(SegmentationFault.class);
            assertThat(memory.getByte(text + PAGE)).isEqualTo((byte) 9);
            assertThat(memory.fetchByte(text + 5)).isZero();
            assertThat(catchThrowableOfType(SegmentationFault.class, () -> memory.fetchByte(text + PAGE)).reason())
                    .as("executing data").isEqualTo(FaultReason.EXECUTE_NOT_EXECUTABLE);
        }
    }

    @Test
    void mprotectChangesResidentPagesAndTheTlbForgetsThem() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long p = memory.mmap(3 * PAGE);
            memory.putLong(p + PAGE, 5); // resident, dirty and cached writable in the TLB
            assertThat(memory.mprotect(p + PAGE, PAGE, Protection.READ)).isZero();
            assertThat(memory.vmas()).extracting(Vma::permissions).containsExactly("rw-p", "r--p", "rw-p");
            assertThat(catchThrowableOfType(SegmentationFault.class, () -> memory.putLong(p + PAGE, 6)).reason())
                    .isEqualTo(FaultReason.WRITE_TO_READ_ONLY);
            assertThat(memory.getLong(p + PAGE)).isEqualTo(5);
            assertThat(memory.mprotect(p + PAGE, PAGE, Protection.NONE)).isZero();
            assertThat(catchThrowableOfType(SegmentationFault.class, () -> memory.getLong(p + PAGE)).reason())
                    .isEqualTo(FaultReason.NO_ACCESS);
            assertThat(memory.residentBytes()).as("PROT_NONE keeps the frame").isEqualTo(PAGE);
            assertThat(memory.mprotect(p, 3 * PAGE, Protection.READ_WRITE)).isZero();
            assertThat(memory.vmas()).as("equal neighbours merge again").hasSize(1);
            assertThat(memory.getLong(p + PAGE)).isEqualTo(5);
            assertThat(memory.mprotect(p + 1, PAGE, Protection.READ)).as("unaligned").isEqualTo(-1);
            assertThat(memory.mprotect(p - PAGE, 2 * PAGE, Protection.READ)).as("partly unmapped").isEqualTo(-1);
        }
    }

    @Test
    void munmapReleasesFramesAndLaterAccessesFault() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long p = memory.mmap(2 * PAGE);
            long q = memory.mmap(PAGE);
            assertThat(q).isEqualTo(p - PAGE);
            assertThat(memory.vmas()).as("adjacent anonymous mappings merge, as in Linux").hasSize(1);
            memory.fill(q, 3 * PAGE, (byte) 1);
            assertThat(memory.residentBytes()).isEqualTo(3 * PAGE);
            MemorySegment view = memory.segment(p, 16);
            assertThat(memory.munmap(p, 2 * PAGE)).isZero();
            assertThat(memory.residentBytes()).isEqualTo(PAGE);
            assertThat(memory.mappedBytes()).isEqualTo(PAGE);
            assertThat(catchThrowableOfType(SegmentationFault.class, () -> memory.getByte(p)).reason())
                    .isEqualTo(FaultReason.UNMAPPED);
            assertThatThrownBy(() -> view.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0))
                    .as("a view of unmapped memory is dead, not dangling").isInstanceOf(IllegalStateException.class);
            assertThat(memory.mmap(2 * PAGE)).isEqualTo(p);
            assertThat(memory.getLong(p)).as("fresh pages are zero").isZero();
        }
    }

    @Test
    void aStackGrowsDownOnFaultsUpToItsLimitAndNotIntoTheGuardGap() {
        try (var memory = new SimulatedMemorySource(SMALL, SMALL.heapStart(), 64 * PAGE)) {
            long top = 0x7ffffffff000L;
            memory.reserve(top - 64 * PAGE, 64 * PAGE);
            memory.mapFixed(new Vma(top - 4 * PAGE, top, Protection.READ_WRITE, Vma.GROWS_DOWN, 0, null, 0,
                    "[stack]", "stack"));
            memory.putLong(top - 10 * PAGE, 1);
            assertThat(memory.vmaAt(top - 10 * PAGE).start()).isEqualTo(top - 10 * PAGE);
            SegmentationFault overflow = catchThrowableOfType(SegmentationFault.class,
                    () -> memory.putLong(top - 65 * PAGE, 1));
            assertThat(overflow.reason()).isEqualTo(FaultReason.STACK_OVERFLOW);
            assertThat(overflow.getMessage()).contains("past its limit of 256 KiB");
            assertThat(catchThrowableOfType(SegmentationFault.class, () -> memory.getByte(top - 10_000 * PAGE)).reason())
                    .as("far below the stack is just unmapped").isEqualTo(FaultReason.UNMAPPED);
            try (var near = new SimulatedMemorySource(SMALL, SMALL.heapStart(), 1024 * PAGE)) {
                near.mapFixed(new Vma(top - 4 * PAGE, top, Protection.READ_WRITE, Vma.GROWS_DOWN, 0, null, 0,
                        "[stack]", "stack"));
                near.mapFixed(Vma.anonymous(top - 300 * PAGE, top - 299 * PAGE, Protection.READ_WRITE, "", "mmap"));
                SegmentationFault gap = catchThrowableOfType(SegmentationFault.class,
                        () -> near.putLong(top - 100 * PAGE, 1));
                assertThat(gap.reason()).isEqualTo(FaultReason.STACK_OVERFLOW);
                assertThat(gap.getMessage()).contains("guard gap");
                near.putLong(top - 40 * PAGE, 1);
            }
        }
    }

    @Test
    void fileBackedPagesReadTheFileAndZeroPastTheFileLimit() {
        byte[] bytes = new byte[2 * (int) PAGE];
        byte[] text = "hello, world".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, bytes, (int) PAGE + 16, text.length);
        bytes[(int) PAGE + 100] = 0x55;
        MappedFile file = MappedFile.of("/tmp/prog", bytes);
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long data = 0x600000;
            memory.mapFixed(new Vma(data, data + PAGE, Protection.READ_WRITE, 0, PAGE, file, PAGE + 100, "/tmp/prog", "data"));
            assertThat(memory.getByte(data + 16)).isEqualTo((byte) 'h');
            assertThat(memory.getByte(data + 100)).as("bss starts here: zero, not the file's byte").isZero();
            memory.putByte(data + 16, (byte) 'J');
            assertThat(bytes[(int) PAGE + 16]).as("a private mapping never writes the file").isEqualTo((byte) 'h');
            assertThat(memory.pageTableEntry(data) & PteLayout.FILE).isNotZero();
        }
    }

    @Test
    void physicalAddressesGoThroughThePageTable() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long start = memory.sbrk(2 * PAGE);
            assertThat(memory.physicalAddress(start)).as("not resident yet").isEqualTo(-1);
            memory.putByte(start + PAGE + 5, (byte) 1);
            long pte = memory.pageTableEntry(start + PAGE);
            assertThat(PteLayout.describe(pte)).contains(" P W U A D NX");
            assertThat(memory.physicalAddress(start + PAGE + 5)).isEqualTo(PteLayout.pfn(pte) * PAGE + 5);
            assertThat(memory.pageTablePages()).as("root, PDPT, PD and PT").isEqualTo(4);
        }
    }

    @Test
    void segmentsAndAddressesRoundTripAndNeedWritableMemory() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long p = memory.sbrk(3 * PAGE);
            MemorySegment view = memory.segment(p + 10, 2 * PAGE);
            assertThat(memory.residentBytes()).isEqualTo(3 * PAGE);
            view.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, PAGE, 99L);
            assertThat(memory.getLong(p + 10 + PAGE)).isEqualTo(99);
            assertThat(memory.addressOf(view.asSlice(PAGE))).isEqualTo(p + 10 + PAGE);
            long m = memory.mmap(PAGE);
            memory.mprotect(m, PAGE, Protection.READ);
            assertThatThrownBy(() -> memory.segment(m, 8)).isInstanceOf(SegmentationFault.class);
            assertThatThrownBy(() -> memory.addressOf(MemorySegment.ofArray(new byte[4])))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void copyMovesBytesAcrossPagesAndMappingsLikeMemmove() {
        try (var memory = new SimulatedMemorySource(SMALL)) {
            long h = memory.sbrk(2 * PAGE);
            for (int i = 0; i < 100; i++) {
                memory.putByte(h + PAGE - 50 + i, (byte) i);
            }
            memory.copy(h + PAGE - 50, h + PAGE - 40, 100);
            assertThat(memory.getByte(h + PAGE - 40 + 99)).isEqualTo((byte) 99);
            assertThat(memory.getByte(h + PAGE - 40)).isEqualTo((byte) 0);
            long m = memory.mmap(PAGE);
            memory.copy(h + PAGE - 40, m, 100);
            assertThat(memory.getShort(m + 98)).isEqualTo((short) (98 | 99 << 8));
        }
    }

    @Test
    void unalignedStartBrkLeavesTheRestOfItsPageUnmappedAsLinuxDoes() {
        long startBrk = 0x555555554aaaL;
        var settings = new MemorySettings(0x555555555000L, 64 * PAGE, SMALL.mmapTop(), 64 * PAGE, PAGE);
        try (var memory = new SimulatedMemorySource(settings, startBrk, 8L << 20)) {
            assertThat(memory.sbrk(16)).isEqualTo(startBrk);
            assertThat(memory.vmas()).as("the break did not cross a page boundary").isEmpty();
            assertThat(catchThrowableOfType(SegmentationFault.class, () -> memory.putLong(startBrk, 1)).reason())
                    .isEqualTo(FaultReason.UNMAPPED);
            memory.sbrk(PAGE);
            assertThat(memory.vmas().getFirst().start()).isEqualTo(0x555555555000L);
        }
    }
}
