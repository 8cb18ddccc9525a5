package io.github.alloclab.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.alloclab.trace.TraceFormat;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceReader;
import io.github.alloclab.trace.TraceSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real recording: a small C program, compiled here, run under the interposer. Skipped, with the reason,
 * only when there is no C compiler.
 */
class RecorderTest {

    /** One of everything, in a known order; sizes chosen so that nothing else in the process makes them. */
    private static final String PROGRAM = """
            #include <pthread.h>
            #include <stdlib.h>
            #include <sys/wait.h>
            #include <unistd.h>

            static void *worker(void *arg) {
                for (int i = 0; i < 2000; i++) {
                    void *p = malloc(11 + (size_t) arg);
                    p = realloc(p, 23 + (size_t) arg);
                    free(p);
                }
                return NULL;
            }

            int main(void) {
                void *a = malloc(1001);
                void *b = calloc(7, 11);
                a = realloc(a, 3001);
                void *c;
                if (posix_memalign(&c, 64, 301) != 0) return 1;
                void *d = aligned_alloc(128, 256);
                free(b);
                free(NULL);
                pid_t pid = fork();
                if (pid == 0) {
                    void *x = malloc(777);
                    free(x);
                    exit(0);
                }
                waitpid(pid, NULL, 0);
                pthread_t threads[4];
                for (long t = 0; t < 4; t++) pthread_create(&threads[t], NULL, worker, (void *) t);
                for (int t = 0; t < 4; t++) pthread_join(threads[t], NULL);
                free(c);
                free(d);
                void *leak = malloc(4243);
                (void) leak;
                free(a);
                return 3;
            }
            """;

    @TempDir
    static Path dir;

    static Path program;

    @BeforeAll
    static void compile() throws IOException, InterruptedException {
        assumeTrue(Interposer.compiler().isPresent(), "no C compiler (gcc, or $CC) on this machine: record cannot be tested");
        System.setProperty("alloclab.cache", dir.resolve("cache").toString());
        Path source = Files.writeString(dir.resolve("prog.c"), PROGRAM);
        program = dir.resolve("prog");
        Process gcc = new ProcessBuilder(Interposer.compiler().get().toString(), "-O0", "-o", program.toString(),
                source.toString(), "-pthread").redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(gcc.exitValue()).as(output).isZero();
    }

    private static List<TraceOp> ops(Path trace) {
        List<TraceOp> ops = new ArrayList<>();
        try (TraceReader r = TraceSource.of(trace).open()) {
            r.forEachRemaining(ops::add);
            assertThat(r.warnings()).as("calls skipped").isEmpty();
        }
        return ops;
    }

    @Test
    void recordsEveryCallOfARealProgramAcrossThreadsAndFork() {
        Path out = dir.resolve("prog.rep");
        Recorder.Result r = new Recorder(Interposer.library()).record(List.of(program.toString()), out,
                TraceFormat.rep, true);
        assertThat(r.exitCode()).isEqualTo(3);
        List<TraceOp> ops = ops(out);

        // The program's own calls, in order, among whatever the C library does around them.
        List<String> mine = ops.stream().filter(op -> op.kind() == TraceOp.Kind.FREE
                        || List.of(1001L, 77L, 3001L, 301L, 256L, 4243L).contains(op.byteSize()))
                .map(op -> op.kind() + " " + op.byteSize()).toList();
        assertThat(mine).containsSubsequence("ALLOC 1001", "ALLOC 77", "REALLOC 3001", "ALLOC 301", "ALLOC 256",
                "FREE 0", "FREE 0", "FREE 0", "ALLOC 4243", "FREE 0");
        int a = idOf(ops, TraceOp.Kind.ALLOC, 1001);
        assertThat(ops).contains(new TraceOp(TraceOp.Kind.REALLOC, a, 3001, lineOf(ops, TraceOp.Kind.REALLOC, 3001)));

        // 4 threads x 2000 x (malloc, realloc, free), every line whole and every block consistent
        for (long t = 0; t < 4; t++) {
            long small = 11 + t;
            long grown = 23 + t;
            assertThat(ops.stream().filter(op -> op.kind() == TraceOp.Kind.ALLOC && op.byteSize() == small).count())
                    .as("thread %d", t).isEqualTo(2000);
            assertThat(ops.stream().filter(op -> op.kind() == TraceOp.Kind.REALLOC && op.byteSize() == grown).count())
                    .isEqualTo(2000);
        }
        assertThat(r.profile().leakedBytes()).isGreaterThanOrEqualTo(4243);
        assertThat(ops).noneMatch(op -> op.byteSize() == 777); // the child's calls are its own trace

        assertThat(r.otherProcesses()).hasSize(1);
        List<TraceOp> child = new ArrayList<>();
        try (TraceReader reader = TraceSource.of(r.otherProcesses().getFirst()).open()) {
            reader.forEachRemaining(child::add);
        }
        assertThat(child).extracting(TraceOp::kind, TraceOp::byteSize)
                .contains(org.assertj.core.groups.Tuple.tuple(TraceOp.Kind.ALLOC, 777L));
    }

    @Test
    void theCommandLineRecordsWithoutDashDashToo() throws IOException {
        Path out = dir.resolve("cli.ltrace");
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = io.github.alloclab.cli.AlloclabCommand.run(new String[] {"record", "-o", out.toString(), "--to",
                "ltrace", program.toString(), "-x"}, new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err, true));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).contains("the program exited with status 3",
                "1 other process (children the program started) also allocated");
        assertThat(Files.readString(out)).contains("malloc(1001) = 0x", "malloc(301) = 0x"); // alignments are not kept
    }

    @Test
    void aProgramThatCannotStartIsAClearError() {
        assertThatThrownBy(() -> new Recorder(Interposer.library()).record(List.of(dir.resolve("nope").toString()),
                dir.resolve("x.rep"), TraceFormat.rep, false))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("cannot run '" + dir.resolve("nope") + "'");
    }

    @Test
    void theInterposerIsBuiltOnceAndCached() throws IOException {
        Path first = Interposer.library();
        long modified = Files.getLastModifiedTime(first).toMillis();
        assertThat(Interposer.library()).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(first).toMillis()).isEqualTo(modified);
        assertThat(first.getParent().getFileName().toString()).startsWith("record-");
    }

    private static int idOf(List<TraceOp> ops, TraceOp.Kind kind, long size) {
        return ops.stream().filter(op -> op.kind() == kind && op.byteSize() == size).findFirst().orElseThrow().id();
    }

    private static long lineOf(List<TraceOp> ops, TraceOp.Kind kind, long size) {
        return ops.stream().filter(op -> op.kind() == kind && op.byteSize() == size).findFirst().orElseThrow().line();
    }
}
