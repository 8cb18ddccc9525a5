package io.github.alloclab.cli;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.cli.HeapErrorCommand.Kind;
import io.github.alloclab.memory.SegmentationFault;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.registry.AllocatorRegistry;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The error-detection matrix: how often an allocator detects each heap mistake of {@code heaperror}, over seeded
 * randomized trials.
 *
 * <p>A <b>trial</b> runs on a fresh allocator over a simulated process's memory (so that a heap corrupted past
 * the allocator's checks faults as a process would, instead of reading outside a segment):
 * <ol>
 *   <li>{@code malloc} 2 to 8 live blocks of random sizes (1 to 64 bytes mostly, some up to 1 KiB and 8 KiB),
 *       and pick one of them, {@code p} of {@code byteSize} bytes;</li>
 *   <li>make the mistake on {@code p}:
 *     <ul>
 *       <li>double free: {@code free(p); free(p)};</li>
 *       <li>invalid pointer: {@code free(a)} for an address {@code a} no {@code malloc} returned, half the time
 *           inside the heap but outside every live payload (just before a payload, or in the gap between two),
 *           half the time outside it (below the heap, or past its end);</li>
 *       <li>interior pointer: {@code free(p + 16)} or {@code free(p + byteSize / 2)}, inside the payload;</li>
 *       <li>overflow: change the byte {@code p[byteSize]}, then {@code free(p)} or {@code check()};</li>
 *       <li>underflow: change the byte {@code p[-1]}, then {@code free(p)} or {@code check()};</li>
 *       <li>use after free: {@code free(p)}, change one byte of the payload, then {@code malloc(byteSize)} or
 *           {@code check()};</li>
 *     </ul>
 *     A write always changes the byte (it stores the old value with its bits flipped): a store of the value
 *     already there is invisible to any checker;</li>
 *   <li>{@code check()}, unless a call already threw.</li>
 * </ol>
 * The mistake is <b>detected</b> when a call in steps 2 and 3 throws {@link HeapCorruptionException} or
 * {@code check()} reports a violation. A {@link SegmentationFault} is the process crashing, as in C; any other
 * exception is a bug in the allocator.
 */
final class DetectionMatrix {

    /** What one trial ended with. */
    enum Outcome {
        /** A {@link HeapCorruptionException} of the kind the mistake is. */
        CAUGHT,
        /** A {@link HeapCorruptionException} of another kind. */
        CAUGHT_OTHER_KIND,
        /** No exception, but {@code check()} reported a violation. */
        CHECKED,
        /** Nothing noticed. */
        MISSED,
        /** The simulated process crashed: a {@link SegmentationFault}. */
        FAULT,
        /** Any other exception: a bug. */
        BROKEN;

        boolean detected() {
            return this == CAUGHT || this == CAUGHT_OTHER_KIND || this == CHECKED;
        }
    }

    /** The outcomes of all trials of one mistake on one allocator. */
    record Tally(int trials, int[] counts) {

        Tally(int trials) {
            this(trials, new int[Outcome.values().length]);
        }

        int count(Outcome outcome) {
            return counts[outcome.ordinal()];
        }

        int detected() {
            int n = 0;
            for (Outcome o : Outcome.values()) {
                n += o.detected() ? counts[o.ordinal()] : 0;
            }
            return n;
        }

        /** {@return the detection rate in percent, to one decimal} */
        String percent() {
            return "%.1f".formatted(100.0 * detected() / trials);
        }
    }

    private DetectionMatrix() {
    }

    /** {@return the tally of {@code trials} trials of {@code kind} on {@code allocator}, seeded from {@code seed}} */
    static Tally run(AllocatorRegistry registry, String allocator, Kind kind, int trials, long seed) {
        return run(registry, allocator, Map.of(), kind, trials, seed);
    }

    /** {@return the tally of {@code trials} trials of {@code kind} on {@code allocator} with {@code settings}} */
    static Tally run(AllocatorRegistry registry, String allocator, Map<String, String> settings, Kind kind,
            int trials, long seed) {
        Tally tally = new Tally(trials);
        for (int i = 0; i < trials; i++) {
            // One seed per trial, the same for every allocator: each allocator sees the same programs.
            long trialSeed = new SplittableRandom(seed * 31 + i * 7919L + kind.ordinal()).nextLong();
            tally.counts()[trial(registry, allocator, settings, kind, trialSeed).ordinal()]++;
        }
        return tally;
    }

    /** {@return what one trial of {@code kind} on a fresh {@code allocator} ended with} */
    static Outcome trial(AllocatorRegistry registry, String allocator, Map<String, String> settings, Kind kind,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try (Allocator heap = registry.create(allocator, new SimulatedMemorySource(), settings)) {
            int count = 2 + random.nextInt(7);
            long[] payloads = new long[count];
            long[] sizes = new long[count];
            for (int i = 0; i < count; i++) {
                sizes[i] = size(random, kind == Kind.INTERIOR ? 2 : 1);
                payloads[i] = heap.malloc(sizes[i]);
                if (payloads[i] == 0) {
                    throw new IllegalStateException("malloc(%d) returned NULL on %s".formatted(sizes[i], allocator));
                }
            }
            if (!heap.check().isEmpty()) {
                throw new IllegalStateException(allocator + ": check() reports violations on a correct heap");
            }
            int t = random.nextInt(count);
            long p = payloads[t];
            long byteSize = sizes[t];
            try {
                boolean viaCheck = random.nextBoolean();
                switch (kind) {
                    case DOUBLE_FREE -> {
                        heap.free(p);
                        heap.free(p);
                    }
                    case INVALID -> heap.free(invalidAddress(random, payloads, sizes));
                    case INTERIOR -> heap.free(byteSize > 16 && random.nextBoolean() ? p + 16 : p + byteSize / 2);
                    case OVERFLOW -> {
                        flip(heap, p + byteSize);
                        if (!viaCheck) {
                            heap.free(p);
                        }
                    }
                    case UNDERFLOW -> {
                        flip(heap, p - 1);
                        if (!viaCheck) {
                            heap.free(p);
                        }
                    }
                    case USE_AFTER_FREE -> {
                        heap.free(p);
                        flip(heap, p + random.nextLong(byteSize));
                        if (!viaCheck) {
                            heap.malloc(byteSize);
                        }
                    }
                }
                return heap.check().isEmpty() ? Outcome.MISSED : Outcome.CHECKED;
            } catch (HeapCorruptionException e) {
                return e.kind() == expected(kind) ? Outcome.CAUGHT : Outcome.CAUGHT_OTHER_KIND;
            } catch (SegmentationFault e) {
                return Outcome.FAULT;
            } catch (RuntimeException e) {
                return Outcome.BROKEN;
            }
        }
    }

    static CorruptionKind expected(Kind kind) {
        return switch (kind) {
            case DOUBLE_FREE -> CorruptionKind.DOUBLE_FREE;
            case INVALID -> CorruptionKind.INVALID_POINTER;
            case INTERIOR -> CorruptionKind.INTERIOR_POINTER;
            case OVERFLOW -> CorruptionKind.OVERFLOW;
            case UNDERFLOW -> CorruptionKind.UNDERFLOW;
            case USE_AFTER_FREE -> CorruptionKind.USE_AFTER_FREE;
        };
    }

    /** Mostly small blocks, as programs allocate: 3 in 4 of 1 to 64 bytes, then up to 1 KiB, a few up to 8 KiB. */
    private static long size(SplittableRandom random, int least) {
        int pick = random.nextInt(16);
        long most = pick < 12 ? 64 : pick < 15 ? 1024 : 8192;
        return least + random.nextLong(most - least + 1);
    }

    /** An address no malloc returned, and not inside a live payload (that is an interior pointer). */
    private static long invalidAddress(SplittableRandom random, long[] payloads, long[] sizes) {
        long low = Long.MAX_VALUE;
        long high = 0;
        for (int i = 0; i < payloads.length; i++) {
            low = Math.min(low, payloads[i]);
            high = Math.max(high, payloads[i] + sizes[i]);
        }
        return switch (random.nextInt(4)) {
            case 0 -> payloads[random.nextInt(payloads.length)] - 16;   // a header or a red zone
            case 1 -> {
                // A 16-aligned address between the first and last payloads that is in none of them.
                for (int tries = 0; tries < 64; tries++) {
                    long a = (low + random.nextLong(high - low)) & -16L;
                    if (outsideAll(a, payloads, sizes)) {
                        yield a;
                    }
                }
                yield low - 16;
            }
            case 2 -> 0x10000 + 16 * random.nextLong(0x1000);        // below the heap, unmapped
            default -> ((high + 0xfff) & -0x1000L) + 16 * random.nextLong(0x10000);   // past the heap's end
        };
    }

    private static boolean outsideAll(long address, long[] payloads, long[] sizes) {
        for (int i = 0; i < payloads.length; i++) {
            if (address >= payloads[i] && address < payloads[i] + sizes[i]) {
                return false;
            }
        }
        return true;
    }

    /** A store that changes the byte: its old value with every bit flipped. */
    private static void flip(Allocator heap, long address) {
        heap.memory().putByte(address, (byte) ~heap.memory().getByte(address));
    }
}
