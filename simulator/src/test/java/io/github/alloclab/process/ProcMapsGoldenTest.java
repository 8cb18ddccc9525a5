package io.github.alloclab.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulated process's maps against the real kernel's, for every golden binary: the lines of the binary,
 * its bss tail, {@code [heap]}, {@code [stack]} and {@code [vsyscall]} must have the same start, end,
 * permissions, offset and name (the binary's path aside), and the anonymous lines must be byte-identical.
 * The real file also holds the interpreter's, the libraries' and the vDSO's lines, which alloclab does not
 * map; they are left out of the comparison.
 */
class ProcMapsGoldenTest {

    static Stream<String> names() {
        return Golden.NAMES.stream();
    }

    /** One maps line cut to the fields both sides must share. */
    record Fields(String range, String permissions, String offset, String name, String line) {
        static Fields of(String line, String binary) {
            String[] f = line.trim().split("\\s+");
            String name = f.length > 5 ? f[5] : "";
            boolean isBinary = name.endsWith("/" + binary);
            return new Fields(f[0], f[1], f[2], isBinary ? "BINARY" : name, isBinary ? "" : line);
        }
    }

    private static List<Fields> comparable(List<String> lines, String binary) {
        List<Fields> kept = new ArrayList<>();
        String previous = "";
        for (String line : lines) {
            Fields f = Fields.of(line, binary);
            boolean bssTail = f.name().isEmpty() && previous.equals("BINARY");
            if (f.name().equals("BINARY") || f.name().equals("[heap]") || f.name().equals("[stack]")
                    || f.name().equals("[vsyscall]") || bssTail) {
                kept.add(f);
            }
            previous = f.name();
        }
        return kept;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void mapsMatchTheRealKernelWithAslrOff(String name) {
        long[] brk = Golden.brk(name);
        try (SimulatedProcess process = Golden.load(name)) {
            assertThat(process.startBrk()).as("start_brk of %s", name).isEqualTo(brk[0]);
            // The probe's sbrk, plus what a static libc's startup took (the TLS block), as the probe saw it.
            assertThat(process.sbrk(brk[1] - brk[0])).isEqualTo(brk[0]);
            List<Fields> expected = comparable(Golden.text(name, "maps").lines().toList(), name);
            List<Fields> actual = comparable(ProcMaps.lines(process), name);
            assertThat(actual).as("maps of %s", name).containsExactlyElementsOf(expected);
            assertThat(ProcMaps.lines(process).size()).as("nothing but those lines").isEqualTo(actual.size());
        }
    }
}
