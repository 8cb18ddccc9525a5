package io.github.alloclab.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.elf.SizeReport;
import io.github.alloclab.layout.DeclaredProgram.Global;
import io.github.alloclab.layout.DeclaredProgram.Section;
import io.github.alloclab.memory.MappedFile;
import io.github.alloclab.process.Abi;
import io.github.alloclab.process.ElfLoader;
import io.github.alloclab.process.ProcMaps;
import io.github.alloclab.process.ProcessOptions;
import io.github.alloclab.process.SimulatedProcess;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredProgramTest {

    private static Global global(DeclaredProgram p, String name) {
        return p.globals().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void threeIntsAddTwelveBytesOfBssAndADoubleAndACharNineOfData() {
        DeclaredProgram empty = DeclaredProgram.parse("", Abi.X86_64);
        DeclaredProgram p = DeclaredProgram.parse("int a, b, c;\ndouble d = 3.14;\nchar ch = 'x';\n", Abi.X86_64);
        assertThat(p.sizeOf(Section.BSS) - empty.sizeOf(Section.BSS)).isEqualTo(12);
        assertThat(p.sizeOf(Section.DATA) - empty.sizeOf(Section.DATA)).isEqualTo(9);
        assertThat(p.globals()).extracting(Global::name, Global::section, Global::offset, Global::size)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", Section.BSS, 0L, 4L),
                        org.assertj.core.groups.Tuple.tuple("b", Section.BSS, 4L, 4L),
                        org.assertj.core.groups.Tuple.tuple("c", Section.BSS, 8L, 4L),
                        org.assertj.core.groups.Tuple.tuple("d", Section.DATA, 0L, 8L),
                        org.assertj.core.groups.Tuple.tuple("ch", Section.DATA, 8L, 1L));
        assertThat(global(p, "b").declaration()).isEqualTo("int b;");
        SizeReport.Berkeley size = SizeReport.berkeley(ElfFile.parse("p", SyntheticElf.write(p, true)));
        assertThat(size.data()).isEqualTo(9);
        assertThat(size.bss()).isEqualTo(12);
    }

    @Test
    void alignmentPaddingIsShownWhereTheOrderForcesIt() {
        DeclaredProgram p = DeclaredProgram.parse("char c = 1;\ndouble d = 2;\n", Abi.X86_64);
        assertThat(global(p, "d").offset()).isEqualTo(8);
        assertThat(global(p, "d").padding()).isEqualTo(7);
        assertThat(p.sizeOf(Section.DATA)).isEqualTo(16);
        assertThat(p.paddingOf(Section.DATA)).isEqualTo(7);
        DeclaredProgram i386 = DeclaredProgram.parse("char c = 1;\nint i = 2;\n", Abi.I386);
        assertThat(global(i386, "i").padding()).isEqualTo(3);
    }

    @Test
    void sizesFollowTheDataModel() {
        String source = "long l = 1; void *p; long long ll = 1; long double ld = 1; short s = 1;";
        DeclaredProgram lp64 = DeclaredProgram.parse(source.replace("void", "char"), Abi.X86_64);
        DeclaredProgram ilp32 = DeclaredProgram.parse(source.replace("void", "char"), Abi.I386);
        assertThat(global(lp64, "l").size()).isEqualTo(8);
        assertThat(global(ilp32, "l").size()).isEqualTo(4);
        assertThat(global(lp64, "p").size()).isEqualTo(8);
        assertThat(global(ilp32, "p").size()).isEqualTo(4);
        assertThat(global(ilp32, "ll").alignment()).as("GCC aligns a long long variable to 8 on i386").isEqualTo(8);
        assertThat(global(ilp32, "ld").size()).isEqualTo(12);
        assertThat(global(lp64, "ld").size()).isEqualTo(16);
    }

    @Test
    void zeroGoesToBssConstToRodataAndStringsToRodata() {
        DeclaredProgram p = DeclaredProgram.parse("""
                static long table[100] = {0};
                int zero = 0;
                const char banner[] = "alloclab";
                char *name = "ada";
                char empty[8] = "";
                """, Abi.X86_64);
        assertThat(global(p, "table").section()).isEqualTo(Section.BSS);
        assertThat(global(p, "table").alignment()).as("an array of 32 bytes or more").isEqualTo(32);
        assertThat(global(p, "zero").section()).isEqualTo(Section.BSS);
        assertThat(global(p, "banner").section()).isEqualTo(Section.RODATA);
        assertThat(global(p, "banner").size()).isEqualTo(9);
        assertThat(global(p, "name").section()).isEqualTo(Section.DATA);
        assertThat(global(p, "empty").section()).isEqualTo(Section.BSS);
        assertThat(p.strings()).singleElement().satisfies(s -> {
            assertThat(s.section()).isEqualTo(Section.RODATA);
            assertThat(s.size()).isEqualTo(4);
            assertThat(s.offset()).isEqualTo(9);
        });
    }

    @Test
    void mistakesNameTheirLine() {
        assertThat(catchThrowableOfType(DeclarationException.class,
                () -> DeclaredProgram.parse("int a;\nint b\nint c;", Abi.X86_64)).getMessage())
                .isEqualTo("line 3: expected ';', found 'int'");
        assertThat(catchThrowableOfType(DeclarationException.class,
                () -> DeclaredProgram.parse("int x[2] = {1, 2, 3};", Abi.X86_64)).getMessage())
                .contains("line 1", "3 values for the 2 elements of x");
        assertThat(catchThrowableOfType(DeclarationException.class,
                () -> DeclaredProgram.parse("\n\nstruct s x;", Abi.X86_64)).line()).isEqualTo(3);
        assertThat(catchThrowableOfType(DeclarationException.class,
                () -> DeclaredProgram.parse("char s[2] = \"abc\";", Abi.X86_64)).getMessage()).contains("more than the 2");
    }

    @Test
    void theSyntheticProgramLoadsLikeACompiledOne() {
        DeclaredProgram p = DeclaredProgram.parse("int big[20000];\ndouble d = 1;\n@text 5000\n", Abi.X86_64);
        byte[] image = SyntheticElf.write(p, true);
        ElfFile elf = ElfFile.parse("synthetic", image);
        try (SimulatedProcess process = ElfLoader.load(elf, new MappedFile("/synthetic", elf.bytes(), 0, 0), "./synthetic",
                ProcessOptions.DEFAULTS)) {
            List<String> maps = ProcMaps.lines(process);
            assertThat(maps.get(0)).startsWith("555555554000-555555555000 r--p 00000000");
            assertThat(maps.get(1)).startsWith("555555555000-555555557000 r-xp 00001000").as("5000 bytes of text");
            assertThat(maps.get(2)).startsWith("555555557000-555555558000 rw-p 00003000");
            assertThat(maps.get(3)).as("80 KB of bss beyond the data page")
                    .startsWith("555555558000-55555556b000 rw-p 00000000 00:00 0 ");
            assertThat(process.startBrk()).isEqualTo(0x55555556b000L);
            long d = elf.section(".data").orElseThrow().addr() + process.loadBias();
            assertThat(process.memory().getLong(d)).isEqualTo(Double.doubleToLongBits(1.0));
        }
    }
}
