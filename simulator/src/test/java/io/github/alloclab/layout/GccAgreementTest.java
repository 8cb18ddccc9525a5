package io.github.alloclab.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.elf.SizeReport;
import io.github.alloclab.layout.DeclaredProgram.Global;
import io.github.alloclab.process.Abi;
import io.github.alloclab.process.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The declared form against GCC itself: the same declarations compiled with
 * {@code gcc -c -fno-toplevel-reorder} must put every global in the same section, at the same offset, with
 * the same size, and our {@code size} must agree with binutils' on the object file. Skipped when gcc (or
 * gcc-multilib, for i386) is not installed.
 */
class GccAgreementTest {

    static final String SOURCE = """
            int a, b, c;
            double d = 3.14;
            char ch = 'x';
            char c2;
            double d2 = 1;
            static long table[100] = {0};
            const char banner[] = "alloclab";
            short s[3] = {1, 2, 3};
            char big[40] = "x";
            long long ll = 5;
            char x3 = 1;
            long double w = 1;
            char m[20] = "a";
            char x6 = 1;
            int n[5] = {1};
            unsigned char tiny[9] = {1};
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Abi.class)
    void everyGlobalLandsWhereGccPutsIt(Abi abi) throws IOException {
        assumeTrue(Tools.available("gcc", "--version"), "gcc is not installed");
        Files.writeString(dir.resolve("globals.c"), SOURCE);
        var compile = Tools.run(dir, "gcc", abi == Abi.I386 ? "-m32" : "-m64", "-c", "-fno-toplevel-reorder",
                "-fno-common", "-o", "globals.o", "globals.c");
        assumeTrue(compile.exitCode() == 0, "gcc cannot build for " + abi + " here: " + compile.err());

        // readelf -sW: Num: Value Size Type Bind Vis Ndx Name
        var symbols = Tools.run(dir, "readelf", "-sW", "globals.o");
        assumeTrue(symbols.exitCode() == 0, "readelf is not installed");
        var sections = Tools.run(dir, "readelf", "-SW", "globals.o").out();
        Map<String, String> gcc = new TreeMap<>();
        for (String line : symbols.out().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 8 && f[3].equals("OBJECT")) {
                gcc.put(f[7], "%s@%d+%d".formatted(sectionName(sections, f[6]), Long.parseLong(f[1], 16), Long.parseLong(f[2])));
            }
        }
        DeclaredProgram program = DeclaredProgram.parse(SOURCE, abi);
        Map<String, String> ours = new TreeMap<>();
        for (Global g : program.globals()) {
            ours.put(g.name(), "%s@%d+%d".formatted(g.section().elfName(), g.offset(), g.size()));
        }
        assertThat(ours).isEqualTo(gcc);
    }

    private static String sectionName(String readelfSections, String index) {
        for (String line : readelfSections.lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.startsWith("[") && trimmed.substring(1, trimmed.indexOf(']')).trim().equals(index)) {
                return trimmed.substring(trimmed.indexOf(']') + 1).trim().split("\\s+")[0];
            }
        }
        return "?" + index;
    }

    @ParameterizedTest
    @EnumSource(Abi.class)
    void binutilsSizeAgreesOnTheSyntheticProgram(Abi abi) throws IOException {
        assumeTrue(Tools.available("size", "--version"), "binutils is not installed");
        byte[] image = SyntheticElf.write(DeclaredProgram.parse(SOURCE + "char *name = \"ada\";\n@text 300\n", abi),
                abi == Abi.X86_64);
        Path file = dir.resolve("synthetic");
        Files.write(file, image);
        ElfFile elf = ElfFile.parse("synthetic", image);
        assertThat(SizeReport.berkeleyFormat(List.of(elf), List.of("synthetic")))
                .isEqualTo(Tools.run(dir, "size", "synthetic").out());
        assertThat(SizeReport.sysvFormat(elf, "synthetic")).isEqualTo(Tools.run(dir, "size", "-A", "synthetic").out());
    }
}
