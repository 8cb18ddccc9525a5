package io.github.alloclab.cli;

import io.github.alloclab.process.ProcMaps;
import io.github.alloclab.process.SimulatedProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab maps}: a simulated process's {@code /proc/PID/maps}. */
@Command(name = "maps",
        header = "Load an executable and print its /proc/PID/maps.", mixinStandardHelpOptions = true,
        description = {"Load an x86-64 or i386 ELF executable into a fresh simulated process, as execve does",
                "with ASLR off (setarch -R), grow its heap if asked, and print its /proc/PID/maps.",
                "The program's lines, its bss, [heap] and [stack] are what a real kernel shows; the",
                "interpreter, shared libraries and vDSO are not loaded."},
        footer = {"", "Example: alloclab maps ./prog --sbrk 5000 -- arg1 arg2"})
final class MapsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The executable.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments for the program (argv[1]...).")
    List<String> args = new ArrayList<>();

    @Mixin
    ProcessMixin process;

    @Mixin
    QuizMixin quiz;

    /** The answers of a quiz: where each mapping starts and ends, and its offset in the file. */
    static final List<QuizMixin.Mask> ANSWERS = List.of(
            QuizMixin.Mask.compact("^([0-9a-f]+)-([0-9a-f]+) [-r][-w][-x][ps] ([0-9a-f]+) "));

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (SimulatedProcess p = process.start(file, args)) {
            var out = quiz.mask(spec.commandLine().getOut(), ANSWERS);
            ProcMaps.lines(p).forEach(out::println);
            out.flush();
        }
        return 0;
    }
}
