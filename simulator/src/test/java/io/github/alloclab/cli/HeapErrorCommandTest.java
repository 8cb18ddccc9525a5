package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code alloclab heaperror}: each mistake is caught by checked mode with its kind, or missed without it. */
class HeapErrorCommandTest {

    @ParameterizedTest
    @CsvSource({
        "double-free,    DOUBLE_FREE,      free(): double free detected",
        "overflow,       OVERFLOW,         memory clobbered past end of allocated block",
        "underflow,      UNDERFLOW,        memory clobbered before allocated block",
        "use-after-free, USE_AFTER_FREE,   malloc(): use after free: freed memory was written",
        "invalid,        INVALID_POINTER,  free(): invalid pointer (address 0x10000)",
        "interior,       INTERIOR_POINTER, free(): invalid pointer",
    })
    void checkedModeCatchesEachMistakeAndStaysUsable(String kind, String corruption, String message) {
        CliRun r = run("heaperror", kind);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("=> caught: " + message, "kind " + corruption + ":",
                "check(): no violation found");
    }

    @Test
    void theDumpShowsRedZonesAroundTheOverflowingByte() {
        CliRun r = run("heaperror", "overflow");
        String endRow = r.out().lines().filter(l -> l.endsWith("<- end of p")).findFirst().orElseThrow();
        assertThat(endRow).contains("41 41 41 41 41 41 41 41  41 cc cc cc cc cc cc cc");
    }

    @Test
    void anUncheckedHeapMissesTheOverflowAndCrashesOnTheUseAfterFree() {
        CliRun overflow = run("heaperror", "overflow", "-a", "firstfit");
        assertThat(overflow.out()).contains("=> not caught").doesNotContain("=> caught");
        CliRun uaf = run("heaperror", "use-after-free", "-a", "firstfit");
        assertThat(uaf.exit()).as(uaf.err()).isZero();
        assertThat(uaf.out()).contains("=> SIGSEGV", "segmentation fault: write of 8 bytes at 0x32");
    }

    @Test
    void anUnknownMistakeIsAUsageError() {
        CliRun r = run("heaperror", "leak");
        assertThat(r.exit()).isEqualTo(AlloclabCommand.EXIT_USAGE);
        assertThat(r.err()).startsWith("alloclab: unknown heap error 'leak'; heap errors: double-free,");
    }

    @Test
    void theMatrixTakesNoKindAndAKindIsNeededWithoutIt() {
        CliRun both = run("heaperror", "overflow", "--matrix");
        assertThat(both.exit()).isEqualTo(AlloclabCommand.EXIT_USAGE);
        assertThat(both.err()).startsWith("alloclab: --matrix runs every heap error; give no KIND");
        CliRun none = run("heaperror");
        assertThat(none.exit()).isEqualTo(AlloclabCommand.EXIT_USAGE);
        assertThat(none.err()).startsWith("alloclab: missing heap error; heap errors: double-free,");
    }

    @Test
    void theMatrixHasARowPerAllocatorAndAColumnPerKind() {
        CliRun r = run("heaperror", "--matrix", "--trials", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 seeded trials per cell",
                "| allocator                       | double-free | overflow | underflow | use-after-free | invalid | interior |")
                .containsPattern("\\| firstfit\\.checked +\\| +100\\.0 \\| +100\\.0 \\| +100\\.0 \\| +100\\.0 \\| +100\\.0 \\| +100\\.0 \\|");
    }
}
