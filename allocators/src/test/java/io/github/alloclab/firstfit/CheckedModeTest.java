package io.github.alloclab.firstfit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checked mode on three members of the family: each kind of misuse is reported with its kind, glibc's
 * wording and the address, before anything changes, and the heap stays usable afterwards.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("members")
class CheckedModeTest {

    static Stream<String> members() {
        return Stream.of("explicit", "segregated", "implicit");
    }

    @Parameter
    String member;

    private FirstFitAllocator heap;

    private FirstFitAllocator heap() {
        if (heap == null) {
            FirstFitSettings settings = switch (member) {
                case "segregated" -> FirstFitSettings.DEFAULTS.withIndex(FreeIndex.SEGREGATED).withFit(Fit.BEST)
                        .withAllocatedFooters(false);
                case "implicit" -> FirstFitSettings.DEFAULTS.withOrder(ListOrder.ADDRESS).withIndex(FreeIndex.IMPLICIT);
                default -> FirstFitSettings.DEFAULTS;
            };
            heap = new FirstFitAllocator(member, new FlatMemorySource(UnitHeap.SMALL),
                    settings.withChecked(true).withThresholds(4096, 0, 64 * 1024));
        }
        return heap;
    }

    @AfterEach
    void close() {
        if (heap != null) {
            heap.close();
        }
    }

    private HeapCorruptionException thrownBy(Runnable call) {
        HeapCorruptionException e = catchThrowableOfType(HeapCorruptionException.class, call::run);
        assertThat(e).as("a HeapCorruptionException").isNotNull();
        return e;
    }

    private void assertUsable() {
        assertThat(heap().check()).isEmpty();
        long a = heap().malloc(100);
        long b = heap().malloc(3000);
        heap().memory().fill(a, 100, (byte) 7);
        heap().memory().fill(b, 3000, (byte) 8);
        heap().free(a);
        heap().free(b);
        assertThat(heap().check()).isEmpty();
    }

    @Test
    void doubleFree() {
        long p = heap().malloc(40);
        long guard = heap().malloc(40);
        heap().free(p);
        HeapCorruptionException e = thrownBy(() -> heap().free(p));
        assertThat(e.kind()).isEqualTo(CorruptionKind.DOUBLE_FREE);
        assertThat(e.reason()).isEqualTo("free(): double free detected");
        assertThat(e.address()).isEqualTo(p);
        assertThat(e).hasMessage("free(): double free detected (address 0x%x)", p);
        heap().free(guard);
        assertUsable();
    }

    @Test
    void doubleFreeOfABlockThatCoalescingSwallowed() {
        long a = heap().malloc(40);
        long b = heap().malloc(40);
        long guard = heap().malloc(40);
        heap().free(a);
        heap().free(b); // merges into a: b's tag becomes a tombstone
        assertThat(heap().memory().getLong(b - heap().offset + heap().h - 8)).isEqualTo(Guards.TOMBSTONE);
        HeapCorruptionException e = thrownBy(() -> heap().free(b));
        assertThat(e.kind()).isEqualTo(CorruptionKind.DOUBLE_FREE);
        assertThat(e.reason()).isEqualTo("free(): double free detected");
        heap().free(guard);
        assertUsable();
    }

    @Test
    void pointersNeverReturnedAndInteriorPointers() {
        long p = heap().malloc(200);
        long guard = heap().malloc(40);
        HeapCorruptionException interior = thrownBy(() -> heap().free(p + 64));
        assertThat(interior.kind()).isEqualTo(CorruptionKind.INTERIOR_POINTER);
        assertThat(interior.reason()).isEqualTo("free(): invalid pointer");
        assertThat(interior.address()).isEqualTo(p + 64);
        HeapCorruptionException odd = thrownBy(() -> heap().free(p + 3));
        assertThat(odd.kind()).isEqualTo(CorruptionKind.INTERIOR_POINTER);
        HeapCorruptionException outside = thrownBy(() -> heap().free(0x1000));
        assertThat(outside.kind()).isEqualTo(CorruptionKind.INVALID_POINTER);
        assertThat(outside.reason()).isEqualTo("free(): invalid pointer");
        long inFreeMemory = guard + 4096;
        HeapCorruptionException free = thrownBy(() -> heap().free(inFreeMemory));
        assertThat(free.kind()).as("a pointer into free memory that no block ever had").isEqualTo(CorruptionKind.INVALID_POINTER);
        HeapCorruptionException realloc = thrownBy(() -> heap().realloc(p + 16, 10));
        assertThat(realloc.reason()).isEqualTo("realloc(): invalid pointer");
        heap().free(p);
        heap().free(guard);
        assertUsable();
    }

    @Test
    void overflowIntoTheRedZoneIsFoundAtFreeAndRepaired() {
        long p = heap().malloc(24);
        heap().memory().fill(p, 24, (byte) 1);
        heap().memory().putByte(p + 24, (byte) 0);
        assertThat(heap().check()).extracting(Violation::message)
                .anyMatch(m -> m.startsWith("memory clobbered past end of allocated block"));
        HeapCorruptionException e = thrownBy(() -> heap().free(p));
        assertThat(e.kind()).isEqualTo(CorruptionKind.OVERFLOW);
        assertThat(e.reason()).isEqualTo("memory clobbered past end of allocated block");
        assertThat(e.address()).as("the first clobbered byte").isEqualTo(p + 24);
        assertThat(heap().stats().liveBlocks()).as("the block is still allocated").isEqualTo(1);
        assertThat(heap().check()).as("the red zone was restored").isEmpty();
        heap().free(p);
        assertUsable();
    }

    @Test
    void underflowBeforeThePayloadIsFoundAtRealloc() {
        long p = heap().malloc(24);
        heap().memory().putByte(p - 1, (byte) 0);
        HeapCorruptionException e = thrownBy(() -> heap().realloc(p, 4000));
        assertThat(e.kind()).isEqualTo(CorruptionKind.UNDERFLOW);
        assertThat(e.reason()).isEqualTo("memory clobbered before allocated block");
        assertThat(e.address()).isEqualTo(p - 1);
        assertThat(heap().usableSize(p)).as("the block is unchanged").isEqualTo(24);
        heap().free(p);
        assertUsable();
    }

    @Test
    void useAfterFreeIsFoundWhenTheBlockIsHandedOutAgainOrAtCheck() {
        long p = heap().malloc(100);
        long guard = heap().malloc(100);
        heap().free(p);
        heap().memory().putByte(p + 50, (byte) 42);
        List<Violation> found = heap().check();
        assertThat(found).extracting(Violation::message).anyMatch(m -> m.contains("written after free"));
        assertThat(found).extracting(Violation::address).contains(p + 50);
        HeapCorruptionException e = thrownBy(() -> {
            for (int i = 0; i < 200; i++) {
                heap().malloc(100); // until the written block is handed out again
            }
        });
        assertThat(e.kind()).isEqualTo(CorruptionKind.USE_AFTER_FREE);
        assertThat(e.address()).isEqualTo(p + 50);
        assertThat(heap().check()).as("the poison was restored").isEmpty();
        heap().free(guard);
        assertUsable();
    }

    @Test
    void reallocOfAFreedBlockIsAUseAfterFree() {
        long p = heap().malloc(64);
        long guard = heap().malloc(64);
        heap().free(p);
        HeapCorruptionException e = thrownBy(() -> heap().realloc(p, 10));
        assertThat(e.kind()).isEqualTo(CorruptionKind.USE_AFTER_FREE);
        assertThat(e.reason()).isEqualTo("realloc(): invalid pointer");
        heap().free(guard);
        assertUsable();
    }

    @Test
    void mappedChunksHaveRedZonesAndRememberTheirDoubleFree() {
        long big = heap().malloc(100_000);
        assertThat(heap().memory().mappedBytes()).isPositive();
        heap().memory().putByte(big + 100_000, (byte) 0);
        HeapCorruptionException overflow = thrownBy(() -> heap().free(big));
        assertThat(overflow.kind()).isEqualTo(CorruptionKind.OVERFLOW);
        heap().free(big);
        assertThat(heap().memory().mappedBytes()).isZero();
        HeapCorruptionException again = thrownBy(() -> heap().free(big));
        assertThat(again.kind()).isEqualTo(CorruptionKind.DOUBLE_FREE);
        assertUsable();
    }

    @Test
    void aCorruptedTopBlockIsReportedBeforeTheHeapGrows() {
        long p = heap().malloc(100);
        long brk = heap().memory().brk();
        long footer = brk - heap().h - 8; // the top block's footer, right below the epilogue
        heap().memory().putLong(footer, heap().memory().getLong(footer) - 64);
        HeapCorruptionException e = thrownBy(() -> heap().malloc(20_000));
        assertThat(e.kind()).isEqualTo(CorruptionKind.CORRUPTED_TOP);
        assertThat(e.reason()).isEqualTo("malloc(): corrupted top size");
        assertThat(heap().memory().brk()).as("nothing changed").isEqualTo(brk);
        long q = heap().malloc(64); // splits the top block and so writes its footer anew
        assertThat(q).isNotZero();
        heap().free(q);
        heap().free(p);
        assertUsable();
    }
}
