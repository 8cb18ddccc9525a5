package io.github.alloclab.contract;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.registry.AllocatorRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;

/**
 * Generated command sequences (malloc, calloc, realloc, free, memalign), run on every registry entry and
 * checked after every step against a model: the map of live blocks to their sizes and fill bytes. The heap
 * checker must stay clean, no block may overlap another, every block must keep its contents, and freeing all
 * must leave no live block. QuickTheories shrinks a failing sequence to a short one.
 */
@ParameterizedClass(name = "{0} over {1}")
@MethodSource("io.github.alloclab.contract.AllocatorContractTest#allocatorsAndSources")
class AllocatorProperties {

    @Parameter(0)
    String name;

    @Parameter(1)
    MemoryKind memory;

    /** One step. {@code target} picks a live block (modulo their count); {@code size} and {@code alignment} as named. */
    record Command(Kind kind, int target, long size, long alignment) {
        enum Kind { MALLOC, CALLOC, REALLOC, FREE, MEMALIGN }

        @Override
        public String toString() {
            return switch (kind) {
                case MALLOC -> "malloc(%d)".formatted(size);
                case CALLOC -> "calloc(1, %d)".formatted(size);
                case REALLOC -> "realloc(#%d, %d)".formatted(target, size);
                case FREE -> "free(#%d)".formatted(target);
                case MEMALIGN -> "memalign(%d, %d)".formatted(alignment, size);
            };
        }
    }

    /** Sizes biased to edges: tiny, around powers of two and pages, and the mmap threshold. */
    static Gen<Long> sizes() {
        Gen<Long> small = integers().between(0, 300).map(Integer::longValue);
        Gen<Long> edges = integers().between(0, 17).zip(integers().between(-1, 1),
                (power, delta) -> Math.max(0, (1L << power) + delta));
        Gen<Long> large = integers().between(1, 300_000).map(Integer::longValue);
        Gen<Long> threshold = integers().between(-1, 1).map(delta -> 128 * 1024L + delta);
        return small.mix(edges, 40).mix(large, 15).mix(threshold, 5);
    }

    static Gen<Command> commands() {
        return integers().between(0, 99).zip(integers().between(0, 1000), sizes(), integers().between(4, 13),
                (roll, target, size, alignShift) -> new Command(
                        roll < 40 ? Command.Kind.MALLOC
                                : roll < 45 ? Command.Kind.CALLOC
                                : roll < 60 ? Command.Kind.REALLOC
                                : roll < 95 ? Command.Kind.FREE
                                : Command.Kind.MEMALIGN,
                        target, size, 1L << alignShift));
    }

    @Test
    void commandSequencesKeepEveryInvariant() {
        qt().withFixedSeed(0xA110C)
                .withExamples(40)
                .withShrinkCycles(200)
                .forAll(lists().of(commands()).ofSizeBetween(1, 120))
                .checkAssert(this::run);
    }

    private void run(List<Command> commands) {
        try (Allocator heap = AllocatorRegistry.standard().create(name, memory.create(MemorySettings.DEFAULTS),
                Map.of())) {
            Model model = new Model(heap);
            for (int step = 0; step < commands.size(); step++) {
                Command c = commands.get(step);
                model.apply(c);
                model.verify("after step " + step + " " + c);
            }
            for (long address : new ArrayList<>(model.live.keySet())) {
                heap.free(address);
                model.live.remove(address);
            }
            model.verify("after freeing everything");
            if (heap.stats().liveBlocks() != 0 || heap.stats().mappedBytes() != 0) {
                throw new AssertionError("live blocks or mappings remain after freeing everything: " + heap.stats());
            }
        }
    }

    /** Live blocks by address: size and fill byte. */
    private static final class Model {
        final Allocator heap;
        final TreeMap<Long, long[]> live = new TreeMap<>();
        int nextFill = 1;

        Model(Allocator heap) {
            this.heap = heap;
        }

        void apply(Command c) {
            switch (c.kind()) {
                case MALLOC -> add(heap.malloc(c.size()), c.size(), c);
                case CALLOC -> {
                    long p = heap.calloc(1, c.size());
                    expectBytes(p, c.size(), (byte) 0, c);
                    add(p, c.size(), c);
                }
                case MEMALIGN -> {
                    long p = heap.memalign(c.alignment(), c.size());
                    if (p % c.alignment() != 0) {
                        throw new AssertionError(c + " returned misaligned 0x" + Long.toHexString(p));
                    }
                    add(p, c.size(), c);
                }
                case REALLOC -> {
                    if (live.isEmpty()) {
                        add(heap.realloc(0, c.size()), c.size(), c);
                        return;
                    }
                    long old = pick(c.target());
                    long[] block = live.remove(old);
                    long p = heap.realloc(old, c.size());
                    if (c.size() == 0) {
                        if (p != 0) {
                            throw new AssertionError("realloc(p, 0) should free and return NULL");
                        }
                        return;
                    }
                    expectBytes(p, Math.min(block[0], c.size()), (byte) block[1], c);
                    add(p, c.size(), c);
                }
                case FREE -> {
                    if (!live.isEmpty()) {
                        long p = pick(c.target());
                        live.remove(p);
                        heap.free(p);
                    }
                }
            }
        }

        private long pick(int target) {
            return live.keySet().stream().skip(target % live.size()).findFirst().orElseThrow();
        }

        private void add(long p, long size, Command c) {
            if (p == 0) {
                throw new AssertionError(c + " returned NULL with memory to spare");
            }
            if (p % heap.alignment() != 0 || heap.usableSize(p) < size) {
                throw new AssertionError(c + " returned a misaligned or short block at 0x" + Long.toHexString(p));
            }
            byte fill = (byte) nextFill++;
            heap.memory().fill(p, size, fill);
            live.put(p, new long[] {size, fill});
        }

        /** Checks eight bytes at a time where it can; a mismatch is then found byte by byte. */
        private void expectBytes(long p, long length, byte value, Command c) {
            long word = 0x0101_0101_0101_0101L * (value & 0xFF);
            long i = 0;
            while (i + 8 <= length && heap.memory().getLong(p + i) == word) {
                i += 8;
            }
            for (; i < length; i++) {
                if (heap.memory().getByte(p + i) != value) {
                    throw new AssertionError("%s: byte %d is 0x%02x, expected 0x%02x"
                            .formatted(c, i, heap.memory().getByte(p + i), value));
                }
            }
        }

        void verify(String when) {
            List<Violation> violations = heap.check();
            if (!violations.isEmpty()) {
                throw new AssertionError("heap check " + when + ": " + violations);
            }
            long end = Long.MIN_VALUE;
            for (var e : live.entrySet()) {
                if (e.getKey() < end) {
                    throw new AssertionError("overlap " + when + " at 0x" + Long.toHexString(e.getKey()));
                }
                end = e.getKey() + Math.max(e.getValue()[0], 1);
                expectBytes(e.getKey(), e.getValue()[0], (byte) e.getValue()[1], null);
            }
            if (heap.stats().liveBlocks() != live.size()) {
                throw new AssertionError("%s: the allocator counts %d live blocks, the model %d"
                        .formatted(when, heap.stats().liveBlocks(), live.size()));
            }
        }
    }

    static Stream<String> allocators() {
        return AllocatorContractTest.allocators();
    }
}
