package io.github.alloclab.stack;

import io.github.alloclab.memory.AccessKind;
import io.github.alloclab.memory.FaultReason;
import io.github.alloclab.memory.SegmentationFault;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.stack.CAst.Type;
import io.github.alloclab.stack.FrameLayout.SlotDef;
import io.github.alloclab.stack.FrameLayout.SlotKind;
import io.github.alloclab.stack.Instr.Op;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Runs compiled code on a simulated x86 machine whose stack is the process's {@code [stack]} mapping: every
 * push, pop, spill, local and argument is a real load or store in the {@link SimulatedMemorySource}, so a
 * stack that grows past {@code ulimit -s} faults in the guard area below it, and a smashed return address
 * faults where {@code ret} jumps.
 *
 * <h2>State</h2>
 * <ul>
 *   <li>Registers: the stack pointer {@code sp}, the frame pointer {@code bp}, the return register {@code ax},
 *       six argument registers (System V), and {@code pc}, the index of the next instruction (its text
 *       address is {@link ProgramImage#address}).</li>
 *   <li>Scratch values of expressions live on an operand stack, standing for the registers {@code gcc}
 *       would use; they are not on the simulated stack, so they are not in the pictures. Across a call a real
 *       {@code gcc -O0} would reload them from their variables, or spill them.</li>
 *   <li>The {@link DebugSlots debug view}, kept beside the memory as a debugger's symbol table would be: for
 *       each live slot its address, size, label and frame. It is trimmed to the slots at or above {@code sp}
 *       whenever {@code sp} rises. Values are never kept there: a picture loads them from the stack.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <pre>
 *  M1  every debug slot s: s.address &gt;= sp, and slots are in decreasing address order
 *      and in non-decreasing order of depth
 *  M2  sp and bp are addresses of the flavour's width (i386: below 2^32)
 *  M3  after a prologue: [bp] = the caller's bp, [bp + word] = a return address into the caller
 * </pre>
 *
 * <p>Not thread-safe; one machine runs one program once.
 */
final class StackMachine {

    private static final SlotDef RETURN_ADDRESS = new SlotDef(0, 0, "return address", SlotKind.RETURN_ADDRESS, null, null);
    private static final SlotDef ALIGNMENT = new SlotDef(0, 8, "(alignment)", SlotKind.PADDING, null, null);

    /**
     * How a run ended.
     *
     * @param totalSteps how many steps ran
     * @param fault      the fault, or {@code null}
     * @param exitCode   the exit status
     */
    record Result(long totalSteps, Fault fault, int exitCode) {
    }

    final Compiler.Code compiled;
    final Instr[] code;
    final Convention convention;
    final ProgramImage image;
    final SimulatedMemorySource memory;
    final String file;
    final int word;
    final long addressMask;
    final int shownFrames;
    private final long maxSteps;
    private final SlotDef savedBp;
    private final Map<Instr, SlotDef> argumentSlots = new IdentityHashMap<>();

    long sp;
    long bp;
    long ax;
    boolean axIsAddress;
    int pc;
    final long[] argRegisters = new long[6];
    private long[] operands = new long[64];
    private int operandTop;
    private long[] pads = new long[16];
    private int padTop;
    /** Frames: 0 is {@code _start}, 1 is {@code main}. */
    int depth;
    /** The frame pointer each frame set up, by depth, so that a deep backtrace can jump to main. */
    long[] frameBps = new long[64];

    final DebugSlots slots;
    private final StackPictures pictures;

    private long steps;
    private int exitCode;

    StackMachine(Compiler.Code compiled, ProgramImage image, int shownFrames, long maxSteps) {
        this.compiled = compiled;
        this.code = compiled.code().toArray(Instr[]::new);
        this.convention = compiled.convention();
        this.image = image;
        this.memory = image.process().memory();
        this.file = compiled.program().file();
        this.word = convention.word();
        this.addressMask = convention.lp64() ? -1L : 0xffff_ffffL;
        this.shownFrames = Math.max(2, shownFrames);
        this.maxSteps = maxSteps;
        this.savedBp = new SlotDef(0, word, "saved " + convention.bp(), SlotKind.SAVED_FRAME_POINTER, null, null);
        this.slots = new DebugSlots(word, convention.lp64());
        this.pictures = new StackPictures(this);
        for (Instr in : code) {
            if (in.op == Op.PUSH_ARG) {
                argumentSlots.put(in, new SlotDef(0, word, in.variable.name(), SlotKind.VARIABLE, in.variable,
                        in.text));
            }
        }
    }

    /**
     * Runs the program from {@code _start} to its exit or its fault.
     *
     * @param wants which steps to report, by number
     * @param out   receives the steps {@code wants} accepts, in order
     * @throws CRuntimeError on a division by zero, or after {@code maxSteps} steps
     */
    Result run(LongPredicate wants, Consumer<Step> out) {
        sp = image.process().stack().pointer();
        long argc = load(sp, word, false);
        long argv = sp + word;
        for (Instr in : code) {
            if (in.op == Op.CONST && "argc".equals(in.text)) {
                in.value = argc;
            } else if (in.op == Op.CONST && "argv".equals(in.text)) {
                in.value = argv;
            }
        }
        bp = 0;
        pc = 0;
        depth = 0;
        while (true) {
            Instr in = code[pc];
            if (in.op.step() && steps >= maxSteps) {
                throw new CRuntimeError(file, in.line, in.column, "stopped after %,d steps in %s: the program may never end (raise --max-steps if it should)"
                        .formatted(steps, functionName(in.function)));
            }
            Step.Marker marker = Step.Marker.NONE;
            String event = null;
            int at = pc;
            try {
                switch (in.op) {
                    case CONST -> {
                        push(in.value);
                        pc++;
                    }
                    case LOCAL_ADDR -> {
                        push((bp + in.value) & addressMask);
                        pc++;
                    }
                    case GLOBAL_ADDR -> {
                        push(image.globalAddress(in.variable));
                        pc++;
                    }
                    case LOAD -> {
                        push(loadTyped(pop(), in.type));
                        pc++;
                    }
                    case STORE -> {
                        long value = normalize(pop(), in.type);
                        long address = pop();
                        storeTyped(address, value, in.type);
                        push(value);
                        pc++;
                    }
                    case DUP -> {
                        long v = pop();
                        push(v);
                        push(v);
                        pc++;
                    }
                    case POP -> {
                        pop();
                        pc++;
                    }
                    case INC_DEC -> {
                        long address = pop();
                        long old = loadTyped(address, in.type);
                        long updated = normalize(old + in.value, in.type);
                        storeTyped(address, updated, in.type);
                        push(in.target == 1 ? updated : old);
                        pc++;
                    }
                    case UNARY -> {
                        long v = pop();
                        push(switch (in.text) {
                            case "-" -> normalize(-v, in.type);
                            case "~" -> normalize(~v, in.type);
                            default -> v == 0 ? 1 : 0;
                        });
                        pc++;
                    }
                    case BINARY -> {
                        long r = pop();
                        long l = pop();
                        push(binary(in, l, r));
                        pc++;
                    }
                    case BOOL -> {
                        push(pop() != 0 ? 1 : 0);
                        pc++;
                    }
                    case JUMP -> pc = in.target;
                    case JUMP_FALSE -> pc = pop() == 0 ? in.target : pc + 1;
                    case JUMP_TRUE -> pc = pop() != 0 ? in.target : pc + 1;
                    case RESULT -> {
                        push(in.type.kind() == Type.Kind.VOID ? ax : normalize(ax, in.type));
                        pc++;
                    }
                    case STATEMENT -> {
                        if (in.value == 1) {
                            setAx(pop(), in.type);
                        }
                        pc++;
                    }
                    case RETURN_VALUE -> {
                        if (in.value == 1) {
                            setAx(normalize(pop(), in.type), in.type);
                        }
                        pc++;
                    }
                    case BRANCH -> {
                        boolean taken = pop() != 0;
                        if (wants.test(steps + 1)) {
                            event = in.text + (taken ? ": true" : ": false");
                        }
                        pc = taken ? pc + 1 : in.target;
                    }
                    case PUSH_ARG -> {
                        long value = normalize(pop(), in.type);
                        if (wants.test(steps + 1)) {
                            event = "push " + show(value, in.type);
                        }
                        pushWord(value, argumentSlots.get(in), depth, true);
                        pc++;
                    }
                    case ARG_REGISTER -> {
                        long value = normalize(pop(), in.type);
                        argRegisters[(int) in.value] = value;
                        if (wants.test(steps + 1)) {
                            String register = convention.argumentRegisters().get((int) in.value);
                            event = "mov %s, %s".formatted(in.type.size(true) == 8 ? register : Convention.low32(register),
                                    show(value, in.type));
                        }
                        pc++;
                    }
                    case ALIGN_CALL -> {
                        long pad = ((sp - word * in.value) & 15) != 0 ? 8 : 0;
                        pushPad(pad);
                        pc++;
                        if (pad == 0) {
                            continue; // nothing to do, so not a step
                        }
                        sp = (sp - pad) & addressMask;
                        slots.push(sp, pad, ALIGNMENT, depth, true);
                        event = "sub %s, 8".formatted(convention.sp());
                    }
                    case CALL -> {
                        long returnAddress = image.address(pc + 1);
                        pushWord(returnAddress, RETURN_ADDRESS, depth + 1, false);
                        // The arguments pushed for this call now belong to the callee's frame.
                        int own = compiled.function(in.target).layout().stackParams()
                                + (convention == Convention.SYSV && peekPad() > 0 ? 1 : 0);
                        slots.adoptArguments(own, depth + 1);
                        enter();
                        pc = compiled.function(in.target).entry();
                        event = "call " + in.text;
                    }
                    case CLEANUP -> {
                        long bytes = in.value + (convention == Convention.SYSV ? popPad() : 0);
                        pc++;
                        if (bytes == 0) {
                            continue;
                        }
                        setSp(sp + bytes);
                        event = "add %s, %d".formatted(convention.sp(), bytes);
                        marker = Step.Marker.RETURN;
                    }
                    case PUSH_BP -> {
                        pushWord(bp, savedBp, depth, false);
                        pc++;
                    }
                    case MOV_BP_SP -> {
                        bp = sp;
                        frameBps[depth] = bp;
                        pc++;
                    }
                    case SUB_SP -> {
                        long newSp = (sp - in.value) & addressMask;
                        sp = newSp;
                        for (SlotDef s : compiled.function(in.function).layout().below()) {
                            slots.push((bp + s.offset()) & addressMask, s.size(), s, depth, false);
                        }
                        pc++;
                    }
                    case SPILL -> {
                        storeTyped((bp + compiled.function(in.function).layout().offset(in.variable)) & addressMask,
                                normalize(argRegisters[(int) in.value], in.type), in.type);
                        pc++;
                    }
                    case LEAVE -> {
                        long saved = load(bp, word, false);
                        setSp(bp + word);
                        bp = saved;
                        pc++;
                    }
                    case POP_BP -> {
                        long saved = load(sp, word, false);
                        setSp(sp + word);
                        bp = saved;
                        pc++;
                    }
                    case RET -> {
                        long target = load(sp, word, false);
                        int next = image.instructionAt(target);
                        if (next < 0 || next == 0 || code[next - 1].op != Op.CALL) {
                            memory.fetchByte(target); // faults if there is no executable mapping there
                            throw new SegmentationFault(target, AccessKind.EXECUTE, 1,
                                    FaultReason.UNMAPPED, null, "ret jumped to 0x%x, which is not the instruction after a call: the return address at 0x%x was overwritten"
                                            .formatted(target, sp));
                        }
                        setSp(sp + word);
                        depth = Math.max(0, depth - 1);
                        pc = next;
                        Instr after = code[next];
                        boolean cleanupFollows = after.op == Op.CLEANUP
                                && after.value + (convention == Convention.SYSV ? peekPad() : 0) > 0;
                        marker = cleanupFollows ? Step.Marker.NONE : Step.Marker.RETURN;
                    }
                    case CLEAR_BP -> {
                        bp = 0;
                        pc++;
                    }
                    case ALIGN_SP -> {
                        setSp(sp & -16L);
                        pc++;
                    }
                    case EXIT -> {
                        exitCode = (int) (ax & 0xff);
                        event = "exit(%d)".formatted(ax);
                    }
                }
            } catch (SegmentationFault f) {
                pc = at;
                return new Result(steps, fault(in, f), StackRun.SIGSEGV_STATUS);
            } catch (ArrayIndexOutOfBoundsException | IllegalStateException derailed) {
                pc = at;
                long address = image.address(at);
                SegmentationFault f = new SegmentationFault(address, AccessKind.EXECUTE, 1,
                        FaultReason.UNMAPPED, null, "execution derailed after a corrupted return");
                return new Result(steps, fault(in, f), StackRun.SIGSEGV_STATUS);
            }
            if (!in.op.step()) {
                continue;
            }
            steps++;
            if (at == compiled.function(in.function).prologueEnd() && in.function != 0) {
                marker = Step.Marker.CALL;
            } else if (marker == Step.Marker.NONE && in.op != Op.EXIT && in.op != Op.RET
                    && (code[nextStep(pc)].op == Op.LEAVE || code[nextStep(pc)].op == Op.POP_BP)) {
                marker = Step.Marker.LEAVING;
            }
            if (wants.test(steps)) {
                out.accept(pictures.snapshot(steps, event != null ? event : in.text, in, marker));
            }
            if (in.op == Op.EXIT) {
                return new Result(steps, null, exitCode);
            }
        }
    }

    // ---- the fault --------------------------------------------------------------------------------------

    private Fault fault(Instr in, SegmentationFault f) {
        String kind = f.reason() == FaultReason.STACK_OVERFLOW ? Fault.STACK_OVERFLOW : Fault.SEGMENTATION_FAULT;
        String what = describe(in);
        String where = in.function == 0 ? "in _start" : "in %s at %s:%d".formatted(functionName(in.function), file, in.line);
        String message = "%s %s: %s".formatted(what, where, f.getMessage());
        Step state = pictures.snapshot(steps + 1, what, in, Step.Marker.FAULT);
        return new Fault(kind, f.address(), message, state);
    }

    private String describe(Instr in) {
        return switch (in.op) {
            case LOAD, STORE, INC_DEC -> in.text;
            case PUSH_ARG -> "push of argument " + in.variable.name();
            case CALL -> "call " + in.text;
            case SPILL, STATEMENT, RETURN_VALUE, BRANCH -> in.text;
            default -> in.text != null ? in.text : in.op.name().toLowerCase(Locale.ROOT);
        };
    }

    // ---- registers and the stack ------------------------------------------------------------------------

    private void setAx(long value, Type type) {
        ax = value;
        axIsAddress = type != null && type.kind() == Type.Kind.POINTER;
    }

    private void setSp(long newSp) {
        sp = newSp & addressMask;
        slots.trim(sp);
    }

    /** {@code push}: stores first, then moves the stack pointer, so a push that faults changes nothing. */
    private void pushWord(long value, SlotDef def, int owner, boolean pending) {
        long newSp = (sp - word) & addressMask;
        store(newSp, value, word);
        sp = newSp;
        slots.push(newSp, word, def, owner, pending);
    }

    private void enter() {
        depth++;
        if (depth == frameBps.length) {
            frameBps = Arrays.copyOf(frameBps, depth * 2);
        }
    }

    private void push(long v) {
        if (operandTop == operands.length) {
            operands = Arrays.copyOf(operands, operandTop * 2);
        }
        operands[operandTop++] = v;
    }

    private long pop() {
        if (operandTop == 0) {
            throw new IllegalStateException("operand stack empty");
        }
        return operands[--operandTop];
    }

    private void pushPad(long pad) {
        if (padTop == pads.length) {
            pads = Arrays.copyOf(pads, padTop * 2);
        }
        pads[padTop++] = pad;
    }

    private long popPad() {
        return padTop == 0 ? 0 : pads[--padTop];
    }

    private long peekPad() {
        return padTop == 0 ? 0 : pads[padTop - 1];
    }

    // ---- memory -----------------------------------------------------------------------------------------

    long load(long address, long size, boolean signed) {
        address &= addressMask;
        return switch ((int) size) {
            case 1 -> signed ? memory.getByte(address) : memory.getByte(address) & 0xffL;
            case 2 -> signed ? memory.getShort(address) : memory.getShort(address) & 0xffffL;
            case 4 -> signed ? memory.getInt(address) : memory.getInt(address) & 0xffff_ffffL;
            default -> memory.getLong(address);
        };
    }

    private void store(long address, long value, long size) {
        address &= addressMask;
        switch ((int) size) {
            case 1 -> memory.putByte(address, (byte) value);
            case 2 -> memory.putShort(address, (short) value);
            case 4 -> memory.putInt(address, (int) value);
            default -> memory.putLong(address, value);
        }
    }

    private long loadTyped(long address, Type type) {
        long size = type.size(convention.lp64());
        return normalize(load(address, size, type.kind() != Type.Kind.POINTER), type);
    }

    private void storeTyped(long address, long value, Type type) {
        store(address, value, type.size(convention.lp64()));
    }

    /** {@return {@code value} as an object of {@code type} holds it: truncated, and sign- or zero-extended} */
    long normalize(long value, Type type) {
        return switch (type.kind()) {
            case CHAR -> (byte) value;
            case INT -> (int) value;
            case LONG -> convention.lp64() ? value : (int) value;
            case POINTER -> value & addressMask;
            default -> value;
        };
    }

    private long binary(Instr in, long l, long r) {
        Type t = in.type;
        boolean unsigned = t.kind() == Type.Kind.POINTER;
        return switch (in.text) {
            case "+" -> normalize(l + r, t);
            case "-" -> normalize(l - r, t);
            case "*" -> normalize(l * r, t);
            case "/", "%" -> {
                long width = t.size(convention.lp64());
                long min = width == 8 ? Long.MIN_VALUE : Integer.MIN_VALUE;
                if (r == 0 || (r == -1 && l == min)) {
                    throw new CRuntimeError(file, in.line, in.column, (r == 0 ? "division by zero"
                            : "%d / -1 overflows".formatted(l))
                            + ": a real process dies of SIGFPE (floating point exception) here");
                }
                yield normalize(in.text.equals("/") ? l / r : l % r, t);
            }
            case "<" -> compare(l, r, unsigned) < 0 ? 1 : 0;
            case "<=" -> compare(l, r, unsigned) <= 0 ? 1 : 0;
            case ">" -> compare(l, r, unsigned) > 0 ? 1 : 0;
            case ">=" -> compare(l, r, unsigned) >= 0 ? 1 : 0;
            case "==" -> l == r ? 1 : 0;
            case "!=" -> l != r ? 1 : 0;
            default -> throw new IllegalStateException("operator " + in.text);
        };
    }

    private static int compare(long l, long r, boolean unsigned) {
        return unsigned ? Long.compareUnsigned(l, r) : Long.compare(l, r);
    }

    String functionName(int function) {
        return compiled.function(function).name();
    }

    static String show(long value, Type type) {
        return type.kind() == Type.Kind.POINTER ? "0x%x".formatted(value) : Long.toString(value);
    }

    /** {@return where control goes from {@code index}, past jumps, which have no lines of their own} */
    int nextStep(int index) {
        int p = index;
        for (int hops = 0; code[p].op == Op.JUMP && hops < code.length; hops++) {
            p = code[p].target;
        }
        return p;
    }

    Long read(long address, Type t) {
        try {
            return loadTyped(address, t);
        } catch (SegmentationFault f) {
            return null;
        }
    }

    Long readRaw(long address, long size) {
        try {
            long v = 0;
            for (int b = (int) size - 1; b >= 0; b--) {
                v = v << 8 | (memory.getByte((address + b) & addressMask) & 0xffL);
            }
            return v;
        } catch (SegmentationFault f) {
            return null;
        }
    }
}
