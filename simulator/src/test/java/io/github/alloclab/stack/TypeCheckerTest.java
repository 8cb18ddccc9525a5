package io.github.alloclab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeCheckerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            int to pointer        | int main(void) { int *p = 5; return 0; }                          | t.c:1:27: cannot use int as int * (=); the subset has no casts
            pointer to int        | int main(void) { int x; int y = &x; return 0; }                   | t.c:1:33: cannot use int * as int (=); the subset has no casts
            mixed pointers        | int main(void) { int x; char *p = &x; return 0; }                 | t.c:1:35: cannot use int * as char * (=); the subset has no casts
            deref an int          | int main(void) { int x = 1; return *x; }                          | t.c:1:36: '*' needs a pointer, not int
            deref void pointer    | int main(void) { void *p = 0; return *p; }                        | t.c:1:38: a 'void *' cannot be dereferenced or stepped: it points at nothing in particular
            index an int          | int main(void) { int x = 1; return x[0]; }                        | t.c:1:37: only an array or a pointer can be indexed, not int
            assign an array       | int main(void) { int a[2]; int b[2]; a = b; return 0; }           | t.c:1:40: an array cannot be assigned to: assign its elements
            multiply pointers     | int main(void) { int x; int *p = &x; return p * 2; }              | t.c:1:47: '*' needs integers, not int * and int
            add two pointers      | int main(void) { int x; int *p = &x; p = p + p; return 0; }       | t.c:1:44: cannot add int * and int *
            void value            | void f(void) { } int main(void) { int x = f(); return x; }        | t.c:1:43: a void value cannot be used (=)
            return in void        | void f(void) { return 1; } int main(void) { f(); return 0; }      | t.c:1:23: 'f' returns void, so 'return' takes no value
            bad argument          | int f(char *s) { return 0; } int main(void) { return f(7); }      | t.c:1:56: cannot use int as char * (argument 1 of 'f'); the subset has no casts
            global not constant   | int g = 1; int h = g + 1; int main(void) { return h; }            | t.c:1:20: a global's initialiser must be a constant, computed when the program is linked
            global pointer        | int *p = 4; int main(void) { return 0; }                          | t.c:1:10: a global pointer can only start as 0 (NULL): the subset has no casts
            redeclared parameter  | int f(int a) { int a = 2; return a; } int main(void) { return 0; } | t.c:1:20: 'a' is already a parameter of 'f'
            main returns long     | long main(void) { return 0; }                                     | t.c:1:1: 'main' must return int, not long
            main with 3 params    | int main(int a, int b, int c) { return 0; }                       | t.c:1:14: 'main' takes no parameters, or (int argc, char **argv)
            constant division     | int g = 1 / 0; int main(void) { return g; }                       | t.c:1:11: division by zero in a constant
            """)
    void whatCWouldRejectIsAnErrorAtLineAndColumn(String what, String source, String message) {
        assertThatThrownBy(() -> TypeChecker.parse("t.c", source)).as(what)
                .isInstanceOf(CSyntaxException.class).hasMessage(message);
    }

    @Test
    void namesBindToTheInnermostDeclaration() {
        CheckedProgram p = TypeChecker.parse("t.c", """
                int x = 1;
                int main(void) {
                    int y = x;
                    int x = 2;
                    { int x = 3; y = y + x; }
                    return x + y;
                }
                """);
        assertThat(p.function("main").locals()).extracting(Variable::name).containsExactly("y", "x", "x");
        assertThat(StackSimulator.run("t.c", """
                int x = 1;
                int main(void) {
                    int y = x;
                    int x = 2;
                    { int x = 3; y = y + x; }
                    return x + y;
                }
                """, StackSimulator.Options.of(Convention.CDECL)).exitCode()).isEqualTo(2 + 1 + 3);
    }

    @Test
    void severalDeclarationsInOneStatementStayInScope() {
        StackRun run = StackSimulator.run("t.c", "int main(void) { int a = 4, b = 5; return a * b; }",
                StackSimulator.Options.of(Convention.SYSV));
        assertThat(run.exitCode()).isEqualTo(20);
    }
}
