package io.github.alloclab.cli;

import io.github.alloclab.record.RecorderUnavailableException;
import io.github.alloclab.stack.CRuntimeError;
import io.github.alloclab.stack.CSyntaxException;
import io.github.alloclab.trace.TraceFormatException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code alloclab} command: a malloc/heap allocator laboratory. */
@Command(name = "alloclab",
        mixinStandardHelpOptions = true,
        versionProvider = AlloclabCommand.Version.class,
        description = {"A malloc/heap allocator laboratory: replay real malloc traces on allocators that keep",
                "their headers and free lists in off-heap memory, and compare them; run small C programs",
                "and watch their stack frames."},
        subcommands = {CompareCommand.class, ReplayCommand.class, ListCommand.class, ConvertCommand.class,
                GenerateCommand.class, RecordCommand.class, StackCommand.class,
                SizeCommand.class, ReadElfCommand.class, MapsCommand.class, PmapCommand.class,
                LayoutCommand.class, FaultCommand.class, HeapErrorCommand.class, FreeListCommand.class,
                BuddyInfoCommand.class, SlabInfoCommand.class, ZprintCommand.class, MallInfoCommand.class,
                HeapCommand.class, ReportCommand.class, ThreadsCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 an allocator failed a replay check, 2 bad input or usage, 3 internal error,",
                "4 a replay ran out of memory (malloc returned NULL at the --heap-limit / --mmap-limit)."})
public final class AlloclabCommand implements Callable<Integer> {

    /** A replay found an allocator error: an invalid block, an overlap, corrupted contents. */
    public static final int EXIT_ALLOCATOR_ERROR = 1;
    /** Bad input or usage: malformed trace or C program, missing file, unknown allocator, unknown command. */
    public static final int EXIT_USAGE = 2;
    /** A bug in alloclab itself. */
    public static final int EXIT_INTERNAL = 3;
    /**
     * A replay ran out of memory: the trace's {@code malloc} returned {@code NULL} because the memory source
     * reached its limit ({@code --heap-limit}, {@code --mmap-limit}). No allocator error, but the trace could not
     * finish; stderr names the line.
     */
    public static final int EXIT_OUT_OF_MEMORY = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Made by picocli; use {@link #run} or {@link #main}. */
    public AlloclabCommand() {
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command, such as 'alloclab compare'");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; {@return the exit code} */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        CommandLine cli = new CommandLine(new AlloclabCommand());
        cli.getSubcommands().get("record").setStopAtPositional(true); // the program's own options are its own
        cli.setOut(out);
        cli.setErr(err);
        // malloc.py's optparse lets a later flag overwrite an earlier one; so does its drop-in.
        cli.getSubcommands().get("freelist").setOverwrittenOptionsAllowed(true);
        cli.setParameterExceptionHandler((e, arguments) -> {
            if (debug) {
                e.printStackTrace(err);
            }
            err.println("alloclab: " + usageMessage(e));
            err.flush();
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (debug) {
                e.printStackTrace(err);
            }
            int code = e instanceof TraceFormatException || e instanceof UncheckedIOException
                    || e instanceof IllegalArgumentException || e instanceof RecorderUnavailableException
                    || e instanceof CSyntaxException || e instanceof CRuntimeError ? EXIT_USAGE : EXIT_INTERNAL;
            err.println("alloclab: " + (code == EXIT_INTERNAL ? "internal error: " + e : e.getMessage())
                    + (code == EXIT_INTERNAL && !debug ? " (run with --debug for details)" : ""));
            err.flush();
            return code;
        });
        return cli.execute(rest);
    }

    private static String usageMessage(ParameterException e) {
        String command = e.getCommandLine().getCommandName();
        if (e instanceof UnmatchedArgumentException unmatched && e.getCommandLine().getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            return "unknown command '%s'; commands: %s".formatted(unmatched.getUnmatched().getFirst(),
                    String.join(", ", e.getCommandLine().getSubcommands().keySet()));
        }
        String path = command.equals("alloclab") ? "alloclab" : "alloclab " + command;
        return e.getMessage() + " (see '" + path + " --help')";
    }

    /** Reads the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AlloclabCommand.class.getPackage().getImplementationVersion();
            return new String[] {"alloclab " + (version == null ? "(development build)" : version),
                    "Java " + Runtime.version() + " at " + System.getProperty("java.home")};
        }
    }
}
