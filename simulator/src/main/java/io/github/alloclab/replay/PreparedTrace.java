package io.github.alloclab.replay;

import io.github.alloclab.trace.TraceProfile;
import io.github.alloclab.trace.TraceSource;

/**
 * A trace ready to replay on many allocators: its {@link TraceProfile} (read once), the packed arrays that
 * timed runs use, and glibc's reference throughput, each computed once, when first needed.
 */
public final class PreparedTrace {

    private final TraceSource source;
    private final TraceProfile profile;
    private PackedTrace packed;
    private Double referenceOpsPerSecond;

    /**
     * Reads the trace once, for its profile.
     *
     * @throws io.github.alloclab.trace.TraceFormatException if it is malformed or inconsistent
     */
    public PreparedTrace(TraceSource source) {
        this.source = source;
        this.profile = TraceProfile.of(source);
    }

    public TraceSource source() {
        return source;
    }

    public TraceProfile profile() {
        return profile;
    }

    PackedTrace packed() {
        if (packed == null) {
            packed = new PackedTrace(source);
        }
        return packed;
    }

    /** {@return glibc's throughput on this trace, timing it on first use; 0 if glibc ran out of memory} */
    double referenceOpsPerSecond(ReplayOptions options) {
        if (referenceOpsPerSecond == null && profile.ops() > Replayer.MAX_PACKED_OPS) {
            long elapsed = GlibcReference.runStreaming(source);
            referenceOpsPerSecond = elapsed < 0 ? 0 : profile.ops() / (Math.max(elapsed, 1) / 1e9);
        }
        if (referenceOpsPerSecond == null) {
            PackedTrace trace = packed();
            long best = Long.MAX_VALUE;
            long total = 0;
            for (int run = 0; run < options.maxTimedRuns()
                    && (run < options.minTimedRuns() || total < options.minTimedNanos()); run++) {
                long elapsed = GlibcReference.runOnce(trace);
                if (elapsed < 0) {
                    best = Long.MAX_VALUE;
                    break;
                }
                best = Math.min(best, elapsed);
                total += elapsed;
            }
            referenceOpsPerSecond = best == Long.MAX_VALUE || trace.size() == 0 ? 0 : trace.size() / (Math.max(best, 1) / 1e9);
        }
        return referenceOpsPerSecond;
    }
}
