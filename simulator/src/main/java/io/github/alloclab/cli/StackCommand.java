package io.github.alloclab.cli;

import io.github.alloclab.files.InputFiles;
import io.github.alloclab.stack.Convention;
import io.github.alloclab.stack.StackJson;
import io.github.alloclab.stack.StackRun;
import io.github.alloclab.stack.StackSimulator;
import io.github.alloclab.stack.StackView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab stack}: run a small C program and watch its frames, registers and overflow. */
@Command(name = "stack",
        header = "Run a small C program and watch its stack frames.", mixinStandardHelpOptions = true,
        description = "Run a program in a small subset of C (int, long, char, pointers, arrays, globals, if, "
                + "while, calls, recursion) under a calling convention, with every push, spill and local a real load "
                + "or store in a simulated process's stack. Shows each step with its registers, and at each call and "
                + "return a picture of the stack, gdb's bt and x/8wx $esp. Unbounded recursion ends in a stack "
                + "overflow in the guard area below the stack, as a real process gets SIGSEGV.",
        footer = {"", "Example: alloclab stack --convention sysv docs/examples/classic.c"})
final class StackCommand implements Callable<Integer> {

    /** How {@code stack} prints a run. */
    enum Format { text, json }

    @Parameters(paramLabel = "FILE.c", description = "The program; it must define main.")
    Path source;

    @Option(names = "--convention", paramLabel = "NAME", defaultValue = "cdecl", converter = ConventionConverter.class,
            description = "cdecl (i386: all arguments pushed) or sysv (x86-64: rdi, rsi, ... then the stack); default: ${DEFAULT-VALUE}.")
    Convention convention;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--step", description = "Wait for Enter after each step (text only); at the end of input, run on.")
    boolean step;

    @Option(names = "--stack-limit", paramLabel = "SIZE", defaultValue = "8M", converter = SizeConverter.class,
            description = "The stack's rlimit, ulimit -s, such as 64K or 8M (default: ${DEFAULT-VALUE}).")
    long stackLimit;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + StackSimulator.Options.DEFAULT_SHOWN_STEPS,
            description = "Show at most N steps: the first and the last N/2 of a longer run (default: ${DEFAULT-VALUE}).")
    int shownSteps;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "" + StackSimulator.Options.DEFAULT_SHOWN_FRAMES,
            description = "Draw at most N frames in a picture or bt: the innermost ones and main (default: ${DEFAULT-VALUE}).")
    int shownFrames;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "" + StackSimulator.Options.DEFAULT_MAX_STEPS,
            description = "Give up after N steps, on a program that may never end (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    @Mixin
    QuizMixin quiz;

    @Spec
    CommandSpec spec;

    /**
     * The answers of a quiz: the registers after each step, the value in each stack slot, the words
     * {@code x/8wx} shows, the return addresses in {@code bt}, the value a function returns and the exit status.
     * The program, the steps, the slots' addresses and their labels are the question.
     */
    static final List<QuizMixin.Mask> ANSWERS = List.of(
            QuizMixin.Mask.compact("\\b[er](?:bp|sp|ip|ax)=(\\S+)"),
            QuizMixin.Mask.aligned("^ +0x[0-9a-f]+ \\| +(\\S.*?) \\| "),
            QuizMixin.Mask.compact("(?:^ +0x[0-9a-f]+:|\\G)\\t(0x[0-9a-f]+)"),
            QuizMixin.Mask.compact("^ +#\\d+ +(0x[0-9a-f]+) in "),
            QuizMixin.Mask.compact("is about to return (\\S+) in "),
            QuizMixin.Mask.compact(" returned to \\S+, with (\\S+) in "),
            QuizMixin.Mask.compact("^ *\\d+ +_start +exit\\((-?\\d+)\\)"),
            QuizMixin.Mask.compact("^ +[er]bp = (0x[0-9a-f]+), outside"),
            QuizMixin.Mask.compact("^exit status (\\d+)"));

    @Override
    public Integer call() {
        if (step && format != Format.text) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--step works with --format text only");
        }
        quiz.requireText(format == Format.text, format.name());
        String text = InputFiles.readText(source);
        StackRun run = StackSimulator.run(source.toString(), text,
                new StackSimulator.Options(convention, stackLimit, maxSteps, shownSteps, shownFrames));
        var out = quiz.mask(spec.commandLine().getOut(), ANSWERS);
        if (format == Format.json) {
            out.println(StackJson.write(run));
            out.flush();
        } else {
            StackView.print(run, out, step ? new EnterPause(out) : () -> { });
            out.flush();
        }
        return 0;
    }

    /** Waits for a line on standard input; once it ends, waits no more. */
    static final class EnterPause implements Runnable {
        /** What {@code --step} prints before it waits. */
        static final String PROMPT = "-- Enter: next step --";

        private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        private final PrintWriter out;
        private boolean ended;

        EnterPause(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void run() {
            if (ended) {
                return;
            }
            out.println(PROMPT);
            out.flush();
            try {
                ended = in.readLine() == null;
            } catch (IOException e) {
                ended = true;
            }
        }
    }

    static final class ConventionConverter implements CommandLine.ITypeConverter<Convention> {
        @Override
        public Convention convert(String value) {
            try {
                return Convention.of(value.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'%s' is not a calling convention; use cdecl or sysv"
                        .formatted(value));
            }
        }
    }

    /** Sizes such as {@code 65536}, {@code 64K}, {@code 8M}, {@code 1G}: powers of 1024. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            long unit = 1;
            if (v.endsWith("K") || v.endsWith("M") || v.endsWith("G")) {
                unit = switch (v.charAt(v.length() - 1)) {
                    case 'K' -> 1L << 10;
                    case 'M' -> 1L << 20;
                    default -> 1L << 30;
                };
                v = v.substring(0, v.length() - 1);
            }
            try {
                long n = Long.parseLong(v);
                if (n <= 0 || n > (1L << 40) / unit) {
                    throw new NumberFormatException();
                }
                return n * unit;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'%s' is not a size such as 64K or 8M".formatted(value));
            }
        }
    }
}
