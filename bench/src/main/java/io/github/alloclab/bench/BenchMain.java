package io.github.alloclab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What {@code ./alloclab bench} runs: JMH with its own arguments, or {@code --summary RESULT.json}.
 *
 * <p>Unless {@code -p allocator=...} is given, the {@code allocator} parameter takes every registry name and
 * every baseline that can run on this machine; a missing native library is reported in one line and left out.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException | CommandLineOptionException | RunnerException | java.io.IOException e) {
            System.err.println("alloclab bench: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws CommandLineOptionException, RunnerException, java.io.IOException {
        if (args.length > 0 && args[0].equals("--summary")) {
            return BenchSummary.run(Arrays.copyOfRange(args, 1, args.length));
        }
        CommandLineOptions cli = new CommandLineOptions(args);
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListProfilers() || cli.shouldListResultFormats()
                || cli.shouldListWithParams()) {
            org.openjdk.jmh.Main.main(args);
            return 0;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
        if (cli.getParameter("allocator").hasValue()) {
            cli.getParameter("allocator").get().forEach(BenchHeap::of); // unknown names fail before JMH starts
        } else {
            List<String> skipped = new ArrayList<>();
            List<String> names = BenchHeap.available(skipped);
            skipped.forEach(System.err::println);
            options.param("allocator", names.toArray(String[]::new));
        }
        new Runner(options.build()).run();
        return 0;
    }
}
