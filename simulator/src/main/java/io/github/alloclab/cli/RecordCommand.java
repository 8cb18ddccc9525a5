package io.github.alloclab.cli;

import io.github.alloclab.record.Interposer;
import io.github.alloclab.record.Recorder;
import io.github.alloclab.trace.TraceFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab record}: a real program's malloc calls, as a trace. */
@Command(name = "record",
        header = "Record a real program's malloc calls into a .rep trace.", mixinStandardHelpOptions = true,
        description = {"Run a program and record its malloc, calloc, realloc, free and memalign calls into a",
                "trace, with an LD_PRELOAD interposer that alloclab builds with gcc on first use.",
                "Example: alloclab record -o ls.rep -- ls -l /usr/share/doc"})
final class RecordCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "The trace to write (default: the program's name with .rep, here).")
    Path out;

    @Option(names = "--to", paramLabel = "FORMAT", defaultValue = "rep",
            description = "The trace's format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TraceFormat format;

    @Option(names = "--all-processes",
            description = "Also write a trace for each other process the program starts, as OUT with .PID added.")
    boolean allProcesses;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
            description = "The program and its arguments; put -- before them if they start with a dash.")
    List<String> command;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path target = out != null ? out : Path.of(Path.of(command.getFirst()).getFileName() + ".rep");
        Recorder.Result r = new Recorder(Interposer.library()).record(command, target, format, allProcesses);
        var err = spec.commandLine().getErr();
        var p = r.profile();
        err.printf("alloclab: recorded %s -> %s (%s): %,d operations (%,d malloc, %,d realloc, %,d free), peak live "
                        + "%,d bytes, %,d blocks never freed; the program exited with status %d%n",
                String.join(" ", command), target, format, p.ops(), p.allocs(), p.reallocs(), p.frees(),
                p.peakLiveBytes(), p.leakedBlocks(), r.exitCode());
        if (p.warningCount() > 0) {
            err.printf("alloclab: %,d calls skipped, such as %s%n", p.warningCount(), p.warnings().getFirst());
        }
        for (Path other : r.otherProcesses()) {
            err.printf("alloclab: another process of the program -> %s%n", other);
        }
        if (r.unrecorded() > 0) {
            err.printf("alloclab: %d other process%s (children the program started) also allocated; "
                    + "--all-processes keeps their traces%n", r.unrecorded(), r.unrecorded() == 1 ? "" : "es");
        }
        err.flush();
        return 0;
    }
}
