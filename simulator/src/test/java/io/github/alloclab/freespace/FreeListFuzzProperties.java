package io.github.alloclab.freespace;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.github.alloclab.testing.Fuzz;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Feeds mutated and random operation lists ({@code -A +20,+30,-0}) and edge option values to {@code freelist}'s
 * simulator. Each run may finish or stop with a {@link FreeSpaceException} (malloc.py's own stops), and an
 * option value may be rejected as {@code optparse} rejects it ({@link IllegalArgumentException} from
 * {@link PythonInt#option}); any other exception, or a run past {@link Fuzz#DEADLINE}, fails.
 */
class FreeListFuzzProperties {

    private static final List<String> SAMPLES = List.of("+20,+30,-0", "+10,+40,-0", "+20,+30,-0,+10",
            "+8,+8,+8,+8,+8,-0,-1,-2,-3,-4", "+10,+10,+10,+10,-0,-2,+5,+5", "+20,+20,+20,-0,-1,-2",
            "+100,+3000,+200000,-1", "+24,+4000,+300000");
    /** Option values, as a user types them: small ones keep the heap small, the rest are edges. */
    private static final List<String> SMALL_OPTIONS = List.of("0", "1", "2", "3", "4", "7", "8", "16", "-1", "-2",
            "0x10", "0b11", "017", "100", "1_0");
    private static final List<String> POLICIES = List.of("BEST", "WORST", "FIRST", "NEXT", "best", "");
    private static final List<String> ORDERS = List.of("ADDRSORT", "SIZESORT+", "SIZESORT-", "INSERT-FRONT",
            "INSERT-BACK", "RANDOM");

    /** The numeric options and switches of one run. */
    record Flags(String heapSize, String headerSize, String alignment, String baseAddr, int policy, int order,
                 int switches) {
    }

    static Gen<Flags> flags() {
        Gen<String> small = integers().between(0, SMALL_OPTIONS.size() - 1).map(SMALL_OPTIONS::get);
        Gen<String> edge = integers().between(0, Fuzz.EDGE_NUMBERS.size() - 1).map(Fuzz.EDGE_NUMBERS::get)
                .mix(small, 70);
        return small.zip(small, edge, edge, (h, hs, a, b) -> new String[] {h, hs, a, b})
                .zip(integers().between(0, POLICIES.size() - 1), integers().between(0, ORDERS.size() - 1),
                        integers().between(0, 15),
                        (s, p, o, sw) -> new Flags(s[0], s[1], s[2], s[3], p, o, sw));
    }

    static void exercise(Flags f, String allocList, String numOps, String range) {
        String input = "%s -A '%s' -n %s -r %s".formatted(f, allocList, numOps, range);
        Fuzz.expectOnlyTyped(input, e -> (e instanceof FreeSpaceException && !OVERFLOWED.matcher(e.getMessage()).find())
                || isOptionError(e), () -> {
            BigInteger heapSize = PythonInt.option("-S", f.heapSize());
            BigInteger numOpsValue = PythonInt.option("-n", numOps);
            // Only heaps and runs a test can afford: 2^24 units of 32 bytes is 512 MiB.
            if (heapSize.abs().bitLength() > 12 || numOpsValue.bitLength() > 10) {
                return;
            }
            FreeSpaceOptions options = new FreeSpaceOptions(BigInteger.valueOf(f.switches()), heapSize,
                    PythonInt.option("-b", f.baseAddr()), PythonInt.option("-H", f.headerSize()),
                    PythonInt.option("-a", f.alignment()), POLICIES.get(f.policy()), ORDERS.get(f.order()),
                    (f.switches() & 1) != 0, numOpsValue, PythonInt.option("-r", range), BigInteger.valueOf(50),
                    allocList, (f.switches() & 2) != 0, (f.switches() & 4) != 0, (f.switches() & 8) != 0);
            try (FreeSpaceSimulator simulator = new FreeSpaceSimulator(options)) {
                simulator.run(new PrintWriter(new StringWriter()));
            }
        });
    }

    /** A positive request whose block came out of no size: arithmetic that wrapped around. */
    private static final Pattern OVERFLOWED = Pattern.compile("Alloc\\([1-9]\\d*\\) asks for a block of -?\\d+ bytes");

    private static boolean isOptionError(Throwable e) {
        return e.getClass() == IllegalArgumentException.class && e.getMessage().contains("invalid integer value");
    }

    @Test
    void mutatedOperationListsGetOnlyTheTypedError() {
        qt().withFixedSeed(Fuzz.seed(0xF7EE)).withExamples(Fuzz.examples(1500)).withShrinkCycles(300)
                .forAll(flags(), integers().between(0, SAMPLES.size() - 1), Fuzz.editLists(4))
                .checkAssert((f, which, edits) -> exercise(f, Fuzz.mutate(SAMPLES.get(which), edits), "10", "10"));
    }

    @Test
    void randomOperationListsGetOnlyTheTypedError() {
        qt().withFixedSeed(Fuzz.seed(0xA11C)).withExamples(Fuzz.examples(1000))
                .forAll(flags(), Fuzz.randomText("+-,0123456789_ x", 40))
                .checkAssert((f, list) -> exercise(f, list, "10", "10"));
    }

    @Test
    void randomRunsWithEdgeOptionsGetOnlyTheTypedError() {
        Gen<String> numbers = integers().between(0, Fuzz.EDGE_NUMBERS.size() - 1).map(Fuzz.EDGE_NUMBERS::get)
                .mix(integers().between(0, SMALL_OPTIONS.size() - 1).map(SMALL_OPTIONS::get), 50);
        qt().withFixedSeed(Fuzz.seed(0x2A2D)).withExamples(Fuzz.examples(800))
                .forAll(flags(), numbers, numbers)
                .checkAssert((f, numOps, range) -> exercise(f, "", numOps, range));
    }
}
