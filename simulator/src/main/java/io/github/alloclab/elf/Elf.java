package io.github.alloclab.elf;

/**
 * The ELF constants alloclab uses, with the names {@code <elf.h>} gives them, and their names as
 * {@code readelf} prints them.
 */
public final class Elf {

    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;

    public static final long PT_NULL = 0;
    public static final long PT_LOAD = 1;
    public static final long PT_DYNAMIC = 2;
    public static final long PT_INTERP = 3;
    public static final long PT_NOTE = 4;
    public static final long PT_SHLIB = 5;
    public static final long PT_PHDR = 6;
    public static final long PT_TLS = 7;
    public static final long PT_GNU_EH_FRAME = 0x6474e550L;
    public static final long PT_GNU_STACK = 0x6474e551L;
    public static final long PT_GNU_RELRO = 0x6474e552L;
    public static final long PT_GNU_PROPERTY = 0x6474e553L;

    public static final long PF_X = 1;
    public static final long PF_W = 2;
    public static final long PF_R = 4;

    public static final long SHT_NULL = 0;
    public static final long SHT_PROGBITS = 1;
    public static final long SHT_SYMTAB = 2;
    public static final long SHT_STRTAB = 3;
    public static final long SHT_RELA = 4;
    public static final long SHT_HASH = 5;
    public static final long SHT_DYNAMIC = 6;
    public static final long SHT_NOTE = 7;
    public static final long SHT_NOBITS = 8;
    public static final long SHT_REL = 9;
    public static final long SHT_DYNSYM = 11;
    public static final long SHT_INIT_ARRAY = 14;
    public static final long SHT_FINI_ARRAY = 15;
    public static final long SHT_PREINIT_ARRAY = 16;
    public static final long SHT_GROUP = 17;
    public static final long SHT_SYMTAB_SHNDX = 18;

    public static final long SHF_WRITE = 1;
    public static final long SHF_ALLOC = 2;
    public static final long SHF_EXECINSTR = 4;
    public static final long SHF_TLS = 0x400;

    /** Section index meaning "look in section 0", for tables too large for the 16-bit header fields. */
    public static final int SHN_XINDEX = 0xffff;
    /** Program header count meaning "look in section 0's sh_info". */
    public static final int PN_XNUM = 0xffff;

    private Elf() {
    }

    /** {@return the name {@code readelf -l} prints for a program header type} */
    public static String segmentTypeName(long type) {
        if (type == PT_NULL) {
            return "NULL";
        } else if (type == PT_LOAD) {
            return "LOAD";
        } else if (type == PT_DYNAMIC) {
            return "DYNAMIC";
        } else if (type == PT_INTERP) {
            return "INTERP";
        } else if (type == PT_NOTE) {
            return "NOTE";
        } else if (type == PT_SHLIB) {
            return "SHLIB";
        } else if (type == PT_PHDR) {
            return "PHDR";
        } else if (type == PT_TLS) {
            return "TLS";
        } else if (type == PT_GNU_EH_FRAME) {
            return "GNU_EH_FRAME";
        } else if (type == PT_GNU_STACK) {
            return "GNU_STACK";
        } else if (type == PT_GNU_RELRO) {
            return "GNU_RELRO";
        } else if (type == PT_GNU_PROPERTY) {
            return "GNU_PROPERTY";
        }
        return "0x%x".formatted(type);
    }

    /** {@return the name {@code readelf -S} prints for a section type} */
    public static String sectionTypeName(long type) {
        return switch ((int) type) {
            case 0 -> "NULL";
            case 1 -> "PROGBITS";
            case 2 -> "SYMTAB";
            case 3 -> "STRTAB";
            case 4 -> "RELA";
            case 5 -> "HASH";
            case 6 -> "DYNAMIC";
            case 7 -> "NOTE";
            case 8 -> "NOBITS";
            case 9 -> "REL";
            case 11 -> "DYNSYM";
            case 14 -> "INIT_ARRAY";
            case 15 -> "FINI_ARRAY";
            case 16 -> "PREINIT_ARRAY";
            case 17 -> "GROUP";
            case 18 -> "SYMTAB SECTION INDICES";
            case 0x6ffffff6 -> "GNU_HASH";
            case 0x6ffffffd -> "VERDEF";
            case 0x6ffffffe -> "VERNEED";
            case 0x6fffffff -> "VERSYM";
            default -> "0x%x".formatted(type);
        };
    }

    /** {@return the name of an object file type} */
    public static String typeName(int type) {
        return switch (type) {
            case ET_REL -> "REL (Relocatable file)";
            case ET_EXEC -> "EXEC (Executable file)";
            case ET_DYN -> "DYN (Position-Independent Executable or shared object)";
            case ET_CORE -> "CORE (Core file)";
            default -> "0x%x".formatted(type);
        };
    }

    /** {@return the name of a machine} */
    public static String machineName(int machine) {
        return switch (machine) {
            case EM_386 -> "Intel 80386";
            case EM_X86_64 -> "Advanced Micro Devices X86-64";
            case 40 -> "ARM";
            case 183 -> "AArch64";
            case 243 -> "RISC-V";
            default -> "machine %d".formatted(machine);
        };
    }

    /** {@return segment flags as {@code readelf -l} prints them: {@code R E}, {@code RW }} */
    public static String segmentFlags(long flags) {
        return ((flags & PF_R) != 0 ? "R" : " ") + ((flags & PF_W) != 0 ? "W" : " ") + ((flags & PF_X) != 0 ? "E" : " ");
    }

    /** {@return section flags as {@code readelf -S} prints them: {@code WA}, {@code AX}} */
    public static String sectionFlags(long flags) {
        StringBuilder text = new StringBuilder();
        if ((flags & SHF_WRITE) != 0) {
            text.append('W');
        }
        if ((flags & SHF_ALLOC) != 0) {
            text.append('A');
        }
        if ((flags & SHF_EXECINSTR) != 0) {
            text.append('X');
        }
        if ((flags & 0x10) != 0) {
            text.append('M');
        }
        if ((flags & 0x20) != 0) {
            text.append('S');
        }
        if ((flags & 0x40) != 0) {
            text.append('I');
        }
        if ((flags & 0x80) != 0) {
            text.append('L');
        }
        if ((flags & 0x200) != 0) {
            text.append('G');
        }
        if ((flags & SHF_TLS) != 0) {
            text.append('T');
        }
        return text.toString();
    }
}
