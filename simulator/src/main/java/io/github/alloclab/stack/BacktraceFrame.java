package io.github.alloclab.stack;

/**
 * One line of a gdb-style {@code bt}: {@code #1  0x08049034 in main () at classic.c:9}, or a note such as
 * {@code (699,990 frames not shown)} or {@code Backtrace stopped: Cannot access memory at address 0x0}.
 *
 * @param number    the frame's number, 0 for the innermost
 * @param pc        where it is executing: for frame 0 the current instruction, for the others the return
 *                  address into them
 * @param function  its function, or {@code null} if the address is not in any ({@code ??})
 * @param arguments its arguments as gdb prints them, {@code a=10, b=20}
 * @param line      its source line, 0 if none
 * @param note      for a note line, its text; else {@code null}
 */
public record BacktraceFrame(int number, long pc, String function, String arguments, int line, String note) {

    static BacktraceFrame note(String text) {
        return new BacktraceFrame(-1, 0, null, "", 0, text);
    }
}
