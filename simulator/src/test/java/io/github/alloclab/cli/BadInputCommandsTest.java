package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command, run on the folder of bad inputs {@code bad-inputs/}: missing files, directories, unreadable,
 * empty and binary files, huge, negative and zero numbers, unknown names and options. Each run must fail as a
 * user error: exit code 2, one line {@code alloclab: ...} on stderr that says what is wrong, nothing on stdout,
 * and no stack trace unless {@code --debug} asks for one. The cases are in {@code bad-inputs/cases.txt}.
 */
class BadInputCommandsTest {

    private static final Path BAD_INPUTS = folder("bad-inputs");

    @TempDir
    static Path tmp;

    static Stream<Arguments> cases() throws IOException {
        return Files.readAllLines(BAD_INPUTS.resolve("cases.txt"), StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> {
                    String[] parts = line.split("=>", 2);
                    return Arguments.of(parts[0].strip(), parts[1].strip());
                });
    }

    @ParameterizedTest(name = "alloclab {0}")
    @MethodSource("cases")
    void failsWithOneClearLine(String command, String expected) {
        assertOneClearLine(run(args(command)), expected);
    }

    @Test
    void anUnreadableFileIsOneClearLine() throws IOException {
        Path file = Files.copy(BAD_INPUTS.resolve("syntax-error.c"), tmp.resolve("unreadable.c"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "running as root: chmod 000 does not stop reads");
        for (String command : List.of("stack %s", "size %s", "readelf %s", "maps %s", "layout --declare=%s",
                "generate --table=%s histogram {tmp}/g.rep", "replay -a firstfit %s", "heap %s")) {
            assertOneClearLine(run(args(command.formatted(file))), "unreadable.c: permission denied");
        }
    }

    @Test
    void debugShowsTheStackTrace() {
        CliRun r = run(args("--debug generate --table={dir}/a-directory histogram {tmp}/g.rep"));
        assertThat(r.exit()).isEqualTo(AlloclabCommand.EXIT_USAGE);
        assertThat(r.err()).contains("UncheckedIOException", "\tat ")
                .endsWith("alloclab: " + BAD_INPUTS.resolve("a-directory") + ": is a directory, not a file"
                        + System.lineSeparator());
    }

    private static void assertOneClearLine(CliRun r, String expected) {
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(AlloclabCommand.EXIT_USAGE);
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.err()).as("stderr").startsWith("alloclab: ").contains(expected).hasLineCount(1)
                .doesNotContain("Exception", "\tat ", "internal error");
    }

    private static String[] args(String command) {
        return Arrays.stream(command.split("\\s+"))
                .map(a -> a.replace("{dir}", BAD_INPUTS.toString()).replace("{tmp}", tmp.toString()))
                .toArray(String[]::new);
    }

    private static Path folder(String name) {
        try {
            return Path.of(BadInputCommandsTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
