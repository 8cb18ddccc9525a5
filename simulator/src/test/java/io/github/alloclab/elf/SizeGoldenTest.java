package io.github.alloclab.elf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.process.Golden;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code size} and {@code size -A} against binutils 2.40's output for every golden binary, byte for byte. */
class SizeGoldenTest {

    static Stream<String> names() {
        return Golden.NAMES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void berkeleyFormatIsByteForByteBinutils(String name) {
        assertThat(SizeReport.berkeleyFormat(List.of(Golden.elf(name)), List.of(name)))
                .isEqualTo(Golden.text(name, "size"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void sysvFormatIsByteForByteBinutils(String name) {
        assertThat(SizeReport.sysvFormat(Golden.elf(name), name)).isEqualTo(Golden.text(name, "size-A"));
    }
}
