package io.github.alloclab.generate;

import java.util.List;

/**
 * What a generator is asked for. Each generator reads the settings that make sense for it; its javadoc says
 * which.
 *
 * @param seed         the seed: the same settings and seed give the same trace, byte for byte
 * @param ops          about how many operations to generate
 * @param minSize      the smallest request, in bytes
 * @param maxSize      the largest request, in bytes
 * @param meanLifetime the mean lifetime of a block, counted in allocations made after it
 * @param phases       how many phases a phased program goes through
 * @param table        the size and lifetime distribution of the histogram generator; empty for the others
 */
public record GeneratorSettings(long seed, int ops, long minSize, long maxSize, double meanLifetime, int phases,
                                List<HistogramRow> table) {

    /** 10,000 operations of 8 to 4,096 bytes, blocks living 100 allocations on average, 3 phases. */
    public static final GeneratorSettings DEFAULTS = new GeneratorSettings(1, 10_000, 8, 4096, 100, 3, List.of());

    public GeneratorSettings {
        if (ops < 1 || ops > 100_000_000) {
            throw new IllegalArgumentException("the number of operations must be between 1 and 100,000,000: " + ops);
        }
        if (minSize < 0 || maxSize < minSize || maxSize > 1L << 40) {
            throw new IllegalArgumentException("sizes must satisfy 0 <= min <= max <= 1 TiB: min %d, max %d"
                    .formatted(minSize, maxSize));
        }
        if (!(meanLifetime >= 1)) {
            throw new IllegalArgumentException("the mean lifetime must be at least 1 allocation: " + meanLifetime);
        }
        if (phases < 1 || phases > 1000) {
            throw new IllegalArgumentException("the number of phases must be between 1 and 1000: " + phases);
        }
        table = List.copyOf(table);
    }

    public GeneratorSettings withSeed(long newSeed) {
        return new GeneratorSettings(newSeed, ops, minSize, maxSize, meanLifetime, phases, table);
    }

    public GeneratorSettings withOps(int newOps) {
        return new GeneratorSettings(seed, newOps, minSize, maxSize, meanLifetime, phases, table);
    }

    public GeneratorSettings withTable(List<HistogramRow> newTable) {
        return new GeneratorSettings(seed, ops, minSize, maxSize, meanLifetime, phases, newTable);
    }
}
