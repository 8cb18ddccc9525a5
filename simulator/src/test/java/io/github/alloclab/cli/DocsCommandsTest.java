package io.github.alloclab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.alloclab.process.Golden;
import io.github.alloclab.trace.BundledTraces;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs stay true: every {@code $ ./alloclab ...} transcript in {@code README.md} and {@code docs/*.md} is run
 * in-process and its output compared with what the docs show, by the convention {@link DocTranscripts} describes
 * (and {@code docs/index.md} states for lesson writers).
 *
 * <p>Commands run as from the repository root: a relative path that exists there is read there. A path that does
 * not is looked up among the golden probe binaries ({@code pie64}, {@code static64}, ...; see {@link Golden}), and
 * otherwise names a scratch file that later commands of the same page can read. Paths print as written.
 */
class DocsCommandsTest {

    @TempDir
    static Path scratchRoot;

    private static final Path ROOT = repositoryRoot();
    /** The extensions of files a command may write (a trace, a C file, an ELF file). */
    private static final Pattern OUTPUT_FILE = Pattern.compile("[\\w./-]+\\.(rep|mtrace|ltrace|txt|c|elf|json|csv|md)");
    /** Options whose value is a file or folder the command writes. */
    private static final Set<String> OUTPUT_OPTIONS = Set.of("-o", "--output", "--png");
    private static final Map<String, Result> RUNS = new HashMap<>();

    record Result(int exit, List<String> lines, String command) {
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/index.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/index.md above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static Map<String, String> pages() throws IOException {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("README.md", Files.readString(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                pages.put("docs/" + page.getFileName(), Files.readString(page));
            }
        }
        return pages;
    }

    @TestFactory
    Stream<DynamicTest> everyTranscriptShowsTheRealOutput() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (var page : pages().entrySet()) {
            for (DocTranscripts.Block block : DocTranscripts.blocks(page.getKey(), page.getValue())) {
                if (block.has("not-run")) {
                    continue;
                }
                if (block.has("excerpt-of")) {
                    String command = block.markers().get("excerpt-of");
                    tests.add(DynamicTest.dynamicTest(block.where() + " excerpt of " + command,
                            () -> check(block, command, block.lines(), true)));
                }
                if (block.isTranscript()) {
                    for (DocTranscripts.Shown shown : block.commands()) {
                        tests.add(DynamicTest.dynamicTest(block.file() + ":" + shown.line() + " " + shown.command(),
                                () -> check(block, shown.command(), shown.output(), false)));
                    }
                }
            }
        }
        assertThat(tests).as("transcripts found in the docs").hasSizeGreaterThan(20);
        return tests.stream();
    }

    @Test
    void everyAlloclabCommandInACodeBlockIsRunOrMarkedNotRun() throws IOException {
        List<String> unchecked = new ArrayList<>();
        for (var page : pages().entrySet()) {
            for (DocTranscripts.Block block : DocTranscripts.blocks(page.getKey(), page.getValue())) {
                if (!block.isTranscript() && !block.has("not-run") && !block.has("excerpt-of")
                        && !block.alloclabLines().isEmpty()) {
                    unchecked.add(block.where() + ": " + block.alloclabLines().getFirst().strip());
                }
            }
        }
        assertThat(unchecked).as("""
                code blocks that show an ./alloclab command the docs test does not run: write them as a transcript \
                ('$ ./alloclab ARGS' then its output), or mark the block <!-- docs-test: not-run --> \
                (see docs/index.md)""").isEmpty();
    }

    private static void check(DocTranscripts.Block block, String command, List<String> shownLines, boolean excerpt) {
        Result result = run(block.file(), command);
        String where = block.file() + ":" + block.line() + " `" + command + "`";
        assertThat(result.exit()).as("%s exits with %d; it printed:%n%s", where, result.exit(),
                String.join("\n", result.lines())).isEqualTo(block.expectedExit());
        if (block.has("skip-output")) {
            return;
        }
        List<String> columns = block.variableColumns();
        List<String> shown = new ArrayList<>(DocTranscripts.normalise(shownLines, columns));
        if (excerpt) {
            shown.addFirst(DocTranscripts.ELISION);
            shown.addLast(DocTranscripts.ELISION);
        }
        Optional<String> mismatch = DocTranscripts.mismatch(shown, DocTranscripts.normalise(result.lines(), columns));
        if (mismatch.isPresent()) {
            fail(where + ": the docs no longer show what it prints\n" + mismatch.get());
        }
    }

    /** Runs a command line as the docs show it (once per page), as from the repository root. */
    private static synchronized Result run(String page, String command) {
        return RUNS.computeIfAbsent(page + "\0" + command, key -> execute(page, command));
    }

    private static Result execute(String page, String command) {
        List<String> words = DocTranscripts.words(command);
        int pipe = words.indexOf("|");
        List<String> alloclab = pipe < 0 ? words : words.subList(0, pipe);
        assertThat(alloclab.getFirst()).isEqualTo("./alloclab");
        Path scratch = scratchRoot.resolve(page.replace('/', '_'));
        Map<String, String> shownAs = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        String previous = "";
        for (String word : alloclab.subList(1, alloclab.size())) {
            String resolved = OUTPUT_OPTIONS.contains(previous) ? inScratch(word, scratch) : resolve(word, scratch);
            previous = word;
            if (!resolved.equals(word)) {
                shownAs.put(resolved, word);
            }
            args.add(resolved);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AlloclabCommand.run(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(err, true));
        String text = out.toString() + err;
        for (var path : shownAs.entrySet()) {
            text = text.replace(path.getKey(), path.getValue());
        }
        List<String> lines = text.lines().toList();
        if (pipe >= 0) {
            lines = filter(lines, words.subList(pipe + 1, words.size()), command);
        }
        return new Result(exit, lines, command);
    }

    /**
     * The one filter the docs use after a pipe: {@code grep WORDS} (a fixed string), or {@code grep -E 'A|B'} (lines
     * holding any of the fixed strings A, B, ...).
     */
    private static List<String> filter(List<String> lines, List<String> filter, String command) {
        boolean extended = filter.size() == 3 && filter.get(1).equals("-E");
        if (!filter.getFirst().equals("grep") || filter.size() != (extended ? 3 : 2)
                || !filter.getLast().matches("[\\w\" :=|,-]+") || !extended && filter.getLast().contains("|")) {
            throw new IllegalArgumentException("after a pipe the docs test runs only grep WORDS or grep -E 'A|B': "
                    + command);
        }
        List<String> any = extended ? List.of(filter.getLast().split("\\|")) : List.of(filter.getLast());
        return lines.stream().filter(l -> any.stream().anyMatch(l::contains)).toList();
    }

    private static String resolve(String word, Path scratch) {
        if (word.startsWith("-") || word.isEmpty() || word.contains("=")) {
            return word;
        }
        Path inRoot = ROOT.resolve(word);
        if (!Path.of(word).isAbsolute() && Files.exists(inRoot)) {
            return inRoot.toString();
        }
        String name = String.valueOf(Path.of(word).getFileName());
        if (Golden.NAMES.contains(name) && (word.equals(name) || word.equals("./" + name))) {
            return fixture(name, scratch);
        }
        if (BundledTraces.allNames().contains(word)) {
            return word;
        }
        if (Files.exists(scratch.resolve(word)) || OUTPUT_FILE.matcher(word).matches()) {
            return inScratch(word, scratch);
        }
        return word;
    }

    /** {@return where a file or folder the command writes goes: the page's scratch folder, never the source tree} */
    private static String inScratch(String word, Path scratch) {
        try {
            Files.createDirectories(scratch.resolve(word).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scratch.resolve(word).toString();
    }

    private static String fixture(String name, Path scratch) {
        Path file = scratch.resolve(name);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(scratch);
                Files.write(file, Golden.binary(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toString();
    }

    // The comparison itself must be able to fail: plant drift in a real transcript and watch it caught.

    @Test
    void aPlantedDriftIsCaughtWithADiff() {
        List<String> shown = List.of("heap 1000 |........| 1008", "returned 0");
        assertThat(DocTranscripts.mismatch(shown, List.of("heap 1000 |........| 1008", "returned 0"))).isEmpty();
        Optional<String> drift = DocTranscripts.mismatch(shown, List.of("heap 1000 |....| 1004", "returned 0"));
        assertThat(drift).hasValueSatisfying(d -> assertThat(d)
                .contains("- heap 1000 |........| 1008", "+ heap 1000 |....| 1004", "  returned 0"));
    }

    @Test
    void elisionStandsForAnyLinesButTheShownOnesMustAppearInOrder() {
        List<String> actual = List.of("a", "b", "c", "d", "e");
        assertThat(DocTranscripts.mismatch(List.of("a", "...", "e"), actual)).isEmpty();
        assertThat(DocTranscripts.mismatch(List.of("...", "c", "d", "..."), actual)).isEmpty();
        assertThat(DocTranscripts.mismatch(List.of("...", "e"), actual)).isEmpty();
        assertThat(DocTranscripts.mismatch(List.of("a", "...", "d"), actual)).isPresent();
        assertThat(DocTranscripts.mismatch(List.of("...", "d", "c", "..."), actual)).isPresent();
        assertThat(DocTranscripts.mismatch(List.of("b", "..."), actual)).isPresent();
        assertThat(DocTranscripts.mismatch(List.of("a", "b"), actual)).isPresent();
    }

    @Test
    void onlyTheMachinesFactsAndTheMarkedTimingsAreIgnored() {
        List<String> maps = List.of("555555554000-555555555000 r--p 00000000 fe:00 2156292"
                + "                    /tmp/g/pie64");
        List<String> here = List.of("555555554000-555555555000 r--p 00000000 08:01 12"
                + "                         /home/me/pie64");
        assertThat(DocTranscripts.normalise(maps, List.of())).isEqualTo(DocTranscripts.normalise(here, List.of()));
        List<String> elsewhere = List.of("555555554000-555555555000 r-xp 00000000 08:01 12 /home/me/pie64");
        assertThat(DocTranscripts.normalise(maps, List.of())).isNotEqualTo(DocTranscripts.normalise(elsewhere, List.of()));

        List<String> table = List.of("+-------+------+", "| ops/s | util |", "+-------+------+",
                "| 1.00M | 55.6% |  ");
        List<String> other = List.of("+--------+------+", "| ops/s | util |", "+--------+------+",
                "| 12.00M | 55.6% |");
        assertThat(DocTranscripts.normalise(table, List.of("ops/s")))
                .isEqualTo(DocTranscripts.normalise(other, List.of("ops/s")));
        List<String> worse = List.of("+-------+------+", "| ops/s | util |", "+-------+------+", "| 1.00M | 55.7% |");
        assertThat(DocTranscripts.normalise(table, List.of("ops/s")))
                .isNotEqualTo(DocTranscripts.normalise(worse, List.of("ops/s")));
    }

    @Test
    void commandLinesSplitAsAShellWould() {
        assertThat(DocTranscripts.words("./alloclab fault null      # *NULL: nothing is mapped"))
                .containsExactly("./alloclab", "fault", "null");
        assertThat(DocTranscripts.words("./alloclab replay x.mtrace | grep leakedBlocks"))
                .containsExactly("./alloclab", "replay", "x.mtrace", "|", "grep", "leakedBlocks");
        assertThat(DocTranscripts.words("./alloclab layout --declare 'int a; char b;'"))
                .containsExactly("./alloclab", "layout", "--declare", "int a; char b;");
    }
}
