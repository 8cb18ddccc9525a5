package io.github.alloclab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepTraceReaderTest {

    private static RepTraceReader reader(String text) {
        return new RepTraceReader("t.rep", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<TraceOp> readAll(String text) {
        List<TraceOp> ops = new ArrayList<>();
        try (RepTraceReader r = reader(text)) {
            r.forEachRemaining(ops::add);
        }
        return ops;
    }

    @Test
    void readsHeaderAndOperationsWithTheirLines() {
        try (RepTraceReader r = reader("4096\n2\n4\n1\na 0 16\nr 0 32\n\nf 0\na 1 0\n")) {
            assertThat(r.header()).isEqualTo(new RepTraceReader.Header(4096, 2, 4, 1));
            List<TraceOp> ops = new ArrayList<>();
            r.forEachRemaining(ops::add);
            assertThat(ops).containsExactly(
                    new TraceOp(TraceOp.Kind.ALLOC, 0, 16, 5),
                    new TraceOp(TraceOp.Kind.REALLOC, 0, 32, 6),
                    new TraceOp(TraceOp.Kind.FREE, 0, 0, 8),
                    new TraceOp(TraceOp.Kind.ALLOC, 1, 0, 9));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file                | ''                                   | t.rep:1: the trace ends inside its header: the suggested heap size is missing
            header not a number       | 'x\\n'                               | t.rep:1: the header's suggested heap size should be a number, not 'x'
            negative id count         | '1\\n-2\\n'                          | t.rep:2: the header's number of ids must be between 0 and 2147483647, not -2
            unknown op                | '1\\n2\\n1\\n1\\nm 0 3\\n'           | t.rep:5: expected 'a <id> <bytes>', 'r <id> <bytes>' or 'f <id>', not 'm 0 3'
            alloc without size        | '1\\n2\\n1\\n1\\na 0\\n'             | t.rep:5: 'a' takes an id and a size in bytes, not 'a 0'
            free with size            | '1\\n2\\n1\\n1\\nf 0 4\\n'           | t.rep:5: 'f' takes an id, not 'f 0 4'
            id not a number           | '1\\n2\\n1\\n1\\na x 4\\n'           | t.rep:5: the id should be a number, not 'x'
            id out of range           | '1\\n2\\n1\\n1\\na 2 4\\n'           | t.rep:5: id 2 is out of range: the header declares 2 ids (0..1)
            negative size             | '1\\n2\\n1\\n1\\na 0 -4\\n'          | t.rep:5: the size should be a number of bytes, not '-4'
            too few ops               | '1\\n2\\n3\\n1\\na 0 4\\nf 0\\n'     | t.rep:6: the header promises 3 operations but the trace ends after 2
            too many ops              | '1\\n2\\n1\\n1\\na 0 4\\nf 0\\n'     | t.rep:6: more operations than the 1 the header promises
            """)
    void malformedInputNamesFileAndLine(String what, String text, String message) {
        String input = text.replace("\\n", "\n");
        assertThatThrownBy(() -> readAll(input)).as(what)
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(message);
    }

    @Test
    void streamsALongTraceOneLineAtATime() {
        long ops = 2_000_000;
        InputStream generated = new InputStream() {
            private final byte[] header = "0\n1\n%d\n1\n".formatted(ops).getBytes(StandardCharsets.US_ASCII);
            private final byte[] pair = "a 0 24\nf 0\n".getBytes(StandardCharsets.US_ASCII);
            private long position;

            @Override
            public int read() {
                if (position < header.length) {
                    return header[(int) position++];
                }
                long offset = position - header.length;
                if (offset >= ops / 2 * pair.length) {
                    return -1;
                }
                position++;
                return pair[(int) (offset % pair.length)];
            }
        };
        long count = 0;
        try (RepTraceReader r = new RepTraceReader("long.rep", generated)) {
            while (r.hasNext()) {
                r.next();
                count++;
            }
        }
        assertThat(count).isEqualTo(ops);
    }

    @Test
    void bundledTracesMatchTheirDocumentedCounts() {
        assertThat(BundledTraces.names()).containsExactly("find_doc_gz.rep", "git_log_stat.rep", "tsort_dag.rep");
        long[] expected = {25_106, 56_077, 98_912};
        for (int i = 0; i < 3; i++) {
            try (RepTraceReader r = BundledTraces.all().get(i).openRep()) {
                long n = 0;
                while (r.hasNext()) {
                    r.next();
                    n++;
                }
                assertThat(n).isEqualTo(expected[i]).isEqualTo(r.header().ops());
            }
        }
    }
}
