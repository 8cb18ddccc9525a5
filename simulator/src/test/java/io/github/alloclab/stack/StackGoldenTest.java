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
}
