package io.github.alloclab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.process.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --quiz} and {@code --solve} on the six teaching commands: a quiz keeps the question and hides every
 * answer, {@code --solve} is the command's answered output, and the two flags do not mix.
 */
class QuizModeTest {

    @TempDir
    static Path dir;

    static Path program;
    static Path executable;

    static CliRun run(List<String> args, String... more) {
        return CliRun.run(Stream.concat(args.stream(), Stream.of(more)).toArray(String[]::new));
    }

    @BeforeAll
    static void files() throws IOException {
        program = Files.writeString(dir.resolve("classic.c"), AlloclabCommandTest.CLASSIC);
        executable = Files.write(dir.resolve("pie64"), Golden.binary("pie64"));
    }

    /** Each command that shows its answers by default, with the arguments of one exercise. */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of(List.of("heap", "--color", "never", "-A", "+20,+30,-0,+10")),
                Arguments.of(List.of("heap", "--color", "never", "-a", "malloc", "find_doc_gz.rep", "--at", "40")),
                Arguments.of(List.of("stack", program.toString())),
                Arguments.of(List.of("stack", "--convention", "sysv", program.toString())),
                Arguments.of(List.of("buddyinfo", "find_doc_gz.rep", "--at", "1000", "--details")),
                Arguments.of(List.of("slabinfo", "git_log_stat.rep", "--at", "2000")),
                Arguments.of(List.of("maps", executable.toString(), "--sbrk", "5000")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void solveIsTheAnsweredOutput(List<String> command) {
        CliRun plain = run(command);
        CliRun solved = run(command, "--solve");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(solved).isEqualTo(plain);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aQuizKeepsTheQuestionAndHidesTheAnswers(List<String> command) {
        CliRun plain = run(command);
        CliRun quiz = run(command, "--quiz");
        assertThat(quiz.exit()).as(quiz.err()).isZero();
        assertThat(quiz.out()).isNotEqualTo(plain.out()).contains(QuizMixin.HIDDEN);
        assertThat(quiz.out().lines().toList()).as("every line of the question is still there, in order")
                .hasSameSizeAs(plain.out().lines().filter(l -> !isPictureRow(command, l)).toList());
    }

    /** A heap picture's region and row lines, which a quiz replaces by one '?' per picture. */
    private static boolean isPictureRow(List<String> command, String line) {
        return command.getFirst().equals("heap") && line.startsWith("    0x");
    }

    @Test
    void heapQuizHidesEveryAddressAndPicture() {
        CliRun quiz = run(List.of("heap", "--color", "never", "-A", "+20,+30,-0,+10", "--quiz"));
        assertThat(quiz.out()).isEqualTo("""
                allocator firstfit
                ops +20,+30,-0,+10
                legend  # allocated  ! red zone  = header or metadata  + padding  . free  _ no block

                ptr[0] = malloc(20) -> ?
                  ?

                ptr[1] = malloc(30) -> ?
                  ?

                free(ptr[0])
                  ?

                ptr[2] = malloc(10) -> ?
                  ?

                """);
        CliRun trace = run(List.of("heap", "--color", "always", "find_doc_gz.rep", "--quiz"));
        assertThat(trace.out().lines().filter(l -> !l.startsWith("legend"))
                .filter(l -> l.contains("0x") || l.contains("\u001b[4"))).as("no address, no cell")
                .isEmpty();
    }

    @Test
    void stackQuizHidesRegistersSlotsWordsAndResults() {
        CliRun quiz = run(List.of("stack", program.toString(), "--quiz"));
        assertThat(quiz.out()).contains("foo(a=10, b=20) is entered from main", "push ebp", "return address  -> main:6",
                "ebp=? esp=? eip=? eax=?", "foo is about to return ? in eax", "exit status ? after");
        assertThat(quiz.out().lines()).noneMatch(l -> l.matches(".*\\b[er](bp|sp|ip|ax)=[^?].*"))
                .noneMatch(l -> l.matches(" +0x[0-9a-f]+ \\| +[^? ][^|]* \\|.*"))
                .noneMatch(l -> l.matches(" +0x[0-9a-f]+:\t.*[0-9].*"))
                .noneMatch(l -> l.matches(" +#\\d+ +0x.*"))
                .noneMatch(l -> l.contains("return 30") || l.contains("with 30 in") || l.contains("exit(30)"));
    }

    @Test
    void buddyinfoAndSlabinfoQuizzesHideTheCountsInPlace() {
        List<String> buddy = List.of("buddyinfo", "find_doc_gz.rep", "--at", "1000", "--details");
        List<String> plain = run(buddy).out().lines().toList();
        List<String> quiz = run(buddy, "--quiz").out().lines().toList();
        assertThat(quiz.getFirst()).isEqualTo("Node 0, zone   Normal " + "     ? ".repeat(13));
        assertThat(quiz).contains("|     6 |  1 KiB |           ? |          ? |", "live blocks                          ?",
                "internal fragmentation               ?   (? of allocated: rounding up to block sizes)",
                "arenas ?, splits ?, merges ?", "buddy after 1,000 of 25,106 operations of find_doc_gz.rep (line 1,004)");
        for (int i = 0; i < quiz.size(); i++) {
            if (quiz.get(i).startsWith("|") || quiz.get(i).startsWith("Node")) {
                assertThat(quiz.get(i)).as("columns stay aligned").hasSameSizeAs(plain.get(i));
            }
        }
        List<String> slab = run(List.of("slabinfo", "git_log_stat.rep", "--at", "2000", "--quiz")).out().lines().toList();
        assertThat(slab.get(1)).startsWith("# name            <active_objs> <num_objs>");
        assertThat(slab.subList(2, slab.size())).isNotEmpty().allMatch(l -> l.matches(
                "\\S+ +\\? +\\? +\\d+ +\\d+ +\\d+ : tunables +\\d+ +\\d+ +\\d+ : slabdata +\\? +\\? +\\?"), "masked");
        assertThat(slab).contains("kmalloc-8k             ?      ?   8192    1    2 : tunables   16   16    4 :"
                + " slabdata      ?      ?      ?");
    }

    @Test
    void mapsQuizHidesEveryAddressAndOffset() {
        List<String> quiz = run(List.of("maps", executable.toString(), "--sbrk", "5000", "--quiz")).out().lines().toList();
        assertThat(quiz).isNotEmpty().allMatch(l -> l.matches("\\?-\\? [-r][-w][-x]p \\? \\S+ \\d+ +.*"));
        assertThat(String.join("\n", quiz)).contains("[heap]", "[stack]", "r-xp");
    }

    @Test
    void freelistQuizIsMallocPyWithoutCAndSolveIsWithC() {
        List<String> exercise = List.of("freelist", "-n", "6", "-s", "3");
        CliRun plain = run(exercise);
        assertThat(run(exercise, "--quiz")).isEqualTo(plain);
        assertThat(plain.out()).contains("returned ?", "List?").doesNotContain("searched");
        CliRun answered = run(exercise, "-c");
        assertThat(run(exercise, "--solve")).isEqualTo(answered);
        assertThat(answered.out()).contains("searched", "Free List [ Size");
        assertThat(run(exercise, "--quiz", "--picture").out()).as("the picture is an answer too")
                .isEqualTo(plain.out());
    }

    static Stream<Arguments> contradictions() {
        return Stream.of(
                Arguments.of(List.of("freelist", "--quiz", "-c"), "--quiz hides the answers and -c shows them"),
                Arguments.of(List.of("freelist", "--quiz", "--solve"), "--quiz hides the answers and --solve shows them"),
                Arguments.of(List.of("heap", "-A", "+1", "--quiz", "--solve"), "--quiz hides the answers and --solve"),
                Arguments.of(List.of("buddyinfo", "find_doc_gz.rep", "--quiz", "--format", "json"),
                        "--quiz works with the text output only, not --format json"),
                Arguments.of(List.of("slabinfo", "find_doc_gz.rep", "--quiz", "--format", "csv"),
                        "--quiz works with the text output only, not --format csv"),
                Arguments.of(List.of("stack", "--format", "json", "--quiz", "x.c"), "--quiz works with the text output"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contradictions")
    void contradictoryFlagsAreOneLineAndExitTwo(List<String> command, String message) {
        CliRun r = run(command);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("alloclab: ").contains(message).doesNotContain("Exception");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();
    }
}
