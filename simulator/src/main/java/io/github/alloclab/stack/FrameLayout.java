package io.github.alloclab.stack;

import io.github.alloclab.stack.CAst.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a function's parameters and locals live, relative to its frame pointer, under one convention: what a
 * compiler decides once per function, as {@code gcc -O0} does.
 *
 * <h2>i386 cdecl</h2>
 * <pre>
 *   ebp + 4 + 4n  | argument n      |   pushed by the caller, right to left, one 4-byte word each
 *        ...      | ...             |
 *   ebp + 8       | argument 0      |
 *   ebp + 4       | return address  |   pushed by call
 *   ebp -------&gt; | saved ebp       |   push ebp; mov ebp, esp
 *   ebp - 4       | first local     |   locals in order of declaration, each at its natural alignment
 *        ...      | ...             |
 *   esp = ebp - N +-----------------+   sub esp, N   (N = the locals' bytes rounded up to 4)
 * </pre>
 *
 * <h2>System V AMD64</h2>
 * <pre>
 *   rbp + 16 + 8k | argument 6 + k  |   only arguments past the sixth are pushed (right to left)
 *   rbp + 8       | return address  |
 *   rbp --------&gt; | saved rbp       |
 *   rbp - ...     | locals          |   in order of declaration; arrays of 16 bytes or more 16-aligned
 *   rbp - ...     | spilled a, b... |   register arguments (rdi, rsi, ...) stored below the locals
 *   rsp = rbp - N +-----------------+   N rounded up to 16, so rsp stays 16-aligned at the next call
 * </pre>
 * Arguments 0 to 5 arrive in {@code rdi, rsi, rdx, rcx, r8, r9}; the prologue spills them into the frame as
 * {@code gcc -O0} does ({@code mov DWORD PTR [rbp-20], edi}), so that they have addresses.
 *
 * <h2>Departures from gcc</h2>
 * gcc leaves gaps alloclab does not: on x86-64 it rounds the locals' area to 16 bytes before the spills (the
 * classic {@code foo} has {@code c} at {@code rbp-4} but {@code a} at {@code rbp-20}), and in a leaf function
 * it uses the 128-byte red zone below {@code rsp} instead of {@code sub rsp, N}. On i386 a modern gcc keeps
 * {@code esp} 16-aligned too, and reserves more. alloclab packs slots tightly and always moves the stack
 * pointer, so that every live slot is above it, as in the textbook pictures.
 *
 * @param convention  the calling convention
 * @param frameBytes  {@code N} of {@code sub esp, N}: the bytes of locals, spills and padding below the frame pointer
 * @param offsets     each parameter's and local's offset from the frame pointer (by identity)
 * @param below       the slots below the frame pointer, from the highest address down: locals, spills, padding
 * @param stackParams how many parameters the caller pushes
 */
record FrameLayout(Convention convention, long frameBytes, Map<Variable, Long> offsets, List<SlotDef> below,
                   int stackParams) {

    /** What a slot holds, for labels and for how its value is read. */
    enum SlotKind {
        /** A parameter or local of a scalar type. */
        VARIABLE,
        /** A local array, shown one element (or one word of chars) per row. */
        ARRAY,
        /** Bytes no variable uses: alignment. */
        PADDING,
        /** A return address, pushed by {@code call}. */
        RETURN_ADDRESS,
        /** The caller's frame pointer, pushed by the prologue. */
        SAVED_FRAME_POINTER
    }

    /**
     * A slot of a frame.
     *
     * @param offset   from the frame pointer (for slots the prologue makes); unused for pushed slots
     * @param size     bytes
     * @param label    what it holds: {@code c}, {@code return address}, {@code saved ebp}, {@code (padding)}
     * @param kind     what kind of slot it is
     * @param variable the parameter or local, or {@code null}
     * @param callee   for an argument the caller pushes, the function it is for; else {@code null}
     */
    record SlotDef(long offset, long size, String label, SlotKind kind, Variable variable, String callee) {
    }

    static FrameLayout of(CheckedProgram.FunctionInfo function, Convention convention) {
        int word = convention.word();
        boolean lp64 = convention.lp64();
        Map<Variable, Long> offsets = new IdentityHashMap<>();
        List<SlotDef> below = new ArrayList<>();
        List<Variable> params = function.params();
        int registers = convention.argumentRegisters().size();
        int stackParams = 0;
        for (Variable p : params) {
            if (p.index() >= registers) {
                // Above the return address: cdecl counts from the first argument, sysv from the seventh.
                offsets.put(p, 2L * word + (long) word * (p.index() - registers));
                stackParams++;
            }
        }
        long cursor = 0;
        List<Variable> belowFp = new ArrayList<>(function.locals());
        for (Variable p : params) {
            if (p.index() < registers) {
                belowFp.add(p);
            }
        }
        for (Variable v : belowFp) {
            Type t = v.type();
            long size = t.size(lp64);
            long alignment = t.alignment(lp64);
            if (lp64 && t.kind() == Type.Kind.ARRAY && size >= 16) {
                alignment = 16; // the x86-64 psABI: arrays of 16 bytes or more are 16-aligned
            }
            long offset = Math.floorDiv(cursor - size, alignment) * alignment;
            if (offset + size < cursor) {
                below.add(new SlotDef(offset + size, cursor - offset - size, "(padding)", SlotKind.PADDING, null, null));
            }
            offsets.put(v, offset);
            below.add(new SlotDef(offset, size, v.name(),
                    t.kind() == Type.Kind.ARRAY ? SlotKind.ARRAY : SlotKind.VARIABLE, v, null));
            cursor = offset;
        }
        long frameAlignment = lp64 ? 16 : word;
        long frameBytes = -Math.floorDiv(cursor, frameAlignment) * frameAlignment;
        if (-frameBytes < cursor) {
            below.add(new SlotDef(-frameBytes, cursor + frameBytes, "(padding)", SlotKind.PADDING, null, null));
        }
        return new FrameLayout(convention, frameBytes, Collections.unmodifiableMap(offsets), List.copyOf(below),
                stackParams);
    }

    /** {@return the offset of a parameter or local from the frame pointer} */
    long offset(Variable v) {
        Long offset = offsets.get(v);
        if (offset == null) {
            throw new IllegalStateException("no slot for " + v);
        }
        return offset;
    }
}
