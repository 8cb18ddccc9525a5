package io.github.alloclab.memory;

/**
 * The bits of a page-table entry (PTE) of the simulated page table, laid out as x86-64 lays them out.
 *
 * <pre>
 *  63  62            52 51                                            12 11  10   9  8  7  6  5  4  3  2  1  0
 *  +--+----------------+------------------------------------------------+---+---+---+--+--+--+--+--+--+--+--+--+
 *  |NX|    (unused)    |             pfn: physical frame number         | - |FIL|PN | -| -| D| A| -| -| U| W| P|
 *  +--+----------------+------------------------------------------------+---+---+---+--+--+--+--+--+--+--+--+--+
 *   P   present: the page is resident and may be accessed as W and NX say; a load needs only P
 *   W   writable                      U   user-accessible (every simulated page is)
 *   A   accessed: set on the first access through this entry
 *   D   dirty: set on the first store through this entry
 *   PN  PROT_NONE: resident but inaccessible (P is clear), as Linux marks such pages; software bit 9
 *   FIL the frame holds a copy of file contents rather than anonymous memory; software bit 10
 *   NX  no execute: an instruction fetch faults
 * </pre>
 *
 * An entry of 0 is an absent page. A resident page has {@code P} or {@code PN} set.
 *
 * <p>Upper levels of the table (PML4, PDPT, PD) hold {@code (index of the next table) << 12 | P}: the index
 * stands in for the physical address of the next table.
 */
public final class PteLayout {

    public static final long PRESENT = 1L;
    public static final long WRITABLE = 1L << 1;
    public static final long USER = 1L << 2;
    public static final long ACCESSED = 1L << 5;
    public static final long DIRTY = 1L << 6;
    public static final long PROT_NONE = 1L << 9;
    public static final long FILE = 1L << 10;
    public static final long NO_EXECUTE = 1L << 63;

    /** The frame number field, bits 12 to 51. */
    public static final long PFN_MASK = ((1L << 52) - 1) & ~0xfffL;

    private PteLayout() {
    }

    /** {@return an entry for a resident page in frame {@code pfn} with protection {@code protection}} */
    public static long entry(long pfn, int protection, boolean fileCopy) {
        long pte = (pfn << 12) & PFN_MASK | USER | (fileCopy ? FILE : 0);
        return withProtection(pte, protection);
    }

    /** {@return {@code pte} with its permission bits set from {@code protection}} */
    public static long withProtection(long pte, int protection) {
        long bits = pte & ~(PRESENT | WRITABLE | PROT_NONE | NO_EXECUTE);
        if (protection == Protection.NONE) {
            return bits | PROT_NONE;
        }
        return bits | PRESENT
                | ((protection & Protection.WRITE) != 0 ? WRITABLE : 0)
                | ((protection & Protection.EXECUTE) == 0 ? NO_EXECUTE : 0);
    }

    /** {@return the frame number} */
    public static long pfn(long pte) {
        return (pte & PFN_MASK) >>> 12;
    }

    /** {@return whether the entry maps a resident page, accessible or not} */
    public static boolean isResident(long pte) {
        return (pte & (PRESENT | PROT_NONE)) != 0;
    }

    /** {@return whether the entry lets an access of this kind through without a fault} */
    public static boolean permits(long pte, AccessKind access) {
        if ((pte & PRESENT) == 0) {
            return false;
        }
        return switch (access) {
            case READ -> true;
            case WRITE -> (pte & WRITABLE) != 0;
            case EXECUTE -> (pte & NO_EXECUTE) == 0;
        };
    }

    /** {@return the entry in the style of a page-table dump: {@code pfn 0x1a3 P W U A D NX}} */
    public static String describe(long pte) {
        if (pte == 0) {
            return "absent";
        }
        StringBuilder text = new StringBuilder("pfn 0x").append(Long.toHexString(pfn(pte)));
        if ((pte & PRESENT) != 0) {
            text.append(" P");
        }
        if ((pte & WRITABLE) != 0) {
            text.append(" W");
        }
        if ((pte & USER) != 0) {
            text.append(" U");
        }
        if ((pte & ACCESSED) != 0) {
            text.append(" A");
        }
        if ((pte & DIRTY) != 0) {
            text.append(" D");
        }
        if ((pte & PROT_NONE) != 0) {
            text.append(" PROT_NONE");
        }
        if ((pte & FILE) != 0) {
            text.append(" FILE");
        }
        if ((pte & NO_EXECUTE) != 0) {
            text.append(" NX");
        }
        return text.toString();
    }
}
