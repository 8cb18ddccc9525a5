package io.github.alloclab.layout;

import io.github.alloclab.layout.DeclaredProgram.Global;
import io.github.alloclab.layout.DeclaredProgram.Section;
import io.github.alloclab.process.Abi;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses the declared-globals form of {@link DeclaredProgram}: a small subset of C's file-scope declarations. */
final class DeclarationParser {

    private static final Set<String> SPECIFIERS = Set.of("static", "const", "volatile", "unsigned", "signed", "char",
            "short", "int", "long", "float", "double", "_Bool", "bool");
    private static final long DEFAULT_TEXT = 3; // xor eax, eax; ret

    /** A scalar C type with its size and alignment. */
    private record Scalar(String name, long size, long alignment, boolean floating) {
    }

    private record Token(String text, int line, char kind) {
        // kind: i identifier, n number, c char literal, s string literal, p punctuation
    }

    private final String source;
    private final Abi abi;
    private final List<Token> tokens = new ArrayList<>();
    private int position;
    private long text = DEFAULT_TEXT;

    DeclarationParser(String source, Abi abi) {
        this.source = source;
        this.abi = abi;
    }

    DeclaredProgram parse() {
        tokenize();
        DeclaredProgram.Placer placer = new DeclaredProgram.Placer();
        List<Global> globals = new ArrayList<>();
        List<Global> strings = new ArrayList<>();
        List<byte[]> literals = new ArrayList<>();
        while (position < tokens.size()) {
            declaration(placer, globals, literals);
        }
        long rodataEnd = 0;
        for (Global g : globals) {
            if (g.section() == Section.RODATA) {
                rodataEnd = Math.max(rodataEnd, g.offset() + g.size());
            }
        }
        long at = rodataEnd;
        for (byte[] literal : literals) {
            strings.add(new Global("string literal \"" + printable(literal) + "\"", "(literal)", Section.RODATA, at,
                    literal.length, 1, 0, literal));
            at += literal.length;
        }
        return new DeclaredProgram(abi, List.copyOf(globals), text, List.copyOf(strings));
    }

    private static String printable(byte[] literal) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < literal.length - 1; i++) {
            char c = (char) (literal[i] & 0xff);
            s.append(c >= 32 && c < 127 ? String.valueOf(c) : "\\x%02x".formatted((int) c));
        }
        return s.toString();
    }

    // ---- tokens -----------------------------------------------------------------------------------

    private void tokenize() {
        String[] lines = source.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int lineNumber = n + 1;
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("@text")) {
                String value = trimmed.substring(5).strip();
                try {
                    text = Long.decode(value);
                } catch (NumberFormatException e) {
                    throw new DeclarationException(lineNumber, "@text takes a byte count, not '" + value + "'");
                }
                if (text < 1 || text > 1 << 24) {
                    throw new DeclarationException(lineNumber, "@text must be between 1 and 16 MiB");
                }
                continue;
            }
            lex(line, lineNumber);
        }
    }

    private void lex(String line, int lineNumber) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (line.startsWith("//", i)) {
                return;
            } else if (line.startsWith("/*", i)) {
                int end = line.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new DeclarationException(lineNumber, "a /* comment must end on its line");
                }
                i = end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(line.substring(start, i), lineNumber, 'i'));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < line.length() && Character.isDigit(line.charAt(i + 1)))) {
                int start = i;
                while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '.'
                        || ((line.charAt(i) == '+' || line.charAt(i) == '-')
                            && (line.charAt(i - 1) == 'e' || line.charAt(i - 1) == 'E')))) {
                    i++;
                }
                tokens.add(new Token(line.substring(start, i), lineNumber, 'n'));
            } else if (c == '\'' || c == '"') {
                int start = ++i;
                StringBuilder value = new StringBuilder();
                while (i < line.length() && line.charAt(i) != c) {
                    if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                        i = escape(line, i + 1, value, lineNumber);
                    } else {
                        value.append(line.charAt(i++));
                    }
                }
                if (i >= line.length()) {
                    throw new DeclarationException(lineNumber, "unterminated " + (c == '"' ? "string" : "character")
                            + " literal starting at column " + start);
                }
                i++;
                tokens.add(new Token(value.toString(), lineNumber, c == '"' ? 's' : 'c'));
            } else if (";,*[]={}-".indexOf(c) >= 0) {
                tokens.add(new Token(String.valueOf(c), lineNumber, 'p'));
                i++;
            } else {
                throw new DeclarationException(lineNumber, "unexpected character '" + c + "'");
            }
        }
    }

    private static int escape(String line, int i, StringBuilder value, int lineNumber) {
        char e = line.charAt(i);
        switch (e) {
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case 'r' -> value.append('\r');
            case '0' -> value.append('\0');
            case '\\', '\'', '"' -> value.append(e);
            case 'x' -> {
                int start = i + 1;
                int end = start;
                while (end < line.length() && end < start + 2 && Character.digit(line.charAt(end), 16) >= 0) {
                    end++;
                }
                if (end == start) {
                    throw new DeclarationException(lineNumber, "\\x needs hex digits");
                }
                value.append((char) Integer.parseInt(line.substring(start, end), 16));
                return end;
            }
            default -> throw new DeclarationException(lineNumber, "unknown escape \\" + e);
        }
        return i + 1;
    }

    private Token peek() {
        return position < tokens.size() ? tokens.get(position) : null;
    }

    private int line() {
        Token t = peek();
        return t != null ? t.line() : tokens.isEmpty() ? 1 : tokens.getLast().line();
    }

    private Token next(String what) {
        Token t = peek();
        if (t == null) {
            throw new DeclarationException(line(), "expected " + what + " before the end");
        }
        position++;
        return t;
    }

    private boolean accept(String punctuation) {
        Token t = peek();
        if (t != null && t.kind() == 'p' && t.text().equals(punctuation)) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(String punctuation) {
        Token t = next("'" + punctuation + "'");
        if (t.kind() != 'p' || !t.text().equals(punctuation)) {
            throw new DeclarationException(t.line(), "expected '%s', found '%s'".formatted(punctuation, t.text()));
        }
    }

    // ---- declarations -----------------------------------------------------------------------------

    private void declaration(DeclaredProgram.Placer placer, List<Global> globals, List<byte[]> literals) {
        int line = line();
        List<String> words = new ArrayList<>();
        while (peek() != null && peek().kind() == 'i' && SPECIFIERS.contains(peek().text())) {
            words.add(next("a type").text());
        }
        if (words.isEmpty() || words.stream().allMatch(w -> w.equals("static") || w.equals("const") || w.equals("volatile"))) {
            Token t = peek();
            throw new DeclarationException(line, "expected a C type such as int or char, found '%s'"
                    .formatted(t == null ? "the end" : t.text()));
        }
        boolean constObject = words.contains("const");
        Scalar base = scalar(words, line);
        do {
            int declaratorStart = position;
            int pointers = 0;
            boolean constPointer = false;
            while (accept("*")) {
                pointers++;
                constPointer = false;
                if (peek() != null && peek().text().equals("const")) {
                    position++;
                    constPointer = true;
                }
            }
            Token name = next("a name");
            if (name.kind() != 'i' || SPECIFIERS.contains(name.text())) {
                throw new DeclarationException(name.line(), "expected a variable name, found '" + name.text() + "'");
            }
            List<Long> dimensions = new ArrayList<>();
            while (accept("[")) {
                if (accept("]")) {
                    if (!dimensions.isEmpty()) {
                        throw new DeclarationException(name.line(), "only the first dimension of an array may be []");
                    }
                    dimensions.add(-1L);
                } else {
                    Token n = next("an array size");
                    long size = integer(n);
                    if (size <= 0 || size > 1L << 30) {
                        throw new DeclarationException(n.line(), "array size must be between 1 and 2^30: " + n.text());
                    }
                    dimensions.add(size);
                    expect("]");
                }
            }
            Scalar element = pointers > 0 ? new Scalar("pointer", abi.pointerSize(), abi.pointerSize(), false) : base;
            boolean isConst = pointers > 0 ? constPointer : constObject;
            Initializer init = accept("=") ? initializer() : null;
            long count = 1;
            for (int d = 0; d < dimensions.size(); d++) {
                long dimension = dimensions.get(d);
                if (dimension < 0) {
                    dimension = inferredLength(init, element, name);
                    dimensions.set(d, dimension);
                }
                count *= dimension;
            }
            long size = count * element.size();
            long alignment = dataAlignment(element, !dimensions.isEmpty(), size);
            byte[] bytes = new byte[(int) Math.min(size, 1 << 24)];
            boolean pointsToString = encode(init, element, count, bytes, name, literals, pointers > 0);
            boolean zero = !pointsToString;
            for (byte b : bytes) {
                zero &= b == 0;
            }
            Section section = isConst ? Section.RODATA : zero ? Section.BSS : Section.DATA;
            String declaration = render(words, declaratorStart, position);
            globals.add(placer.place(declaration, name.text(), section, size, alignment, bytes));
        } while (accept(","));
        expect(";");
    }

    /** {@return the declaration of one declarator as C would write it alone: {@code int b;} for {@code int a, b;}} */
    private String render(List<String> words, int from, int to) {
        StringBuilder s = new StringBuilder(String.join(" ", words));
        String previous = "";
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            String text = switch (t.kind()) {
                case 's' -> "\"" + t.text().replace("\n", "\\n") + "\"";
                case 'c' -> "'" + t.text() + "'";
                default -> t.text();
            };
            boolean tight = text.equals(",") || text.equals("[") || text.equals("]") || text.equals("}")
                    || previous.equals("[") || previous.equals("*") || previous.equals("-") || previous.equals("{");
            if (!tight) {
                s.append(' ');
            }
            s.append(text);
            previous = text;
        }
        return s.append(';').toString();
    }

    private Scalar scalar(List<String> words, int line) {
        long longs = words.stream().filter("long"::equals).count();
        boolean i386 = abi == Abi.I386;
        if (words.contains("char")) {
            return new Scalar("char", 1, 1, false);
        } else if (words.contains("_Bool") || words.contains("bool")) {
            return new Scalar("_Bool", 1, 1, false);
        } else if (words.contains("short")) {
            return new Scalar("short", 2, 2, false);
        } else if (words.contains("float")) {
            return new Scalar("float", 4, 4, true);
        } else if (words.contains("double")) {
            return longs > 0 ? new Scalar("long double", i386 ? 12 : 16, i386 ? 4 : 16, true)
                    : new Scalar("double", 8, i386 ? 4 : 8, true);
        } else if (longs >= 2) {
            return new Scalar("long long", 8, i386 ? 4 : 8, false);
        } else if (longs == 1) {
            return new Scalar("long", i386 ? 4 : 8, i386 ? 4 : 8, false);
        } else if (longs > 2) {
            throw new DeclarationException(line, "too many longs");
        }
        return new Scalar("int", 4, 4, false);
    }

    /**
     * GCC's alignment for a variable (ix86_data_alignment, -malign-data=compat), which may exceed the ABI's:
     * an array of 32 bytes or more is aligned to 32, one of a word or more to a word, and on x86-64 one of
     * 16 bytes or more to 16; on i386, a double or long long goes to 8 and a long double to 16.
     */
    private long dataAlignment(Scalar element, boolean array, long size) {
        long alignment = element.alignment();
        if (abi == Abi.I386) {
            if (element.size() == 8 && !element.name().equals("pointer")) {
                alignment = Math.max(alignment, 8);
            } else if (element.name().equals("long double")) {
                alignment = Math.max(alignment, 16);
            }
        }
        if (array) {
            long word = abi.pointerSize();
            if (size >= 32) {
                alignment = Math.max(alignment, 32);
            }
            if (size >= word) {
                alignment = Math.max(alignment, word);
            }
            if (abi == Abi.X86_64 && size >= 16) {
                alignment = Math.max(alignment, 16);
            }
        }
        return alignment;
    }

    // ---- initialisers -----------------------------------------------------------------------------

    /** An initialiser: a scalar token, a string, or a brace list. */
    private record Initializer(Token token, boolean negative, List<Initializer> list) {
    }

    private Initializer initializer() {
        if (accept("{")) {
            List<Initializer> list = new ArrayList<>();
            if (!accept("}")) {
                do {
                    if (peek() != null && peek().text().equals("}")) {
                        break;
                    }
                    list.add(initializer());
                } while (accept(","));
                expect("}");
            }
            return new Initializer(null, false, list);
        }
        boolean negative = accept("-");
        Token t = next("a value");
        if (t.kind() == 'p' || t.kind() == 'i') {
            throw new DeclarationException(t.line(), "expected a number, character or string, found '" + t.text() + "'");
        }
        return new Initializer(t, negative, null);
    }

    private long inferredLength(Initializer init, Scalar element, Token name) {
        if (init == null) {
            throw new DeclarationException(name.line(), "array " + name.text() + "[] needs an initialiser to give its size");
        }
        if (init.token() != null && init.token().kind() == 's' && element.size() == 1) {
            return init.token().text().length() + 1L;
        }
        if (init.list() != null) {
            return Math.max(1, flatten(init).size());
        }
        throw new DeclarationException(name.line(), "array " + name.text() + "[] needs a { list } or a string");
    }

    private static List<Initializer> flatten(Initializer init) {
        List<Initializer> scalars = new ArrayList<>();
        if (init.list() == null) {
            scalars.add(init);
        } else {
            for (Initializer i : init.list()) {
                scalars.addAll(flatten(i));
            }
        }
        return scalars;
    }

    /** Writes the initial value into {@code bytes}; {@return whether a pointer points to a string literal} */
    private boolean encode(Initializer init, Scalar element, long count, byte[] bytes, Token name, List<byte[]> literals,
                           boolean pointer) {
        if (init == null) {
            return false;
        }
        if (!pointer && element.size() == 1 && init.token() != null && init.token().kind() == 's') {
            byte[] value = init.token().text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (value.length > count) {
                throw new DeclarationException(name.line(), "the string has %d characters, more than the %d of %s"
                        .formatted(value.length, count, name.text()));
            }
            System.arraycopy(value, 0, bytes, 0, Math.min(value.length, bytes.length));
            return false;
        }
        List<Initializer> scalars = flatten(init);
        if (scalars.size() > count) {
            throw new DeclarationException(name.line(), "%d values for the %d elements of %s"
                    .formatted(scalars.size(), count, name.text()));
        }
        boolean pointsToString = false;
        for (int i = 0; i < scalars.size(); i++) {
            Initializer s = scalars.get(i);
            if (s.token() == null) {
                continue; // {} inside a list: zero
            }
            if (s.token().kind() == 's') {
                if (!pointer) {
                    throw new DeclarationException(s.token().line(), "a string can only initialise a char array or a pointer");
                }
                ByteArrayOutputStream literal = new ByteArrayOutputStream();
                literal.writeBytes(s.token().text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                literal.write(0);
                literals.add(literal.toByteArray());
                pointsToString = true;
                continue;
            }
            long raw = element.floating() ? floatingBits(s, element) : value(s);
            long offset = i * element.size();
            for (int b = 0; b < Math.min(element.size(), 8) && offset + b < bytes.length; b++) {
                bytes[(int) (offset + b)] = (byte) (raw >>> (8 * b));
            }
            if (element.size() > 8 && element.floating() && offset + 9 < bytes.length) {
                long exponent = extendedExponent(s);
                bytes[(int) (offset + 8)] = (byte) exponent;
                bytes[(int) (offset + 9)] = (byte) (exponent >>> 8);
            }
        }
        return pointsToString;
    }

    private long value(Initializer s) {
        Token t = s.token();
        long v;
        if (t.kind() == 'c') {
            if (t.text().length() != 1) {
                throw new DeclarationException(t.line(), "a character literal holds one character: '" + t.text() + "'");
            }
            v = t.text().charAt(0);
        } else if (t.text().contains(".") || (t.text().matches("[0-9.]+[eE][-+]?[0-9]+[fFlL]?") && !t.text().startsWith("0x"))) {
            v = (long) Double.parseDouble(t.text().replaceAll("[fFlL]$", ""));
        } else {
            v = integer(t);
        }
        return s.negative() ? -v : v;
    }

    private static long integer(Token t) {
        String digits = t.text().replaceAll("[uUlL]+$", "");
        try {
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                return Long.parseUnsignedLong(digits.substring(2), 16);
            }
            if (digits.length() > 1 && digits.startsWith("0")) {
                return Long.parseLong(digits.substring(1), 8);
            }
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new DeclarationException(t.line(), "not an integer: " + t.text());
        }
    }

    private double doubleValue(Initializer s) {
        Token t = s.token();
        double d;
        if (t.kind() == 'c') {
            d = t.text().isEmpty() ? 0 : t.text().charAt(0);
        } else {
            try {
                d = t.text().startsWith("0x") ? integer(t) : Double.parseDouble(t.text().replaceAll("[fFlLuU]+$", ""));
            } catch (NumberFormatException e) {
                throw new DeclarationException(t.line(), "not a number: " + t.text());
            }
        }
        return s.negative() ? -d : d;
    }

    private long floatingBits(Initializer s, Scalar element) {
        double d = doubleValue(s);
        if (element.size() == 4) {
            return Float.floatToIntBits((float) d) & 0xffffffffL;
        }
        if (element.size() == 8) {
            return Double.doubleToLongBits(d);
        }
        // x87 80-bit extended: a 64-bit significand with an explicit integer bit, then a 15-bit exponent.
        if (d == 0) {
            return 0;
        }
        long bits = Double.doubleToLongBits(d);
        long mantissa = bits & ((1L << 52) - 1);
        return (1L << 63) | (mantissa << 11);
    }

    private long extendedExponent(Initializer s) {
        double d = doubleValue(s);
        if (d == 0) {
            return 0;
        }
        long bits = Double.doubleToLongBits(d);
        long exponent = ((bits >>> 52) & 0x7ff) - 1023 + 16383;
        return exponent | (bits < 0 ? 0x8000 : 0);
    }
}
