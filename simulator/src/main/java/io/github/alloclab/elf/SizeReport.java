package io.github.alloclab.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * What GNU binutils {@code size} prints for ELF files, in its Berkeley format ({@code text data bss dec hex
 * filename}) and its SysV format ({@code -A}: each section's size and address, and a total), following the
 * rules of binutils 2.40 ({@code binutils/size.c} over BFD's ELF back end).
 *
 * <h2>Which sections BFD sees</h2>
 * BFD turns section headers into sections, except for: section 0; inactive {@code SHT_NULL} sections; the
 * symbol table ({@code .symtab}, unless it is allocated in a shared object), its string table
 * ({@code .strtab}), the section-name table ({@code .shstrtab}) and {@code SHT_SYMTAB_SHNDX}; and relocation
 * sections that BFD folds into the section they relocate: non-allocated ones (or any in a relocatable object)
 * that use the main symbol table and name a valid target that is not itself a relocation section.
 *
 * <h2>Flags</h2>
 * <pre>
 *  SEC_HAS_CONTENTS  sh_type != SHT_NOBITS
 *  SEC_ALLOC         SHF_ALLOC                  SEC_LOAD  SHF_ALLOC and not SHT_NOBITS
 *  SEC_READONLY      not SHF_WRITE
 *  SEC_CODE          SHF_EXECINSTR              SEC_DATA  otherwise, if SEC_LOAD
 * </pre>
 *
 * <h2>Berkeley</h2>
 * Only allocated sections count. <b>text</b>: code or read-only ({@code .text}, but also {@code .rodata},
 * {@code .eh_frame}, {@code .interp}, {@code .dynsym}, {@code .rela.dyn}, ...). <b>data</b>: the other
 * sections with contents ({@code .data}, {@code .got}, {@code .dynamic}, {@code .init_array}, {@code .tdata}).
 * <b>bss</b>: the rest, with no contents ({@code .bss}, {@code .tbss}). <b>dec</b> and <b>hex</b> are their
 * sum.
 *
 * <h2>SysV</h2>
 * Every section BFD sees, unless its flags are all clear, with decimal size and address; columns as wide as
 * the longest name, the total and the highest address need.
 */
public final class SizeReport {

    static final int SEC_ALLOC = 0x1;
    static final int SEC_LOAD = 0x2;
    static final int SEC_READONLY = 0x8;
    static final int SEC_CODE = 0x10;
    static final int SEC_DATA = 0x20;
    static final int SEC_HAS_CONTENTS = 0x100;

    /**
     * A section as BFD sees it.
     *
     * @param name    the section name
     * @param size    {@code sh_size}
     * @param address {@code sh_addr}
     * @param flags   BFD's {@code SEC_*} flags derived from the header
     */
    public record BfdSection(String name, long size, long address, int flags) {

        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /**
     * The three Berkeley sums.
     *
     * @param text code and read-only allocated bytes
     * @param data writable allocated bytes with contents
     * @param bss  allocated bytes without contents
     */
    public record Berkeley(long text, long data, long bss) {

        /** {@return text + data + bss} */
        public long total() {
            return text + data + bss;
        }
    }

    private SizeReport() {
    }

    /** {@return the sections BFD makes of {@code elf}'s section headers, in header order} */
    public static List<BfdSection> bfdSections(ElfFile elf) {
        List<SectionHeader> headers = elf.sections();
        int symtab = 0;
        for (SectionHeader s : headers) {
            if (s.type() == Elf.SHT_SYMTAB) {
                symtab = s.index();
                break;
            }
        }
        boolean executableOrShared = elf.header().type() == Elf.ET_EXEC || elf.header().type() == Elf.ET_DYN;
        List<BfdSection> sections = new ArrayList<>();
        for (SectionHeader s : headers) {
            if (s.index() == 0 || s.type() == Elf.SHT_NULL || s.type() == Elf.SHT_SYMTAB_SHNDX
                    || s.index() == elf.header().shstrndx()) {
                continue;
            }
            if (s.type() == Elf.SHT_SYMTAB && !(s.isAlloc() && elf.header().type() == Elf.ET_DYN)) {
                continue;
            }
            if (s.type() == Elf.SHT_STRTAB && symtab != 0 && headers.get(symtab).link() == s.index()) {
                continue;
            }
            if ((s.type() == Elf.SHT_REL || s.type() == Elf.SHT_RELA) && foldedIntoTarget(s, headers, symtab,
                    executableOrShared)) {
                continue;
            }
            sections.add(new BfdSection(s.name(), s.size(), s.addr(), flags(s)));
        }
        return sections;
    }

    private static boolean foldedIntoTarget(SectionHeader s, List<SectionHeader> headers, int symtab,
                                            boolean executableOrShared) {
        if ((executableOrShared && s.isAlloc()) || s.link() == 0 || s.link() != symtab) {
            return false;
        }
        if (s.info() == 0 || s.info() >= headers.size()) {
            return false;
        }
        long targetType = headers.get((int) s.info()).type();
        return targetType != Elf.SHT_REL && targetType != Elf.SHT_RELA;
    }

    private static int flags(SectionHeader s) {
        int flags = 0;
        if (s.type() != Elf.SHT_NOBITS) {
            flags |= SEC_HAS_CONTENTS;
        }
        if (s.isAlloc()) {
            flags |= SEC_ALLOC;
            if (s.type() != Elf.SHT_NOBITS) {
                flags |= SEC_LOAD;
            }
        }
        if ((s.flags() & Elf.SHF_WRITE) == 0) {
            flags |= SEC_READONLY;
        }
        if ((s.flags() & Elf.SHF_EXECINSTR) != 0) {
            flags |= SEC_CODE;
        } else if ((flags & SEC_LOAD) != 0) {
            flags |= SEC_DATA;
        }
        return flags;
    }

    /** {@return the Berkeley sums of {@code elf}} */
    public static Berkeley berkeley(ElfFile elf) {
        long text = 0;
        long data = 0;
        long bss = 0;
        for (BfdSection s : bfdSections(elf)) {
            if (!s.has(SEC_ALLOC)) {
                continue;
            }
            if (s.has(SEC_CODE) || s.has(SEC_READONLY)) {
                text += s.size();
            } else if (s.has(SEC_HAS_CONTENTS)) {
                data += s.size();
            } else {
                bss += s.size();
            }
        }
        return new Berkeley(text, data, bss);
    }

    /**
     * {@return {@code size}'s Berkeley output for the files}, header included
     *
     * @param files the files, each with the name to print
     */
    public static String berkeleyFormat(List<ElfFile> files, List<String> names) {
        StringBuilder out = new StringBuilder("   text\t   data\t    bss\t    dec\t    hex\tfilename\n");
        for (int i = 0; i < files.size(); i++) {
            Berkeley b = berkeley(files.get(i));
            out.append("%7d\t%7d\t%7d\t%7d\t%7x\t%s\n".formatted(b.text(), b.data(), b.bss(), b.total(), b.total(),
                    names.get(i)));
        }
        return out.toString();
    }

    /** {@return {@code size -A}'s output for one file, trailing blank lines included} */
    public static String sysvFormat(ElfFile elf, String name) {
        List<BfdSection> sections = bfdSections(elf).stream().filter(s -> s.flags() != 0).toList();
        int nameWidth = 0;
        long total = 0;
        long maxAddress = 0;
        for (BfdSection s : sections) {
            nameWidth = Math.max(nameWidth, s.name().length());
            total += s.size();
            maxAddress = Long.compareUnsigned(s.address(), maxAddress) > 0 ? s.address() : maxAddress;
        }
        int sizeWidth = Math.max(Long.toUnsignedString(total).length(), "size".length());
        int addressWidth = Math.max(Long.toUnsignedString(maxAddress).length(), "addr".length());
        StringBuilder out = new StringBuilder(name).append("  :\n");
        out.append(row(nameWidth, "section", sizeWidth, "size", addressWidth, "addr"));
        for (BfdSection s : sections) {
            out.append(row(nameWidth, s.name(), sizeWidth, Long.toUnsignedString(s.size()), addressWidth,
                    Long.toUnsignedString(s.address())));
        }
        out.append(name(nameWidth, "Total")).append("   ")
                .append(" ".repeat(Math.max(0, sizeWidth - Long.toUnsignedString(total).length())))
                .append(Long.toUnsignedString(total)).append("\n\n\n");
        return out.toString();
    }

    private static String row(int nameWidth, String name, int sizeWidth, String size, int addressWidth,
                              String address) {
        return name(nameWidth, name) + "   " + " ".repeat(Math.max(0, sizeWidth - size.length())) + size + "   "
                + " ".repeat(Math.max(0, addressWidth - address.length())) + address + "\n";
    }

    private static String name(int width, String name) {
        return name + " ".repeat(Math.max(0, width - name.length()));
    }
}
