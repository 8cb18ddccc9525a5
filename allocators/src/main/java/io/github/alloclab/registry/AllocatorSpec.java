package io.github.alloclab.registry;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.memory.MemorySource;
import java.util.Map;

/**
 * One registry entry: a named allocator, its settings record with defaults, and how to make it.
 *
 * @param name        the registry name, lowercase, {@code family} or {@code family.variant}
 * @param description one line on the algorithm
 * @param defaults    the settings used when none are given: a record whose components are the tunables
 * @param factory     makes the allocator over a memory source, with given settings
 * @param <S>         the settings record type
 */
public record AllocatorSpec<S extends Record>(String name, String description, S defaults, Factory<S> factory) {

    /** Makes an allocator of one kind. */
    @FunctionalInterface
    public interface Factory<S extends Record> {
        Allocator create(String name, MemorySource memory, S settings);
    }

    /** {@return a new allocator with the default settings over {@code memory}, which it then owns} */
    public Allocator create(MemorySource memory) {
        return factory.create(name, memory, defaults);
    }

    /**
     * {@return a new allocator over {@code memory} with some settings overridden by name}
     *
     * @throws IllegalArgumentException for an unknown setting or a value that does not parse or fit
     */
    public Allocator create(MemorySource memory, Map<String, String> overrides) {
        return factory.create(name, memory, RecordSettings.override(defaults, overrides));
    }

    /** {@return the settings and their default values, in declaration order} */
    public Map<String, Object> settings() {
        return RecordSettings.describe(defaults);
    }
}
