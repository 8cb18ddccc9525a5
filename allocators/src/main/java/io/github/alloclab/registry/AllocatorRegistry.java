package io.github.alloclab.registry;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.buddy.BuddyAllocator;
import io.github.alloclab.buddy.BuddySettings;
import io.github.alloclab.firstfit.Coalescing;
import io.github.alloclab.firstfit.FirstFitAllocator;
import io.github.alloclab.firstfit.FirstFitSettings;
import io.github.alloclab.firstfit.Fit;
import io.github.alloclab.firstfit.FreeIndex;
import io.github.alloclab.firstfit.ListOrder;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.malloc.MallocAllocator;
import io.github.alloclab.malloc.MallocSettings;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.page.PageAllocator;
import io.github.alloclab.page.PageSettings;
import io.github.alloclab.slab.SlabAllocator;
import io.github.alloclab.slab.SlabSettings;
import io.github.alloclab.zone.ZoneAllocator;
import io.github.alloclab.zone.ZoneSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every allocator by name. The registry is explicit code, one {@link #register} call per allocator, so that
 * what is available can be read here rather than discovered.
 *
 * {@snippet :
 * AllocatorRegistry registry = AllocatorRegistry.standard();
 * for (AllocatorSpec<?> spec : registry.specs()) {
 *     System.out.println(spec.name() + ": " + spec.description());
 * }
 * try (Allocator heap = registry.create("firstfit", Map.of("trimThreshold", "64K"))) {
 *     long p = heap.malloc(24);
 * }
 * }
 */
public final class AllocatorRegistry {

    private static final FirstFitSettings FIRST_FIT = FirstFitSettings.DEFAULTS;

    private static final AllocatorRegistry STANDARD = new AllocatorRegistry()
            .register(new AllocatorSpec<>("firstfit",
                    "explicit free list, first fit, LIFO order, boundary tags, immediate coalescing (CS:APP 9.9)",
                    FIRST_FIT, FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.implicit.next",
                    "implicit list (every block searched through its header), next fit, header and footer on every block (CS:APP 9.9.6)",
                    FIRST_FIT.withOrder(ListOrder.ADDRESS).withIndex(FreeIndex.IMPLICIT).withFit(Fit.NEXT),
                    FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.first.address",
                    "explicit free list in address order, first fit (Wilson et al.: little fragmentation)",
                    FIRST_FIT.withOrder(ListOrder.ADDRESS), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.first.fifo",
                    "explicit free list, freed blocks at the back (FIFO), first fit",
                    FIRST_FIT.withOrder(ListOrder.FIFO), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.next.address",
                    "explicit free list in address order, next fit (the search resumes where the last one stopped)",
                    FIRST_FIT.withFit(Fit.NEXT).withOrder(ListOrder.ADDRESS), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.best.address",
                    "explicit free list in address order, best fit (the smallest block that fits)",
                    FIRST_FIT.withFit(Fit.BEST).withOrder(ListOrder.ADDRESS), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.worst.address",
                    "explicit free list in address order, worst fit (the largest block)",
                    FIRST_FIT.withFit(Fit.WORST).withOrder(ListOrder.ADDRESS), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.first.size-asc",
                    "explicit free list sorted by size, smallest first; first fit is then nearly best fit",
                    FIRST_FIT.withOrder(ListOrder.SIZE_ASC), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.first.size-desc",
                    "explicit free list sorted by size, largest first; first fit is then worst fit in one step",
                    FIRST_FIT.withOrder(ListOrder.SIZE_DESC), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.first.lifo.deferred",
                    "explicit LIFO list, first fit, coalescing deferred until a search fails",
                    FIRST_FIT.withCoalescing(Coalescing.DEFERRED), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.first.lifo.uncoalesced",
                    "explicit LIFO list, first fit, no coalescing at all",
                    FIRST_FIT.withCoalescing(Coalescing.NONE), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.segregated",
                    "segregated fits: a list per size class, best fit within a class, footers only in free blocks (CS:APP 9.9.14)",
                    FIRST_FIT.withIndex(FreeIndex.SEGREGATED).withFit(Fit.BEST).withOrder(ListOrder.ADDRESS)
                            .withAllocatedFooters(false), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("firstfit.checked",
                    "firstfit in checked mode: red zones, poison, and exact diagnosis of double and invalid frees",
                    FIRST_FIT.withChecked(true), FirstFitAllocator::new))
            .register(new AllocatorSpec<>("buddy",
                    "binary buddy: 16 B to 32 KiB power-of-two blocks in 64 KiB brk arenas, order map out of band,"
                            + " mmap above (Knowlton 1965, Knuth 2.5)",
                    BuddySettings.DEFAULTS, BuddyAllocator::new))
            .register(new AllocatorSpec<>("buddy.header",
                    "binary buddy with a 16-byte header in front of each block instead of an order map",
                    BuddySettings.HEADERS, BuddyAllocator::new))
            .register(new AllocatorSpec<>("buddy.mmap",
                    "binary buddy whose 64 KiB arenas are each mapped with mmap, unmapped when empty",
                    BuddySettings.MAPPED, BuddyAllocator::new))
            .register(new AllocatorSpec<>("page",
                    "runs of 4 KiB pages from 1 MiB mmap chunks, best fit by size then address, free neighbours"
                            + " merged, empty chunks unmapped (Netty PoolChunk, the kernel's page layer)",
                    PageSettings.DEFAULTS, PageAllocator::new))
            .register(new AllocatorSpec<>("slab",
                    "Bonwick's slab allocator: kmalloc caches of 16 B to 8 KiB with full, partial and empty slab lists,"
                            + " free lists inside slabs, colouring, reaping, per-thread magazines; pages above"
                            + " (USENIX 1994, 2001)",
                    SlabSettings.DEFAULTS, SlabAllocator::new))
            .register(new AllocatorSpec<>("slab.nomagazine",
                    "the slab allocator without its magazine layer: every object from a slab, every double free"
                            + " caught by the slab's bitmap; single-threaded (Bonwick 1994)",
                    SlabSettings.NO_MAGAZINES, SlabAllocator::new))
            .register(new AllocatorSpec<>("zone",
                    "Mach's zone allocator: kalloc zones of 16 B to 8 KiB, each a LIFO free list over chunks of pages,"
                            + " grown up to an enforced maximum, zone_gc under pressure; pages above (Mach zalloc, UMA)",
                    ZoneSettings.DEFAULTS, ZoneAllocator::new))
            .register(new AllocatorSpec<>("malloc",
                    "the composite: slab-backed bins up to 64 B, segregated best fit for medium requests, mmap from"
                            + " 128 KiB with glibc's dynamic threshold, trim; mallinfo2 and the byte ladder",
                    MallocSettings.DEFAULTS, MallocAllocator::new));

    private final Map<String, AllocatorSpec<?>> specs = new LinkedHashMap<>();

    /** An empty registry, to fill with {@link #register}. */
    public AllocatorRegistry() {
    }

    /** {@return the registry of every allocator alloclab ships} */
    public static AllocatorRegistry standard() {
        return STANDARD;
    }

    /**
     * Adds an allocator.
     *
     * @return this registry
     * @throws IllegalArgumentException if the name is taken
     */
    public AllocatorRegistry register(AllocatorSpec<?> spec) {
        if (specs.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalArgumentException("an allocator named '" + spec.name() + "' is already registered");
        }
        return this;
    }

    /** {@return every registered allocator, in registration order} */
    public List<AllocatorSpec<?>> specs() {
        return Collections.unmodifiableList(new ArrayList<>(specs.values()));
    }

    /** {@return the names of every registered allocator, in registration order} */
    public List<String> names() {
        return List.copyOf(specs.keySet());
    }

    /** {@return the allocator of that name, if registered} */
    public Optional<AllocatorSpec<?>> find(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    /**
     * {@return the allocator of that name}
     *
     * @throws IllegalArgumentException naming the known allocators, if there is none of that name
     */
    public AllocatorSpec<?> spec(String name) {
        AllocatorSpec<?> spec = specs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown allocator '%s'; known allocators: %s"
                    .formatted(name, String.join(", ", specs.keySet())));
        }
        return spec;
    }

    /** {@return a new allocator of that name with default settings over a new flat memory source} */
    public Allocator create(String name) {
        return create(name, Map.of());
    }

    /** {@return a new allocator of that name with some settings overridden, over a new flat memory source} */
    public Allocator create(String name, Map<String, String> overrides) {
        return create(name, new FlatMemorySource(MemorySettings.DEFAULTS), overrides);
    }

    /**
     * {@return a new allocator of that name over {@code memory}}, which it then owns. If making the allocator
     * fails, {@code memory} is closed.
     */
    public Allocator create(String name, MemorySource memory, Map<String, String> overrides) {
        try {
            return spec(name).create(memory, overrides);
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
    }
}
