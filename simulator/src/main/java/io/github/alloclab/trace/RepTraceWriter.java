package io.github.alloclab.trace;

import java.io.Writer;

/**
 * Writes a CS:APP {@code .rep} trace. The classic header is the suggested heap size (peak live payload rounded
 * up to 4 KiB, as the bundled traces have it), ids, ops and a weight of 1; the 15-213 header is the weight 1,
 * ids, ops and the peak live payload.
 */
final class RepTraceWriter extends TraceWriter {

    RepTraceWriter(Writer out, TraceProfile profile, RepTraceReader.Variant variant) {
        super(out);
        if (variant == RepTraceReader.Variant.CLASSIC) {
            line(Long.toString(profile.suggestedHeapBytes()));
            line(Integer.toString(profile.ids()));
            line(Long.toString(profile.ops()));
            line("1");
        } else {
            line("1");
            line(Integer.toString(profile.ids()));
            line(Long.toString(profile.ops()));
            line(Long.toString(profile.peakLiveBytes()));
        }
    }

    @Override
    public void write(TraceOp op) {
        StringBuilder b = builder();
        switch (op.kind()) {
            case ALLOC -> b.append("a ").append(op.id()).append(' ').append(op.byteSize());
            case REALLOC -> b.append("r ").append(op.id()).append(' ').append(op.byteSize());
            case FREE -> b.append("f ").append(op.id());
        }
        line(b);
    }
}
