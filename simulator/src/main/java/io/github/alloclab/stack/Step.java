package io.github.alloclab.stack;

import java.util.List;
import java.util.Map;

/**
 * One step of a run, with the machine's state after it.
 *
 * @param step      its number, from 1
 * @param event     what it did, in assembly or C: {@code push ebp}, {@code call foo}, {@code int c = a + b}
 * @param function  the function it ran in; {@code _start} before and after {@code main}
 * @param line      its source line; 0 in {@code _start}
 * @param registers the frame pointer, the stack pointer, the instruction pointer (as the source line it points
 *                  into) and the return-value register, named for the convention, in that order
 * @param axIsAddress whether the return register last took a pointer, best shown in hex
 * @param stack     the live slots, from the highest address down
 * @param marker    whether a call or a return completes here, which is where the text view draws the stack
 * @param note      at a marker, a sentence saying what completed: {@code foo(a=10, b=20) is entered}; else
 *                  {@code null}
 * @param backtrace at a marker or a fault, the frames as gdb's {@code bt} lists them; else empty
 * @param examine   at a marker or a fault, the words at the stack pointer ({@code x/8wx $esp}); else empty
 * @param examineError why the words could not all be read, or {@code null}
 */
public record Step(long step, String event, String function, int line, Map<String, Long> registers,
                   boolean axIsAddress, List<Slot> stack, Marker marker, String note, List<BacktraceFrame> backtrace, List<Long> examine,
                   String examineError) {

    /** Where a step sits in a call. */
    public enum Marker {
        /** An ordinary step. */
        NONE,
        /** The callee's prologue is done: its frame is complete. */
        CALL,
        /** The function's work is done and its result in the return register: {@code leave} and {@code ret} are next. */
        LEAVING,
        /** Control is back in the caller, with its arguments popped. */
        RETURN,
        /** The step that faulted; it did not complete. */
        FAULT
    }
}
