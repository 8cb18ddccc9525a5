package io.github.alloclab.freespace;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values printed by CPython 3.11 on this machine:
 * {@code random.seed(s); [repr(random.random()) for _ in range(3)]}.
 */
class PythonRandomTest {

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({
            "0, 0.8444218515250481, 0.7579544029403025, 0.420571580830845",
            "1, 0.13436424411240122, 0.8474337369372327, 0.763774618976614",
            "42, 0.6394267984578837, 0.025010755222666936, 0.27502931836911926",
            "4294967295, 0.6353574441341173, 0.20319993954407756, 0.6073666030347188",
            "4294967296, 0.11299430095636409, 0.41782886486292836, 0.0166763664992291",
            "1099511627783, 0.6137037779936511, 0.8149162973309487, 0.9450115087592873",
            "-5, 0.6229016948897019, 0.7417869892607294, 0.7951935655656966",
            "1000000000000000000000000000000, 0.9341508484568806, 0.5253068813972436, 0.34916701183971244"})
    void firstThreeValuesMatchCPython(String seed, double first, double second, double third) {
        PythonRandom random = new PythonRandom(new BigInteger(seed));
        assertThat(random.random()).isEqualTo(first);
        assertThat(random.random()).isEqualTo(second);
        assertThat(random.random()).isEqualTo(third);
    }

    @Test
    void theThousandthValueAfterSeedZeroCrossesOneTwist() {
        PythonRandom random = new PythonRandom(0);
        for (int i = 0; i < 999; i++) {
            random.random();
        }
        assertThat(random.random()).isEqualTo(0.4804125346981437);
    }

    @Test
    void rawWordsMatchGetrandbits() {
        PythonRandom random = new PythonRandom(123);
        assertThat(new long[] {random.nextUnsignedInt(), random.nextUnsignedInt(), random.nextUnsignedInt()})
                .containsExactly(224899942L, 1149664691L, 374463918L);
    }

    @Test
    void reseedingStartsOver() {
        PythonRandom random = new PythonRandom(7);
        double first = random.random();
        random.random();
        random.seed(BigInteger.valueOf(7));
        assertThat(random.random()).isEqualTo(first);
    }
}
