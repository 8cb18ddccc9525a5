package io.github.alloclab.stack;

import io.github.alloclab.stack.CAst.Assign;
import io.github.alloclab.stack.CAst.Binary;
import io.github.alloclab.stack.CAst.Block;
import io.github.alloclab.stack.CAst.Call;
import io.github.alloclab.stack.CAst.Decl;
import io.github.alloclab.stack.CAst.Decls;
import io.github.alloclab.stack.CAst.Expr;
import io.github.alloclab.stack.CAst.ExprStmt;
import io.github.alloclab.stack.CAst.If;
import io.github.alloclab.stack.CAst.IncDec;
import io.github.alloclab.stack.CAst.Index;
import io.github.alloclab.stack.CAst.Num;
import io.github.alloclab.stack.CAst.Return;
import io.github.alloclab.stack.CAst.Stmt;
import io.github.alloclab.stack.CAst.Type;
import io.github.alloclab.stack.CAst.Unary;
import io.github.alloclab.stack.CAst.Var;
import io.github.alloclab.stack.CAst.While;
import io.github.alloclab.stack.Instr.Op;
import io.github.alloclab.stack.Instr.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Turns a checked program into {@link Instr instructions} for one calling convention, as {@code gcc -O0}
 * would lay out its code: a prologue per function, the calling sequence at each call, an epilogue.
 *
 * <h2>The code of a call {@code f(x, y)}</h2>
 * <pre>
 *  i386 cdecl                          System V AMD64
 *    &lt;y&gt;  push y                        &lt;x&gt; &lt;y&gt;       (into scratch registers, left to right)
 *    &lt;x&gt;  push x                        sub rsp, 8     (only if rsp would not be 16-aligned at the call)
 *    call f                              push ...       (arguments 7 and up, right to left)
 *    add esp, 8                          mov esi, y; mov edi, x
 *                                        call f
 *                                        add rsp, n     (only if anything was pushed)
 *
 *  f:  push ebp                        f:  push rbp
 *      mov ebp, esp                        mov rbp, rsp
 *      sub esp, N                          sub rsp, N
 *      ...                                 mov DWORD PTR [rbp-8], edi ; the spills
 *      leave                               ...
 *      ret                                 leave
 *                                          ret
 * </pre>
 * Arguments are evaluated right to left under cdecl, each pushed as soon as it is known (so a nested call
 * runs with the outer call's later arguments already on the stack), and left to right under System V, all
 * before the first push. C leaves the order unspecified.
 *
 * <p>Function 0 is {@code _start}, which clears the frame pointer, aligns the stack, calls {@code main} and
 * exits with its result, as crt1.o and {@code __libc_start_main} do between them.
 */
final class Compiler {

    /**
     * A function's code.
     *
     * @param name        its name
     * @param info        its parameters and locals; {@code null} for {@code _start}
     * @param layout      its frame; {@code null} for {@code _start}
     * @param entry       the index of its first instruction
     * @param prologueEnd the index of the last instruction of its prologue
     */
    record CompiledFunction(String name, CheckedProgram.FunctionInfo info, FrameLayout layout, int entry,
                            int prologueEnd) {
    }

    /**
     * A compiled program.
     *
     * @param program   what it was compiled from
     * @param code      the instructions, {@code _start} first
     * @param functions the functions, {@code _start} first, in the order of the source after it
     */
    record Code(CheckedProgram program, Convention convention, List<Instr> code, List<CompiledFunction> functions) {
        CompiledFunction function(int index) {
            return functions.get(index);
        }
    }

    private static final Set<String> COMPARISONS = Set.of("<", "<=", ">", ">=", "==", "!=");

    private final CheckedProgram program;
    private final Convention convention;
    private final List<Instr> code = new ArrayList<>();
    private final Map<String, Integer> functionIndex = new HashMap<>();
    private final List<CompiledFunction> functions = new ArrayList<>();
    private int function;
    private FrameLayout layout;
    private CheckedProgram.FunctionInfo info;
    private final List<Integer> returns = new ArrayList<>();
    private int line;
    private int column;

    private Compiler(CheckedProgram program, Convention convention) {
        this.program = program;
        this.convention = convention;
    }

    static Code compile(CheckedProgram program, Convention convention) {
        return new Compiler(program, convention).compile();
    }

    private Code compile() {
        functionIndex.put("_start", 0);
        int n = 1;
        for (String name : program.functions().keySet()) {
            functionIndex.put(name, n++);
        }
        start();
        for (CheckedProgram.FunctionInfo f : program.functions().values()) {
            function(f);
        }
        return new Code(program, convention, List.copyOf(code), List.copyOf(functions));
    }

    // ---- functions ------------------------------------------------------------------------------------

    private void start() {
        function = 0;
        line = 0;
        column = 0;
        emit(Op.CLEAR_BP).text = "xor %s, %s".formatted(convention.bp(), convention.bp());
        emit(Op.ALIGN_SP).text = "and %s, -16".formatted(convention.sp());
        CheckedProgram.FunctionInfo main = program.function("main");
        List<IntConsumer> args = new ArrayList<>();
        for (Variable p : main.params()) {
            // argc and argv: the machine fills in their values from the initial stack.
            args.add(i -> emit(Op.CONST).text = p.index() == 0 ? "argc" : "argv");
        }
        call(main, args);
        emit(Op.POP);
        emit(Op.EXIT).text = "exit";
        functions.add(new CompiledFunction("_start", null, null, 0, 1));
    }

    private void function(CheckedProgram.FunctionInfo f) {
        info = f;
        function = functionIndex.get(f.function().name());
        layout = FrameLayout.of(f, convention);
        returns.clear();
        line = f.function().line();
        column = 1;
        int entry = code.size();
        boolean spills = layout.stackParams() < f.params().size();
        Instr push = emit(Op.PUSH_BP);
        push.text = "push " + convention.bp();
        push.phase = Phase.RETURN_AT_SP;
        Instr mov = emit(Op.MOV_BP_SP);
        mov.text = "mov %s, %s".formatted(convention.bp(), convention.sp());
        mov.phase = Phase.RETURN_ABOVE_SP;
        if (layout.frameBytes() > 0) {
            Instr sub = emit(Op.SUB_SP);
            sub.value = layout.frameBytes();
            sub.text = "sub %s, %d".formatted(convention.sp(), layout.frameBytes());
            sub.phase = spills ? Phase.SPILLING : Phase.FRAME;
        }
        for (Variable p : f.params()) {
            if (p.index() < convention.argumentRegisters().size()) {
                Instr spill = emit(Op.SPILL);
                spill.value = p.index();
                spill.variable = p;
                spill.type = p.type();
                spill.phase = Phase.SPILLING;
                String register = convention.argumentRegisters().get(p.index());
                long size = p.type().size(true);
                spill.text = "mov %s PTR [%s%d], %s".formatted(sizeName(size), convention.bp(), layout.offset(p),
                        size == 8 ? register : size == 4 ? Convention.low32(register) : lowByte(register));
            }
        }
        int prologueEnd = code.size() - 1;
        for (Stmt s : f.function().body().statements()) {
            statement(s);
        }
        line = f.function().endLine();
        column = 1;
        if (f.function().name().equals("main")) {
            // C99 5.1.2.2.3: reaching the } that ends main returns 0.
            emit(Op.CONST);
            Instr ret = emit(Op.RETURN_VALUE);
            ret.value = 1;
            ret.type = Type.INT;
            ret.text = "} (main returns 0)";
        }
        int epilogue = code.size();
        for (int r : returns) {
            code.get(r).target = epilogue;
        }
        if (layout.frameBytes() > 0) {
            emit(Op.LEAVE).text = "leave";
        } else {
            emit(Op.POP_BP).text = "pop " + convention.bp();
        }
        Instr ret = emit(Op.RET);
        ret.text = "ret";
        ret.phase = Phase.RETURN_AT_SP;
        functions.add(new CompiledFunction(f.function().name(), f, layout, entry, prologueEnd));
    }

    private static String sizeName(long size) {
        return switch ((int) size) {
            case 1 -> "BYTE";
            case 2 -> "WORD";
            case 4 -> "DWORD";
            default -> "QWORD";
        };
    }

    private static String lowByte(String register) {
        return switch (register) {
            case "rdi" -> "dil";
            case "rsi" -> "sil";
            case "rdx" -> "dl";
            case "rcx" -> "cl";
            default -> register + "b";
        };
    }

    // ---- statements -----------------------------------------------------------------------------------

    private void statement(Stmt s) {
        line = s.line();
        column = 1;
        switch (s) {
            case Block b -> b.statements().forEach(this::statement);
            case Decls ds -> ds.decls().forEach(this::declaration);
            case Decl d -> declaration(d);
            case ExprStmt e -> {
                rvalue(e.expr());
                at(e.expr());
                Instr done = emit(Op.STATEMENT);
                done.value = 1;
                done.type = TypeChecker.decay(program.type(e.expr()));
                done.text = CPrinter.print(e.expr());
            }
            case If i -> {
                rvalue(i.condition());
                at(i.condition());
                Instr branch = emit(Op.BRANCH);
                branch.text = "if (" + CPrinter.print(i.condition()) + ")";
                statement(i.then());
                if (i.otherwise() != null) {
                    Instr skip = emit(Op.JUMP);
                    branch.target = code.size();
                    statement(i.otherwise());
                    skip.target = code.size();
                } else {
                    branch.target = code.size();
                }
            }
            case While w -> {
                int top = code.size();
                rvalue(w.condition());
                at(w.condition());
                Instr branch = emit(Op.BRANCH);
                branch.text = "while (" + CPrinter.print(w.condition()) + ")";
                statement(w.body());
                emit(Op.JUMP).target = top;
                branch.target = code.size();
            }
            case Return r -> {
                if (r.value() != null) {
                    rvalue(r.value());
                }
                line = r.line();
                Instr ret = emit(Op.RETURN_VALUE);
                ret.value = r.value() == null ? 0 : 1;
                ret.type = info.function().returnType();
                ret.text = r.value() == null ? "return" : "return " + CPrinter.print(r.value());
                emit(Op.JUMP);
                returns.add(code.size() - 1);
            }
        }
    }

    private void declaration(Decl d) {
        if (d.init() == null) {
            return; // no code: the slot was reserved by sub esp, N and keeps whatever was there
        }
        line = d.line();
        column = d.column();
        Variable v = info.decls().get(d);
        emit(Op.LOCAL_ADDR).value = layout.offset(v);
        rvalue(d.init());
        line = d.line();
        column = d.column();
        Instr store = emit(Op.STORE);
        store.type = d.type();
        store.text = "write " + d.name();
        Instr done = emit(Op.STATEMENT);
        done.value = 1;
        done.type = d.type();
        done.text = declaration(d.type(), d.name()) + " = " + CPrinter.print(d.init());
    }

    private static String declaration(Type type, String name) {
        StringBuilder stars = new StringBuilder();
        while (type.kind() == Type.Kind.POINTER) {
            stars.append('*');
            type = type.target();
        }
        return type + " " + stars + name;
    }

    // ---- expressions ----------------------------------------------------------------------------------

    private void at(Expr e) {
        line = e.line();
        column = e.column();
    }

    private Type type(Expr e) {
        return program.type(e);
    }

    /** Code that pushes the value of {@code e}; an array pushes its address. */
    private void rvalue(Expr e) {
        at(e);
        switch (e) {
            case Num n -> emit(Op.CONST).value = n.value();
            case Var v -> {
                address(e);
                load(type(v), e);
            }
            case Unary u -> {
                switch (u.op()) {
                    case "&" -> address(u.operand());
                    case "*" -> {
                        rvalue(u.operand());
                        at(u);
                        load(type(u), u);
                    }
                    default -> {
                        rvalue(u.operand());
                        at(u);
                        Instr op = emit(Op.UNARY);
                        op.text = u.op();
                        op.type = type(u);
                    }
                }
            }
            case Binary b -> binary(b);
            case Assign a -> {
                Type target = type(a.target());
                address(a.target());
                if (a.op().equals("=")) {
                    rvalue(a.value());
                } else {
                    emit(Op.DUP);
                    load(target, a.target());
                    rvalue(a.value());
                    String op = a.op().substring(0, 1);
                    if (target.kind() == Type.Kind.POINTER) {
                        scale(target.target().size(convention.lp64()));
                    }
                    at(a);
                    Instr arithmetic = emit(Op.BINARY);
                    arithmetic.text = op;
                    arithmetic.type = target.kind() == Type.Kind.POINTER ? target
                            : TypeChecker.promote(target, TypeChecker.decay(type(a.value())));
                }
                at(a);
                Instr store = emit(Op.STORE);
                store.type = target;
                store.text = "write " + CPrinter.print(a.target());
            }
            case Call c -> {
                CheckedProgram.FunctionInfo callee = program.function(c.function());
                List<IntConsumer> args = new ArrayList<>();
                for (Expr arg : c.args()) {
                    args.add(i -> rvalue(arg));
                }
                at(c);
                call(callee, args);
            }
            case Index i -> {
                address(i);
                load(type(i), i);
            }
            case IncDec d -> {
                Type target = type(d.target());
                address(d.target());
                at(d);
                Instr step = emit(Op.INC_DEC);
                step.text = CPrinter.print(d);
                long delta = target.kind() == Type.Kind.POINTER ? target.target().size(convention.lp64()) : 1;
                step.value = d.op().equals("++") ? delta : -delta;
                step.target = d.prefix() ? 1 : 0;
                step.type = target;
            }
        }
    }

    /** Code that pushes the address of the object {@code e} names. */
    private void address(Expr e) {
        at(e);
        switch (e) {
            case Var v -> {
                Variable variable = program.binding(v);
                if (variable.kind() == Variable.Kind.GLOBAL) {
                    emit(Op.GLOBAL_ADDR).variable = variable;
                } else {
                    emit(Op.LOCAL_ADDR).value = layout.offset(variable);
                }
            }
            case Index i -> {
                Type base = TypeChecker.decay(type(i.array()));
                rvalue(i.array());
                rvalue(i.index());
                scale(base.target().size(convention.lp64()));
                at(i);
                Instr add = emit(Op.BINARY);
                add.text = "+";
                add.type = base;
            }
            case Unary u when u.op().equals("*") -> rvalue(u.operand());
            default -> throw new IllegalStateException("not an lvalue: " + e);
        }
    }

    private void load(Type t, Expr e) {
        if (t.kind() != Type.Kind.ARRAY) {
            Instr load = emit(Op.LOAD);
            load.type = t;
            load.text = "read " + CPrinter.print(e);
        }
    }

    private void scale(long size) {
        if (size != 1) {
            emit(Op.CONST).value = size;
            Instr mul = emit(Op.BINARY);
            mul.text = "*";
            mul.type = Type.LONG;
        }
    }

    private void binary(Binary b) {
        Type l = TypeChecker.decay(type(b.left()));
        Type r = TypeChecker.decay(type(b.right()));
        switch (b.op()) {
            case "&&", "||" -> {
                boolean and = b.op().equals("&&");
                rvalue(b.left());
                at(b);
                Instr shortCut = emit(and ? Op.JUMP_FALSE : Op.JUMP_TRUE);
                rvalue(b.right());
                at(b);
                emit(Op.BOOL);
                Instr end = emit(Op.JUMP);
                shortCut.target = code.size();
                emit(Op.CONST).value = and ? 0 : 1;
                end.target = code.size();
                return;
            }
            default -> {
            }
        }
        boolean lp = l.kind() == Type.Kind.POINTER;
        boolean rp = r.kind() == Type.Kind.POINTER;
        rvalue(b.left());
        if (rp && !lp && b.op().equals("+")) {
            scale(r.target().size(convention.lp64()));
        }
        rvalue(b.right());
        if (lp && !rp && (b.op().equals("+") || b.op().equals("-"))) {
            scale(l.target().size(convention.lp64()));
        }
        at(b);
        Instr op = emit(Op.BINARY);
        op.text = b.op();
        boolean comparison = COMPARISONS.contains(b.op());
        // A comparison works at the operands' type (pointers compare unsigned); arithmetic at the result's.
        op.type = comparison ? (lp ? l : rp ? r : TypeChecker.promote(l, r)) : type(b);
        if (lp && rp && b.op().equals("-")) {
            op.type = Type.LONG;
            emit(Op.CONST).value = l.target().size(convention.lp64());
            Instr div = emit(Op.BINARY);
            div.text = "/";
            div.type = Type.LONG;
        }
    }

    /** The calling sequence: arguments, call, cleanup, and the result pushed. */
    private void call(CheckedProgram.FunctionInfo callee, List<IntConsumer> args) {
        int callLine = line;
        int callColumn = column;
        int n = args.size();
        int registers = convention.argumentRegisters().size();
        int stackArgs = Math.max(0, n - registers);
        if (convention == Convention.CDECL) {
            for (int i = n - 1; i >= 0; i--) {
                args.get(i).accept(i);
                line = callLine;
                column = callColumn;
                Instr push = emit(Op.PUSH_ARG);
                push.variable = callee.params().get(i);
                push.type = push.variable.type();
                push.text = callee.function().name();
            }
        } else {
            for (int i = 0; i < n; i++) {
                args.get(i).accept(i);
            }
            line = callLine;
            column = callColumn;
            emit(Op.ALIGN_CALL).value = stackArgs;
            for (int i = n - 1; i >= registers; i--) {
                Instr push = emit(Op.PUSH_ARG);
                push.variable = callee.params().get(i);
                push.type = push.variable.type();
                push.text = callee.function().name();
            }
            for (int i = Math.min(n, registers) - 1; i >= 0; i--) {
                Instr mov = emit(Op.ARG_REGISTER);
                mov.value = i;
                mov.variable = callee.params().get(i);
                mov.type = mov.variable.type();
            }
        }
        Instr call = emit(Op.CALL);
        call.target = functionIndex.get(callee.function().name());
        call.text = callee.function().name();
        emit(Op.CLEANUP).value = (long) convention.word() * (convention == Convention.CDECL ? n : stackArgs);
        emit(Op.RESULT).type = callee.function().returnType();
    }

    private Instr emit(Op op) {
        Instr i = new Instr(op, function, line, column);
        code.add(i);
        return i;
    }
}
