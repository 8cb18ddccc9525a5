package io.github.alloclab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.stack.CAst.Decl;
import io.github.alloclab.stack.CAst.Function;
import io.github.alloclab.stack.CAst.Program;
import io.github.alloclab.stack.CAst.Return;
import io.github.alloclab.stack.CAst.Type;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CParserTest {

    static final String CLASSIC = """
            #include <stdio.h>
            /* the textbook example */
            int foo(int a, int b) {
                int c = a + b;
                return c;
            }

            int main(void) {
                int x = foo(10, 20);   // 30
                return x;
            }
            """;

    @Test
    void parsesTheClassicExampleWithLines() {
        Program p = CParser.parse("foo.c", CLASSIC);
        Function foo = p.function("foo");
        assertThat(foo.line()).isEqualTo(3);
        assertThat(foo.endLine()).isEqualTo(6);
        assertThat(foo.params()).extracting(CAst.Param::name).containsExactly("a", "b");
        assertThat(foo.body().statements().getFirst()).isInstanceOfSatisfying(Decl.class, d -> {
            assertThat(d.name()).isEqualTo("c");
            assertThat(d.type()).isEqualTo(Type.INT);
            assertThat(d.line()).isEqualTo(4);
        });
        assertThat(foo.body().statements().get(1)).isInstanceOf(Return.class);
        assertThat(p.function("main").params()).isEmpty();
    }

    @Test
    void parsesGlobalsArraysPointersLoopsAndRecursion() {
        Program p = CParser.parse("r.c", """
                int counter;
                long big = 5;
                char *name;
                long fact(long n) { if (n <= 1) return 1; else return n * fact(n - 1); }
                int main() {
                    char buf[16]; int i = 0; int *q = &i;
                    while (i < 16) { buf[i] = 'a' + i; i++; }
                    *q += 2;
                    counter = fact(5);
                    return buf[3] != 'd';
                }
                """);
        assertThat(p.globals()).extracting(CAst.Global::name).containsExactly("counter", "big", "name");
        assertThat(p.globals().get(2).type()).isEqualTo(Type.pointerTo(Type.CHAR));
        assertThat(Type.arrayOf(Type.CHAR, 16).size(false)).isEqualTo(16);
        assertThat(Type.LONG.size(false)).isEqualTo(4);
        assertThat(Type.LONG.size(true)).isEqualTo(8);
        assertThat(Type.pointerTo(Type.INT).size(true)).isEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            float                 | float f(void) { return 1; } int main() { return 0; }        | t.c:1:1: 'float' is outside the C subset (types are int, long, char, void and pointers)
            struct                | int main() { struct s x; return 0; }                         | t.c:1:14: 'struct' is outside the C subset (types are int, long, char, void and pointers)
            for loop              | int main() { for (;;) {} }                                   | t.c:1:14: 'for' is outside the C subset (it has if, while, return and assignments)
            missing semicolon     | int main() { int x = 1 return x; }                           | t.c:1:24: expected ';' after the declaration, found 'return'
            undeclared            | int main() { return y; }                                     | t.c:1:21: 'y' is not declared
            unknown function      | int main() { return printf(1); }                             | t.c:1:21: function 'printf' is not defined in this file (the subset has no library)
            wrong arity           | int f(int a) { return a; } int main() { return f(1, 2); }   | t.c:1:48: 'f' takes 1 argument, not 2
            no main               | int f(void) { return 0; }                                   | t.c:1:26: the program has no 'main' function
            unclosed block        | int main() { return 0;                                       | t.c:1:23: missing '}' for the block opened at line 1
            bad character         | int main() { return 0 @ 1; }                                 | t.c:1:23: unexpected character '@'
            string literal        | int main() { char *s = "hi"; return 0; }                     | t.c:1:24: string literals are outside the C subset: use a char array
            assign to number      | int main() { 3 = 4; return 0; }                              | t.c:1:16: the left side of '=' must be a variable, an element or *pointer
            unterminated comment  | int main() { /* return 0; }                                  | t.c:1:14: unterminated comment
            """)
    void outsideTheSubsetIsAnErrorAtLineAndColumn(String what, String source, String message) {
        assertThatThrownBy(() -> CParser.parse("t.c", source)).as(what)
                .isInstanceOf(CSyntaxException.class).hasMessage(message);
    }

    @Test
    void errorsOnLaterLinesCountLinesAndColumns() {
        assertThatThrownBy(() -> CParser.parse("t.c", "int main() {\n  int a;\n    a = ;\n}\n"))
                .hasMessage("t.c:3:9: expected an expression, found ';'");
    }
}
