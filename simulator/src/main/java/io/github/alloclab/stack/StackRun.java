package io.github.alloclab.stack;

import java.util.List;
import java.util.Map;

/**
 * The outcome of running a program: the steps kept, how it ended, and where things were.
 *
 * @param file        the source file's name
 * @param convention  the calling convention it ran under
 * @param steps       the steps kept, in order (all of them, or the first and the last of a long run)
 * @param totalSteps  how many steps ran in all
 * @param fault       the fault that ended it, or {@code null} if it exited
 * @param exitCode    {@code main}'s result modulo 256, or 139 (128 + {@code SIGSEGV}) after a fault, as a
 *                    shell reports it
 * @param layout      where the process's parts are
 */
public record StackRun(String file, Convention convention, List<Step> steps, long totalSteps, Fault fault,
                       int exitCode, Layout layout) {

    /** The exit status a shell reports for a process killed by {@code SIGSEGV}: 128 + 11. */
    public static final int SIGSEGV_STATUS = 139;

    /**
     * Where the simulated process's parts are.
     *
     * @param execPath     the program's path, {@code argv[0]}
     * @param textStart    the first instruction: {@code _start}
     * @param stackTop     the end of {@code [stack]}
     * @param stackLimit   {@code ulimit -s}, in bytes
     * @param guardGap     the gap below the limit that no mapping may enter: Linux's {@code stack_guard_gap}
     * @param initialSp    the stack pointer {@code execve} left, pointing at {@code argc}
     * @param globals      each global's address and section
     * @param returnSites  each return address a call pushes, and where it returns to: {@code main:9}, or
     *                     {@code _start}
     */
    public record Layout(String execPath, long textStart, long stackTop, long stackLimit, long guardGap,
                         long initialSp, List<GlobalPlacement> globals, Map<Long, String> returnSites) {
    }

    /**
     * A global's place.
     *
     * @param name    its name
     * @param type    its C type
     * @param address its address
     * @param section {@code .data} or {@code .bss}
     */
    public record GlobalPlacement(String name, String type, long address, long size, String section) {
    }
}
