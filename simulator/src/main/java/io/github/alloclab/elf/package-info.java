/**
 * ELF files as binutils and the kernel read them: the file, program and section headers of little-endian
 * ELF32 and ELF64 files as FFM {@link java.lang.foreign.MemoryLayout} structs ({@link io.github.alloclab.elf.ElfLayout}),
 * checked so that a corrupt file gets an {@link io.github.alloclab.elf.ElfFormatException} naming the field and
 * offset, GNU {@code size} ({@link io.github.alloclab.elf.SizeReport}) and a {@code readelf} summary.
 */
package io.github.alloclab.elf;
