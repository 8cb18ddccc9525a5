package io.github.alloclab.cli;

import io.github.alloclab.trace.TraceConverter;
import io.github.alloclab.trace.TraceFormat;
import io.github.alloclab.trace.TraceProfile;
import io.github.alloclab.trace.TraceSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab convert}: a trace from one format to another. */
@Command(name = "convert",
        header = "Convert a malloc trace between formats (rep, rep213, mtrace, ltrace).", mixinStandardHelpOptions = true,
        description = {"Convert a malloc trace between formats: CS:APP .rep (rep, or the 15-213 variant rep213),",
                "glibc mtrace logs (mtrace) and ltrace-style call lines (ltrace). The input's format is told",
                "from its content unless --trace-format names it. Ids are renumbered in allocation order when the",
                "input has addresses; addresses are invented when the output needs them."})
final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--to", paramLabel = "FORMAT", required = true,
            description = "The output format: ${COMPLETION-CANDIDATES}.")
    TraceFormat to;

    @Option(names = "--trace-format", paramLabel = "FORMAT",
            description = "The input's format (${COMPLETION-CANDIDATES}), if detection guesses wrong.")
    TraceFormat from;

    @Parameters(index = "0", paramLabel = "IN", description = "The trace to read: a file or a bundled trace's name.")
    String in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write; replaced if it exists.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TraceSource source = ReplayCommand.source(in).withFormat(from);
        TraceFormat inputFormat = source.detectFormat();
        TraceProfile profile = TraceConverter.convert(source, to, out);
        PrintWriter err = spec.commandLine().getErr();
        err.printf("alloclab: %s (%s) -> %s (%s): %,d operations (%,d malloc, %,d realloc, %,d free), %,d blocks "
                        + "never freed%s%n", source.name(), inputFormat, out, to, profile.ops(), profile.allocs(),
                profile.reallocs(), profile.frees(), profile.leakedBlocks(),
                profile.warningCount() == 0 ? "" : ", %,d calls skipped (e.g. %s)".formatted(profile.warningCount(),
                        profile.warnings().getFirst()));
        err.flush();
        return 0;
    }
}
