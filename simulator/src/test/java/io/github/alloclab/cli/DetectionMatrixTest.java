package io.github.alloclab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.cli.DetectionMatrix.Outcome;
import io.github.alloclab.cli.DetectionMatrix.Tally;
import io.github.alloclab.cli.HeapErrorCommand.Kind;
import io.github.alloclab.registry.AllocatorRegistry;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error-detection matrix ({@code alloclab heaperror --matrix}): checked mode detects every heap mistake in
 * every trial, with its kind; every allocator rejects double, invalid and interior frees; and no allocator ever
 * fails with anything but a {@code HeapCorruptionException} or, for a heap corrupted past its checks, the
 * simulated process's {@code SegmentationFault}.
 */
class DetectionMatrixTest {

    private static final AllocatorRegistry REGISTRY = AllocatorRegistry.standard();
    private static final String CHECKED = "firstfit.checked";
    private static final long SEED = 20261206L;

    /** The mistakes every allocator catches from its own metadata, without red zones or poison. */
    private static final Set<Kind> METADATA_KINDS = EnumSet.of(Kind.DOUBLE_FREE, Kind.INVALID, Kind.INTERIOR);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void checkedModeDetectsEveryTrialOfEveryKind(Kind kind) {
        Tally t = DetectionMatrix.run(REGISTRY, CHECKED, kind, 200, SEED);
        assertThat(t.detected()).as("detected %s trials of 200", kind).isEqualTo(200);
        assertThat(t.count(Outcome.FAULT) + t.count(Outcome.BROKEN)).isZero();
        if (kind != Kind.INVALID) {
            // A pointer into a block's header or red zone is inside the block: checked mode calls it an interior
            // pointer, which glibc words the same, "free(): invalid pointer". Every other kind is named exactly.
            assertThat(t.count(Outcome.CAUGHT_OTHER_KIND)).as("%s caught as another kind", kind).isZero();
        }
    }

    /** {@code checked=true} is a first-fit setting: every first-fit variant can run in checked mode. */
    @ParameterizedTest
    @MethodSource("firstFitVariants")
    void everyFirstFitVariantInCheckedModeDetectsEveryTrial(String allocator) {
        for (Kind kind : Kind.values()) {
            Tally t = DetectionMatrix.run(REGISTRY, allocator, Map.of("checked", "true"), kind, 50, SEED);
            assertThat(t.detected()).as("%s checked=true %s: detected of 50", allocator, kind).isEqualTo(50);
        }
    }

    @ParameterizedTest
    @MethodSource("allocators")
    void everyAllocatorFailsOnlyWithTheTypedErrorOrAFault(String allocator) {
        for (Kind kind : Kind.values()) {
            Tally t = DetectionMatrix.run(REGISTRY, allocator, kind, 30, SEED);
            assertThat(t.count(Outcome.BROKEN)).as("%s %s: trials that threw another exception", allocator, kind)
                    .isZero();
            if (METADATA_KINDS.contains(kind)) {
                assertThat(t.detected()).as("%s %s: detected of 30", allocator, kind).isEqualTo(30);
            }
            if (kind == Kind.DOUBLE_FREE) {
                // Every allocator names a double free as one (glibc's "free(): double free detected"), not as OTHER.
                assertThat(t.count(Outcome.CAUGHT_OTHER_KIND)).as("%s double frees caught as another kind", allocator)
                        .isZero();
            }
        }
    }

    static Stream<String> firstFitVariants() {
        return REGISTRY.names().stream().filter(name -> name.startsWith("firstfit") && !name.equals(CHECKED));
    }

    static Stream<String> allocators() {
        return REGISTRY.names().stream().filter(name -> !name.equals(CHECKED));
    }
}
