package io.github.alloclab.report;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.replay.PreparedTrace;
import io.github.alloclab.replay.ReplayOptions;
import io.github.alloclab.replay.ReplayProgress;
import io.github.alloclab.replay.ReplayResult;
import io.github.alloclab.replay.Replayer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Replays traces on allocators, checked and untimed, and keeps what a report draws: each allocator's timeline
 * rows at the same sampled operations (so that the heaps line up side by side) and its plot points.
 *
 * <p>The replay is the one {@code alloclab replay} runs, with every integrity check; only the timed passes
 * are left out, because a report is about memory, and so that the same inputs always give the same page.
 */
public final class ReportBuilder {

    /** Plot points per trace, evenly spaced: about one per pixel of a plot. */
    public static final int PLOT_POINTS = 1000;

    private final int maxRows;
    private final Function<String, Allocator> allocators;
    private final ReplayProgress progress;

    /**
     * @param maxRows    the timeline rows per trace, evenly spaced (the operation at peak live payload is added)
     * @param allocators makes a fresh allocator from a registry name
     * @param progress   hears how far the replays have got
     * @throws IllegalArgumentException if {@code maxRows < 2}
     */
    public ReportBuilder(int maxRows, Function<String, Allocator> allocators, ReplayProgress progress) {
        if (maxRows < 2) {
            throw new IllegalArgumentException("--max-rows must be at least 2, not " + maxRows);
        }
        this.maxRows = maxRows;
        this.allocators = allocators;
        this.progress = progress;
    }

    /** {@return the report of one trace on every named allocator, in that order} */
    public TraceReport build(PreparedTrace trace, List<String> allocatorNames) {
        var profile = trace.profile();
        long[] rowOps = OpSampling.choose(profile.ops(), maxRows, profile.peakLiveOp());
        long[] pointOps = OpSampling.choose(profile.ops(), PLOT_POINTS, profile.peakLiveOp());
        Replayer replayer = new Replayer(ReplayOptions.UNTIMED, progress);
        List<ReportRun> runs = new ArrayList<>();
        for (String name : allocatorNames) {
            HeapRecorder recorder = new HeapRecorder(rowOps, pointOps);
            ReplayResult result = replayer.replay(trace, name, () -> allocators.apply(name), recorder);
            runs.add(new ReportRun(name, result, recorder.rows(), recorder.points()));
        }
        return new TraceReport(trace.source().name(), profile.ops(), profile.peakLiveOp(), rowOps, runs);
    }
}
