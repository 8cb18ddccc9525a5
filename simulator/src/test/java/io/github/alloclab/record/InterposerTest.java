package io.github.alloclab.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a compiler, record says so; these run everywhere, gcc or not. */
class InterposerTest {

    @TempDir
    Path empty;

    @Test
    void withoutACompilerRecordSaysWhatToInstall() {
        Map<String, String> noGcc = Map.of("PATH", empty.toString());
        assertThat(Interposer.compiler(noGcc)).isEmpty();
        assertThatThrownBy(() -> Interposer.library(noGcc))
                .isInstanceOf(RecorderUnavailableException.class)
                .hasMessageContaining("there is no gcc on the PATH")
                .hasMessageContaining("apt-get install gcc")
                .hasMessageContaining("Everything else in alloclab works without it");
        assertThat(Interposer.compiler(Map.of("CC", empty.resolve("missing-cc").toString()))).isEmpty();
    }

    @Test
    void theSourceShipsWithItsDesignNotes() {
        String source = new String(Interposer.source(), StandardCharsets.UTF_8);
        assertThat(source).contains("static __thread int in_hook", "pthread_atfork", "write(fd",
                "O_CLOEXEC", "__libc_malloc").doesNotContain("printf(", "fopen(");
    }

    @Test
    void otherProcessesTracesTakeTheirPid() {
        assertThat(Recorder.withPid(Path.of("/t/out.rep"), "42")).isEqualTo(Path.of("/t/out.42.rep"));
        assertThat(Recorder.withPid(Path.of("trace"), "7")).isEqualTo(Path.of("trace.7"));
    }
}
