package io.github.alloclab.stack;

/**
 * One token of a C program.
 *
 * @param kind   what it is
 * @param text   its characters, as written
 * @param value  the value of a number or character literal
 * @param line   where it starts, from 1
 * @param column where it starts, from 1
 */
record Token(Kind kind, String text, long value, int line, int column) {

    enum Kind { IDENT, KEYWORD, NUMBER, CHAR, STRING, PUNCT, EOF }

    boolean is(String s) {
        return (kind == Kind.PUNCT || kind == Kind.KEYWORD) && text.equals(s);
    }

    String describe() {
        return kind == Kind.EOF ? "the end of the file" : "'" + text + "'";
    }
}
