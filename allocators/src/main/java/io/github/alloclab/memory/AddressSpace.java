package io.github.alloclab.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ordered set of {@link Vma}s of one simulated process, as Linux keeps them in its maple tree.
 *
 * <h2>Invariants</h2>
 * <pre>
 *  A1  start(v) &lt; end(v), both page-aligned, for every area v
 *  A2  end(v) &lt;= start(w) for consecutive areas v, w                              (no two areas overlap)
 *  A3  not canMergeWith(v, w) for consecutive areas v, w                          (neighbours that could be one are one)
 * </pre>
 * Every change keeps them: {@link #remove} splits the areas it cuts, {@link #insert} and {@link #protect}
 * merge what became mergeable.
 *
 * <p>Not thread-safe.
 */
final class AddressSpace {

    private final TreeMap<Long, Vma> byStart = new TreeMap<>();

    /** {@return the area holding {@code address}, or {@code null}} */
    Vma find(long address) {
        Map.Entry<Long, Vma> e = byStart.floorEntry(address);
        return e != null && e.getValue().end() > address ? e.getValue() : null;
    }

    /** {@return the lowest area starting above {@code address}, or {@code null}} */
    Vma above(long address) {
        Map.Entry<Long, Vma> e = byStart.higherEntry(address);
        return e == null ? null : e.getValue();
    }

    /** {@return the highest area ending at or below {@code address}, or {@code null}} */
    Vma below(long address) {
        Map.Entry<Long, Vma> e = byStart.floorEntry(address);
        while (e != null && e.getValue().end() > address) {
            e = byStart.lowerEntry(e.getKey());
        }
        return e == null ? null : e.getValue();
    }

    /** {@return whether any area overlaps {@code [start, end)}} */
    boolean overlaps(long start, long end) {
        Map.Entry<Long, Vma> e = byStart.lowerEntry(end);
        return e != null && e.getValue().end() > start;
    }

    /** {@return whether areas cover every byte of {@code [start, end)}} */
    boolean covers(long start, long end) {
        long cursor = start;
        while (cursor < end) {
            Vma v = find(cursor);
            if (v == null) {
                return false;
            }
            cursor = v.end();
        }
        return true;
    }

    /** {@return the areas that overlap {@code [start, end)}, in address order} */
    List<Vma> overlapping(long start, long end) {
        List<Vma> found = new ArrayList<>();
        Map.Entry<Long, Vma> first = byStart.floorEntry(start);
        Long from = first != null && first.getValue().end() > start ? first.getKey() : Long.valueOf(start);
        for (Vma v : byStart.subMap(from, true, end, false).values()) {
            found.add(v);
        }
        return found;
    }

    /**
     * Removes {@code [start, end)} from the address space: areas inside it go, areas that straddle its ends
     * are split.
     *
     * @return the pieces removed, in address order
     */
    List<Vma> remove(long start, long end) {
        List<Vma> removed = new ArrayList<>();
        for (Vma v : overlapping(start, end)) {
            byStart.remove(v.start());
            if (v.start() < start) {
                byStart.put(v.start(), v.slice(v.start(), start));
            }
            if (end < v.end()) {
                byStart.put(end, v.slice(end, v.end()));
            }
            removed.add(v.slice(Math.max(v.start(), start), Math.min(v.end(), end)));
        }
        return removed;
    }

    /** Adds an area where none is, merging it with neighbours it can merge with. */
    void insert(Vma vma) {
        if (overlaps(vma.start(), vma.end())) {
            throw new IllegalStateException("area " + vma + " overlaps another");
        }
        byStart.put(vma.start(), vma);
        mergeAround(vma.start(), vma.end());
    }

    /** Replaces {@code old}, which must be present, with {@code updated}, which may cover more or less. */
    void replace(Vma old, Vma updated) {
        if (byStart.remove(old.start()) != old) {
            throw new IllegalStateException("area " + old + " is not in the address space");
        }
        insert(updated);
    }

    /** Gives every area in {@code [start, end)} the protection {@code protection}, splitting at the ends. */
    void protect(long start, long end, int protection) {
        for (Vma piece : remove(start, end)) {
            byStart.put(piece.start(), piece.withProtection(protection));
        }
        mergeAround(start, end);
    }

    /** Gives every area in {@code [start, end)} the label {@code label}, splitting at the ends. */
    void relabel(long start, long end, String label) {
        for (Vma piece : remove(start, end)) {
            byStart.put(piece.start(), piece.withLabel(label));
        }
        mergeAround(start, end);
    }

    /** Merges mergeable neighbours among the areas touching {@code [start, end]}. */
    private void mergeAround(long start, long end) {
        Map.Entry<Long, Vma> e = byStart.lowerEntry(start);
        if (e == null) {
            e = byStart.ceilingEntry(start);
        }
        while (e != null && e.getKey() <= end) {
            Map.Entry<Long, Vma> next = byStart.higherEntry(e.getKey());
            if (next != null && e.getValue().canMergeWith(next.getValue())) {
                Vma merged = e.getValue().slice(e.getValue().start(), next.getValue().end());
                byStart.remove(next.getKey());
                byStart.put(merged.start(), merged);
                e = byStart.floorEntry(merged.start());
            } else {
                e = next;
            }
        }
    }

    /**
     * {@return the highest {@code a} with {@code [a, a + length)} free and inside {@code [low, high)}}, or
     * {@link MemorySource#FAILED} if there is none: Linux's top-down {@code get_unmapped_area}.
     */
    long gapTopDown(long low, long high, long length) {
        long ceiling = high;
        for (Vma v : byStart.headMap(high, false).descendingMap().values()) {
            if (v.end() <= ceiling && ceiling - Math.max(v.end(), low) >= length) {
                break;
            }
            ceiling = Math.min(ceiling, v.start());
            if (ceiling - low < length) {
                return MemorySource.FAILED;
            }
        }
        return ceiling - low >= length ? ceiling - length : MemorySource.FAILED;
    }

    /** {@return every area, in address order} */
    List<Vma> list() {
        return List.copyOf(byStart.values());
    }

    int size() {
        return byStart.size();
    }
}
