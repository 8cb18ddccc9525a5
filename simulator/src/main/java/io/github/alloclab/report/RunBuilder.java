package io.github.alloclab.report;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a heap's blocks, in address order, into the runs one timeline row draws.
 *
 * <p>A picture a thousand pixels wide cannot show 100,000 blocks apart, and a file that tried would weigh
 * hundreds of megabytes. So blocks merge:
 * <ol>
 *   <li>a block of the same state that starts where the last run ends extends it (a row of allocated blocks
 *       is one bar, as the eye sees it anyway);</li>
 *   <li>a block narrower than {@code granularity} that starts less than {@code granularity} bytes after the
 *       last run ends, while that run is still narrower than {@code granularity}, joins it, making it a mixed
 *       run, coloured by the state with most bytes: small blocks of different states fill cells about
 *       {@code granularity} wide, and a block wide enough to see is always drawn alone;</li>
 *   <li>anything else starts a new run, so a gap wider than {@code granularity} (the space between the heap
 *       and a mapping, say) always shows.</li>
 *   <li>neighbouring mixed cells of the same colour then merge, so a long stretch of small blocks, mostly
 *       allocated, is one bar, split only where the colour the eye would see changes.</li>
 * </ol>
 * With {@code granularity = extent / R}, a row has at most about {@code 2 R} runs however many blocks the
 * heap holds: a run that another run follows is at least {@code granularity} wide, or ends at a gap of at
 * least {@code granularity}, or both.
 */
public final class RunBuilder {

    private final long granularity;
    private final List<BlockRun> runs = new ArrayList<>();
    private long start = -1;
    private long end;
    private long blocks;
    private final long[] bytes = new long[BlockState.values().length];
    private BlockState state;

    /** @param granularity the narrowest run, in bytes, that is kept apart from its neighbour; at least 1 */
    public RunBuilder(long granularity) {
        if (granularity < 1) {
            throw new IllegalArgumentException("granularity must be at least 1 byte, not " + granularity);
        }
        this.granularity = granularity;
    }

    /**
     * Adds the next block. Blocks come in address order; a block that overlaps the run before it (a walk that
     * reports a region and then its parts) counts only for the bytes past that run's end.
     */
    public void add(Block block) {
        if (start >= 0 && block.address() < end) {
            if (block.end() <= end) {
                return;
            }
            block = new Block(end, block.end() - end, block.payload(), block.usable(), block.state());
        }
        if (block.byteSize() <= 0) {
            return;
        }
        boolean same = start >= 0 && block.address() == end && state == block.state();
        boolean tooThin = start >= 0 && block.address() - end < granularity && end - start < granularity
                && block.byteSize() < granularity;
        if (same || tooThin) {
            if (state != block.state()) {
                state = null; // mixed from now on
            }
        } else {
            flush();
            start = block.address();
            state = block.state();
        }
        end = block.end();
        blocks++;
        bytes[block.state().ordinal()] += block.byteSize();
    }

    /** {@return the runs of every block added} */
    public List<BlockRun> runs() {
        flush();
        return List.copyOf(runs);
    }

    private void flush() {
        if (start >= 0) {
            BlockRun run = new BlockRun(start, end, blocks, bytes[BlockState.ALLOCATED.ordinal()],
                    bytes[BlockState.FREE.ordinal()], bytes[BlockState.METADATA.ordinal()]);
            BlockRun last = runs.isEmpty() ? null : runs.getLast();
            if (last != null && run.mixed() && last.mixed() && last.state() == run.state()
                    && run.start() - last.end() < granularity) {
                runs.set(runs.size() - 1, new BlockRun(last.start(), run.end(), last.blocks() + run.blocks(),
                        last.allocatedBytes() + run.allocatedBytes(), last.freeBytes() + run.freeBytes(),
                        last.metadataBytes() + run.metadataBytes()));
            } else {
                runs.add(run);
            }
        }
        start = -1;
        blocks = 0;
        java.util.Arrays.fill(bytes, 0);
    }
}
