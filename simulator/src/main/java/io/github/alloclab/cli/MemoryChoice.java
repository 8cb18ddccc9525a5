package io.github.alloclab.cli;

import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.memory.SimulatedMemorySource;

/** The memory source a replay runs its allocators over. */
public enum MemoryChoice {
    /** The fast source: no page accounting. */
    flat,
    /** The simulated process: page table, demand paging, RSS and fault counts, permission checks. */
    simulated;

    MemorySource create() {
        return create(MemorySettings.DEFAULTS);
    }

    /** {@return a source of this kind with these limits ({@code --heap-limit}, {@code --mmap-limit})} */
    MemorySource create(MemorySettings settings) {
        return this == flat ? new FlatMemorySource(settings) : new SimulatedMemorySource(settings);
    }
}
