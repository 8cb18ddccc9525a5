package io.github.alloclab.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.firstfit.FirstFitAllocator;
import io.github.alloclab.firstfit.FirstFitSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocatorRegistryTest {

    private final AllocatorRegistry registry = AllocatorRegistry.standard();

    @Test
    void namesAreLowercaseAndDescribed() {
        assertThat(registry.names()).contains("firstfit");
        for (AllocatorSpec<?> spec : registry.specs()) {
            assertThat(spec.name()).matches("[a-z0-9]+([.-][a-z0-9]+)*");
            assertThat(spec.description()).isNotBlank();
        }
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertThatThrownBy(() -> registry.create("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown allocator 'nope'; known allocators: " + String.join(", ", registry.names()));
    }

    @Test
    void settingsAreTypedRecordsOverriddenByName() {
        assertThat(registry.spec("firstfit").settings())
                .containsEntry("chunkBytes", 4096L).containsEntry("trimThreshold", 131072L);
        try (var heap = (FirstFitAllocator) registry.create("firstfit", Map.of("trimThreshold", "64K", "chunkBytes", "0x2000"))) {
            assertThat(heap.settings()).isEqualTo(FirstFitSettings.DEFAULTS.withThresholds(8192, 65536, 128 * 1024));
        }
        assertThatThrownBy(() -> registry.create("firstfit", Map.of("chunk", "1")))
                .hasMessage("unknown setting 'chunk'; settings are [index, fit, order, coalescing, headerBytes, alignment,"
                        + " allocatedFooters, chunkBytes, trimThreshold, mmapThreshold, heapBytes, checked, redZoneBytes]");
        assertThatThrownBy(() -> registry.create("firstfit", Map.of("chunkBytes", "lots")))
                .hasMessageStartingWith("setting 'chunkBytes' needs a whole number");
        assertThatThrownBy(() -> registry.create("firstfit", Map.of("chunkBytes", "17")))
                .hasMessageContaining("multiple of the alignment (16)");
    }

    @Test
    void aNameCanBeRegisteredOnce() {
        var mine = new AllocatorRegistry();
        var spec = registry.spec("firstfit");
        mine.register(spec);
        assertThatThrownBy(() -> mine.register(spec)).hasMessageContaining("already registered");
    }
}
