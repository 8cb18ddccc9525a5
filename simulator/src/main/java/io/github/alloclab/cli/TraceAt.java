package io.github.alloclab.cli;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.replay.ReplayOptions;
import io.github.alloclab.replay.Replayer;
import io.github.alloclab.trace.TraceSource;
import java.io.PrintWriter;

/** A trace replayed, checked, up to an operation, for the commands that then show an allocator's state. */
final class TraceAt {

    private TraceAt() {
    }

    /**
     * Replays the first {@code at} operations of {@code source} (all of them when {@code at} is null) on
     * {@code heap}. {@return where it stopped, or null after printing the allocator's failure to {@code err}}
     */
    static Replayer.Prefix replay(TraceSource source, Allocator heap, String allocator, Long at, PrintWriter err) {
        long ops;
        if (at != null) {
            ops = at;
        } else {
            try (var reader = source.openRep()) {
                ops = reader.header().ops();
            }
        }
        Replayer.Prefix prefix = new Replayer(ReplayOptions.UNTIMED).replayPrefix(source, heap, ops);
        if (!prefix.valid()) {
            err.printf("alloclab: %s on %s: %s%n", allocator, source.name(), prefix.error());
            err.flush();
            return null;
        }
        return prefix;
    }
}
