package io.github.alloclab.contract;

import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.memory.SimulatedMemorySource;
import java.util.function.Function;

/** The memory sources every allocator is tested over: one code path, two kernels under it. */
enum MemoryKind {
    /** The fast source: one reservation per region, no page accounting. */
    FLAT(FlatMemorySource::new),
    /** The simulated process: VMAs, page table, demand paging, faults on every stray access. */
    SIMULATED(SimulatedMemorySource::new);

    private final Function<MemorySettings, MemorySource> factory;

    MemoryKind(Function<MemorySettings, MemorySource> factory) {
        this.factory = factory;
    }

    MemorySource create(MemorySettings settings) {
        return factory.apply(settings);
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
