package io.github.alloclab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The text and JSON views of the lesson's examples, compared with golden files: exactly what
 * {@code ./alloclab stack docs/examples/NAME.c [options]} prints at the repository root.
 *
 * <p>After an intended change, regenerate them with
 * {@code ./mvnw -B -pl simulator -am verify -Dtest=StackGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}
 * and review the diff.
 */
class StackGoldenTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "io", "github", "alloclab", "stack", "golden");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            classic.cdecl.txt     | classic.c | cdecl | 8M   | 400
            classic.sysv.txt      | classic.c | sysv  | 8M   | 400
            classic.cdecl.json    | classic.c | cdecl | 8M   | 400
            fact.cdecl.txt        | fact.c    | cdecl | 8M   | 400
            many.sysv.txt         | many.c    | sysv  | 8M   | 400
            smash.cdecl.txt       | smash.c   | cdecl | 8M   | 400
            smash.sysv.txt        | smash.c   | sysv  | 8M   | 400
            forever.cdecl.txt     | forever.c | cdecl | 16K  | 40
            forever.sysv.json     | forever.c | sysv  | 16K  | 6
            """)
    void outputMatchesTheGoldenFile(String golden, String example, String convention, String limit, int steps)
            throws IOException {
        String file = "docs/examples/" + example;
        long stackLimit = Long.parseLong(limit.substring(0, limit.length() - 1)) << (limit.endsWith("M") ? 20 : 10);
        StackRun run = StackSimulator.run(file, StackSimulatorTest.example(example),
                new StackSimulator.Options(Convention.of(convention), stackLimit,
                        StackSimulator.Options.DEFAULT_MAX_STEPS, steps, StackSimulator.Options.DEFAULT_SHOWN_FRAMES));
        String actual;
        if (golden.endsWith(".json")) {
            actual = StackJson.write(run) + "\n";
        } else {
            StringWriter text = new StringWriter();
            StackView.print(run, new PrintWriter(text), () -> { });
            actual = text.toString();
        }
        Path path = GOLDEN.resolve(golden);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(path, actual);
        }
        assertThat(actual).as("%s (regenerate with -Dgolden.update=true after an intended change)", golden)
                .isEqualTo(Files.readString(path));
    }

    /** The lesson pastes real output: its pictures must still be what the commands print. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            classic.cdecl.txt | foo is about to return 30 in eax
            classic.cdecl.txt | 15  foo:5        leave
            classic.sysv.txt  | foo is about to return 30 in rax
            classic.sysv.txt  |  7  main:8       mov esi, 20
            fact.cdecl.txt    | fact is about to return 1 in eax
            many.sysv.txt     | sum8(a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8) is entered
            smash.cdecl.txt   | 117  greet:15     leave
            """)
    void theLessonShowsTheRealOutput(String golden, String start) throws IOException {
        String lesson = Files.readString(Path.of("..", "docs", "stack-frames.md"));
        String output = Files.readString(GOLDEN.resolve(golden));
        int from = output.indexOf(start);
        assertThat(from).as("%s has %s", golden, start).isNotNegative();
        int end = output.indexOf("\n\n", from);
        String block = output.substring(output.lastIndexOf('\n', from) + 1, end < 0 ? output.length() : end);
        assertThat(lesson).as("docs/stack-frames.md shows this part of %s as it is now", golden).contains(block);
    }
}
