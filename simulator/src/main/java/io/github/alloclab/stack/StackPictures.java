package io.github.alloclab.stack;

import io.github.alloclab.memory.SegmentationFault;
import io.github.alloclab.stack.CAst.Type;
import io.github.alloclab.stack.Instr.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pictures of a {@link StackMachine}'s state that a {@link Step} carries: the registers, the live slots, and
 * at a call, a return or a fault, gdb's {@code bt} and an {@code x/8wx $esp} dump. Everything here reads the
 * machine and its memory; nothing changes them.
 */
final class StackPictures {

    private final StackMachine m;

    StackPictures(StackMachine machine) {
        this.m = machine;
    }


    Step snapshot(long number, String event, Instr in, Step.Marker marker) {
        Map<String, Long> registers = new LinkedHashMap<>();
        registers.put(m.convention.bp(), m.bp);
        registers.put(m.convention.sp(), m.sp);
        registers.put(m.convention.ip(), (long) m.code[m.nextStep(m.pc)].line);
        registers.put(m.convention.ax(), m.ax);
        List<BacktraceFrame> bt = List.of();
        List<Long> words = List.of();
        String examineError = null;
        if (marker != Step.Marker.NONE) {
            bt = backtrace();
            List<Long> read = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long address = (m.sp + (long) i * m.word) & m.addressMask;
                try {
                    read.add(m.load(address, m.word, false));
                } catch (SegmentationFault f) {
                    examineError = "Cannot access memory at address 0x%x".formatted(address);
                    break;
                }
            }
            words = List.copyOf(read);
        }
        return new Step(number, event, m.functionName(in.function), in.line, registers, m.axIsAddress, stack(), marker,
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
                String callee = in.op == Op.RET ? m.functionName(in.function) : m.code[indexOf(in) - 1].text;
                String caller = m.functionName(m.code[m.pc].function);
                boolean isVoid = m.compiled.program().function(callee).function().returnType().kind() == Type.Kind.VOID;
                yield "%s returned to %s%s".formatted(callee, caller,
                        isVoid ? "" : ", with %s in %s".formatted(m.axIsAddress ? "0x%x".formatted(m.ax) : Long.toString(m.ax),
                                m.convention.ax()));
            }
            case LEAVING -> {
                String name = m.functionName(in.function);
                boolean isVoid = m.compiled.function(in.function).info().function().returnType().kind() == Type.Kind.VOID;
                yield isVoid ? "%s is about to return: its frame before %s and ret".formatted(name, epilogue())
                        : "%s is about to return %s in %s: its frame before %s and ret".formatted(name,
                        m.axIsAddress ? "0x%x".formatted(m.ax) : Long.toString(m.ax), m.convention.ax(), epilogue());
            }
            case FAULT -> "the fault: the stack as it was when the instruction began";
            case NONE -> null;
        };
    }

    /** {@return the epilogue's first instruction after the current step: {@code leave} or {@code pop ebp}} */
    private String epilogue() {
        Instr next = m.code[m.nextStep(m.pc)];
        return next.op == Op.LEAVE ? "leave" : "pop " + m.convention.bp();
    }


    private int indexOf(Instr in) {
        for (int i = 0; i < m.code.length; i++) {
            if (m.code[i] == in) {
                return i;
            }
        }
        throw new IllegalStateException("not in the code: " + in);
    }

    /** The live m.slots from the highest address down, with the middle frames of a deep stack summed up. */
    List<Slot> stack() {
        return m.slots.rows(m.depth, m.shownFrames, m::read, m::readRaw);
    }



    /**
     * The frames, innermost first, found as gdb finds them at {@code -O0}: by the chain of saved frame
     * pointers in the stack, each with the return address one word above it. Where the current instruction
     * sits in a prologue or at {@code ret}, the return address is at the stack pointer instead. A deep stack
     * shows its innermost frames, then a line for those left out, then {@code main}.
     */
    List<BacktraceFrame> backtrace() {
        List<BacktraceFrame> frames = new ArrayList<>();
        int at = m.nextStep(m.pc);
        Instr here = m.code[at];
        int function = here.function;
        if (function == 0) {
            frames.add(new BacktraceFrame(0, m.image.address(at), "_start", "", 0, null));
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
                    returnAddress = m.load(m.sp, m.word, false);
                    framePointer = m.bp;
                    argBase = m.sp + m.word;
                }
                case RETURN_ABOVE_SP -> {
                    returnAddress = m.load(m.sp + m.word, m.word, false);
                    framePointer = m.bp;
                    argBase = m.sp + 2L * m.word;
                }
                default -> {
                    returnAddress = m.load(m.bp + m.word, m.word, false);
                    framePointer = m.load(m.bp, m.word, false);
                    argBase = m.bp + 2L * m.word;
                }
            }
        } catch (SegmentationFault f) {
            frames.add(new BacktraceFrame(0, m.image.address(at), m.functionName(function), "", here.line, null));
            frames.add(BacktraceFrame.note("Backtrace stopped: Cannot access memory at address 0x%x".formatted(f.address())));
            return frames;
        }
        String args = here.op == Op.RET ? "" : arguments(function, argBase, m.bp, prologue);
        frames.add(new BacktraceFrame(0, m.image.address(at), m.functionName(function), args, here.line, null));
        int number = 1;
        while (true) {
            int site = m.image.instructionAt(returnAddress);
            if (site <= 0 || m.code[site - 1].op != Op.CALL) {
                frames.add(new BacktraceFrame(number, returnAddress, null, "", 0, null));
                return frames;
            }
            int caller = m.code[site].function;
            if (caller == 0) {
                return frames; // gdb stops at main: the C library's startup frames are not the program's
            }
            if (number == m.shownFrames - 1 && m.depth - number > 1 && m.depth >= 2) {
                // Leave out the middle: jump to main by the frame pointers noted as the frames were made.
                int mainNumber = m.depth - 1;
                int hidden = mainNumber - number;
                frames.add(BacktraceFrame.note("(%,d frame%s not shown)".formatted(hidden, hidden == 1 ? "" : "s")));
                try {
                    returnAddress = m.load(m.frameBps[2] + m.word, m.word, false);
                } catch (SegmentationFault f) {
                    return frames;
                }
                site = m.image.instructionAt(returnAddress);
                if (site > 0 && m.code[site - 1].op == Op.CALL) {
                    frames.add(new BacktraceFrame(mainNumber, returnAddress, m.functionName(m.code[site].function),
                            arguments(m.code[site].function, m.frameBps[1] + 2L * m.word, m.frameBps[1], false),
                            m.code[site - 1].line, null));
                }
                return frames;
            }
            frames.add(new BacktraceFrame(number, returnAddress, m.functionName(caller),
                    arguments(caller, framePointer + 2L * m.word, framePointer, false), m.code[site - 1].line, null));
            try {
                returnAddress = m.load(framePointer + m.word, m.word, false);
                framePointer = m.load(framePointer, m.word, false);
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
        Compiler.CompiledFunction f = m.compiled.function(function);
        List<String> parts = new ArrayList<>();
        int registers = m.convention.argumentRegisters().size();
        for (Variable p : f.info().params()) {
            Long value;
            if (p.index() >= registers) {
                value = m.read((argBase + (long) m.word * (p.index() - registers)) & m.addressMask, p.type());
            } else if (fromRegisters) {
                value = m.normalize(m.argRegisters[p.index()], p.type());
            } else {
                value = m.read((frameBp + f.layout().offset(p)) & m.addressMask, p.type());
            }
            parts.add(p.name() + "=" + (value == null ? "<unreadable>" : m.show(value, p.type())));
        }
        return String.join(", ", parts);
    }
}
