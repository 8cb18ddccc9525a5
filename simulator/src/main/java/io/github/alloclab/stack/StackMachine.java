package io.github.alloclab.stack;

import io.github.alloclab.memory.FaultReason;
import io.github.alloclab.memory.SegmentationFault;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.stack.CAst.Type;
import io.github.alloclab.stack.FrameLayout.SlotDef;
import io.github.alloclab.stack.FrameLayout.SlotKind;
import io.github.alloclab.stack.Instr.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 *   <li>The debug view, kept beside the memory as a debugger's symbol table would be: for each live slot its
 *       address, size, label and frame. It is trimmed to the slots at or above {@code sp} whenever {@code sp}
 *       rises. Values are never kept there: a picture loads them from the stack.</li>
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
    /** How many rows an array may take in a picture before the rest are summed up in one. */
    private static final int ARRAY_ROWS = 64;

    /**
     * How a run ended.
     *
     * @param totalSteps how many steps ran
     * @param fault      the fault, or {@code null}
     * @param exitCode   the exit status
     */
    record Result(long totalSteps, Fault fault, int exitCode) {
    }

    private final Compiler.Code compiled;
    private final Instr[] code;
    private final Convention convention;
    private final ProgramImage image;
    private final SimulatedMemorySource memory;
    private final String file;
    private final int word;
    private final long addressMask;
    private final int shownFrames;
    private final long maxSteps;
    private final SlotDef savedBp;
    private final Map<Instr, SlotDef> argumentSlots = new java.util.IdentityHashMap<>();

    private long sp;
    private long bp;
    private long ax;
    private boolean axIsAddress;
    private int pc;
    private final long[] argRegisters = new long[6];
    private long[] operands = new long[64];
    private int operandTop;
    private long[] pads = new long[16];
    private int padTop;
    /** Frames: 0 is {@code _start}, 1 is {@code main}. */
    private int depth;
    /** The frame pointer each frame set up, by depth, so that a deep backtrace can jump to main. */
    private long[] frameBps = new long[64];

    private long[] slotAddress = new long[256];
    private long[] slotSize = new long[256];
    private int[] slotDepth = new int[256];
    /** Whether a slot is an argument (or alignment) pushed for a call not made yet; it belongs to the caller. */
    private boolean[] slotPending = new boolean[256];
    private SlotDef[] slotDef = new SlotDef[256];
    private int slots;

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
                        debugPush(sp, pad, ALIGNMENT, depth, true);
                        event = "sub %s, 8".formatted(convention.sp());
                    }
                    case CALL -> {
                        long returnAddress = image.address(pc + 1);
                        pushWord(returnAddress, RETURN_ADDRESS, depth + 1, false);
                        // The arguments pushed for this call now belong to the callee's frame.
                        int own = compiled.function(in.target).layout().stackParams()
                                + (convention == Convention.SYSV && peekPad() > 0 ? 1 : 0);
                        for (int i = slots - 2; i >= 0 && own > 0 && slotPending[i]; i--, own--) {
                            slotPending[i] = false;
                            slotDepth[i] = depth + 1;
                        }
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
                            debugPush((bp + s.offset()) & addressMask, s.size(), s, depth);
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
                            throw new SegmentationFault(target, io.github.alloclab.memory.AccessKind.EXECUTE, 1,
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
                SegmentationFault f = new SegmentationFault(address, io.github.alloclab.memory.AccessKind.EXECUTE, 1,
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
                out.accept(snapshot(steps, event != null ? event : in.text, in, marker));
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
        Step state = snapshot(steps + 1, what, in, Step.Marker.FAULT);
        return new Fault(kind, f.address(), message, state);
    }

    private String describe(Instr in) {
        return switch (in.op) {
            case LOAD, STORE, INC_DEC -> in.text;
            case PUSH_ARG -> "push of argument " + in.variable.name();
            case CALL -> "call " + in.text;
            case SPILL, STATEMENT, RETURN_VALUE, BRANCH -> in.text;
            default -> in.text != null ? in.text : in.op.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    // ---- registers and the stack ------------------------------------------------------------------------

    private void setAx(long value, Type type) {
        ax = value;
        axIsAddress = type != null && type.kind() == Type.Kind.POINTER;
    }

    private void setSp(long newSp) {
        sp = newSp & addressMask;
        while (slots > 0 && Long.compareUnsigned(slotAddress[slots - 1], sp) < 0) {
            slots--;
            slotDef[slots] = null;
        }
    }

    /** {@code push}: stores first, then moves the stack pointer, so a push that faults changes nothing. */
    private void pushWord(long value, SlotDef def, int owner, boolean pending) {
        long newSp = (sp - word) & addressMask;
        store(newSp, value, word);
        sp = newSp;
        debugPush(newSp, word, def, owner, pending);
    }

    private void debugPush(long address, long size, SlotDef def, int owner) {
        debugPush(address, size, def, owner, false);
    }

    private void debugPush(long address, long size, SlotDef def, int owner, boolean pending) {
        if (slots == slotAddress.length) {
            int n = slots * 2;
            slotAddress = Arrays.copyOf(slotAddress, n);
            slotSize = Arrays.copyOf(slotSize, n);
            slotDepth = Arrays.copyOf(slotDepth, n);
            slotPending = Arrays.copyOf(slotPending, n);
            slotDef = Arrays.copyOf(slotDef, n);
        }
        slotAddress[slots] = address;
        slotSize[slots] = size;
        slotDepth[slots] = owner;
        slotPending[slots] = pending;
        slotDef[slots] = def;
        slots++;
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

    private long load(long address, long size, boolean signed) {
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
    private long normalize(long value, Type type) {
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

    private String functionName(int function) {
        return compiled.function(function).name();
    }

    private static String show(long value, Type type) {
        return type.kind() == Type.Kind.POINTER ? "0x%x".formatted(value) : Long.toString(value);
    }

    // ---- pictures ---------------------------------------------------------------------------------------

    private Step snapshot(long number, String event, Instr in, Step.Marker marker) {
        Map<String, Long> registers = new LinkedHashMap<>();
        registers.put(convention.bp(), bp);
        registers.put(convention.sp(), sp);
        registers.put(convention.ip(), (long) code[nextStep(pc)].line);
        registers.put(convention.ax(), ax);
        List<BacktraceFrame> bt = List.of();
        List<Long> words = List.of();
        String examineError = null;
        if (marker != Step.Marker.NONE) {
            bt = backtrace();
            List<Long> read = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long address = (sp + (long) i * word) & addressMask;
                try {
                    read.add(load(address, word, false));
                } catch (SegmentationFault f) {
                    examineError = "Cannot access memory at address 0x%x".formatted(address);
                    break;
                }
            }
            words = List.copyOf(read);
        }
        return new Step(number, event, functionName(in.function), in.line, registers, axIsAddress, stack(), marker,
                note(in, marker, bt), bt, words, examineError);
    }

    /** A sentence on what a marker step completed. */
    private String note(Instr in, Step.Marker marker, List<BacktraceFrame> bt) {
        return switch (marker) {
            case CALL -> {
                BacktraceFrame callee = bt.getFirst();
                String caller = bt.size() > 1 && bt.get(1).function() != null ? bt.get(1).function() : "_start";
                yield "%s(%s) is entered from %s: its frame is complete".formatted(callee.function(),
                        callee.arguments(), caller);
            }
            case RETURN -> {
                String callee = in.op == Op.RET ? functionName(in.function) : code[indexOf(in) - 1].text;
                String caller = functionName(code[pc].function);
                boolean isVoid = compiled.program().function(callee).function().returnType().kind() == Type.Kind.VOID;
                yield "%s returned to %s%s".formatted(callee, caller,
                        isVoid ? "" : ", with %s in %s".formatted(axIsAddress ? "0x%x".formatted(ax) : Long.toString(ax),
                                convention.ax()));
            }
            case LEAVING -> {
                String name = functionName(in.function);
                boolean isVoid = compiled.function(in.function).info().function().returnType().kind() == Type.Kind.VOID;
                yield isVoid ? "%s is about to return: its frame before %s and ret".formatted(name, epilogue())
                        : "%s is about to return %s in %s: its frame before %s and ret".formatted(name,
                        axIsAddress ? "0x%x".formatted(ax) : Long.toString(ax), convention.ax(), epilogue());
            }
            case FAULT -> "the fault: the stack as it was when the instruction began";
            case NONE -> null;
        };
    }

    /** {@return the epilogue's first instruction after the current step: {@code leave} or {@code pop ebp}} */
    private String epilogue() {
        Instr next = code[nextStep(pc)];
        return next.op == Op.LEAVE ? "leave" : "pop " + convention.bp();
    }

    /** {@return where control goes from {@code index}, past jumps, which have no lines of their own} */
    private int nextStep(int index) {
        int p = index;
        for (int hops = 0; code[p].op == Op.JUMP && hops < code.length; hops++) {
            p = code[p].target;
        }
        return p;
    }

    private int indexOf(Instr in) {
        for (int i = 0; i < code.length; i++) {
            if (code[i] == in) {
                return i;
            }
        }
        throw new IllegalStateException("not in the code: " + in);
    }

    /** The live slots from the highest address down, with the middle frames of a deep stack summed up. */
    List<Slot> stack() {
        List<Slot> rows = new ArrayList<>();
        int keepTop = depth - (shownFrames - 2);
        boolean elide = depth + 1 > shownFrames && keepTop > 2;
        int i = 0;
        if (elide) {
            while (i < slots && slotDepth[i] <= 1) {
                rows(i, rows);
                i++;
            }
            int first = i;
            int firstDepth = slotDepth[Math.min(i, slots - 1)];
            // Depths never decrease along the slots, so the first kept one is found by bisection: a deep
            // stack has millions of slots, and a picture is drawn at every step kept.
            int lo = i;
            int hi = slots;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (slotDepth[mid] < keepTop) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            i = lo;
            if (i > first) {
                long high = slotAddress[first] + slotSize[first];
                long low = slotAddress[i - 1];
                int frames = keepTop - firstDepth;
                rows.add(new Slot(low, high - low, "(%,d frame%s not shown)".formatted(frames, frames == 1 ? "" : "s"),
                        null, false, Slot.SUMMARY, null));
            }
        }
        for (; i < slots; i++) {
            rows(i, rows);
        }
        return List.copyOf(rows);
    }

    private void rows(int i, List<Slot> rows) {
        SlotDef def = slotDef[i];
        long address = slotAddress[i];
        long size = slotSize[i];
        int frame = slotPending[i] && slotDepth[i] == depth ? Slot.NEXT_FRAME : depth - slotDepth[i];
        String pendingCall = slotPending[i] && def.variable() != null ? def.callee() : null;
        switch (def.kind()) {
            case VARIABLE -> {
                Type t = def.variable().type();
                rows.add(new Slot(address, size, def.label(), read(address, t), t.kind() == Type.Kind.POINTER, frame,
                        pendingCall));
            }
            case ARRAY -> {
                Type element = def.variable().type().target();
                long elementSize = element.size(convention.lp64());
                long perRow = elementSize >= 4 ? elementSize : word;
                long count = element.size(convention.lp64()) == 0 ? 0 : size / elementSize;
                long rowCount = (size + perRow - 1) / perRow;
                long shown = Math.min(rowCount, ARRAY_ROWS);
                // Rows from the highest address down: the last elements first.
                if (rowCount > shown) {
                    long from = shown * perRow / elementSize;
                    long rowAddress = address + shown * perRow;
                    rows.add(new Slot(rowAddress, size - shown * perRow, "%s[%d..%d]".formatted(def.label(), from, count - 1),
                            null, true, frame, null));
                }
                for (long r = shown - 1; r >= 0; r--) {
                    long rowAddress = address + r * perRow;
                    long rowBytes = Math.min(perRow, size - r * perRow);
                    if (elementSize >= 4) {
                        rows.add(new Slot(rowAddress, rowBytes, "%s[%d]".formatted(def.label(), r), read(rowAddress, element),
                                element.kind() == Type.Kind.POINTER, frame, null));
                    } else {
                        long firstIndex = r * perRow / elementSize;
                        long lastIndex = firstIndex + rowBytes / elementSize - 1;
                        rows.add(new Slot(rowAddress, rowBytes, "%s[%d..%d]".formatted(def.label(), firstIndex, lastIndex),
                                readRaw(rowAddress, rowBytes), true, frame, null));
                    }
                }
            }
            case PADDING -> {
                // Word-aligned rows, high to low, so that the picture lines up with x/8wx.
                long end = address + size;
                while (end > address) {
                    long start = Math.max(address, (end - 1) & -word);
                    rows.add(new Slot(start, end - start, def.label(), readRaw(start, end - start), true, frame, null));
                    end = start;
                }
            }
            default -> rows.add(new Slot(address, size, def.label(), readRaw(address, size), true, frame, null));
        }
    }

    private Long read(long address, Type t) {
        try {
            return loadTyped(address, t);
        } catch (SegmentationFault f) {
            return null;
        }
    }

    private Long readRaw(long address, long size) {
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

    /**
     * The frames, innermost first, found as gdb finds them at {@code -O0}: by the chain of saved frame
     * pointers in the stack, each with the return address one word above it. Where the current instruction
     * sits in a prologue or at {@code ret}, the return address is at the stack pointer instead. A deep stack
     * shows its innermost frames, then a line for those left out, then {@code main}.
     */
    List<BacktraceFrame> backtrace() {
        List<BacktraceFrame> frames = new ArrayList<>();
        int at = nextStep(pc);
        Instr here = code[at];
        int function = here.function;
        if (function == 0) {
            frames.add(new BacktraceFrame(0, image.address(at), "_start", "", 0, null));
            return frames;
        }
        boolean prologue = here.op == Op.PUSH_BP || here.op == Op.MOV_BP_SP || here.op == Op.SUB_SP
                || here.op == Op.SPILL;
        long returnAddress;
        long framePointer;
        long argBase;
        try {
            switch (here.phase) {
                case RETURN_AT_SP -> {
                    returnAddress = load(sp, word, false);
                    framePointer = bp;
                    argBase = sp + word;
                }
                case RETURN_ABOVE_SP -> {
                    returnAddress = load(sp + word, word, false);
                    framePointer = bp;
                    argBase = sp + 2L * word;
                }
                default -> {
                    returnAddress = load(bp + word, word, false);
                    framePointer = load(bp, word, false);
                    argBase = bp + 2L * word;
                }
            }
        } catch (SegmentationFault f) {
            frames.add(new BacktraceFrame(0, image.address(at), functionName(function), "", here.line, null));
            frames.add(BacktraceFrame.note("Backtrace stopped: Cannot access memory at address 0x%x".formatted(f.address())));
            return frames;
        }
        String args = here.op == Op.RET ? "" : arguments(function, argBase, bp, prologue);
        frames.add(new BacktraceFrame(0, image.address(at), functionName(function), args, here.line, null));
        int number = 1;
        while (true) {
            int site = image.instructionAt(returnAddress);
            if (site <= 0 || code[site - 1].op != Op.CALL) {
                frames.add(new BacktraceFrame(number, returnAddress, null, "", 0, null));
                return frames;
            }
            int caller = code[site].function;
            if (caller == 0) {
                return frames; // gdb stops at main: the C library's startup frames are not the program's
            }
            if (number == shownFrames - 1 && depth - number > 1 && depth >= 2) {
                // Leave out the middle: jump to main by the frame pointers noted as the frames were made.
                int mainNumber = depth - 1;
                int hidden = mainNumber - number;
                frames.add(BacktraceFrame.note("(%,d frame%s not shown)".formatted(hidden, hidden == 1 ? "" : "s")));
                try {
                    returnAddress = load(frameBps[2] + word, word, false);
                } catch (SegmentationFault f) {
                    return frames;
                }
                site = image.instructionAt(returnAddress);
                if (site > 0 && code[site - 1].op == Op.CALL) {
                    frames.add(new BacktraceFrame(mainNumber, returnAddress, functionName(code[site].function),
                            arguments(code[site].function, frameBps[1] + 2L * word, frameBps[1], false),
                            code[site - 1].line, null));
                }
                return frames;
            }
            frames.add(new BacktraceFrame(number, returnAddress, functionName(caller),
                    arguments(caller, framePointer + 2L * word, framePointer, false), code[site - 1].line, null));
            try {
                returnAddress = load(framePointer + word, word, false);
                framePointer = load(framePointer, word, false);
            } catch (SegmentationFault f) {
                frames.add(BacktraceFrame.note("Backtrace stopped: Cannot access memory at address 0x%x".formatted(f.address())));
                return frames;
            }
            number++;
        }
    }

    /**
     * A frame's arguments as gdb prints them: stack arguments from {@code argBase} up, register arguments
     * from their spill slots below {@code frameBp}, or from the registers while the prologue runs.
     */
    private String arguments(int function, long argBase, long frameBp, boolean fromRegisters) {
        Compiler.CompiledFunction f = compiled.function(function);
        List<String> parts = new ArrayList<>();
        int registers = convention.argumentRegisters().size();
        for (Variable p : f.info().params()) {
            Long value;
            if (p.index() >= registers) {
                value = read((argBase + (long) word * (p.index() - registers)) & addressMask, p.type());
            } else if (fromRegisters) {
                value = normalize(argRegisters[p.index()], p.type());
            } else {
                value = read((frameBp + f.layout().offset(p)) & addressMask, p.type());
            }
            parts.add(p.name() + "=" + (value == null ? "<unreadable>" : show(value, p.type())));
        }
        return String.join(", ", parts);
    }
}
