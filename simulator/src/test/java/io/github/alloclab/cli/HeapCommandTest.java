package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.registry.AllocatorRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code alloclab heap}: golden pictures in plain text, a property that holds on every allocator, colours, and
 * bad input.
 */
class HeapCommandTest {

    static Stream<Arguments> goldens() {
        return Stream.of(
                Arguments.of("firstfit-list", List.of("-A", "+20,+30,-0,+10", "--scale", "16")),
                Arguments.of("buddy-list-mmap", List.of("-a", "buddy", "-A", "+100,+3000,+200000,-1", "--width", "32",
                        "--rows", "2")),
                Arguments.of("checked-red-zones", List.of("-a", "firstfit.checked", "-A", "+10,+40", "--at", "2",
                        "--scale", "16")),
                Arguments.of("firstfit-trace-at-5", List.of("find_doc_gz.rep", "--at", "5", "--scale", "16")),
                Arguments.of("malloc-trace-at-2000", List.of("-a", "malloc", "git_log_stat.rep", "--at", "2000",
                        "--width", "48", "--rows", "2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void drawsTheGoldenPicture(String golden, List<String> args) throws IOException {
        String[] command = Stream.concat(Stream.of("heap", "--color", "never"), args.stream()).toArray(String[]::new);
        CliRun r = run(command);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(golden(golden));
    }

    static String golden(String name) throws IOException {
        try (InputStream in = HeapCommandTest.class.getResourceAsStream("/io/github/alloclab/heapmap/golden/" + name
                + ".txt")) {
            assertThat(in).as("golden " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final Pattern MALLOC = Pattern.compile("ptr\\[\\d+] = malloc\\((\\d+)\\) -> 0x([0-9a-f]+)");
    private static final Pattern REGION = Pattern.compile(
            " {2}(\\[heap]|mmap) +0x([0-9a-f]+)-0x([0-9a-f]+) {2}[\\d,]+ bytes, ([\\d,]+) bytes? a cell");
    private static final Pattern ROW = Pattern.compile(" {4}0x([0-9a-f]+) {2}([#!=+._]+)");

    static Stream<String> allocators() {
        return AllocatorRegistry.standard().names().stream();
    }

    /**
     * On every allocator, every byte a malloc returned is drawn allocated, in the region and row that hold
     * its address: the picture is the allocator's heap, to scale.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allocators")
    void everyReturnedPayloadIsDrawnAllocatedWhereItLies(String allocator) {
        CliRun r = run("heap", "--color", "never", "-a", allocator, "-A", "+24,+1000,+300000,-0,+5000", "--width", "40");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        int checked = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MALLOC.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            long address = Long.parseUnsignedLong(m.group(2), 16);
            char cell = cellAt(lines, i + 1, address);
            assertThat(cell).as("%s: the cell of 0x%x after '%s'", allocator, address, lines[i]).isEqualTo('#');
            long last = address + Long.parseLong(m.group(1)) - 1;
            assertThat(cellAt(lines, i + 1, last)).as("%s: the cell of 0x%x, its last byte", allocator, last)
                    .isEqualTo('#');
            checked++;
        }
        assertThat(checked).isEqualTo(4);
        assertThat(lines).allSatisfy(line -> {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertThat(row.group(2).length()).as(line).isLessThanOrEqualTo(40);
            }
        });
    }

    /** {@return the character of the cell holding {@code address}, in the picture that starts at {@code from}} */
    private static char cellAt(String[] lines, int from, long address) {
        for (int i = from; i < lines.length && !lines[i].isEmpty(); i++) {
            Matcher region = REGION.matcher(lines[i]);
            if (!region.matches()) {
                continue;
            }
            long start = Long.parseUnsignedLong(region.group(2), 16);
            long end = Long.parseUnsignedLong(region.group(3), 16);
            long scale = Long.parseLong(region.group(4).replace(",", ""));
            if (address < start || address >= end) {
                continue;
            }
            for (int j = i + 1; j < lines.length; j++) {
                Matcher row = ROW.matcher(lines[j]);
                assertThat(row.matches()).as("a row of region %s: '%s'", lines[i], lines[j]).isTrue();
                long rowStart = Long.parseUnsignedLong(row.group(1), 16);
                long index = (address - rowStart) / scale;
                if (address >= rowStart && index < row.group(2).length()) {
                    return row.group(2).charAt((int) index);
                }
            }
        }
        throw new AssertionError("no region holds 0x%x".formatted(address));
    }

    @Test
    void drawsOnlyAtTheOperationAskedAndBeforeTheFirst() {
        CliRun at = run("heap", "--color", "never", "-A", "+20,+30,-0,+10", "--at", "3", "--scale", "16");
        assertThat(at.out().lines().filter(l -> l.startsWith("ptr[") || l.startsWith("free("))).containsExactly(
                "free(ptr[0])");
        CliRun before = run("heap", "--color", "never", "-a", "page", "-A", "+20", "--at", "0");
        assertThat(before.exit()).isZero();
        assertThat(before.out()).contains("before the first operation\n"
                + "  (no heap yet: the break has not moved and nothing is mapped)\n").doesNotContain("ptr[0]");
        CliRun prologue = run("heap", "--color", "never", "-A", "+20", "--at", "0");
        assertThat(prologue.out()).as("firstfit's prologue and epilogue are there from the start").contains(
                "before the first operation\n"
                        + "  [heap] 0x555555559000-0x555555559020  32 bytes, 1 byte a cell\n"
                        + "    0x555555559000  " + "=".repeat(32) + "\n");
    }

    @Test
    void colourIsPicocliMarkupOverTheSameCharacters() {
        CliRun plain = run("heap", "--color", "never", "-a", "firstfit.checked", "-A", "+10,+40,-0,+300000");
        CliRun colour = run("heap", "--color", "always", "-a", "firstfit.checked", "-A", "+10,+40,-0,+300000");
        assertThat(plain.out()).doesNotContain("\u001b[");
        assertThat(colour.out()).contains("\u001b[42m#", "\u001b[41m!", "\u001b[44m=", "\u001b[47m.");
        assertThat(colour.out().replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(plain.out());
    }

    @Test
    void aFailedMallocIsNullAndAFreeOfItDoesNothing() {
        CliRun r = run("heap", "--color", "never", "-A", "+2G,-0", "--rows", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ptr[0] = malloc(2147483648) -> NULL\n", "free(ptr[0])\n");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(List.of("-a", "nosuch", "-A", "+1"), "unknown allocator 'nosuch'"),
                Arguments.of(List.of("-A", "+x"), "operation 0 ('+x'): 'x' is not a byte count"),
                Arguments.of(List.of("-A", "-0"), "operation 0 ('-0') frees ptr[0], but only 0 mallocs came before it"),
                Arguments.of(List.of("-A", "+20,-0,-0"), "operation 2 ('-0') frees ptr[0] again: a double free"),
                Arguments.of(List.of("-A", "20"), "operation 0 ('20') must be +SIZE (malloc) or -INDEX"),
                Arguments.of(List.of("-A", "+20,,+1"), "operation 1 ('') must be +SIZE"),
                Arguments.of(List.of("-A", "+20", "--at", "2"), "--at 2 is past the end: -A has 1 operations"),
                Arguments.of(List.of("find_doc_gz.rep", "--at", "25107"),
                        "--at 25107 is past the end: find_doc_gz.rep has 25106 operations"),
                Arguments.of(List.of("no/such.rep"), "no/such.rep: no such file"),
                Arguments.of(List.of("find_doc_gz.rep", "-A", "+1"), "give either a TRACE or -A OPS, not both"),
                Arguments.of(List.of(), "give either a TRACE or -A OPS, not neither"),
                Arguments.of(List.of("-A", "+1", "--scale", "24"), "--scale must be a power of two"),
                Arguments.of(List.of("-A", "+1", "--width", "0"), "--width and --rows must be at least 1"),
                Arguments.of(List.of("-A", "+1", "--color", "sometimes"), "'sometimes' is not auto, always or never"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIsOneLineAndExitTwo(List<String> args, String message) {
        CliRun r = run(Stream.concat(Stream.of("heap"), args.stream()).toArray(String[]::new));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("alloclab: ").contains(message).doesNotContain("Exception", "\tat ");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.out()).as("nothing is drawn").doesNotContain("0x");
    }

    @Test
    void aScaleTooFineForARegionIsOneLineAndExitTwo() {
        CliRun r = run("heap", "-A", "+3M", "--scale", "1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).matches("alloclab: a region of \\d+ bytes at 1 bytes a cell is more than 1048576 cells;"
                + " choose a larger scale\n");
    }
}
