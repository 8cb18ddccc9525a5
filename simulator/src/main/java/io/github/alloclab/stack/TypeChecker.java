package io.github.alloclab.stack;

import io.github.alloclab.stack.CAst.Assign;
import io.github.alloclab.stack.CAst.Binary;
import io.github.alloclab.stack.CAst.Block;
import io.github.alloclab.stack.CAst.Call;
import io.github.alloclab.stack.CAst.Decl;
import io.github.alloclab.stack.CAst.Decls;
import io.github.alloclab.stack.CAst.Expr;
import io.github.alloclab.stack.CAst.ExprStmt;
import io.github.alloclab.stack.CAst.Function;
import io.github.alloclab.stack.CAst.Global;
import io.github.alloclab.stack.CAst.If;
import io.github.alloclab.stack.CAst.IncDec;
import io.github.alloclab.stack.CAst.Index;
import io.github.alloclab.stack.CAst.Num;
import io.github.alloclab.stack.CAst.Param;
import io.github.alloclab.stack.CAst.Program;
import io.github.alloclab.stack.CAst.Return;
import io.github.alloclab.stack.CAst.Stmt;
import io.github.alloclab.stack.CAst.Type;
import io.github.alloclab.stack.CAst.Unary;
import io.github.alloclab.stack.CAst.Var;
import io.github.alloclab.stack.CAst.While;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second half of the front end: gives every expression a type and every name its declaration, and
 * rejects, at a line and column, what C would reject and the subset cannot run.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Integers are {@code char}, {@code int} and {@code long}; arithmetic promotes {@code char} to
 *       {@code int}, and to {@code long} if either side is one (C's usual arithmetic conversions, without
 *       unsigned types).</li>
 *   <li>Arrays decay to a pointer to their first element, except under {@code &}.</li>
 *   <li>Pointer arithmetic: pointer ± integer, pointer − pointer (a {@code long}), comparisons of two
 *       pointers or of a pointer with {@code 0}. Nothing is done with {@code void *} but assigning it.</li>
 *   <li>A pointer takes a pointer of the same type, a {@code void *}, or the constant {@code 0}: there are no
 *       casts, and gcc 14 rejects the rest too ({@code -Wint-conversion} and
 *       {@code -Wincompatible-pointer-types} are errors there).</li>
 *   <li>A global's initialiser is an integer constant expression, or 0 for a pointer.</li>
 *   <li>{@code main} takes no parameters, or {@code (int argc, char **argv)}, and returns {@code int}.</li>
 * </ul>
 * Scopes are C's: a block opens one, a declaration is visible from the end of its declarator (so
 * {@code int x = x;} names an outer {@code x}, as the parser checked), and the parameters share the outermost
 * block's scope.
 */
final class TypeChecker {

    private final String file;
    private final IdentityHashMap<Expr, Type> types = new IdentityHashMap<>();
    private final IdentityHashMap<Var, Variable> bindings = new IdentityHashMap<>();
    private final Map<String, Variable> globals = new HashMap<>();
    private final Map<String, Function> functionsByName = new HashMap<>();
    private final List<Map<String, Variable>> scopes = new ArrayList<>();
    private List<Variable> locals;
    private IdentityHashMap<Decl, Variable> decls;
    private Function current;

    private TypeChecker(String file) {
        this.file = file;
    }

    /**
     * Checks a parsed program.
     *
     * @throws CSyntaxException at the line and column of the first problem
     */
    static CheckedProgram check(String file, Program program) {
        return new TypeChecker(file).program(program);
    }

    /** Parses and checks {@code source}. */
    static CheckedProgram parse(String file, String source) {
        return check(file, CParser.parse(file, source));
    }

    private CheckedProgram program(Program program) {
        List<CheckedProgram.GlobalInfo> globalInfos = new ArrayList<>();
        for (Function f : program.functions()) {
            functionsByName.put(f.name(), f);
        }
        for (Global g : program.globals()) {
            Variable v = new Variable(Variable.Kind.GLOBAL, g.name(), g.type(), g.line(), globalInfos.size());
            long initial = 0;
            if (g.init() != null) {
                if (g.type().kind() == Type.Kind.ARRAY) {
                    throw error(g.line(), g.column(), "array initialisers are outside the subset: assign the elements in main");
                }
                initial = constant(g.init());
                if (g.type().kind() == Type.Kind.POINTER && initial != 0) {
                    throw error(g.init(), "a global pointer can only start as 0 (NULL): the subset has no casts");
                }
            }
            globals.put(g.name(), v);
            globalInfos.add(new CheckedProgram.GlobalInfo(v, initial, g.init() != null));
        }
        Map<String, CheckedProgram.FunctionInfo> functions = new LinkedHashMap<>();
        for (Function f : program.functions()) {
            functions.put(f.name(), function(f));
        }
        Function main = functionsByName.get("main");
        if (main.returnType().kind() != Type.Kind.INT) {
            throw error(main.line(), 1, "'main' must return int, not " + main.returnType());
        }
        List<Param> mainParams = main.params();
        if (mainParams.size() > 2
                || (!mainParams.isEmpty() && mainParams.getFirst().type().kind() != Type.Kind.INT)
                || (mainParams.size() == 2 && !mainParams.get(1).type().equals(
                        Type.pointerTo(Type.pointerTo(Type.CHAR))))) {
            Param first = mainParams.getFirst();
            throw error(first.line(), first.column(), "'main' takes no parameters, or (int argc, char **argv)");
        }
        return new CheckedProgram(file, program, types, bindings, functions, List.copyOf(globalInfos));
    }

    private CheckedProgram.FunctionInfo function(Function f) {
        current = f;
        locals = new ArrayList<>();
        decls = new IdentityHashMap<>();
        List<Variable> params = new ArrayList<>();
        Map<String, Variable> paramScope = new HashMap<>();
        for (Param p : f.params()) {
            Variable v = new Variable(Variable.Kind.PARAM, p.name(), p.type(), p.line(), params.size());
            params.add(v);
            paramScope.put(p.name(), v);
        }
        scopes.add(paramScope);
        scopes.add(new HashMap<>());
        for (Stmt s : f.body().statements()) {
            statement(s);
        }
        scopes.removeLast();
        scopes.removeLast();
        return new CheckedProgram.FunctionInfo(f, List.copyOf(params), List.copyOf(locals), decls);
    }

    // ---- statements -----------------------------------------------------------------------------------

    private void statement(Stmt s) {
        switch (s) {
            case Block b -> {
                scopes.add(new HashMap<>());
                for (Stmt inner : b.statements()) {
                    statement(inner);
                }
                scopes.removeLast();
            }
            case Decl d -> declaration(d);
            case Decls ds -> ds.decls().forEach(this::declaration);
            case If i -> {
                condition(i.condition());
                statement(i.then());
                if (i.otherwise() != null) {
                    statement(i.otherwise());
                }
            }
            case While w -> {
                condition(w.condition());
                statement(w.body());
            }
            case Return r -> {
                if (r.value() != null) {
                    if (current.returnType().kind() == Type.Kind.VOID) {
                        throw error(r.value(), "'%s' returns void, so 'return' takes no value".formatted(current.name()));
                    }
                    assignable(current.returnType(), r.value(), "return");
                }
            }
            case ExprStmt e -> expr(e.expr());
        }
    }

    private void declaration(Decl d) {
        if (d.init() != null) {
            assignable(d.type(), d.init(), "=");
        }
        if (scopes.size() == 2 && scopes.getFirst().containsKey(d.name())) {
            throw error(d.line(), d.column(), "'%s' is already a parameter of '%s'".formatted(d.name(), current.name()));
        }
        Variable v = new Variable(Variable.Kind.LOCAL, d.name(), d.type(), d.line(), locals.size());
        locals.add(v);
        decls.put(d, v);
        scopes.getLast().put(d.name(), v);
    }

    private void condition(Expr e) {
        Type t = decay(expr(e));
        if (!isScalar(t)) {
            throw error(e, "a condition must be a number or a pointer, not " + t);
        }
    }

    // ---- expressions ----------------------------------------------------------------------------------

    private Type expr(Expr e) {
        Type t = switch (e) {
            case Num n -> n.value() == (int) n.value() ? Type.INT : Type.LONG;
            case Var v -> {
                Variable variable = lookup(v.name());
                if (variable == null) {
                    throw error(e, "'%s' is not declared".formatted(v.name()));
                }
                bindings.put(v, variable);
                yield variable.type();
            }
            case Unary u -> unary(u);
            case Binary b -> binary(b);
            case Assign a -> assign(a);
            case Call c -> call(c);
            case Index i -> {
                Type base = decay(expr(i.array()));
                Type index = decay(expr(i.index()));
                if (base.kind() != Type.Kind.POINTER) {
                    throw error(i, "only an array or a pointer can be indexed, not " + base);
                }
                if (!isInteger(index)) {
                    throw error(i.index(), "an index must be an integer, not " + index);
                }
                yield pointee(base, i);
            }
            case IncDec d -> {
                Type target = expr(d.target());
                if (!isInteger(target) && target.kind() != Type.Kind.POINTER) {
                    throw error(d, "'%s' needs an integer or a pointer, not %s".formatted(d.op(), target));
                }
                if (target.kind() == Type.Kind.POINTER) {
                    pointee(target, d);
                }
                yield target;
            }
        };
        types.put(e, t);
        return t;
    }

    private Type unary(Unary u) {
        Type t = decay(expr(u.operand()));
        return switch (u.op()) {
            case "-", "~" -> {
                if (!isInteger(t)) {
                    throw error(u, "'%s' needs an integer, not %s".formatted(u.op(), t));
                }
                yield promote(t, Type.INT);
            }
            case "!" -> {
                if (!isScalar(t)) {
                    throw error(u, "'!' needs a number or a pointer, not " + t);
                }
                yield Type.INT;
            }
            case "*" -> {
                if (t.kind() != Type.Kind.POINTER) {
                    throw error(u, "'*' needs a pointer, not " + t);
                }
                yield pointee(t, u);
            }
            case "&" -> Type.pointerTo(types.get(u.operand()));
            default -> throw error(u, "unknown operator '%s'".formatted(u.op()));
        };
    }

    private Type binary(Binary b) {
        Type l = decay(expr(b.left()));
        Type r = decay(expr(b.right()));
        String op = b.op();
        switch (op) {
            case "&&", "||" -> {
                if (!isScalar(l) || !isScalar(r)) {
                    throw error(b, "'%s' needs numbers or pointers, not %s and %s".formatted(op, l, r));
                }
                return Type.INT;
            }
            case "==", "!=", "<", "<=", ">", ">=" -> {
                boolean ok = isInteger(l) && isInteger(r)
                        || l.kind() == Type.Kind.POINTER && r.kind() == Type.Kind.POINTER
                        || l.kind() == Type.Kind.POINTER && isZero(b.right())
                        || r.kind() == Type.Kind.POINTER && isZero(b.left());
                if (!ok) {
                    throw error(b, "cannot compare %s with %s".formatted(l, r));
                }
                return Type.INT;
            }
            case "+" -> {
                if (isInteger(l) && isInteger(r)) {
                    return promote(l, r);
                }
                if (l.kind() == Type.Kind.POINTER && isInteger(r)) {
                    pointee(l, b);
                    return l;
                }
                if (isInteger(l) && r.kind() == Type.Kind.POINTER) {
                    pointee(r, b);
                    return r;
                }
                throw error(b, "cannot add %s and %s".formatted(l, r));
            }
            case "-" -> {
                if (isInteger(l) && isInteger(r)) {
                    return promote(l, r);
                }
                if (l.kind() == Type.Kind.POINTER && isInteger(r)) {
                    pointee(l, b);
                    return l;
                }
                if (l.kind() == Type.Kind.POINTER && l.equals(r)) {
                    pointee(l, b);
                    return Type.LONG;
                }
                throw error(b, "cannot subtract %s from %s".formatted(r, l));
            }
            case "*", "/", "%" -> {
                if (!isInteger(l) || !isInteger(r)) {
                    throw error(b, "'%s' needs integers, not %s and %s".formatted(op, l, r));
                }
                return promote(l, r);
            }
            default -> throw error(b, "unknown operator '%s'".formatted(op));
        }
    }

    private Type assign(Assign a) {
        Type target = expr(a.target());
        if (target.kind() == Type.Kind.ARRAY) {
            throw error(a, "an array cannot be assigned to: assign its elements");
        }
        if (a.op().equals("=")) {
            assignable(target, a.value(), "=");
            return target;
        }
        Type value = decay(expr(a.value()));
        boolean pointerStep = target.kind() == Type.Kind.POINTER && (a.op().equals("+=") || a.op().equals("-="))
                && isInteger(value);
        if (!(isInteger(target) && isInteger(value)) && !pointerStep) {
            throw error(a, "'%s' needs integers%s, not %s and %s".formatted(a.op(),
                    a.op().equals("+=") || a.op().equals("-=") ? " (or a pointer and an integer)" : "", target, value));
        }
        if (pointerStep) {
            pointee(target, a);
        }
        return target;
    }

    private Type call(Call c) {
        Function f = functionsByName.get(c.function());
        for (int i = 0; i < c.args().size(); i++) {
            assignable(f.params().get(i).type(), c.args().get(i), "argument " + (i + 1) + " of '" + f.name() + "'");
        }
        return f.returnType();
    }

    /** Checks that {@code value} can be stored in an object of type {@code target}. */
    private void assignable(Type target, Expr value, String what) {
        Type v = decay(expr(value));
        if (v.kind() == Type.Kind.VOID) {
            throw error(value, "a void value cannot be used (%s)".formatted(what));
        }
        boolean ok = switch (target.kind()) {
            case CHAR, INT, LONG -> isInteger(v);
            case POINTER -> v.kind() == Type.Kind.POINTER && (v.equals(target)
                    || v.target().kind() == Type.Kind.VOID || target.target().kind() == Type.Kind.VOID)
                    || isZero(value);
            default -> false;
        };
        if (!ok) {
            throw error(value, "cannot use %s as %s (%s); the subset has no casts".formatted(v, target, what));
        }
    }

    private Type pointee(Type pointer, Expr at) {
        Type target = pointer.target();
        if (target.kind() == Type.Kind.VOID) {
            throw error(at, "a 'void *' cannot be dereferenced or stepped: it points at nothing in particular");
        }
        return target;
    }

    private Variable lookup(String name) {
        for (int i = scopes.size() - 1; i >= 0; i--) {
            Variable v = scopes.get(i).get(name);
            if (v != null) {
                return v;
            }
        }
        return globals.get(name);
    }

    /** Evaluates a global's initialiser, which must be an integer constant expression. */
    private long constant(Expr e) {
        long value = switch (e) {
            case Num n -> n.value();
            case Unary u when !u.op().equals("*") && !u.op().equals("&") -> {
                long x = constant(u.operand());
                yield switch (u.op()) {
                    case "-" -> -x;
                    case "~" -> ~x;
                    default -> x == 0 ? 1 : 0;
                };
            }
            case Binary b -> {
                long l = constant(b.left());
                long r = constant(b.right());
                yield switch (b.op()) {
                    case "+" -> l + r;
                    case "-" -> l - r;
                    case "*" -> l * r;
                    case "/", "%" -> {
                        if (r == 0) {
                            throw error(b, "division by zero in a constant");
                        }
                        yield b.op().equals("/") ? l / r : l % r;
                    }
                    case "<" -> l < r ? 1 : 0;
                    case "<=" -> l <= r ? 1 : 0;
                    case ">" -> l > r ? 1 : 0;
                    case ">=" -> l >= r ? 1 : 0;
                    case "==" -> l == r ? 1 : 0;
                    case "!=" -> l != r ? 1 : 0;
                    case "&&" -> l != 0 && r != 0 ? 1 : 0;
                    default -> l != 0 || r != 0 ? 1 : 0;
                };
            }
            default -> throw error(e, "a global's initialiser must be a constant, computed when the program is linked");
        };
        types.put(e, value == (int) value ? Type.INT : Type.LONG);
        return value;
    }

    // ---- types ----------------------------------------------------------------------------------------

    static Type decay(Type t) {
        return t.kind() == Type.Kind.ARRAY ? Type.pointerTo(t.target()) : t;
    }

    static boolean isInteger(Type t) {
        return t.kind() == Type.Kind.CHAR || t.kind() == Type.Kind.INT || t.kind() == Type.Kind.LONG;
    }

    static boolean isScalar(Type t) {
        return isInteger(t) || t.kind() == Type.Kind.POINTER;
    }

    /** The usual arithmetic conversions: {@code long} if either side is one, else {@code int}. */
    static Type promote(Type a, Type b) {
        return a.kind() == Type.Kind.LONG || b.kind() == Type.Kind.LONG ? Type.LONG : Type.INT;
    }

    private static boolean isZero(Expr e) {
        return e instanceof Num n && n.value() == 0;
    }

    private CSyntaxException error(Expr at, String message) {
        return error(at.line(), at.column(), message);
    }

    private CSyntaxException error(int line, int column, String message) {
        return new CSyntaxException(file, line, column, message);
    }
}
