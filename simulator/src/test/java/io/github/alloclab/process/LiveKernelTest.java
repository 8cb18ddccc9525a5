package io.github.alloclab.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.elf.SizeReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same comparison as the golden files, live: builds the probe with this machine's gcc, runs it with ASLR
 * off under this machine's kernel, and compares its maps and start_brk with the simulated process, and
 * binutils' size with ours. Skipped when gcc, setarch or an x86-64 Linux kernel are not there, or when the
 * kernel refuses {@code setarch -R} (some containers do).
 */
class LiveKernelTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", "-no-pie", "-static", "-m32", "-m32 -no-pie"})
    void theSimulatedProcessMatchesThisKernel(String flags) throws IOException {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "needs an x86-64 Linux kernel");
        assumeTrue(Tools.available("gcc", "--version"), "gcc is not installed");
        assumeTrue(Tools.available("setarch", "-R", "true"), "setarch -R does not work here");
        try (InputStream probe = Golden.class.getResourceAsStream("/io/github/alloclab/process/golden/probe.c")) {
            Files.write(dir.resolve("probe.c"), probe.readAllBytes());
        }
        List<String> command = new java.util.ArrayList<>(List.of("gcc", "-O1", "-o", "live", "probe.c"));
        if (!flags.isEmpty()) {
            command.addAll(List.of(flags.split(" ")));
        }
        var build = Tools.run(dir, command.toArray(String[]::new));
        assumeTrue(build.exitCode() == 0, "gcc cannot build with '" + flags + "' here: " + build.err());

        var run = Tools.run(dir, "env", "-i", "setarch", "-R", "./live", "5000");
        assumeTrue(run.exitCode() == 0, "the probe did not run: " + run.err());
        String[] brk = run.err().trim().split("\\s+");
        long startBrk = Long.decode(brk[0].substring("start_brk=".length()));
        long now = Long.decode(brk[1].substring("brk=".length()));

        Path binary = dir.resolve("live");
        try (SimulatedProcess process = ElfLoader.load(binary,
                ProcessOptions.DEFAULTS.withArgv(List.of("./live", "5000")))) {
            assertThat(process.startBrk()).isEqualTo(startBrk);
            process.sbrk(now - startBrk);
            List<String> real = run.out().lines().filter(l -> kept(l, binary)).toList();
            List<String> ours = ProcMaps.lines(process).stream().filter(l -> kept(l, binary)).toList();
            assertThat(ours).as("maps for gcc %s", flags).containsExactlyElementsOf(real);
        }
        var size = Tools.run(dir, "size", "live");
        if (size.exitCode() == 0) {
            assertThat(SizeReport.berkeleyFormat(List.of(ElfFile.read(binary)), List.of("live"))).isEqualTo(size.out());
        }
    }

    /** The lines both sides have: the binary's, its bss tail (anonymous, right after it), heap, stack. */
    private static boolean kept(String line, Path binary) {
        return line.endsWith(binary.toAbsolutePath().toString()) || line.endsWith("[heap]") || line.endsWith("[stack]")
                || line.endsWith("[vsyscall]") || line.endsWith(" 0 ") && !line.contains(" 7ff") && !line.startsWith("7ff")
                && !line.startsWith("f7");
    }
}
