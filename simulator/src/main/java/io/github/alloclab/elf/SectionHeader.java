package io.github.alloclab.elf;

/**
 * A section header: the linker's and binutils' unit ({@code .text}, {@code .data}, {@code .bss}, ...).
 *
 * @param index      the header's position in the table
 * @param name       the name, from the section-name string table
 * @param nameOffset {@code sh_name}
 * @param type       {@code sh_type}: {@link Elf#SHT_PROGBITS}, {@link Elf#SHT_NOBITS}, ...
 * @param flags      {@code sh_flags}: {@link Elf#SHF_ALLOC}, {@link Elf#SHF_WRITE}, {@link Elf#SHF_EXECINSTR}, ...
 * @param addr       {@code sh_addr}: its virtual address, if it is loaded
 * @param offset     {@code sh_offset}
 * @param size       {@code sh_size}
 * @param link       {@code sh_link}
 * @param info       {@code sh_info}
 * @param addralign  {@code sh_addralign}
 * @param entsize    {@code sh_entsize}
 */
public record SectionHeader(int index, String name, long nameOffset, long type, long flags, long addr,
                            long offset, long size, long link, long info, long addralign, long entsize) {

    /** {@return whether the section occupies memory at run time ({@code SHF_ALLOC})} */
    public boolean isAlloc() {
        return (flags & Elf.SHF_ALLOC) != 0;
    }

    /** {@return whether the section has bytes in the file (it is not {@code SHT_NOBITS})} */
    public boolean hasContents() {
        return type != Elf.SHT_NOBITS && type != Elf.SHT_NULL;
    }
}
