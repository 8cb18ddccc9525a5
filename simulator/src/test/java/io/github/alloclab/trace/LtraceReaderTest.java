package io.github.alloclab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LtraceReaderTest {

    private static LtraceReader reader(String text) {
        return new LtraceReader("t.ltrace", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<TraceOp> readAll(TraceReader reader) {
        List<TraceOp> ops = new ArrayList<>();
        try (reader) {
            reader.forEachRemaining(ops::add);
        }
        return ops;
    }

    @Test
    void readsTheCallsVillocReads() {
        TraceReader r = reader("""
                malloc(16) = 0x5555555592a0
                calloc(4, 8) = 0x5555555592c0
                hello from the program, which ltrace interleaves
                realloc(0x5555555592a0, 32) = 0x5555555592f0
                1234 libfoo.so->malloc(100) = 0x555555559320
                [pid 1234] free(0x5555555592c0) = <void>
                free(nil)
                puts("malloc(3) is not a call of ours") = 33
                memalign(64, 100) = 0x555555559400
                realloc((nil), 8) = 0x555555559500
                realloc(0x555555559500, 0) = (nil)
                reallocarray(0x555555559320, 10, 20) = 0x555555559600
                aligned_alloc(4096, 4096) = 0x55555555a000
                posix_memalign(0x7ffe0000, 16, 32) = 0
                free(0x5555555592f0)
                """);
        assertThat(readAll(r)).containsExactly(
                new TraceOp(TraceOp.Kind.ALLOC, 0, 16, 1),
                new TraceOp(TraceOp.Kind.ALLOC, 1, 32, 2),
                new TraceOp(TraceOp.Kind.REALLOC, 0, 32, 4),
                new TraceOp(TraceOp.Kind.ALLOC, 2, 100, 5),
                new TraceOp(TraceOp.Kind.FREE, 1, 0, 6),
                new TraceOp(TraceOp.Kind.ALLOC, 3, 100, 9),
                new TraceOp(TraceOp.Kind.ALLOC, 4, 8, 10),
                new TraceOp(TraceOp.Kind.FREE, 4, 0, 11),
                new TraceOp(TraceOp.Kind.REALLOC, 2, 200, 12),
                new TraceOp(TraceOp.Kind.ALLOC, 5, 4096, 13),
                new TraceOp(TraceOp.Kind.FREE, 0, 0, 15));
        assertThat(r.warnings()).containsExactly(
                "t.ltrace:14: posix_memalign returns its block through a pointer ltrace does not show; skipped");
    }

    @Test
    void joinsCallsThatThreadsInterrupted() {
        List<TraceOp> ops = readAll(reader("""
                [pid 7] malloc(24 <unfinished ...>
                [pid 8] malloc(40) = 0x2000
                [pid 7] <... malloc resumed> ) = 0x1000
                [pid 8] realloc(0x2000, <unfinished ...>
                [pid 8] <... realloc resumed> 80) = 0x3000
                """));
        assertThat(ops).containsExactly(
                new TraceOp(TraceOp.Kind.ALLOC, 0, 40, 2),
                new TraceOp(TraceOp.Kind.ALLOC, 1, 24, 3),
                new TraceOp(TraceOp.Kind.REALLOC, 0, 80, 5));
    }

    @Test
    void freesOfUnknownAddressesAreSkippedWithAWarning() {
        TraceReader r = reader("free(0x1234)\nmalloc(8) = 0\n");
        assertThat(readAll(r)).isEmpty();
        assertThat(r.warningCount()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            size not a number | 'malloc(abc) = 0x10'       | t.ltrace:1: the size should be a number, not 'abc'
            wrong arity       | 'calloc(4) = 0x10'         | t.ltrace:1: calloc takes 2 arguments, not 1: 'calloc(4)'
            bad result        | 'malloc(4) = 0xgg'         | t.ltrace:1: the result of malloc should be a number, not '0xgg'
            negative size     | 'malloc(-4) = 0x10'        | t.ltrace:1: the size of malloc should not be negative: -4
            """)
    void malformedCallsNameFileAndLine(String what, String line, String message) {
        assertThatThrownBy(() -> readAll(reader(line + "\n"))).as(what)
                .isInstanceOf(TraceFormatException.class).hasMessage(message);
    }
}
