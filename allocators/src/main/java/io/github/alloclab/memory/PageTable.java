package io.github.alloclab.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A four-level radix page table, as x86-64 walks one: from virtual page numbers to page-table entries
 * ({@link PteLayout}), in off-heap tables of 512 eight-byte entries each.
 *
 * <pre>
 *  virtual page number (36 bits, for 48-bit addresses with 4 KiB pages)
 *  35        27 26        18 17         9 8          0
 *  +-----------+------------+------------+-----------+
 *  | PML4 index| PDPT index |  PD index  |  PT index |
 *  +-----------+------------+------------+-----------+
 *       |            |            |            |
 *  root table --> PDPT table --> PD table --> PT table --> PTE
 * </pre>
 *
 * A table is made on the first {@link #set} below it and kept until {@link #close()}; {@link #tablePages()}
 * counts them, as Linux's {@code VmPTE} does. Page numbers at or beyond {@code 2^36} have no entry.
 *
 * <p>Not thread-safe.
 */
public final class PageTable implements AutoCloseable {

    /** Bits of the page number that each level indexes. */
    public static final int BITS_PER_LEVEL = 9;
    /** Levels of tables: PML4, PDPT, PD, PT. */
    public static final int LEVELS = 4;
    /** Page numbers below this have entries. */
    public static final long VPN_LIMIT = 1L << (BITS_PER_LEVEL * LEVELS);

    private static final int ENTRIES = 1 << BITS_PER_LEVEL;
    private static final long TABLE_BYTES = ENTRIES * 8L;
    private static final ValueLayout.OfLong ENTRY = ValueLayout.JAVA_LONG;

    private final Arena arena = Arena.ofShared();
    /** Every table, root first; an upper-level entry holds {@code index << 12 | P}. */
    private final List<MemorySegment> tables = new ArrayList<>();

    /** Visits a present entry during {@link #update}. */
    @FunctionalInterface
    public interface Visitor {
        /** {@return the new entry for page {@code vpn}: {@code pte} to keep it, 0 to remove it} */
        long visit(long vpn, long pte);
    }

    public PageTable() {
        tables.add(arena.allocate(TABLE_BYTES, TABLE_BYTES));
    }

    private static int index(long vpn, int level) {
        return (int) (vpn >>> (BITS_PER_LEVEL * (LEVELS - 1 - level))) & (ENTRIES - 1);
    }

    /** {@return the entry of page {@code vpn}, or 0 if it has none} */
    public long get(long vpn) {
        if (vpn < 0 || vpn >= VPN_LIMIT) {
            return 0;
        }
        MemorySegment table = tables.getFirst();
        for (int level = 0; level < LEVELS - 1; level++) {
            long next = table.getAtIndex(ENTRY, index(vpn, level));
            if (next == 0) {
                return 0;
            }
            table = tables.get((int) (next >>> 12));
        }
        return table.getAtIndex(ENTRY, index(vpn, LEVELS - 1));
    }

    /**
     * Sets the entry of page {@code vpn}, making the tables on the way as needed.
     *
     * @throws IllegalArgumentException if {@code vpn} is outside {@code [0, 2^36)}
     */
    public void set(long vpn, long pte) {
        if (vpn < 0 || vpn >= VPN_LIMIT) {
            throw new IllegalArgumentException("virtual page number 0x%x is beyond the page table".formatted(vpn));
        }
        MemorySegment table = tables.getFirst();
        for (int level = 0; level < LEVELS - 1; level++) {
            int i = index(vpn, level);
            long next = table.getAtIndex(ENTRY, i);
            if (next == 0) {
                if (pte == 0) {
                    return; // nothing to clear below a missing table
                }
                next = (long) tables.size() << 12 | PteLayout.PRESENT;
                tables.add(arena.allocate(TABLE_BYTES, TABLE_BYTES));
                table.setAtIndex(ENTRY, i, next);
            }
            table = tables.get((int) (next >>> 12));
        }
        table.setAtIndex(ENTRY, index(vpn, LEVELS - 1), pte);
    }

    /**
     * Visits every non-zero entry for pages in {@code [fromVpn, toVpn)} in page order, replacing each with what
     * the visitor returns. Missing tables are skipped whole, so sparse ranges cost little.
     */
    public void update(long fromVpn, long toVpn, Visitor visitor) {
        long from = Math.max(fromVpn, 0);
        long to = Math.min(toVpn, VPN_LIMIT);
        if (from < to) {
            walk(tables.getFirst(), 0, 0, from, to, visitor);
        }
    }

    private void walk(MemorySegment table, int level, long base, long from, long to, Visitor visitor) {
        int shift = BITS_PER_LEVEL * (LEVELS - 1 - level);
        long span = 1L << shift; // pages under one entry of this level
        int first = (int) (Math.max(from - base, 0) >>> shift);
        long last = Math.min((to - 1 - base) >>> shift, ENTRIES - 1);
        for (int i = first; i <= last; i++) {
            long entry = table.getAtIndex(ENTRY, i);
            if (entry == 0) {
                continue;
            }
            long vpn = base + i * span;
            if (level == LEVELS - 1) {
                long replaced = visitor.visit(vpn, entry);
                if (replaced != entry) {
                    table.setAtIndex(ENTRY, i, replaced);
                }
            } else {
                walk(tables.get((int) (entry >>> 12)), level + 1, vpn, from, to, visitor);
            }
        }
    }

    /** {@return how many present-or-resident entries pages in {@code [fromVpn, toVpn)} have} */
    public long countResident(long fromVpn, long toVpn) {
        long[] count = {0};
        update(fromVpn, toVpn, (vpn, pte) -> {
            if (PteLayout.isResident(pte)) {
                count[0]++;
            }
            return pte;
        });
        return count[0];
    }

    /** {@return the number of 4 KiB tables this page table uses, root included} */
    public int tablePages() {
        return tables.size();
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            tables.clear();
            arena.close();
        }
    }
}
