package io.github.alloclab.freespace;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.cli.AlloclabCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code alloclab freelist ARGS} prints what {@code python3 malloc.py ARGS} printed, line for line, for every
 * flag set of {@code golden/commands.txt}; where malloc.py stopped with a Python error, alloclab prints the
 * same lines and then fails with exit code 2. The outputs were made by OSTEP's malloc.py itself
 * ({@code golden/regenerate.sh}).
 */
class FreeListGoldenTest {

    static Stream<Arguments> commands() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String line : read("golden/commands.txt")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] head = line.split(" ", 3);
            cases.add(Arguments.of(head[0], Integer.parseInt(head[1]), head.length > 2 ? head[2] : ""));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("commands")
    void printsWhatMallocPyPrinted(String name, int pythonExit, String args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("freelist"));
        argv.addAll(shellWords(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AlloclabCommand.run(argv.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(pythonExit == 0 ? 0 : AlloclabCommand.EXIT_USAGE);
        assertThat(out.toString().lines().toList()).as(name).containsExactlyElementsOf(read("golden/" + name + ".out"));
        if (pythonExit != 0) {
            assertThat(err.toString().lines()).hasSize(1).allMatch(l -> l.startsWith("alloclab: "));
        }
    }

    private static List<String> read(String resource) throws IOException {
        try (InputStream in = FreeListGoldenTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        }
    }

    /** Splits as a shell does for these lines: at spaces, with double quotes around words that hold them. */
    static List<String> shellWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                word = word == null ? new StringBuilder() : word;
            } else if (c == ' ' && !quoted) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
