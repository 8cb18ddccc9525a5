package io.github.alloclab.testing;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;

/**
 * Generated traces that make sense: every free and realloc names a live block, each id is allocated once.
 * A step's {@code roll} picks the operation, {@code target} a live block (modulo their count).
 */
public final class RandomTraces {

    private RandomTraces() {
    }

    /** One step of a generated trace. */
    public record Step(int roll, int target, long size) {
    }

    /** Sizes biased to small ones, with some around pages and a few large. */
    public static Gen<Long> sizes() {
        Gen<Long> small = integers().between(0, 200).map(Integer::longValue);
        Gen<Long> pages = integers().between(-2, 2).zip(integers().between(1, 4), (d, p) -> (long) p * 4096 + d);
        Gen<Long> large = integers().between(1, 200_000).map(Integer::longValue);
        return small.mix(pages, 20).mix(large, 10);
    }

    public static Gen<List<Step>> steps(int maxLength) {
        return lists().of(integers().between(0, 99).zip(integers().between(0, 1000), sizes(), Step::new))
                .ofSizeBetween(1, maxLength);
    }

    /** {@return the operations the steps describe} */
    public static List<TraceOp> ops(List<Step> steps) {
        List<TraceOp> ops = new ArrayList<>();
        List<Integer> live = new ArrayList<>();
        int nextId = 0;
        long line = 5;
        for (Step s : steps) {
            if (live.isEmpty() || s.roll() < 50) {
                ops.add(new TraceOp(TraceOp.Kind.ALLOC, nextId, s.size(), line++));
                live.add(nextId++);
            } else if (s.roll() < 65) {
                ops.add(new TraceOp(TraceOp.Kind.REALLOC, live.get(s.target() % live.size()), Math.max(1, s.size()), line++));
            } else {
                int id = live.remove(s.target() % live.size());
                ops.add(new TraceOp(TraceOp.Kind.FREE, id, 0, line++));
            }
        }
        return ops;
    }

    /** {@return the operations as a classic {@code .rep} trace} */
    public static String rep(List<TraceOp> ops) {
        StringBuilder b = new StringBuilder();
        int ids = ops.stream().mapToInt(TraceOp::id).max().orElse(-1) + 1;
        b.append("0\n").append(ids).append('\n').append(ops.size()).append("\n1\n");
        for (TraceOp op : ops) {
            switch (op.kind()) {
                case ALLOC -> b.append("a ").append(op.id()).append(' ').append(op.byteSize());
                case REALLOC -> b.append("r ").append(op.id()).append(' ').append(op.byteSize());
                case FREE -> b.append("f ").append(op.id());
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** {@return a trace source over some text} */
    public static TraceSource source(String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new TraceSource(name, () -> new ByteArrayInputStream(bytes));
    }
}
