package io.github.alloclab.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.memory.MappedFile;
import io.github.alloclab.process.ElfLoader;
import io.github.alloclab.process.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Files that {@link ElfFuzzProperties} found the reader or the loader failing on with an untyped error, at their smallest. */
class ElfRegressionTest {

    /**
     * nopie32's sixth program header (a PT_LOAD) with the high half of {@code p_memsz} set to 0xf0c4: the
     * segment fits in user space but runs into the mmap area, and the loader computed a negative mmap limit
     * (IllegalArgumentException from MemorySettings).
     */
    @Test
    void aSegmentThatReachesTheMmapAreaIsAFormatError() {
        byte[] bytes = Golden.binary("nopie32").clone();
        // phoff 0x34 + 5 * 32 (phentsize) + 20 (p_memsz) + 2: bytes 234 and 235.
        bytes[234] = (byte) 0xc4;
        bytes[235] = (byte) 0xf0;
        ElfFile elf = ElfFile.parse("nopie32", bytes);
        assertThatThrownBy(() -> ElfLoader.load(elf, new MappedFile("/nopie32", elf.bytes(), 0, 0), "./nopie32",
                ElfFuzzProperties.SMALL).close())
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("program header 5 p_memsz")
                .hasMessageContaining("reaches into the i386 process's mmap area");
    }

    /**
     * pie32's PT_INTERP with {@code p_filesz} 0 and {@code p_offset} past the end of the file: an empty segment may
     * lie anywhere, but the interpreter's name was sliced from there (IndexOutOfBoundsException in readelf -l).
     */
    @Test
    void anEmptyInterpreterSegmentPastTheFileReadsAsNoName() {
        byte[] bytes = Golden.binary("pie32").clone();
        ElfFile golden = ElfFile.parse("pie32", bytes);
        ProgramHeader interp = golden.segment(Elf.PT_INTERP).orElseThrow();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int at = (int) golden.header().phoff() + interp.index() * 32;
        b.putInt(at + 4, bytes.length + 1000);   // p_offset
        b.putInt(at + 16, 0);                    // p_filesz
        ElfFile elf = ElfFile.parse("pie32", bytes);
        assertThat(elf.interpreter()).contains("");
        assertThat(ReadElfReport.format(elf)).contains("INTERP");
    }
}
