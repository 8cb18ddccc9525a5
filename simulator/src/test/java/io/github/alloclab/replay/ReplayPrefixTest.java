package io.github.alloclab.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.TraceReader;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A prefix replay stops after exactly the operations asked for, with the trace's live blocks in the heap. */
class ReplayPrefixTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 777, 12_345, 25_106})
    void stopsAfterExactlyThatManyOperations(long ops) {
        TraceSource trace = BundledTraces.find("find_doc_gz.rep").orElseThrow();
        Map<Integer, Long> live = new HashMap<>(); // the trace's own account: id to requested bytes
        long line = 0;
        try (TraceReader reader = trace.open()) {
            for (long i = 0; i < ops; i++) {
                TraceOp op = reader.next();
                line = op.line();
                if (op.kind() == TraceOp.Kind.FREE) {
                    live.remove(op.id());
                } else {
                    live.put(op.id(), op.byteSize());
                }
            }
        }
        try (Allocator heap = AllocatorRegistry.standard().create("buddy")) {
            Replayer.Prefix prefix = new Replayer(ReplayOptions.UNTIMED).replayPrefix(trace, heap, ops);
            assertThat(prefix.valid()).as(prefix.error()).isTrue();
            assertThat(prefix.opsReplayed()).isEqualTo(ops);
            assertThat(prefix.totalOps()).isEqualTo(25_106);
            assertThat(prefix.line()).isEqualTo(line);
            assertThat(prefix.liveBlocks()).isEqualTo(live.size()).isEqualTo(heap.stats().liveBlocks());
            assertThat(prefix.payloadBytes()).isEqualTo(live.values().stream().mapToLong(Long::longValue).sum());
            assertThat(heap.check()).isEmpty();
        }
    }
}
