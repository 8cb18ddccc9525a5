package io.github.alloclab.cli;

import io.github.alloclab.replay.ReplayProgress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error for long replays (me.tongfei:progressbar), counted in checked operations;
 * the bar's message says which allocator and trace, and when the timed runs are on. It is shown only when the
 * session is a terminal (stdin and stdout both, as {@link java.io.Console#isTerminal()} says), so output that
 * is piped or redirected stays clean, and only when the work is long enough to need one.
 */
final class TerminalProgress implements ReplayProgress, AutoCloseable {

    /** Below this many checked operations, a replay is over before a bar would help. */
    static final long MIN_OPS = 100_000;

    private final ProgressBar bar;

    private TerminalProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** {@return a bar on standard error if this session is a terminal and the work is long, else nothing} */
    static Handle open(long totalOps) {
        var console = System.console();
        return open(totalOps, console != null && console.isTerminal(), System.err, 0);
    }

    /**
     * {@return a bar on {@code out} if {@code terminal} and the work is long, else nothing}
     *
     * @param width the bar's width in characters, or 0 for the terminal's
     */
    static Handle open(long totalOps, boolean terminal, PrintStream out, int width) {
        if (!terminal || totalOps < MIN_OPS) {
            return new Handle(ReplayProgress.NONE, null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("replay")
                .setInitialMax(totalOps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" ops", 1)
                .setUpdateIntervalMillis(200)
                .setConsumer(width > 0 ? new ConsoleProgressBarConsumer(out, width) : new ConsoleProgressBarConsumer(out))
                .clearDisplayOnFinish()
                .build();
        TerminalProgress progress = new TerminalProgress(bar);
        return new Handle(progress, progress);
    }

    /** The progress to report to, and the bar to close when done (null when there is none). */
    record Handle(ReplayProgress progress, TerminalProgress bar) implements AutoCloseable {
        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    @Override
    public void advanced(long ops) {
        bar.stepBy(ops);
    }

    @Override
    public void phase(String what) {
        bar.setExtraMessage(what);
    }

    @Override
    public void close() {
        bar.close();
    }
}
