package io.github.alloclab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the {@code alloclab} command line: its exit code and what it printed on each stream. */
record CliRun(int exit, String out, String err) {

    /** {@return the run of {@code alloclab ARGS}} */
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AlloclabCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(exit, out.toString(), err.toString());
    }
}
