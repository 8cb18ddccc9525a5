package io.github.alloclab.stack;

import java.util.List;

/** The syntax tree of a program in alloclab's C subset. Every node knows its source line. */
public final class CAst {

    private CAst() {
    }

    /** A C type: {@code int}, {@code long}, {@code char}, {@code void}, a pointer, or an array. */
    public record Type(Kind kind, Type target, long length) {
        public enum Kind { INT, LONG, CHAR, VOID, POINTER, ARRAY }

        public static final Type INT = new Type(Kind.INT, null, 0);
        public static final Type LONG = new Type(Kind.LONG, null, 0);
        public static final Type CHAR = new Type(Kind.CHAR, null, 0);
        public static final Type VOID = new Type(Kind.VOID, null, 0);

        public static Type pointerTo(Type target) {
            return new Type(Kind.POINTER, target, 0);
        }

        public static Type arrayOf(Type element, long length) {
            return new Type(Kind.ARRAY, element, length);
        }

        /** {@return the size in bytes: {@code long} and pointers are 4 bytes on i386, 8 on x86-64} */
        public long size(boolean lp64) {
            return switch (kind) {
                case CHAR -> 1;
                case INT -> 4;
                case LONG, POINTER -> lp64 ? 8 : 4;
                case VOID -> 1;
                case ARRAY -> target.size(lp64) * length;
            };
        }

        /** {@return the alignment in bytes, as the System V ABIs give it} */
        public long alignment(boolean lp64) {
            return kind == Kind.ARRAY ? target.alignment(lp64) : size(lp64);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case INT -> "int";
                case LONG -> "long";
                case CHAR -> "char";
                case VOID -> "void";
                case POINTER -> target + " *";
                case ARRAY -> target + "[" + length + "]";
            };
        }
    }

    public record Program(List<Global> globals, List<Function> functions) {
        public Function function(String name) {
            return functions.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
        }
    }

    public record Global(Type type, String name, Expr init, int line, int column) {
    }

    public record Param(Type type, String name, int line, int column) {
    }

    public record Function(Type returnType, String name, List<Param> params, Block body, int line, int endLine) {
    }

    /** A statement. */
    public sealed interface Stmt permits Block, Decl, Decls, If, While, Return, ExprStmt {
        int line();
    }

    public record Block(List<Stmt> statements, int line) implements Stmt {
    }

    public record Decl(Type type, String name, Expr init, int line, int column) implements Stmt {
    }

    /** {@code int a, b = 2;}: several declarations in one statement, in the enclosing scope (not a block). */
    public record Decls(List<Decl> decls, int line) implements Stmt {
    }

    public record If(Expr condition, Stmt then, Stmt otherwise, int line) implements Stmt {
    }

    public record While(Expr condition, Stmt body, int line) implements Stmt {
    }

    public record Return(Expr value, int line) implements Stmt {
    }

    public record ExprStmt(Expr expr, int line) implements Stmt {
    }

    /** An expression. */
    public sealed interface Expr permits Num, Var, Unary, Binary, Assign, Call, Index, IncDec {
        int line();

        int column();
    }

    public record Num(long value, int line, int column) implements Expr {
    }

    public record Var(String name, int line, int column) implements Expr {
    }

    /** {@code -x}, {@code !x}, {@code ~x}, {@code *p}, {@code &x}. */
    public record Unary(String op, Expr operand, int line, int column) implements Expr {
    }

    public record Binary(String op, Expr left, Expr right, int line, int column) implements Expr {
    }

    /** {@code =}, {@code +=}, {@code -=}, {@code *=}, {@code /=}, {@code %=}. */
    public record Assign(String op, Expr target, Expr value, int line, int column) implements Expr {
    }

    public record Call(String function, List<Expr> args, int line, int column) implements Expr {
    }

    public record Index(Expr array, Expr index, int line, int column) implements Expr {
    }

    /** {@code ++x}, {@code x++}, {@code --x}, {@code x--}. */
    public record IncDec(String op, boolean prefix, Expr target, int line, int column) implements Expr {
    }
}
