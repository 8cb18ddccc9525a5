package io.github.alloclab.stack;

import io.github.alloclab.stack.CAst.Expr;
import io.github.alloclab.stack.CAst.Function;
import io.github.alloclab.stack.CAst.Program;
import io.github.alloclab.stack.CAst.Type;
import io.github.alloclab.stack.CAst.Var;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A program that passed the {@link TypeChecker}: every expression has a type, every name its declaration,
 * every function its parameters and locals, every global its initial value.
 *
 * @param file      the source file's name, for messages
 * @param program   the syntax tree
 * @param types     the type of each expression, arrays not yet decayed (by identity)
 * @param bindings  the declaration each {@link Var} names (by identity)
 * @param functions each function's parameters and locals, in source order
 * @param globals   the globals, in source order
 */
record CheckedProgram(String file, Program program, IdentityHashMap<Expr, Type> types,
                      IdentityHashMap<Var, Variable> bindings, Map<String, FunctionInfo> functions,
                      List<GlobalInfo> globals) {

    /**
     * A function's objects.
     *
     * @param function the syntax tree
     * @param params   its parameters, in order
     * @param locals   every local of its body, nested blocks included, in order of declaration
     * @param decls    the local each declaration makes (by identity)
     */
    record FunctionInfo(Function function, List<Variable> params, List<Variable> locals,
                        IdentityHashMap<CAst.Decl, Variable> decls) {
    }

    /**
     * A global and its initial value.
     *
     * @param variable the global
     * @param initial  its value at startup: the constant initialiser, or 0 (then it goes in bss)
     * @param explicit whether the source gave an initialiser
     */
    record GlobalInfo(Variable variable, long initial, boolean explicit) {
    }

    Type type(Expr e) {
        Type t = types.get(e);
        if (t == null) {
            throw new IllegalStateException("no type for " + e);
        }
        return t;
    }

    Variable binding(Var v) {
        return bindings.get(v);
    }

    FunctionInfo function(String name) {
        return functions.get(name);
    }
}
