package io.github.alloclab.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The observer sees each operation of the checked pass once, in order, after it, and never a timed run. */
class ReplayObserverTest {

    private static final String TRACE = "1000\n3\n5\n1\na 0 100\na 1 40\nr 0 300\nf 1\nf 0\n";

    @Test
    void seesEveryOperationOnceWithTheLiveBytesAndTheAddress() {
        TraceSource source = new TraceSource("t.rep",
                () -> new ByteArrayInputStream(TRACE.getBytes(StandardCharsets.UTF_8)));
        List<String> seen = new ArrayList<>();
        List<Long> addresses = new ArrayList<>();
        ReplayOptions timed = new ReplayOptions(true, 3, 3, 0, false, false);
        ReplayResult result = new Replayer(timed).replay(new PreparedTrace(source), "firstfit",
                () -> AllocatorRegistry.standard().create("firstfit"),
                (number, op, address, allocator, live) -> {
                    seen.add(number + " " + op.kind() + " " + live);
                    addresses.add(address);
                    if (op.kind() != TraceOp.Kind.FREE) {
                        assertThat(allocator.usableSize(address)).isGreaterThanOrEqualTo(op.byteSize());
                    }
                });
        assertThat(result.valid()).isTrue();
        assertThat(result.opsPerSecond()).as("the timed runs happened, unobserved").isPositive();
        assertThat(seen).containsExactly("1 ALLOC 100", "2 ALLOC 140", "3 REALLOC 340", "4 FREE 300", "5 FREE 0");
        assertThat(addresses.get(3)).as("free reports the address it released").isEqualTo(addresses.get(1));
        assertThat(addresses.get(4)).isEqualTo(addresses.get(2));
    }
}
