package io.github.alloclab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MaskingWriter}: groups are masked in place, line by line, however the text arrives. */
class MaskingWriterTest {

    @Test
    void masksEachGroupKeepingWidthWhereAsked() {
        List<QuizMixin.Mask> masks = List.of(QuizMixin.Mask.aligned("(?:^n|\\G) +(\\d+)"),
                QuizMixin.Mask.compact("x=(\\S+)"));
        assertThat(MaskingWriter.mask("n   12    7 x=0x10 y=3\n", masks)).isEqualTo("n    ?    ? x=? y=3\n");
        assertThat(MaskingWriter.mask("m   12\n", masks)).as("no match, no change").isEqualTo("m   12\n");
    }

    @Test
    void holdsPartLinesBackUntilTheyEndOrAreFlushed() {
        StringWriter sink = new StringWriter();
        PrintWriter out = new PrintWriter(new MaskingWriter(new PrintWriter(sink), List.of(QuizMixin.Mask.compact("v=(\\d+)"))));
        out.print("a v=1");
        out.print("2 b\nc v=");
        assertThat(sink.toString()).isEqualTo("a v=? b\n");
        out.print("3");
        out.flush();
        assertThat(sink.toString()).isEqualTo("a v=? b\nc v=?");
    }
}
