package io.github.alloclab.process;

import io.github.alloclab.memory.Vma;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated process's {@code /proc/PID/maps}, byte for byte in Linux's format ({@code show_map_vma} in
 * fs/proc/task_mmu.c):
 * <pre>
 *  start-end perms offset dev:dev inode                      name
 *  %08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu, then spaces to column 73 and the name, if there is one
 * </pre>
 * An x86-64 process also shows the fixed {@code [vsyscall]} page at the top of the address space, which no
 * VMA backs.
 */
public final class ProcMaps {

    /** The column where a name starts: {@code 25 + 6 * sizeof(void *)} less one, then one space. */
    private static final int NAME_COLUMN = 25 + 6 * 8 - 1;
    private static final String VSYSCALL = "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0";

    private ProcMaps() {
    }

    /** {@return the lines of the process's maps file} */
    public static List<String> lines(SimulatedProcess process) {
        List<String> lines = new ArrayList<>();
        for (Vma vma : process.vmas()) {
            lines.add(line(vma));
        }
        if (process.abi() == Abi.X86_64) {
            lines.add(named(VSYSCALL + " ", "[vsyscall]"));
        }
        return lines;
    }

    /** {@return one line of maps for {@code vma}} */
    public static String line(Vma vma) {
        String device = vma.isFileBacked() ? vma.file().deviceText() : "00:00";
        long inode = vma.isFileBacked() ? vma.file().inode() : 0;
        String prefix = "%08x-%08x %s %08x %s %d ".formatted(vma.start(), vma.end(), vma.permissions(),
                vma.offset(), device, inode);
        return vma.name().isEmpty() ? prefix : named(prefix, vma.name());
    }

    private static String named(String prefix, String name) {
        StringBuilder line = new StringBuilder(prefix);
        while (line.length() < NAME_COLUMN) {
            line.append(' ');
        }
        return line.append(' ').append(name).toString();
    }
}
