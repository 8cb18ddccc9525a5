package io.github.alloclab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.testing.RandomTraces;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TraceFormatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            classic rep                    | '4096\\n2\\n2\\n1\\na 0 8\\nf 0\\n'                 | rep
            classic rep, tiny heap         | '0\\n1\\n1\\n1\\na 0 8\\n'                          | rep
            15-213 rep                     | '2\\n1\\n1\\n4096\\na 0 8\\n'                       | rep213
            mtrace with callers            | '= Start\\n@ ls:[0x1] + 0x10 0x20\\n'              | mtrace
            mtrace without = Start         | '\\n- (nil)\\n+ 0x10 0x20\\n'                      | mtrace
            ltrace                         | 'malloc(16) = 0x5555555592a0\\n'                  | ltrace
            ltrace after program output    | 'Hello\\n1234 malloc(8) = 0x10\\n'                | ltrace
            """)
    void tellsTheFormatFromTheContent(String what, String text, TraceFormat expected) {
        TraceSource source = RandomTraces.source("t", text.replace("\\n", "\n"));
        assertThat(source.detectFormat()).as(what).isEqualTo(expected);
        try (TraceReader reader = source.open()) {
            assertThat(reader.format()).isEqualTo(expected);
            assertThat(reader.hasNext()).isTrue();
        }
    }

    @Test
    void aForcedFormatWins() {
        // a 15-213 header whose peak is tiny reads as classic, unless the format is named
        TraceSource source = RandomTraces.source("t.rep", "1\n1\n1\n3\na 0 3\n");
        assertThat(source.detectFormat()).isEqualTo(TraceFormat.rep);
        try (TraceReader reader = source.withFormat(TraceFormat.rep213).open()) {
            RepTraceReader rep = (RepTraceReader) reader;
            assertThat(rep.header()).isEqualTo(new RepTraceReader.Header(3, 1, 1, 1, RepTraceReader.Variant.CMU_15_213));
        }
    }

    @Test
    void unknownContentIsOneClearError() {
        assertThatThrownBy(() -> RandomTraces.source("x.txt", "lorem ipsum\ndolor\n").open())
                .isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith("x.txt:1: cannot tell the trace's format from its first lines")
                .hasMessageContaining("--trace-format");
        assertThatThrownBy(() -> RandomTraces.source("e.rep", "\n\n").open())
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("e.rep:1: the trace is empty: there is nothing to tell its format from");
    }

    @Test
    void theFifteen213WeightIsChecked() {
        assertThatThrownBy(() -> RandomTraces.source("w.rep", "7\n1\n1\n4096\na 0 1\n").withFormat(TraceFormat.rep213).open())
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("w.rep:1: the header's weight must be between 0 and 3, not 7");
    }
}
