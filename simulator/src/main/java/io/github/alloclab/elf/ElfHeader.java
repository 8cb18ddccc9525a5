package io.github.alloclab.elf;

/**
 * An ELF file header, {@code Elf32_Ehdr} or {@code Elf64_Ehdr}, with every value widened to Java's types.
 *
 * @param elfClass  {@link Elf#ELFCLASS32} or {@link Elf#ELFCLASS64}
 * @param osAbi     {@code e_ident[EI_OSABI]}
 * @param type      {@code e_type}: {@link Elf#ET_EXEC}, {@link Elf#ET_DYN}, ...
 * @param machine   {@code e_machine}: {@link Elf#EM_X86_64}, {@link Elf#EM_386}, ...
 * @param entry     the entry point's virtual address
 * @param phoff     file offset of the program header table
 * @param shoff     file offset of the section header table
 * @param flags     {@code e_flags}
 * @param ehsize    the header's size
 * @param phentsize bytes per program header
 * @param phnum     program headers (after extended numbering)
 * @param shentsize bytes per section header
 * @param shnum     section headers (after extended numbering)
 * @param shstrndx  index of the section-name string table (after extended numbering)
 */
public record ElfHeader(int elfClass, int osAbi, int type, int machine, long entry, long phoff, long shoff,
                        long flags, int ehsize, int phentsize, int phnum, int shentsize, int shnum, int shstrndx) {

    /** {@return whether this is a 64-bit file} */
    public boolean is64() {
        return elfClass == Elf.ELFCLASS64;
    }

    /** {@return the width of an address in bits: 32 or 64} */
    public int bits() {
        return is64() ? 64 : 32;
    }
}
