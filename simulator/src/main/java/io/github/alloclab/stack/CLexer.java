package io.github.alloclab.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits C source into tokens. Comments are skipped, and so are preprocessor lines ({@code #include ...}),
 * since the subset needs no headers.
 */
final class CLexer {

    static final Set<String> KEYWORDS = Set.of("int", "long", "char", "void", "if", "else", "while", "for",
            "return", "unsigned", "signed", "short", "float", "double", "struct", "union", "enum", "switch",
            "case", "default", "do", "break", "continue", "goto", "sizeof", "static", "extern", "const",
            "typedef", "volatile", "register", "auto");

    private static final List<String> PUNCTUATION = List.of("<<=", ">>=", "...", "==", "!=", "<=", ">=", "&&",
            "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "->", "<<", ">>", "&=", "|=", "^=", "{", "}", "(",
            ")", "[", "]", ";", ",", "=", "+", "-", "*", "/", "%", "<", ">", "!", "&", "|", "^", "~", "?",
            ":", ".");

    private final String file;
    private final String source;
    private int pos;
    private int line = 1;
    private int lineStart;

    CLexer(String file, String source) {
        this.file = file;
        this.source = source;
    }

    List<Token> tokens() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            int column = pos - lineStart + 1;
            if (pos >= source.length()) {
                tokens.add(new Token(Token.Kind.EOF, "", 0, line, column));
                return tokens;
            }
            char c = source.charAt(pos);
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < source.length() && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
                    pos++;
                }
                String word = source.substring(start, pos);
                tokens.add(new Token(KEYWORDS.contains(word) ? Token.Kind.KEYWORD : Token.Kind.IDENT, word, 0, line, column));
            } else if (Character.isDigit(c)) {
                tokens.add(number(column));
            } else if (c == '\'') {
                tokens.add(character(column));
            } else if (c == '"') {
                int start = pos++;
                while (pos < source.length() && source.charAt(pos) != '"' && source.charAt(pos) != '\n') {
                    pos += source.charAt(pos) == '\\' ? 2 : 1;
                }
                if (pos >= source.length() || source.charAt(pos) != '"') {
                    throw new CSyntaxException(file, line, column, "unterminated string literal");
                }
                pos++;
                tokens.add(new Token(Token.Kind.STRING, source.substring(start, pos), 0, line, column));
            } else {
                String punct = PUNCTUATION.stream().filter(p -> source.startsWith(p, pos)).findFirst()
                        .orElseThrow(() -> new CSyntaxException(file, line, column,
                                "unexpected character '%s'".formatted(printable(c))));
                pos += punct.length();
                tokens.add(new Token(Token.Kind.PUNCT, punct, 0, line, column));
            }
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? "\\u%04x".formatted((int) c) : String.valueOf(c);
    }

    private void skipSpaceAndComments() {
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (source.startsWith("//", pos) || (c == '#' && atLineStart())) {
                while (pos < source.length() && source.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (source.startsWith("/*", pos)) {
                int startLine = line;
                int startColumn = pos - lineStart + 1;
                int end = source.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new CSyntaxException(file, startLine, startColumn, "unterminated comment");
                }
                for (int i = pos; i < end; i++) {
                    if (source.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private boolean atLineStart() {
        for (int i = lineStart; i < pos; i++) {
            if (!Character.isWhitespace(source.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private Token number(int column) {
        int start = pos;
        int radix = 10;
        if (source.startsWith("0x", pos) || source.startsWith("0X", pos)) {
            radix = 16;
            pos += 2;
        }
        int digits = pos;
        while (pos < source.length() && Character.digit(source.charAt(pos), radix) >= 0) {
            pos++;
        }
        while (pos < source.length() && "lLuU".indexOf(source.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos < source.length() && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '.')) {
            throw new CSyntaxException(file, line, column, "malformed number '%s': the subset has whole numbers only"
                    .formatted(source.substring(start, pos + 1)));
        }
        String text = source.substring(start, pos);
        String body = source.substring(digits, pos).replaceAll("[lLuU]+$", "");
        try {
            return new Token(Token.Kind.NUMBER, text, Long.parseUnsignedLong(body.isEmpty() ? "0" : body, radix), line, column);
        } catch (NumberFormatException e) {
            throw new CSyntaxException(file, line, column, "number '%s' is too large".formatted(text));
        }
    }

    private Token character(int column) {
        int start = pos++;
        if (pos >= source.length()) {
            throw new CSyntaxException(file, line, column, "unterminated character literal");
        }
        long value;
        char c = source.charAt(pos++);
        if (c == '\\' && pos < source.length()) {
            char e = source.charAt(pos++);
            value = switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case '0' -> 0;
                case '\\' -> '\\';
                case '\'' -> '\'';
                default -> throw new CSyntaxException(file, line, column, "unknown escape '\\%s'".formatted(e));
            };
        } else {
            value = c;
        }
        if (pos >= source.length() || source.charAt(pos) != '\'') {
            throw new CSyntaxException(file, line, column, "unterminated character literal");
        }
        pos++;
        return new Token(Token.Kind.CHAR, source.substring(start, pos), value, line, column);
    }
}
