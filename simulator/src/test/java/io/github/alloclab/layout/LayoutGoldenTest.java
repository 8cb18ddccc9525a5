package io.github.alloclab.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.memory.MappedFile;
import io.github.alloclab.process.Abi;
import io.github.alloclab.process.ElfLoader;
import io.github.alloclab.process.Golden;
import io.github.alloclab.process.ProcessOptions;
import io.github.alloclab.process.SimulatedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layout pictures against reviewed golden text (src/test/resources/io/github/alloclab/layout): a real PIE
 * after {@code sbrk(5000)}, and the declared classic lesson. A change to the picture must update the file.
 */
class LayoutGoldenTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = LayoutGoldenTest.class.getResourceAsStream("/io/github/alloclab/layout/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRealPieDrawnHighToLow() throws IOException {
        ElfFile elf = Golden.elf("pie64");
        try (SimulatedProcess p = ElfLoader.load(elf, new MappedFile("/golden/pie64", elf.bytes(), 0, 0), "./pie64",
                ProcessOptions.DEFAULTS.withArgv(List.of("./pie64", "5000")))) {
            p.sbrk(5000);
            assertThat(LayoutView.draw(p)).isEqualTo(resource("pie64.layout"));
        }
    }

    @Test
    void theClassicLessonOfDeclaredGlobals() throws IOException {
        DeclaredProgram program = DeclaredProgram.parse(resource("classic.c"), Abi.X86_64);
        ElfFile elf = ElfFile.parse("classic", SyntheticElf.write(program, true));
        try (SimulatedProcess p = ElfLoader.load(elf, new MappedFile("classic", elf.bytes(), 0, 0), "classic",
                ProcessOptions.DEFAULTS.withArgv(List.of("classic")))) {
            assertThat(LayoutView.globals(program) + "\n" + LayoutView.draw(p)).isEqualTo(resource("classic.layout"));
        }
    }
}
