package io.github.alloclab.layout;

import io.github.alloclab.elf.SectionHeader;
import io.github.alloclab.layout.DeclaredProgram.Global;
import io.github.alloclab.layout.DeclaredProgram.Section;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.memory.Vma;
import io.github.alloclab.process.SimulatedProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Draws a simulated process from high addresses to low: argv and envp, the stack, the gap below it, the
 * mmap area, the heap, bss, data, read-only data, text, and the NULL region, with real addresses, sizes,
 * permissions, the sections each mapping holds, and its resident memory.
 *
 * <pre>
 *  0x7ffffffff000  +------------------------+
 *                  | argv, envp, auxv       |       352 B  rw-p  argc = 1, 0 environment strings; sp = 0x7fffffffeea0
 *  0x7fffffffeea0  +------------------------+
 *                  | stack                  |   131.7 KiB  rw-p  [stack] grows down, limit 8 MiB; 4 KiB resident
 *  0x7ffffffde000  +------------------------+
 *                  :                        :    42.7 TiB        unmapped; the mmap area grows down from mmap_base ...
 *  ...
 * </pre>
 */
public final class LayoutView {

    private static final int BOX = 24;

    /** One band of the picture. */
    private record Band(long start, long end, String name, String permissions, String note, boolean mapped) {
    }

    private LayoutView() {
    }

    /** {@return the picture of {@code process}'s address space} */
    public static String draw(SimulatedProcess process) {
        SimulatedMemorySource memory = process.memory();
        List<Band> bands = new ArrayList<>();
        List<Vma> vmas = new ArrayList<>(memory.vmas());
        long mmapBase = process.mmapBase();
        boolean mmapMarked = false;
        long previousStart = -1;
        for (int i = vmas.size() - 1; i >= 0; i--) {
            Vma v = vmas.get(i);
            if (previousStart >= 0 && previousStart > v.end()) {
                String note = gapNote(process, v.end(), previousStart);
                bands.add(new Band(v.end(), previousStart, "", "", note, false));
                mmapMarked |= mmapBase >= v.end() && mmapBase <= previousStart;
            }
            if (v.label().equals("stack")) {
                long sp = process.stack().pointer();
                if (sp > v.start() && sp < v.end()) {
                    bands.add(new Band(sp, v.end(), "argv, envp, auxv", v.permissions(),
                            "argc = %d, %d environment strings; sp = 0x%x".formatted(process.argv().size(),
                                    process.envp().size(), sp),
                            true));
                    bands.add(new Band(v.start(), sp, "stack", v.permissions(),
                            "[stack] grows down, limit %s; %s resident".formatted(size(memory.stackLimit()),
                                    size(memory.residentBytes(v.start(), v.end()))), true));
                } else {
                    bands.add(new Band(v.start(), v.end(), "stack", v.permissions(), "[stack]", true));
                }
            } else {
                bands.add(new Band(v.start(), v.end(), name(v), v.permissions(), note(process, v), true));
            }
            previousStart = v.start();
        }
        long nullEnd = SimulatedMemorySource.MMAP_MIN_ADDR;
        if (previousStart > nullEnd) {
            bands.add(new Band(nullEnd, previousStart, "", "", gapNote(process, nullEnd, previousStart), false));
        }
        bands.add(new Band(0, nullEnd, "NULL region", "----", "never mapped: *NULL faults (vm.mmap_min_addr)", true));

        StringBuilder out = new StringBuilder();
        out.append("%s: %s process, %s; high addresses first%n".formatted(process.execPath(), process.abi(),
                process.options().aslrSeed().isPresent() ? "ASLR on (seed " + process.options().aslrSeed().getAsLong() + ")"
                        : "ASLR off (setarch -R)"));
        if (!mmapMarked && vmas.stream().noneMatch(v -> v.label().equals("mmap"))) {
            out.append("mmap_base is 0x%x; the mmap area grows down from there%n".formatted(mmapBase));
        }
        out.append('\n');
        int width = process.abi().pointerSize() == 8 ? 12 : 8;
        long previous = -1;
        for (Band b : bands) {
            if (b.end() != previous) {
                out.append(boundary(b.end(), width, b.mapped() ? '+' : ':', b.mapped() ? '-' : ' ')).append('\n');
            }
            char side = b.mapped() ? '|' : ':';
            String label = b.mapped() ? b.name() : "";
            out.append(" ".repeat(width + 6)).append(side).append(' ')
                    .append(pad(label, BOX - 2)).append(side)
                    .append("  %10s  %-4s  %s".formatted(size(b.end() - b.start()), b.permissions(), b.note()).stripTrailing())
                    .append('\n');
            out.append(boundary(b.start(), width, '+', '-')).append('\n');
            previous = b.start();
        }
        return out.toString();
    }

    private static String boundary(long address, int width, char corner, char fill) {
        return "  " + ("0x%0" + width + "x").formatted(address) + "  " + corner + String.valueOf(fill).repeat(BOX - 1) + corner;
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text.substring(0, width) : text + " ".repeat(width - text.length());
    }

    private static String name(Vma v) {
        return switch (v.label()) {
            case "text" -> "text";
            case "rodata" -> "rodata";
            case "headers" -> "ELF headers, rodata";
            case "relro" -> "data, RELRO (r--)";
            case "data" -> "data";
            case "bss" -> "bss";
            case "heap" -> "heap";
            case "mmap" -> "mmap";
            default -> v.label().isEmpty() ? "mapping" : v.label();
        };
    }

    private static String note(SimulatedProcess process, Vma v) {
        StringJoiner note = new StringJoiner("; ");
        if (v.label().equals("heap")) {
            note.add("[heap] grows up; break at 0x%x".formatted(process.memory().brk()));
        } else if (v.isFileBacked() || v.label().equals("bss")) {
            String sections = sectionsIn(process, v);
            if (!sections.isEmpty()) {
                note.add(sections);
            }
            if (!v.isFileBacked()) {
                note.add("zero-filled, no file bytes");
            }
        }
        note.add(size(process.memory().residentBytes(v.start(), v.end())) + " resident");
        return note.toString();
    }

    private static String sectionsIn(SimulatedProcess process, Vma v) {
        StringJoiner names = new StringJoiner(" ");
        long bias = process.loadBias();
        for (SectionHeader s : process.elf().sections()) {
            if (!s.isAlloc() || s.size() == 0) {
                continue;
            }
            long start = s.addr() + bias;
            long end = start + s.size();
            if (start < v.end() && end > v.start()) {
                boolean whole = start >= v.start() && end <= v.end();
                names.add(s.name() + (whole ? "" : "(part)"));
            }
        }
        return names.toString();
    }

    private static String gapNote(SimulatedProcess process, long start, long end) {
        long mmapBase = process.mmapBase();
        StringJoiner note = new StringJoiner("; ");
        note.add("unmapped");
        if (mmapBase > start && mmapBase <= end) {
            note.add("the mmap area grows down from mmap_base 0x%x".formatted(mmapBase));
            if (end - mmapBase > 0) {
                note.add("%s above it kept free for the stack".formatted(size(end - mmapBase)));
            }
        }
        long brk = process.memory().brk();
        if (brk >= start && brk < end) {
            note.add("the heap grows up from the break 0x%x".formatted(brk));
        }
        return note.toString();
    }

    /** {@return a byte count for people: {@code 488 B}, {@code 131.5 KiB}, {@code 8 MiB}} */
    public static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0 || value == Math.rint(value)) {
            return "%d %s".formatted((long) value, units[unit]);
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@return the declared globals, section by section, with offsets, sizes, alignment and padding} */
    public static String globals(DeclaredProgram program) {
        StringBuilder out = new StringBuilder();
        out.append("Declared globals, %s (%s):%n".formatted(program.abi(),
                program.abi().pointerSize() == 8 ? "LP64: long and pointers are 8 bytes" : "ILP32: long and pointers are 4 bytes"));
        out.append("  section  offset    size  align  padding  declaration\n");
        for (Section section : List.of(Section.DATA, Section.BSS, Section.RODATA)) {
            for (Global g : program.in(section)) {
                out.append("  %-7s  %6d  %6d  %5d  %7d  %s%n".formatted(section.elfName(), g.offset(), g.size(),
                        g.alignment(), g.padding(), g.declaration()));
            }
        }
        out.append('\n');
        for (Section section : List.of(Section.DATA, Section.BSS, Section.RODATA)) {
            long size = program.sizeOf(section);
            if (size == 0 && program.in(section).isEmpty()) {
                continue;
            }
            long padding = program.paddingOf(section);
            out.append("%-7s %6d bytes = %d of globals + %d of alignment padding (%d globals; section aligned to %d)%n"
                    .formatted(section.elfName(), size, size - padding, padding, program.in(section).size(),
                            program.alignmentOf(section)));
        }
        out.append(".text   %6d bytes of code (@text)%n".formatted(program.text()));
        return out.toString();
    }
}
