package io.github.alloclab.elf;

import io.github.alloclab.memory.Protection;

/**
 * A program header: a segment, the unit the kernel loads.
 *
 * @param index  the header's position in the table
 * @param type   {@code p_type}: {@link Elf#PT_LOAD}, {@link Elf#PT_GNU_RELRO}, ...
 * @param flags  {@code p_flags}: {@link Elf#PF_R}, {@link Elf#PF_W}, {@link Elf#PF_X}
 * @param offset {@code p_offset}: where the segment's bytes start in the file
 * @param vaddr  {@code p_vaddr}: where they go in memory, before any load bias
 * @param paddr  {@code p_paddr}
 * @param filesz {@code p_filesz}: bytes from the file
 * @param memsz  {@code p_memsz}: bytes in memory; those past {@code filesz} are zero (the bss)
 * @param align  {@code p_align}
 */
public record ProgramHeader(int index, long type, long flags, long offset, long vaddr, long paddr, long filesz,
                            long memsz, long align) {

    /** {@return whether the kernel maps this segment} */
    public boolean isLoad() {
        return type == Elf.PT_LOAD;
    }

    /** {@return the {@link Protection} its flags ask for} */
    public int protection() {
        return ((flags & Elf.PF_R) != 0 ? Protection.READ : 0) | ((flags & Elf.PF_W) != 0 ? Protection.WRITE : 0)
                | ((flags & Elf.PF_X) != 0 ? Protection.EXECUTE : 0);
    }
}
