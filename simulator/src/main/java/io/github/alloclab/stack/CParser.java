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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser for alloclab's C subset, with the names checked as it goes.
 *
 * <pre>
 *  program    := (global | function)*
 *  global     := type declarator ('=' expr)? ';'
 *  function   := type '*'* IDENT '(' (params | 'void')? ')' block
 *  type       := 'int' | 'long' | 'char' | 'void'
 *  declarator := '*'* IDENT ('[' NUMBER ']')?
 *  stmt       := block | type declarator ('=' expr)? (',' declarator ('=' expr)?)* ';'
 *              | 'if' '(' expr ')' stmt ('else' stmt)? | 'while' '(' expr ')' stmt
 *              | 'return' expr? ';' | expr? ';'
 *  expr       := unary ('=' | '+=' | '-=' | '*=' | '/=' | '%=') expr | binary
 *  binary     := precedence climbing over || && == != &lt; &lt;= &gt; &gt;= + - * / %
 *  unary      := ('-' | '!' | '~' | '*' | '&amp;' | '++' | '--') unary | postfix
 *  postfix    := primary ('[' expr ']' | '(' args ')' | '++' | '--')*
 *  primary    := NUMBER | CHAR | IDENT | '(' expr ')'
 * </pre>
 *
 * Anything else, such as {@code float}, {@code struct} or {@code for}, is reported with its line and column.
 */
public final class CParser {

    private static final Map<String, Integer> PRECEDENCE = Map.ofEntries(
            Map.entry("||", 1), Map.entry("&&", 2), Map.entry("==", 3), Map.entry("!=", 3),
            Map.entry("<", 4), Map.entry("<=", 4), Map.entry(">", 4), Map.entry(">=", 4),
            Map.entry("+", 5), Map.entry("-", 5), Map.entry("*", 6), Map.entry("/", 6), Map.entry("%", 6));

    private static final Set<String> ASSIGNMENTS = Set.of("=", "+=", "-=", "*=", "/=", "%=");

    private final String file;
    private final List<Token> tokens;
    private int pos;
    private final Map<String, Function> functions = new HashMap<>();
    private final Set<String> globals = new HashSet<>();
    private final List<Set<String>> scopes = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();

    private CParser(String file, String source) {
        this.file = file;
        this.tokens = new CLexer(file, source).tokens();
    }

    /**
     * Parses a whole program and checks that it has {@code main}, and that every name is declared.
     *
     * @throws CSyntaxException with the line and column of the first problem
     */
    public static Program parse(String file, String source) {
        return new CParser(file, source).program();
    }

    private Program program() {
        List<Global> globalList = new ArrayList<>();
        List<Function> functionList = new ArrayList<>();
        while (peek().kind() != Token.Kind.EOF) {
            Token start = peek();
            Type base = baseType();
            Type type = pointers(base);
            Token name = expectIdent("a name");
            if (peek().is("(")) {
                Function f = function(type, name);
                if (functions.putIfAbsent(f.name(), f) != null) {
                    throw error(name, "function '%s' is defined twice".formatted(f.name()));
                }
                functionList.add(f);
            } else {
                type = arraySuffix(type);
                if (type.kind() == Type.Kind.VOID) {
                    throw error(start, "a variable cannot be void");
                }
                Expr init = accept("=") ? expr() : null;
                expect(";", "after the global variable '" + name.text() + "'");
                if (!globals.add(name.text())) {
                    throw error(name, "global '%s' is declared twice".formatted(name.text()));
                }
                globalList.add(new Global(type, name.text(), init, name.line(), name.column()));
            }
        }
        for (Call call : calls) {
            Function target = functions.get(call.function());
            if (target == null) {
                throw new CSyntaxException(file, call.line(), call.column(),
                        "function '%s' is not defined in this file (the subset has no library)".formatted(call.function()));
            }
            if (target.params().size() != call.args().size()) {
                throw new CSyntaxException(file, call.line(), call.column(), "'%s' takes %d argument%s, not %d"
                        .formatted(call.function(), target.params().size(), target.params().size() == 1 ? "" : "s",
                                call.args().size()));
            }
        }
        if (!functions.containsKey("main")) {
            Token end = peek();
            throw error(end, "the program has no 'main' function");
        }
        return new Program(globalList, functionList);
    }

    private Function function(Type returnType, Token name) {
        expect("(", "after the function name");
        List<Param> params = new ArrayList<>();
        scopes.add(new HashSet<>());
        if (peek().is("void") && tokens.get(pos + 1).is(")")) {
            next();
        } else if (!peek().is(")")) {
            do {
                Type type = pointers(baseType());
                Token paramName = expectIdent("a parameter name");
                if (type.kind() == Type.Kind.VOID) {
                    throw error(paramName, "a parameter cannot be void");
                }
                if (peek().is("[")) {
                    throw error(peek(), "array parameters are outside the subset: use a pointer");
                }
                declare(paramName);
                params.add(new Param(type, paramName.text(), paramName.line(), paramName.column()));
            } while (accept(","));
        }
        expect(")", "after the parameters");
        if (params.size() > 16) {
            throw error(name, "more than 16 parameters");
        }
        functions.putIfAbsent(name.text(), new Function(returnType, name.text(), params, null, name.line(), name.line()));
        Token open = peek();
        if (!open.is("{")) {
            throw error(open, "expected '{' to start the body of '%s' (declarations without a body are outside the subset)"
                    .formatted(name.text()));
        }
        Block body = block();
        scopes.removeLast();
        int endLine = tokens.get(pos - 1).line();
        Function f = new Function(returnType, name.text(), params, body, name.line(), endLine);
        functions.remove(name.text());
        return f;
    }

    private Block block() {
        Token open = expect("{", "");
        scopes.add(new HashSet<>());
        List<Stmt> statements = new ArrayList<>();
        while (!peek().is("}")) {
            if (peek().kind() == Token.Kind.EOF) {
                throw error(peek(), "missing '}' for the block opened at line " + open.line());
            }
            statements.add(statement());
        }
        next();
        scopes.removeLast();
        return new Block(statements, open.line());
    }

    private Stmt statement() {
        Token t = peek();
        if (t.is("{")) {
            return block();
        }
        if (isTypeStart(t)) {
            return declaration();
        }
        if (t.is("if")) {
            next();
            expect("(", "after 'if'");
            Expr condition = expr();
            expect(")", "after the condition");
            Stmt then = statement();
            Stmt otherwise = accept("else") ? statement() : null;
            return new If(condition, then, otherwise, t.line());
        }
        if (t.is("while")) {
            next();
            expect("(", "after 'while'");
            Expr condition = expr();
            expect(")", "after the condition");
            return new While(condition, statement(), t.line());
        }
        if (t.is("return")) {
            next();
            Expr value = peek().is(";") ? null : expr();
            expect(";", "after 'return'");
            return new Return(value, t.line());
        }
        if (t.is(";")) {
            next();
            return new Block(List.of(), t.line());
        }
        if (t.kind() == Token.Kind.KEYWORD) {
            throw error(t, "'%s' is outside the C subset (it has if, while, return and assignments)".formatted(t.text()));
        }
        Expr e = expr();
        expect(";", "after the expression");
        return new ExprStmt(e, t.line());
    }

    private Stmt declaration() {
        Type base = baseType();
        List<Decl> decls = new ArrayList<>();
        int line = peek().line();
        do {
            Type type = pointers(base);
            Token name = expectIdent("a variable name");
            type = arraySuffix(type);
            if (type.kind() == Type.Kind.VOID) {
                throw error(name, "a variable cannot be void");
            }
            Expr init = accept("=") ? expr() : null;
            if (init != null && type.kind() == Type.Kind.ARRAY) {
                throw error(name, "array initialisers are outside the subset: assign the elements");
            }
            declare(name);
            decls.add(new Decl(type, name.text(), init, name.line(), name.column()));
        } while (accept(","));
        expect(";", "after the declaration");
        return decls.size() == 1 ? decls.getFirst() : new Decls(List.copyOf(decls), line);
    }

    private void declare(Token name) {
        if (!scopes.getLast().add(name.text())) {
            throw error(name, "'%s' is declared twice in the same scope".formatted(name.text()));
        }
    }

    private boolean isTypeStart(Token t) {
        return t.is("int") || t.is("long") || t.is("char") || t.is("void") || t.is("unsigned") || t.is("signed")
                || t.is("short") || t.is("float") || t.is("double") || t.is("struct") || t.is("union")
                || t.is("enum") || t.is("const") || t.is("static") || t.is("extern") || t.is("typedef");
    }

    private Type baseType() {
        Token t = next();
        return switch (t.text()) {
            case "int" -> Type.INT;
            case "long" -> {
                accept("int");
                yield Type.LONG;
            }
            case "char" -> Type.CHAR;
            case "void" -> Type.VOID;
            default -> throw error(t, t.kind() == Token.Kind.KEYWORD
                    ? "'%s' is outside the C subset (types are int, long, char, void and pointers)".formatted(t.text())
                    : "expected a type (int, long, char or void), found %s".formatted(t.describe()));
        };
    }

    private Type pointers(Type type) {
        while (accept("*")) {
            type = Type.pointerTo(type);
        }
        return type;
    }

    private Type arraySuffix(Type type) {
        if (!accept("[")) {
            return type;
        }
        Token size = next();
        if (size.kind() != Token.Kind.NUMBER || size.value() <= 0 || size.value() > 1 << 20) {
            throw error(size, "an array length must be a number from 1 to 1048576, not %s".formatted(size.describe()));
        }
        expect("]", "after the array length");
        return Type.arrayOf(type, size.value());
    }

    // ---- expressions ----------------------------------------------------------------------------------

    private Expr expr() {
        Expr left = binary(1);
        Token op = peek();
        if (op.kind() == Token.Kind.PUNCT && ASSIGNMENTS.contains(op.text())) {
            next();
            if (!(left instanceof Var || left instanceof Index || (left instanceof Unary u && u.op().equals("*")))) {
                throw error(op, "the left side of '%s' must be a variable, an element or *pointer".formatted(op.text()));
            }
            return new Assign(op.text(), left, expr(), op.line(), op.column());
        }
        return left;
    }

    private Expr binary(int minPrecedence) {
        Expr left = unary();
        while (true) {
            Token op = peek();
            Integer precedence = op.kind() == Token.Kind.PUNCT ? PRECEDENCE.get(op.text()) : null;
            if (precedence == null || precedence < minPrecedence) {
                return left;
            }
            next();
            left = new Binary(op.text(), left, binary(precedence + 1), op.line(), op.column());
        }
    }

    private Expr unary() {
        Token t = peek();
        if (t.is("-") || t.is("!") || t.is("~") || t.is("*") || t.is("&")) {
            next();
            Expr operand = unary();
            if (t.is("&") && !(operand instanceof Var || operand instanceof Index)) {
                throw error(t, "'&' needs a variable or an array element");
            }
            return new Unary(t.text(), operand, t.line(), t.column());
        }
        if (t.is("++") || t.is("--")) {
            next();
            return new IncDec(t.text(), true, lvalue(unary(), t), t.line(), t.column());
        }
        if (t.is("sizeof")) {
            throw error(t, "'sizeof' is outside the C subset");
        }
        return postfix();
    }

    private Expr lvalue(Expr e, Token op) {
        if (!(e instanceof Var || e instanceof Index || (e instanceof Unary u && u.op().equals("*")))) {
            throw error(op, "'%s' needs a variable, an element or *pointer".formatted(op.text()));
        }
        return e;
    }

    private Expr postfix() {
        Expr e = primary();
        while (true) {
            Token t = peek();
            if (t.is("[")) {
                next();
                Expr index = expr();
                expect("]", "after the index");
                e = new Index(e, index, t.line(), t.column());
            } else if (t.is("++") || t.is("--")) {
                next();
                e = new IncDec(t.text(), false, lvalue(e, t), t.line(), t.column());
            } else if (t.is("->") || t.is(".")) {
                throw error(t, "structures ('%s') are outside the C subset".formatted(t.text()));
            } else {
                return e;
            }
        }
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER, CHAR -> {
                return new Num(t.value(), t.line(), t.column());
            }
            case STRING -> throw error(t, "string literals are outside the C subset: use a char array");
            case IDENT -> {
                if (peek().is("(")) {
                    next();
                    List<Expr> args = new ArrayList<>();
                    if (!peek().is(")")) {
                        do {
                            args.add(expr());
                        } while (accept(","));
                    }
                    expect(")", "after the arguments of '" + t.text() + "'");
                    Call call = new Call(t.text(), args, t.line(), t.column());
                    calls.add(call);
                    return call;
                }
                if (scopes.stream().noneMatch(s -> s.contains(t.text())) && !globals.contains(t.text())) {
                    throw error(t, "'%s' is not declared".formatted(t.text()));
                }
                return new Var(t.text(), t.line(), t.column());
            }
            case PUNCT -> {
                if (t.is("(")) {
                    Expr e = expr();
                    expect(")", "to close the parenthesis");
                    return e;
                }
                throw error(t, "expected an expression, found " + t.describe());
            }
            default -> throw error(t, t.kind() == Token.Kind.EOF ? "the file ends in the middle of an expression"
                    : "'%s' is outside the C subset".formatted(t.text()));
        }
    }

    // ---- tokens ---------------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.EOF) {
            pos++;
        }
        return t;
    }

    private boolean accept(String s) {
        if (peek().is(s)) {
            pos++;
            return true;
        }
        return false;
    }

    private Token expect(String s, String where) {
        Token t = peek();
        if (!t.is(s)) {
            throw error(t, "expected '%s'%s, found %s".formatted(s, where.isEmpty() ? "" : " " + where, t.describe()));
        }
        return next();
    }

    private Token expectIdent(String what) {
        Token t = peek();
        if (t.kind() != Token.Kind.IDENT) {
            throw error(t, "expected %s, found %s".formatted(what, t.describe()));
        }
        return next();
    }

    private CSyntaxException error(Token at, String message) {
        return new CSyntaxException(file, at.line(), at.column(), message);
    }
}
