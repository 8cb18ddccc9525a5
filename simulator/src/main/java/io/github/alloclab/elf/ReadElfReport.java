package io.github.alloclab.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * A summary of an ELF file in the style of {@code readelf -h -l -S -W}: the file header, the program headers
 * with the sections each segment holds, and the section headers. The columns follow readelf's, so the two can
 * be read side by side; the text is not meant to be byte-identical.
 */
public final class ReadElfReport {

    private ReadElfReport() {
    }

    /** {@return the report} */
    public static String format(ElfFile elf) {
        StringBuilder out = new StringBuilder();
        header(elf, out);
        out.append('\n');
        programHeaders(elf, out);
        out.append('\n');
        sectionHeaders(elf, out);
        return out.toString();
    }

    private static void header(ElfFile elf, StringBuilder out) {
        ElfHeader h = elf.header();
        out.append("ELF Header:\n");
        row(out, "Class:", "ELF" + h.bits());
        row(out, "Data:", "2's complement, little endian");
        row(out, "Type:", Elf.typeName(h.type()));
        row(out, "Machine:", Elf.machineName(h.machine()));
        row(out, "Entry point address:", "0x" + Long.toHexString(h.entry()));
        row(out, "Start of program headers:", h.phoff() + " (bytes into file)");
        row(out, "Start of section headers:", h.shoff() + " (bytes into file)");
        row(out, "Size of this header:", h.ehsize() + " (bytes)");
        row(out, "Size of program headers:", h.phentsize() + " (bytes)");
        row(out, "Number of program headers:", Integer.toString(h.phnum()));
        row(out, "Size of section headers:", h.shentsize() + " (bytes)");
        row(out, "Number of section headers:", Integer.toString(h.shnum()));
        row(out, "Section header string table index:", Integer.toString(h.shstrndx()));
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append("  ").append(label).append(" ".repeat(Math.max(1, 35 - label.length()))).append(value).append('\n');
    }

    private static void programHeaders(ElfFile elf, StringBuilder out) {
        boolean wide = elf.header().is64();
        if (elf.programHeaders().isEmpty()) {
            out.append("There are no program headers in this file.\n");
            return;
        }
        out.append("Program Headers:\n");
        out.append(wide
                ? "  Type           Offset   VirtAddr           PhysAddr           FileSiz  MemSiz   Flg Align\n"
                : "  Type           Offset   VirtAddr   PhysAddr   FileSiz MemSiz  Flg Align\n");
        for (ProgramHeader p : elf.programHeaders()) {
            out.append(wide
                    ? "  %-14s 0x%06x 0x%016x 0x%016x 0x%06x 0x%06x %s 0x%x\n".formatted(Elf.segmentTypeName(p.type()),
                            p.offset(), p.vaddr(), p.paddr(), p.filesz(), p.memsz(), Elf.segmentFlags(p.flags()), p.align())
                    : "  %-14s 0x%06x 0x%08x 0x%08x 0x%05x 0x%05x %s 0x%x\n".formatted(Elf.segmentTypeName(p.type()),
                            p.offset(), p.vaddr(), p.paddr(), p.filesz(), p.memsz(), Elf.segmentFlags(p.flags()), p.align()));
            if (p.type() == Elf.PT_INTERP) {
                elf.interpreter().ifPresent(i -> out.append("      [Requesting program interpreter: ").append(i).append("]\n"));
            }
        }
        out.append("\n Section to Segment mapping:\n  Segment Sections...\n");
        for (ProgramHeader p : elf.programHeaders()) {
            out.append("   %02d     ".formatted(p.index()));
            for (SectionHeader s : sectionsIn(elf, p)) {
                out.append(s.name()).append(' ');
            }
            out.append('\n');
        }
    }

    /**
     * {@return the sections a segment holds}: allocated sections whose addresses lie inside the segment's
     * memory, and whose file bytes lie inside its file bytes; thread-local bss only in {@code PT_TLS}.
     */
    public static List<SectionHeader> sectionsIn(ElfFile elf, ProgramHeader p) {
        List<SectionHeader> found = new ArrayList<>();
        for (SectionHeader s : elf.sections()) {
            if (s.index() == 0 || !s.isAlloc()) {
                continue;
            }
            boolean tbss = (s.flags() & Elf.SHF_TLS) != 0 && s.type() == Elf.SHT_NOBITS;
            if (tbss && p.type() != Elf.PT_TLS) {
                continue;
            }
            long end = s.addr() + (s.type() == Elf.SHT_NOBITS && !tbss && p.type() != Elf.PT_LOAD ? 0 : s.size());
            boolean inMemory = Long.compareUnsigned(s.addr(), p.vaddr()) >= 0
                    && Long.compareUnsigned(end, p.vaddr() + p.memsz()) <= 0
                    && (s.size() > 0 || Long.compareUnsigned(s.addr(), p.vaddr() + p.memsz()) < 0);
            boolean inFile = s.type() == Elf.SHT_NOBITS
                    || (Long.compareUnsigned(s.offset(), p.offset()) >= 0
                        && Long.compareUnsigned(s.offset() + s.size(), p.offset() + p.filesz()) <= 0);
            if (inMemory && inFile) {
                found.add(s);
            }
        }
        return found;
    }

    private static void sectionHeaders(ElfFile elf, StringBuilder out) {
        if (elf.sections().isEmpty()) {
            out.append("There are no sections in this file.\n");
            return;
        }
        boolean wide = elf.header().is64();
        out.append("Section Headers:\n");
        out.append(wide
                ? "  [Nr] Name              Type            Address          Off    Size   ES Flg Lk Inf Al\n"
                : "  [Nr] Name              Type            Addr     Off    Size   ES Flg Lk Inf Al\n");
        for (SectionHeader s : elf.sections()) {
            out.append(("  [%2d] %-17s %-15s " + (wide ? "%016x" : "%08x") + " %06x %06x %02x %3s %2d %3d %2d\n")
                    .formatted(s.index(), s.name(), Elf.sectionTypeName(s.type()), s.addr(), s.offset(), s.size(),
                            s.entsize(), Elf.sectionFlags(s.flags()), s.link(), s.info(), s.addralign()));
        }
        out.append("Key to Flags: W (write), A (alloc), X (execute), M (merge), S (strings), I (info),\n")
                .append("  L (link order), G (group), T (TLS)\n");
    }
}
