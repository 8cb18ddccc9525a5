package io.github.alloclab.freespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.cli.AlloclabCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What alloclab's freelist adds to malloc.py, and the allocator behind it. */
class FreeSpaceSimulatorTest {

    record Run(int exit, List<String> out, String err) {
    }

    static Run freelist(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "freelist";
        System.arraycopy(args, 0, argv, 1, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AlloclabCommand.run(argv, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString().lines().toList(), err.toString());
    }

    private static FreeSpaceOptions options(String policy, String order, boolean coalesce, boolean exact) {
        FreeSpaceOptions d = FreeSpaceOptions.DEFAULTS;
        return new FreeSpaceOptions(d.seed(), d.heapSize(), d.baseAddr(), d.headerSize(), d.alignment(), policy,
                order, coalesce, d.numOps(), d.range(), d.percentAlloc(), d.allocList(), true, exact, false);
    }

    @Test
    void exactCoalescingMergesNeighboursInMemoryThatMallocPyLeavesApart() {
        String ops = "+20,+20,+20,+20,+20,-0,-1,-2,-3,-4";
        Run mallocPy = freelist("-c", "-C", "-l", "INSERT-FRONT", "-A", ops);
        Run exact = freelist("-c", "-C", "-l", "INSERT-FRONT", "-A", ops, "--exact-coalesce");
        assertThat(mallocPy.out()).contains(
                "Free List [ Size 5 ]: [ addr:1080 sz:20 ][ addr:1060 sz:20 ][ addr:1040 sz:20 ][ addr:1020 sz:20 ][ addr:1000 sz:20 ]");
        assertThat(exact.out()).contains("Free List [ Size 1 ]: [ addr:1000 sz:100 ]");
        assertThat(exact.out().subList(0, 14)).as("the echo is malloc.py's").isEqualTo(mallocPy.out().subList(0, 14));
    }

    @Test
    void exactCoalescingChangesNothingInAddressOrder() {
        Run mallocPy = freelist("-c", "-C", "-n", "300", "-s", "4");
        Run exact = freelist("-c", "-C", "-n", "300", "-s", "4", "--exact-coalesce");
        assertThat(exact.out()).isEqualTo(mallocPy.out());
    }

    @Test
    void nextFitResumesAfterThePreviousFit() {
        Run next = freelist("-c", "-p", "NEXT", "-A", "+10,+10,+10,+10,-0,-2,+5,+5");
        assertThat(next.exit()).isZero();
        assertThat(next.out()).containsSubsequence(
                "ptr[4] = Alloc(5) returned 1040 (searched 1 elements)",
                "Free List [ Size 3 ]: [ addr:1000 sz:10 ][ addr:1020 sz:10 ][ addr:1045 sz:55 ]",
                "ptr[5] = Alloc(5) returned 1045 (searched 1 elements)");
        Run first = freelist("-c", "-p", "FIRST", "-A", "+10,+10,+10,+10,-0,-2,+5,+5");
        assertThat(first.out()).contains("ptr[4] = Alloc(5) returned 1000 (searched 1 elements)",
                "ptr[5] = Alloc(5) returned 1005 (searched 1 elements)");
    }

    @Test
    void thePictureDrawsEveryBlockAfterEveryOperation() {
        Run run = freelist("-c", "-A", "+3,+5,-0,+2", "--picture");
        assertThat(run.out()).containsSubsequence(
                "ptr[0] = Alloc(3) returned 1000 (searched 1 elements)",
                "Free List [ Size 1 ]: [ addr:1003 sz:97 ]",
                "heap 1000 |000|" + ".".repeat(97) + "| 1100",
                "",
                "ptr[1] = Alloc(5) returned 1003 (searched 1 elements)",
                "Free List [ Size 1 ]: [ addr:1008 sz:92 ]",
                "heap 1000 |000|11111|" + ".".repeat(92) + "| 1100",
                "",
                "Free(ptr[0])",
                "returned 0",
                "Free List [ Size 2 ]: [ addr:1000 sz:3 ][ addr:1008 sz:92 ]",
                "heap 1000 |...|11111|" + ".".repeat(92) + "| 1100",
                "",
                "ptr[2] = Alloc(2) returned 1000 (searched 2 elements)",
                "heap 1000 |22|.|11111|" + ".".repeat(92) + "| 1100");
        Run wide = freelist("-c", "-S", "1000", "-A", "+250,+100", "--picture");
        assertThat(wide.out()).contains("heap 1000 |" + "0".repeat(25) + "|" + "1".repeat(10) + "|" + ".".repeat(65) + "| 2000");
    }

    @Test
    void theAllocatorBehindAStudentRunStaysConsistentAfterEveryStep() {
        for (String order : FreeSpaceOptions.ORDERS) {
            try (FreeSpaceSimulator sim = new FreeSpaceSimulator(options("FIRST", order, true, false))) {
                PythonRandom random = new PythonRandom(BigInteger.valueOf(order.hashCode()));
                List<Long> live = new java.util.ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    if (live.isEmpty() || random.random() < 0.5) {
                        long p = sim.malloc((long) (random.random() * 10) + 1).address();
                        if (p != -1) {
                            live.add(p);
                        }
                    } else {
                        assertThat(sim.free(live.remove((int) (random.random() * live.size())))).isZero();
                    }
                    assertThat(sim.allocator().check()).as("%s step %d", order, i).isEmpty();
                }
            }
        }
    }

    @Test
    void aDoubleFreeIsMallocPysMinusOne() {
        try (FreeSpaceSimulator sim = new FreeSpaceSimulator(options("BEST", "ADDRSORT", true, false))) {
            long p = sim.malloc(10).address();
            assertThat(sim.free(p)).isZero();
            assertThat(sim.free(p)).isEqualTo(-1);
            assertThat(sim.free(p + 3)).isEqualTo(-1);
            assertThat(sim.free(5000)).isEqualTo(-1);
            assertThat(sim.freeList()).isEqualTo("Free List [ Size 1 ]: [ addr:1000 sz:100 ]");
        }
    }

    @Test
    void optionsMallocPyRejectsFailBeforeTheEcho() {
        for (String[] args : new String[][] {{"-p", "best"}, {"-l", "SIZESORT"}, {"-a", "0"}, {"-S", "0"}}) {
            Run run = freelist(args);
            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("alloclab: ").doesNotContain("Exception");
        }
        Run zero = freelist("-c", "-A", "+0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("Alloc(0)");
    }

    @Test
    void quizModeHidesEveryAnswer() {
        Run quiz = freelist("-n", "50", "-s", "3");
        assertThat(quiz.out()).noneMatch(l -> l.contains("searched") || l.startsWith("Free List") || l.startsWith("returned 0"));
        assertThat(quiz.out()).filteredOn(l -> l.startsWith("List?")).allMatch(l -> l.equals("List? "));
    }

    @Test
    void theShellWordsOfTheGoldenCommands() {
        assertThat(FreeListGoldenTest.shellWords("-c -A \" +5,+ 6\" -n 3")).containsExactly("-c", "-A", " +5,+ 6", "-n", "3");
    }

    @Test
    void pythonIntegersAsOptparseAndIntReadThem() {
        assertThat(PythonInt.option("-s", "0x1F")).isEqualTo(31);
        assertThat(PythonInt.option("-s", "017")).isEqualTo(15);
        assertThat(PythonInt.option("-s", "0b101")).isEqualTo(5);
        assertThat(PythonInt.option("-s", "-12")).isEqualTo(-12);
        assertThat(PythonInt.option("-s", "0")).isZero();
        assertThat(PythonInt.parse(" +1_000 ", 10)).isEqualTo(1000);
        assertThatThrownBy(() -> PythonInt.option("-s", "08")).hasMessage("option -s: invalid integer value: '08'");
        assertThatThrownBy(() -> PythonInt.option("-b", "1__0")).hasMessage("option -b: invalid integer value: '1__0'");
        assertThatThrownBy(() -> PythonInt.parse("", 10)).isInstanceOf(NumberFormatException.class);
    }

    /** Found by FreeListFuzzProperties: size + header wrapped to Long.MIN_VALUE and read as an Alloc(0). */
    @Test
    void aRequestTooLargeToAddItsHeaderFailsLikeAnyTooLargeRequest() {
        Run run = freelist("-H", "1", "-A", "+9223372036854775807,+30", "-c");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("ptr[0] = Alloc(9223372036854775807) returned -1 (searched 1 elements)",
                "ptr[1] = Alloc(30) returned 1000 (searched 1 elements)");
    }

    /** Found by FreeListFuzzProperties: the alignment's round-up wrapped the same way. */
    @Test
    void aRequestTooLargeToAlignFailsLikeAnyTooLargeRequest() {
        Run run = freelist("-a", "2", "-A", "+9223372036854775807", "-c");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("ptr[0] = Alloc(9223372036854775807) returned -1 (searched 1 elements)");
    }

    /** Python's int() has no limit: a size past a long is a failed Alloc, an index past one an invalid free. */
    @Test
    void numbersPastALongAreTooLargeNotInvalid() {
        Run run = freelist("-A", "+99999999999999999999,-99999999999999999999", "-c");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("ptr[0] = Alloc(9223372036854775807) returned -1 (searched 1 elements)",
                "Invalid Free: Skipping");
    }
}
