package io.github.alloclab.memory;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Generated sequences of mapping calls and accesses on a simulated source, checked against a brute-force
 * model that keeps one protection per page and one flag per touched page. The window is 48 pages wide and
 * holds the heap (break moves), fixed mappings, {@code mmap}, {@code munmap} and {@code mprotect}, so that
 * every kind of split and merge happens often.
 */
class SimulatedMemoryProperties {

    private static final long PAGE = 4096;
    /** Fixed mappings go in [BASE, BASE + 48 pages); the heap starts at BASE + 48 pages; the mmap area is above. */
    private static final long BASE = 0x10000000L;
    private static final int WINDOW = 48;
    private static final MemorySettings SETTINGS =
            new MemorySettings(BASE + WINDOW * PAGE, 16 * PAGE, BASE + (WINDOW + 16 + 16) * PAGE, 16 * PAGE, PAGE);
    private static final int ALL_PAGES = WINDOW + 32;
    private static final int[] PROTECTIONS = {Protection.NONE, Protection.READ, Protection.READ_WRITE,
            Protection.READ_EXECUTE, Protection.READ | Protection.WRITE | Protection.EXECUTE, Protection.WRITE};

    enum Kind { MAP_FIXED, MUNMAP, MPROTECT, MMAP, SBRK, READ, WRITE, EXECUTE }

    /** One step: {@code page} and {@code pages} pick a range in the window, {@code arg} a protection or size. */
    record Op(Kind kind, int page, int pages, int arg) {
        long address() {
            return BASE + page * PAGE;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case MAP_FIXED, MPROTECT -> "%s(page %d, %d pages, %s)".formatted(kind, page, pages,
                        Protection.letters(PROTECTIONS[arg % PROTECTIONS.length]));
                case MUNMAP -> "munmap(page %d, %d pages)".formatted(page, pages);
                case MMAP -> "mmap(%d pages)".formatted(pages);
                case SBRK -> "sbrk(%d)".formatted((arg - 8) * 1500L);
                default -> "%s(page %d + %d)".formatted(kind, page, arg * 500);
            };
        }
    }

    static Gen<Op> ops() {
        return integers().between(0, 99).zip(integers().between(0, ALL_PAGES - 1), integers().between(1, 8),
                integers().between(0, 16), (roll, page, pages, arg) -> new Op(
                        roll < 15 ? Kind.MAP_FIXED : roll < 25 ? Kind.MUNMAP : roll < 35 ? Kind.MPROTECT
                                : roll < 42 ? Kind.MMAP : roll < 50 ? Kind.SBRK : roll < 70 ? Kind.READ
                                : roll < 90 ? Kind.WRITE : Kind.EXECUTE,
                        page, pages, arg));
    }

    /** Page index (from BASE) to protection, for every mapped page; and the set of resident pages. */
    private static final class Model {
        final TreeMap<Integer, Integer> protection = new TreeMap<>();
        final Set<Integer> resident = new HashSet<>();
        long brk = SETTINGS.heapStart();

        void map(int from, int to, int prot) {
            unmap(from, to);
            for (int p = from; p < to; p++) {
                protection.put(p, prot);
            }
        }

        void unmap(int from, int to) {
            for (int p = from; p < to; p++) {
                protection.remove(p);
                resident.remove(p);
            }
        }

        boolean covers(int from, int to) {
            for (int p = from; p < to; p++) {
                if (!protection.containsKey(p)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static int pageOf(long address) {
        return (int) ((address - BASE) / PAGE);
    }

    private static void check(boolean condition, String what, Object... args) {
        if (!condition) {
            throw new AssertionError(what.formatted(args));
        }
    }

    private static void run(List<Op> ops) {
        Model model = new Model();
        try (var memory = new SimulatedMemorySource(SETTINGS)) {
            for (Op op : ops) {
                apply(memory, model, op);
                verify(memory, model, op);
            }
        }
    }

    private static void apply(SimulatedMemorySource memory, Model model, Op op) {
        int prot = PROTECTIONS[op.arg() % PROTECTIONS.length];
        int from = Math.min(op.page(), WINDOW - 1);
        int to = Math.min(from + op.pages(), WINDOW);
        switch (op.kind()) {
            case MAP_FIXED -> {
                memory.mapFixed(Vma.anonymous(BASE + from * PAGE, BASE + to * PAGE, prot, "", "test"));
                model.map(from, to, prot);
            }
            case MUNMAP -> {
                check(memory.munmap(op.address(), op.pages() * PAGE) == 0, "munmap failed");
                model.unmap(op.page(), op.page() + op.pages());
            }
            case MPROTECT -> {
                boolean covered = model.covers(op.page(), op.page() + op.pages());
                int result = memory.mprotect(op.address(), op.pages() * PAGE, prot);
                check(result == (covered ? 0 : -1), "mprotect returned %d, the model says %s", result, covered);
                if (covered) {
                    for (int p = op.page(); p < op.page() + op.pages(); p++) {
                        model.protection.put(p, prot);
                    }
                }
            }
            case MMAP -> {
                long address = memory.mmap(op.pages() * PAGE);
                if (address != MemorySource.FAILED) {
                    int first = pageOf(address);
                    for (int p = first; p < first + op.pages(); p++) {
                        check(!model.protection.containsKey(p), "mmap placed page %d over a mapping", p);
                    }
                    model.map(first, first + op.pages(), Protection.READ_WRITE);
                }
            }
            case SBRK -> {
                long increment = (op.arg() - 8) * 1500L;
                long old = memory.sbrk(increment);
                long target = model.brk + increment;
                boolean ok = target >= SETTINGS.heapStart() && target <= SETTINGS.heapStart() + SETTINGS.heapLimit();
                check((old != MemorySource.FAILED) == ok, "sbrk(%d) from 0x%x returned 0x%x", increment, model.brk, old);
                if (ok) {
                    int oldEnd = pageOf(model.brk + PAGE - 1);
                    int newEnd = pageOf(target + PAGE - 1);
                    if (newEnd < oldEnd) {
                        model.unmap(newEnd, oldEnd);
                    } else {
                        for (int p = oldEnd; p < newEnd; p++) {
                            model.protection.put(p, Protection.READ_WRITE);
                        }
                    }
                    model.brk = target;
                }
            }
            case READ, WRITE, EXECUTE -> access(memory, model, op);
        }
    }

    private static void access(SimulatedMemorySource memory, Model model, Op op) {
        AccessKind kind = AccessKind.valueOf(op.kind().name());
        long address = op.address() + op.arg() * 500L;
        int page = pageOf(address);
        Integer prot = model.protection.get(page);
        boolean allowed = prot != null && Protection.permits(prot, kind);
        String state = prot == null ? "unmapped" : Protection.letters(prot);
        try {
            switch (kind) {
                case READ -> memory.getByte(address);
                case WRITE -> memory.putByte(address, (byte) 1);
                case EXECUTE -> memory.fetchByte(address);
            }
            check(allowed, "%s at page %d (%s) should fault", kind, page, state);
            model.resident.add(page);
        } catch (SegmentationFault fault) {
            check(!allowed, "%s at page %d (%s) faulted: %s", kind, page, state, fault.getMessage());
            FaultReason expected = prot == null ? FaultReason.UNMAPPED
                    : prot == Protection.NONE ? FaultReason.NO_ACCESS
                    : kind == AccessKind.WRITE ? FaultReason.WRITE_TO_READ_ONLY
                    : FaultReason.EXECUTE_NOT_EXECUTABLE;
            check(fault.reason() == expected, "%s at page %d: reason %s, expected %s", kind, page, fault.reason(), expected);
        }
    }

    private static void verify(SimulatedMemorySource memory, Model model, Op op) {
        List<Vma> vmas = memory.vmas();
        for (int i = 0; i < vmas.size(); i++) {
            Vma v = vmas.get(i);
            check(v.start() % PAGE == 0 && v.end() % PAGE == 0 && v.start() < v.end(), "after %s: bad area %s", op, v);
            if (i > 0) {
                check(vmas.get(i - 1).end() <= v.start(), "after %s: %s overlaps %s", op, vmas.get(i - 1), v);
                check(!vmas.get(i - 1).canMergeWith(v), "after %s: %s and %s should be one area", op, vmas.get(i - 1), v);
            }
        }
        TreeMap<Integer, Integer> seen = new TreeMap<>();
        for (Vma v : vmas) {
            for (long a = v.start(); a < v.end(); a += PAGE) {
                seen.put(pageOf(a), v.protection());
            }
        }
        check(seen.equals(model.protection), "after %s: pages %s, the model has %s", op, seen, model.protection);
        check(memory.residentBytes() == model.resident.size() * PAGE, "after %s: RSS %d pages, %d touched",
                op, memory.residentBytes() / PAGE, model.resident.size());
        long perArea = vmas.stream().mapToLong(v -> memory.residentBytes(v.start(), v.end())).sum();
        check(perArea == memory.residentBytes(), "after %s: RSS per area adds up to %d, total %d",
                op, perArea, memory.residentBytes());
    }

    @Test
    void areasNeverOverlapAndMatchThePageModel() {
        qt().withFixedSeed(0x5E6F).withExamples(300).withShrinkCycles(500)
                .forAll(lists().of(ops()).ofSizeBetween(1, 60))
                .checkAssert(SimulatedMemoryProperties::run);
    }

    @Test
    void permissionChecksAgreeWithTheBruteForceModel() {
        // Mostly accesses, on a few mappings: every verdict and reason is compared with the model in access().
        Gen<Op> accessHeavy = ops().map(op -> op.kind() == Kind.MUNMAP && op.page() % 3 != 0
                ? new Op(Kind.READ, op.page(), op.pages(), op.arg()) : op);
        qt().withFixedSeed(0xACCE55).withExamples(300).withShrinkCycles(500)
                .forAll(lists().of(accessHeavy).ofSizeBetween(1, 80))
                .checkAssert(SimulatedMemoryProperties::run);
    }

    @Test
    void rssEqualsTheNumberOfTouchedPagesStillMapped() {
        Gen<Op> touchHeavy = ops().map(op -> op.kind() == Kind.EXECUTE ? new Op(Kind.WRITE, op.page(), op.pages(), op.arg()) : op);
        qt().withFixedSeed(0x455).withExamples(300).withShrinkCycles(500)
                .forAll(lists().of(touchHeavy).ofSizeBetween(1, 80))
                .checkAssert(SimulatedMemoryProperties::run);
    }
}
