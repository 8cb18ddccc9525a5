package io.github.alloclab.generate;

import io.github.alloclab.trace.TraceOp;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A workload drawn from a table of sizes and lifetimes ({@link HistogramRow}): each allocation picks a row
 * with probability proportional to its weight, a size uniform in the row's range, and an exponential lifetime
 * of the row's mean. Rows with an infinite lifetime are never freed, like a program's long-lived data; the
 * rest are freed by the end.
 *
 * <p>Reads {@code seed}, {@code ops} ({@code ops / 2} allocations, a little fewer operations when some blocks
 * are never freed) and {@code table}.
 */
final class HistogramGenerator implements TraceGenerator {

    @Override
    public List<TraceOp> generate(GeneratorSettings s) {
        List<HistogramRow> table = s.table();
        if (table.isEmpty()) {
            throw new IllegalArgumentException("the histogram generator needs a table: --table FILE");
        }
        double[] cumulative = new double[table.size()];
        double total = 0;
        for (int i = 0; i < table.size(); i++) {
            total += table.get(i).weight();
            cumulative[i] = total;
        }
        double sum = total;
        TraceBuilder trace = new TraceBuilder();
        Lifetimes lifetimes = new Lifetimes(trace);
        lifetimes.run(Math.max(1, s.ops() / 2), random -> {
            double u = random.nextDouble() * sum;
            int row = 0;
            while (row < cumulative.length - 1 && cumulative[row] <= u) {
                row++;
            }
            HistogramRow r = table.get(row);
            long size = r.minSize() == r.maxSize() ? r.minSize() : random.nextLong(r.minSize(), r.maxSize() + 1);
            return new Lifetimes.Request(size, r.meanLifetime());
        }, new SplittableRandom(s.seed()));
        lifetimes.drain();
        return trace.ops();
    }
}
