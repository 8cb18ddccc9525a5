package io.github.alloclab.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.TraceSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Replays on {@code firstfit.checked} where the program has a memory bug, simulated by a wrapper that writes
 * where a buggy program would: checked mode reports it and the replay stops on the trace line where it showed.
 */
class CheckedReplayTest {

    private static final Replayer CHECKS_ONLY = new Replayer(ReplayOptions.UNTIMED);

    /** Lines 5..: a 0 40 / a 1 40 / f 0 / a 2 40 / f 1 / f 2. */
    private static final TraceSource TRACE = new TraceSource("bugs.rep", () -> new ByteArrayInputStream("""
            4096
            3
            6
            1
            a 0 40
            a 1 40
            f 0
            a 2 40
            f 1
            f 2
            """.getBytes(StandardCharsets.UTF_8)));

    enum ProgramBug { OVERFLOW_OF_ID_1, WRITE_AFTER_FREE_OF_ID_0, DOUBLE_FREE_OF_ID_0 }

    /** {@code firstfit.checked}, with the program's bug done to it at the right moment. */
    private static final class BuggyProgram implements Allocator {
        private final Allocator inner = AllocatorRegistry.standard().create("firstfit.checked");
        private final ProgramBug bug;
        private int mallocs;
        private long first;

        BuggyProgram(ProgramBug bug) {
            this.bug = bug;
        }

        @Override
        public long malloc(long byteSize) {
            long p = inner.malloc(byteSize);
            if (++mallocs == 1) {
                first = p;
            }
            if (bug == ProgramBug.OVERFLOW_OF_ID_1 && mallocs == 2) {
                inner.memory().putByte(p + byteSize, (byte) 0); // one byte past the end: the classic off-by-one
            }
            return p;
        }

        @Override
        public void free(long address) {
            inner.free(address);
            if (address == first && bug == ProgramBug.WRITE_AFTER_FREE_OF_ID_0) {
                inner.memory().putLong(address + 16, 42); // a dangling pointer, written through
            }
            if (address == first && bug == ProgramBug.DOUBLE_FREE_OF_ID_0) {
                inner.free(address);
            }
        }

        @Override public String name() { return "buggy"; }
        @Override public MemorySource memory() { return inner.memory(); }
        @Override public long alignment() { return inner.alignment(); }
        @Override public long calloc(long count, long byteSize) { return inner.calloc(count, byteSize); }
        @Override public long realloc(long address, long byteSize) { return inner.realloc(address, byteSize); }
        @Override public long usableSize(long address) { return inner.usableSize(address); }
        @Override public long memalign(long byteAlignment, long byteSize) { return inner.memalign(byteAlignment, byteSize); }
        @Override public HeapStats stats() { return inner.stats(); }
        @Override public List<Violation> check() { return inner.check(); }
        @Override public void walk(Consumer<Block> visitor) { inner.walk(visitor); }
        @Override public void close() { inner.close(); }
    }

    private static ReplayResult replay(ProgramBug bug) {
        return CHECKS_ONLY.replay(TRACE, "buggy", () -> new BuggyProgram(bug));
    }

    @Test
    void anOverflowStopsTheReplayAtTheFreeThatFindsIt() {
        ReplayResult r = replay(ProgramBug.OVERFLOW_OF_ID_1);
        assertThat(r.valid()).isFalse();
        assertThat(r.error()).startsWith("line 9: free of id 1 failed: memory clobbered past end of allocated block (address 0x");
    }

    @Test
    void aWriteAfterFreeStopsTheReplayAtTheMallocThatReusesTheBlock() {
        ReplayResult r = replay(ProgramBug.WRITE_AFTER_FREE_OF_ID_0);
        assertThat(r.valid()).isFalse();
        assertThat(r.error()).startsWith("line 8: malloc(40) of id 2 failed: malloc(): use after free: freed memory was written");
    }

    @Test
    void aDoubleFreeStopsTheReplayAtTheSecondFree() {
        ReplayResult r = replay(ProgramBug.DOUBLE_FREE_OF_ID_0);
        assertThat(r.valid()).isFalse();
        assertThat(r.error()).isEqualTo("line 7: free of id 0 failed: free(): double free detected (address 0x%x)"
                .formatted(0x5555_5555_9000L + 0x40));
    }

    @Test
    void aCorrectProgramReplaysCleanlyInCheckedModeAndReportsTheLongestSearch() {
        ReplayResult r = CHECKS_ONLY.replay(BundledTraces.find("git_log_stat.rep").orElseThrow(), "firstfit.checked",
                () -> AllocatorRegistry.standard().create("firstfit.checked", Map.of()));
        assertThat(r.error()).isNull();
        assertThat(r.searchSteps().sampledEvery()).as("the allocator counts its longest search itself").isEqualTo(1);
        assertThat(r.searchSteps().max()).isGreaterThanOrEqualTo((long) Math.ceil(r.searchSteps().mean()));
    }
}
