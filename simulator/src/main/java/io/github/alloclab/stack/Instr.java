package io.github.alloclab.stack;

import io.github.alloclab.stack.CAst.Type;

/**
 * One instruction of the code the {@link Compiler} makes and the {@link StackMachine} runs. Each has an
 * address in the simulated text segment, so that {@code call} pushes a real return address.
 *
 * <p>Two kinds of instructions. Those that evaluate expressions work on an operand stack that stands for the
 * CPU's scratch registers and are not steps. Those a student should see (a push, a call, the prologue, a
 * statement done) are <b>steps</b>: each shows as a line of output, with the registers after it.
 */
final class Instr {

    /** What an instruction does. */
    enum Op {
        // ---- expressions: not steps -------------------------------------------------------------------
        /** Push {@code value}. */
        CONST(false),
        /** Push the frame pointer plus {@code value}: the address of a parameter or local. */
        LOCAL_ADDR(false),
        /** Push the address of the global {@code variable}. */
        GLOBAL_ADDR(false),
        /** Pop an address, push the {@code type} loaded from it. */
        LOAD(false),
        /** Pop a value and an address, store the value as {@code type}, push the value as stored. */
        STORE(false),
        /** Push the top again. */
        DUP(false),
        /** Drop the top. */
        POP(false),
        /** Pop an address, add {@code value} to the {@code type} there; push the new value if prefix, else the old. */
        INC_DEC(false),
        /** Replace the top by {@code -x}, {@code ~x} or {@code !x} ({@code text}), as {@code type}. */
        UNARY(false),
        /** Pop the right and left operands, push {@code left text right} as {@code type}; compares pointers unsigned. */
        BINARY(false),
        /** Replace the top by 0 or 1. */
        BOOL(false),
        /** Jump to {@code target}. */
        JUMP(false),
        /** Pop; jump to {@code target} if it is 0. */
        JUMP_FALSE(false),
        /** Pop; jump to {@code target} if it is not 0. */
        JUMP_TRUE(false),
        /** After a call: push the return register, as {@code type}. */
        RESULT(false),

        // ---- steps --------------------------------------------------------------------------------------
        /** A statement is done: pop its value into the return register if {@code value} is 1. */
        STATEMENT(true),
        /** Pop a condition: jump to {@code target} if it is 0. The step shows the outcome. */
        BRANCH(true),
        /** {@code return e}: pop the value into the return register. */
        RETURN_VALUE(true),
        /** Pop a value and push it on the simulated stack as argument {@code variable}. */
        PUSH_ARG(true),
        /** Pop a value into argument register {@code value} (System V). */
        ARG_REGISTER(true),
        /** Make the stack 16-aligned for {@code value} pushed arguments, if it is not (System V). */
        ALIGN_CALL(true),
        /** Push the return address and jump to the function {@code text}. */
        CALL(true),
        /** The caller pops {@code value} bytes of arguments, plus any alignment. */
        CLEANUP(true),
        /** {@code push ebp}. */
        PUSH_BP(true),
        /** {@code mov ebp, esp}. */
        MOV_BP_SP(true),
        /** {@code sub esp, value}: make room for the locals. */
        SUB_SP(true),
        /** Store argument register {@code value} into the slot of parameter {@code variable} (System V). */
        SPILL(true),
        /** {@code leave}: {@code mov esp, ebp; pop ebp}. */
        LEAVE(true),
        /** {@code pop ebp}, when there were no locals to drop. */
        POP_BP(true),
        /** {@code ret}: pop the return address and jump there. */
        RET(true),
        /** {@code _start}: {@code xor ebp, ebp}, the outermost frame's marker. */
        CLEAR_BP(true),
        /** {@code _start}: {@code and esp, -16}. */
        ALIGN_SP(true),
        /** {@code _start}: {@code exit(eax)}; the process ends. */
        EXIT(true);

        private final boolean step;

        Op(boolean step) {
            this.step = step;
        }

        boolean step() {
            return step;
        }
    }

    final Op op;
    final int function;
    final int line;
    final int column;
    long value;
    int target;
    Type type;
    String text;
    Variable variable;
    /** For a prologue instruction: where the return address is while it runs. */
    Phase phase = Phase.FRAME;

    /** Where the current function's return address and the caller's frame pointer are, for a backtrace. */
    enum Phase {
        /** Before {@code push ebp}, and at {@code ret}: the return address is at the stack pointer. */
        RETURN_AT_SP,
        /** Between {@code push ebp} and {@code mov ebp, esp}: one word above the stack pointer. */
        RETURN_ABOVE_SP,
        /** The frame is set up: the return address is at {@code ebp + word}, the caller's at {@code [ebp]}. */
        FRAME,
        /** In the prologue after {@code mov ebp, esp}, with register arguments not all spilled yet. */
        SPILLING
    }

    Instr(Op op, int function, int line, int column) {
        this.op = op;
        this.function = function;
        this.line = line;
        this.column = column;
    }

    @Override
    public String toString() {
        return op + (text == null ? "" : " " + text) + (value != 0 ? " " + value : "") + " @" + line;
    }
}
