package io.github.alloclab.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.alloclab.process.Golden;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ElfFileTest {

    @Test
    void readsTheHeadersOfA64BitPie() {
        ElfFile elf = Golden.elf("pie64");
        assertThat(elf.header().is64()).isTrue();
        assertThat(elf.header().type()).isEqualTo(Elf.ET_DYN);
        assertThat(elf.header().machine()).isEqualTo(Elf.EM_X86_64);
        assertThat(elf.header().phentsize()).isEqualTo(56);
        assertThat(elf.loadSegments()).extracting(ProgramHeader::flags)
                .containsExactly(Elf.PF_R, Elf.PF_R | Elf.PF_X, Elf.PF_R, Elf.PF_R | Elf.PF_W);
        assertThat(elf.interpreter()).contains("/lib64/ld-linux-x86-64.so.2");
        SectionHeader bss = elf.section(".bss").orElseThrow();
        assertThat(bss.type()).isEqualTo(Elf.SHT_NOBITS);
        assertThat(bss.size()).isEqualTo(65600); // 64 KiB buffer + counter + table[3], aligned
        assertThat(elf.section(".data").orElseThrow().isAlloc()).isTrue();
    }

    @Test
    void readsA32BitStaticExecutable() {
        ElfFile elf = Golden.elf("static32");
        assertThat(elf.header().bits()).isEqualTo(32);
        assertThat(elf.header().type()).isEqualTo(Elf.ET_EXEC);
        assertThat(elf.header().machine()).isEqualTo(Elf.EM_386);
        assertThat(elf.interpreter()).isEmpty();
        assertThat(elf.loadSegments().getFirst().vaddr()).isEqualTo(0x08048000L);
        assertThat(elf.segment(Elf.PT_GNU_RELRO)).isPresent();
    }

    private static ElfFormatException failure(byte[] bytes) {
        return catchThrowableOfType(ElfFormatException.class, () -> ElfFile.parse("bad", bytes));
    }

    private static byte[] golden() {
        return Golden.binary("pie64");
    }

    @Test
    void aTruncatedFileNamesTheFieldThatIsCutOff() {
        assertThat(failure(new byte[] {0x7f, 'E', 'L'}).getMessage())
                .isEqualTo("bad: e_ident at offset 0x0: the file is 3 bytes; an ELF file starts with 16 identification bytes");
        ElfFormatException header = failure(Arrays.copyOf(golden(), 40));
        assertThat(header.field()).isEqualTo("Elf64_Ehdr");
        ElfFormatException table = failure(Arrays.copyOf(golden(), 300));
        assertThat(table.field()).isEqualTo("e_phoff");
        assertThat(table.offset()).isEqualTo(0x20);
        assertThat(table.getMessage()).contains("program header table [0x40, 0x318) runs past the end of the file (0x12c bytes)");
    }

    @Test
    void wrongMagicClassOrEndiannessAreNamed() {
        byte[] bytes = golden();
        bytes[1] = 'X';
        assertThat(failure(bytes).getMessage()).contains("e_ident[EI_MAG0..3]", "not an ELF file");
        bytes = golden();
        bytes[4] = 3;
        assertThat(failure(bytes).field()).isEqualTo("e_ident[EI_CLASS]");
        bytes = golden();
        bytes[5] = 2;
        assertThat(failure(bytes).getMessage()).contains("big-endian files are not supported");
    }

    @Test
    void inconsistentHeaderFieldsAreNamedWithTheirOffsets() {
        byte[] bytes = golden();
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort(54, (short) 48);
        ElfFormatException phentsize = failure(bytes);
        assertThat(phentsize.field()).isEqualTo("e_phentsize");
        assertThat(phentsize.offset()).isEqualTo(54);
        assertThat(phentsize.getMessage()).contains("48, but a Elf64_Phdr is 56 bytes");

        bytes = golden();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(62, (short) 500);
        assertThat(failure(bytes).getMessage()).contains("e_shstrndx at offset 0x3e: section 500 does not exist");

        bytes = golden();
        ElfFile elf = Golden.elf("pie64");
        long shoff = elf.header().shoff();
        // .interp's sh_name, pointed past the end of the section-name table
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) shoff + 64, 0x7fffffff);
        ElfFormatException name = failure(bytes);
        assertThat(name.field()).isEqualTo("section header 1 sh_name");
        assertThat(name.offset()).isEqualTo(shoff + 64);

        bytes = golden();
        ProgramHeader first = elf.programHeaders().get(1);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0x40 + 56 + 32, 1L << 40); // p_filesz
        ElfFormatException filesz = failure(bytes);
        assertThat(filesz.field()).isEqualTo("program header 1 p_filesz");
        assertThat(filesz.getMessage()).contains("run past the end of the file");
        assertThat(first.index()).isEqualTo(1);
    }
}
