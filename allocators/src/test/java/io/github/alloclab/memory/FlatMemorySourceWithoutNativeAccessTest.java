package io.github.alloclab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A library user who does not grant {@code --enable-native-access} gets the flat source's bounded-segment
 * path: the same bytes, the same errors, and no restricted-method warning. Surefire grants native access to
 * the other tests, so this one runs {@link FlatMemorySourceProbe} in a JVM of its own, on the class path.
 */
class FlatMemorySourceWithoutNativeAccessTest {

    @Test
    void worksWithoutNativeAccessAndPrintsNoWarning() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = String.join(File.pathSeparator, location(FlatMemorySource.class),
                location(FlatMemorySourceProbe.class));
        Process process = new ProcessBuilder(List.of(java, "-cp", classPath, FlatMemorySourceProbe.class.getName()))
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).isEqualTo("native access: false" + System.lineSeparator() + "ok" + System.lineSeparator());
        assertThat(process.exitValue()).isZero();
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
