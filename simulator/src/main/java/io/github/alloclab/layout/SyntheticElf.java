package io.github.alloclab.layout;

import io.github.alloclab.elf.Elf;
import io.github.alloclab.elf.ElfLayout;
import io.github.alloclab.layout.DeclaredProgram.Global;
import io.github.alloclab.layout.DeclaredProgram.Section;
import io.github.alloclab.process.Abi;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link DeclaredProgram} as a real ELF executable, laid out as GNU ld lays out a small program with
 * {@code -z separate-code}, so that the loader, {@code size}, {@code readelf} and the layout view treat it
 * exactly as a compiled one. The file can be written out and fed to binutils too.
 *
 * <pre>
 *  file offset = vaddr - base      segment     sections
 *  0x0000                          LOAD R      ELF header, program headers, .interp
 *  0x1000                          LOAD R E    .text  (xor eax, eax; ret, then int3 padding)
 *  the next page                   LOAD R      .rodata, when there is any
 *  the next page                   LOAD RW     .data, then .bss (p_memsz > p_filesz)
 *  after .data                     -           .shstrtab, then the section headers
 * </pre>
 * The base is 0 for a PIE ({@code ET_DYN}, loaded at {@code ELF_ET_DYN_BASE}), or {@code 0x400000}
 * ({@code 0x8048000} for i386) for a fixed-address executable ({@code ET_EXEC}). Both name the usual
 * interpreter, which alloclab does not load; the code is never run.
 */
public final class SyntheticElf {

    private static final long PAGE = 4096;

    private SyntheticElf() {
    }

    /** {@return the ELF file of {@code program}} */
    public static byte[] write(DeclaredProgram program, boolean pie) {
        Abi abi = program.abi();
        boolean is64 = abi == Abi.X86_64;
        ElfLayout.Struct ehdr = is64 ? ElfLayout.EHDR64 : ElfLayout.EHDR32;
        ElfLayout.Struct phdr = is64 ? ElfLayout.PHDR64 : ElfLayout.PHDR32;
        ElfLayout.Struct shdr = is64 ? ElfLayout.SHDR64 : ElfLayout.SHDR32;
        long base = pie ? 0 : is64 ? 0x400000 : 0x8048000;
        byte[] interp = ((is64 ? "/lib64/ld-linux-x86-64.so.2" : "/lib/ld-linux.so.2") + "\0")
                .getBytes(StandardCharsets.US_ASCII);

        byte[] rodata = contents(program, Section.RODATA);
        byte[] data = contents(program, Section.DATA);
        long bssSize = program.sizeOf(Section.BSS);
        long bssAlignment = program.alignmentOf(Section.BSS);
        boolean hasRodata = rodata.length > 0;

        int phnum = 4 + (hasRodata ? 1 : 0) + 1; // INTERP, LOAD R, LOAD RX, [LOAD R], LOAD RW, GNU_STACK
        long phoff = ehdr.byteSize();
        long interpOffset = phoff + phnum * phdr.byteSize();
        long textOffset = PAGE;
        long rodataOffset = align(textOffset + program.text(), PAGE);
        long dataOffset = hasRodata ? align(rodataOffset + rodata.length, PAGE) : rodataOffset;
        long bssAddress = dataOffset + align(data.length, bssAlignment);

        List<String> names = new ArrayList<>(List.of("", ".interp", ".text"));
        if (hasRodata) {
            names.add(".rodata");
        }
        if (data.length > 0) {
            names.add(".data");
        }
        if (bssSize > 0) {
            names.add(".bss");
        }
        names.add(".shstrtab");
        ByteArrayOutputStream shstrtab = new ByteArrayOutputStream();
        List<Long> nameOffsets = new ArrayList<>();
        for (String name : names) {
            nameOffsets.add((long) shstrtab.size());
            shstrtab.writeBytes((name + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        long shstrtabOffset = dataOffset + data.length;
        long shoff = align(shstrtabOffset + shstrtab.size(), 8);
        long fileSize = shoff + names.size() * shdr.byteSize();
        MemorySegment file = MemorySegment.ofArray(new byte[(int) fileSize]);

        file.asSlice(0, 4).copyFrom(MemorySegment.ofArray(new byte[] {0x7f, 'E', 'L', 'F'}));
        file.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 4, (byte) abi.elfClass());
        file.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 5, (byte) Elf.ELFDATA2LSB);
        file.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 6, (byte) 1);
        ehdr.set(file, 0, "e_type", pie ? Elf.ET_DYN : Elf.ET_EXEC);
        ehdr.set(file, 0, "e_machine", abi.machine());
        ehdr.set(file, 0, "e_version", 1);
        ehdr.set(file, 0, "e_entry", base + textOffset);
        ehdr.set(file, 0, "e_phoff", phoff);
        ehdr.set(file, 0, "e_shoff", shoff);
        ehdr.set(file, 0, "e_ehsize", ehdr.byteSize());
        ehdr.set(file, 0, "e_phentsize", phdr.byteSize());
        ehdr.set(file, 0, "e_phnum", phnum);
        ehdr.set(file, 0, "e_shentsize", shdr.byteSize());
        ehdr.set(file, 0, "e_shnum", names.size());
        ehdr.set(file, 0, "e_shstrndx", names.size() - 1);

        int p = 0;
        programHeader(phdr, file, phoff, p++, Elf.PT_INTERP, Elf.PF_R, interpOffset, base + interpOffset,
                interp.length, interp.length, 1);
        programHeader(phdr, file, phoff, p++, Elf.PT_LOAD, Elf.PF_R, 0, base, interpOffset + interp.length,
                interpOffset + interp.length, PAGE);
        programHeader(phdr, file, phoff, p++, Elf.PT_LOAD, Elf.PF_R | Elf.PF_X, textOffset, base + textOffset,
                program.text(), program.text(), PAGE);
        if (hasRodata) {
            programHeader(phdr, file, phoff, p++, Elf.PT_LOAD, Elf.PF_R, rodataOffset, base + rodataOffset,
                    rodata.length, rodata.length, PAGE);
        }
        long memsz = bssSize > 0 ? bssAddress + bssSize - dataOffset : data.length;
        programHeader(phdr, file, phoff, p++, Elf.PT_LOAD, Elf.PF_R | Elf.PF_W, dataOffset, base + dataOffset,
                data.length, Math.max(memsz, 1), PAGE);
        programHeader(phdr, file, phoff, p, Elf.PT_GNU_STACK, Elf.PF_R | Elf.PF_W, 0, 0, 0, 0, 16);

        file.asSlice(interpOffset, interp.length).copyFrom(MemorySegment.ofArray(interp));
        // The code: xor eax, eax; ret, then int3 up to the declared size.
        MemorySegment text = file.asSlice(textOffset, program.text());
        text.fill((byte) 0xcc);
        byte[] code = {0x31, (byte) 0xc0, (byte) 0xc3};
        text.asSlice(0, Math.min(code.length, program.text())).copyFrom(MemorySegment.ofArray(code).asSlice(0,
                Math.min(code.length, program.text())));
        file.asSlice(rodataOffset, rodata.length).copyFrom(MemorySegment.ofArray(rodata));
        file.asSlice(dataOffset, data.length).copyFrom(MemorySegment.ofArray(data));
        file.asSlice(shstrtabOffset, shstrtab.size()).copyFrom(MemorySegment.ofArray(shstrtab.toByteArray()));

        int s = 1;
        sectionHeader(shdr, file, shoff, s, nameOffsets.get(s++), Elf.SHT_PROGBITS, Elf.SHF_ALLOC, base + interpOffset,
                interpOffset, interp.length, 1);
        sectionHeader(shdr, file, shoff, s, nameOffsets.get(s++), Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_EXECINSTR,
                base + textOffset, textOffset, program.text(), 16);
        if (hasRodata) {
            sectionHeader(shdr, file, shoff, s, nameOffsets.get(s++), Elf.SHT_PROGBITS, Elf.SHF_ALLOC,
                    base + rodataOffset, rodataOffset, rodata.length, program.alignmentOf(Section.RODATA));
        }
        if (data.length > 0) {
            sectionHeader(shdr, file, shoff, s, nameOffsets.get(s++), Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_WRITE,
                    base + dataOffset, dataOffset, data.length, program.alignmentOf(Section.DATA));
        }
        if (bssSize > 0) {
            sectionHeader(shdr, file, shoff, s, nameOffsets.get(s++), Elf.SHT_NOBITS, Elf.SHF_ALLOC | Elf.SHF_WRITE,
                    base + bssAddress, dataOffset + data.length, bssSize, bssAlignment);
        }
        sectionHeader(shdr, file, shoff, s, nameOffsets.get(s), Elf.SHT_STRTAB, 0, 0, shstrtabOffset,
                shstrtab.size(), 1);
        return file.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    private static byte[] contents(DeclaredProgram program, Section section) {
        byte[] bytes = new byte[(int) program.sizeOf(section)];
        for (Global g : program.in(section)) {
            System.arraycopy(g.bytes(), 0, bytes, (int) g.offset(), (int) Math.min(g.bytes().length, g.size()));
        }
        return bytes;
    }

    private static void programHeader(ElfLayout.Struct phdr, MemorySegment file, long phoff, int index, long type,
                                      long flags, long offset, long vaddr, long filesz, long memsz, long align) {
        long at = phoff + index * phdr.byteSize();
        phdr.set(file, at, "p_type", type);
        phdr.set(file, at, "p_flags", flags);
        phdr.set(file, at, "p_offset", offset);
        phdr.set(file, at, "p_vaddr", vaddr);
        phdr.set(file, at, "p_paddr", vaddr);
        phdr.set(file, at, "p_filesz", filesz);
        phdr.set(file, at, "p_memsz", memsz);
        phdr.set(file, at, "p_align", align);
    }

    private static void sectionHeader(ElfLayout.Struct shdr, MemorySegment file, long shoff, int index, long name,
                                      long type, long flags, long address, long offset, long size, long align) {
        long at = shoff + index * shdr.byteSize();
        shdr.set(file, at, "sh_name", name);
        shdr.set(file, at, "sh_type", type);
        shdr.set(file, at, "sh_flags", flags);
        shdr.set(file, at, "sh_addr", address);
        shdr.set(file, at, "sh_offset", offset);
        shdr.set(file, at, "sh_size", size);
        shdr.set(file, at, "sh_addralign", align);
    }
}
