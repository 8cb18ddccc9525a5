package io.github.alloclab.memory;

import io.github.alloclab.internal.ThreadConfinement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The teaching memory source: a simulated process address space with VMAs, permissions, a page table,
 * demand paging, resident-set (RSS) accounting and segmentation faults. Any allocator runs on it unchanged,
 * since it is a {@link MemorySource}; it is slower than {@link FlatMemorySource}, which stays the default.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li><b>page</b>: {@code pageSize} bytes of virtual addresses, aligned; <b>vpn</b>: its number,
 *       {@code address >>> pageShift}.</li>
 *   <li><b>frame</b>: {@code pageSize} bytes of simulated physical memory, numbered by a <b>pfn</b>
 *       (see {@link Reservations} for where frames live).</li>
 *   <li><b>VMA</b>: a {@link Vma}, a range of pages with one protection; the set of them is the address
 *       space.</li>
 *   <li><b>resident</b>: a page whose entry in the {@link PageTable} holds a frame. <b>RSS</b> counts them.</li>
 *   <li><b>TLB</b>: a 64-entry direct-mapped cache of translations, {@code vpn -> (frame, permissions)}.</li>
 * </ul>
 *
 * <h2>Address space of a bare source</h2>
 * <pre>
 *   mmapTop            +----------------+
 *                      | mmap area      |  mmap(): anonymous rw- areas, top down, label "mmap"
 *   mmapTop - limit    +----------------+
 *                      :                :
 *   heapStart + limit  +----------------+
 *                      | [heap]         |  brk()/sbrk(): one area, [heapStart, pageAlign(brk)), label "heap"
 *   heapStart          +----------------+
 *                      :                :
 *   0x10000            +----------------+
 *                      | NULL region    |  never mapped (Linux's vm.mmap_min_addr): NULL_DEREFERENCE
 *   0                  +----------------+
 * </pre>
 * A simulated process adds its program's segments, bss and stack with {@link #mapFixed}; a
 * {@link Vma#GROWS_DOWN} area grows on a fault just below it, up to the stack limit.
 *
 * <h2>Algorithm: a load or store of n bytes at address a</h2>
 * <ol>
 *   <li>TLB hit: the entry for {@code vpn(a)} permits the access and the bytes do not cross the page: one
 *       bounds-checked access to the frame. That is the fast path.</li>
 *   <li>Miss: walk the page table. A resident entry that permits the access sets its accessed bit (and its
 *       dirty bit for a store) and fills the TLB. A resident entry that does not permit it faults.</li>
 *   <li>No entry: a page fault. Find the VMA holding {@code a}; with none, grow a stack just above, or fault
 *       ({@code NULL_DEREFERENCE} below {@code 0x10000}, {@code STACK_OVERFLOW} just below a stack that may
 *       not grow, {@code UNMAPPED} elsewhere). A VMA whose protection does not permit the access faults
 *       ({@code WRITE_TO_READ_ONLY}, {@code EXECUTE_NOT_EXECUTABLE}, {@code NO_ACCESS}).</li>
 *   <li>Demand paging: take the page's frame, fill it (zeros, or the file's bytes for a file-backed VMA),
 *       enter it in the page table: a minor fault, and one more resident page.</li>
 *   <li>An access that crosses a page boundary checks both pages before it reads or writes a byte, so a
 *       faulting store stores nothing.</li>
 * </ol>
 * {@code munmap}, a trim of the heap and {@code mapFixed} over existing pages drop the entries of the pages
 * they remove (their frames are released, RSS falls) and invalidate the TLB for them; {@code mprotect}
 * rewrites the entries' permission bits.
 *
 * <h2>Invariants</h2>
 * <pre>
 *  P1  residentPages = #{ vpn : entry(vpn) is resident } = sum over VMAs v of rss(v)
 *  P2  entry(vpn) is resident  implies  some VMA holds vpn                (no frame outlives its mapping)
 *  P3  a TLB entry for vpn  implies  entry(vpn) is present, with at least the TLB's permissions,
 *      and write permission in the TLB only once entry(vpn) is dirty
 *  P4  the VMAs keep the invariants of {@link AddressSpace}
 * </pre>
 *
 * <h2>Departures from Linux</h2>
 * A read fault on anonymous memory takes a frame of its own here, where Linux maps the shared zero page until
 * the first write; so here RSS counts every touched page. Bytes released by {@code sbrk(-n)} inside a page
 * that stays mapped are zeroed, as the {@link MemorySource} contract asks; Linux leaves them.
 *
 * <h2>Complexity</h2>
 * A TLB hit is O(1); a miss walks four levels; a fault is O(log VMAs) plus a page of copying.
 *
 * <h2>Thread safety</h2>
 * Confined, as the process it simulates has one thread: every load, store and system call from a thread other
 * than the one that made the source throws {@link WrongThreadException} before it changes anything, unless the
 * source was {@linkplain #guardWith guarded} and the thread holds that lock. The check costs the TLB hit path one
 * comparison.
 *
 * <h2>References</h2>
 * Arpaci-Dusseau, <i>Operating Systems: Three Easy Pieces</i>, chapters 18-23 (paging, TLBs, multi-level page
 * tables, swapping mechanisms). Bryant and O'Hallaron, <i>CS:APP</i> 3rd ed., 9.3-9.8 (page tables, page
 * faults, the Linux VM system, memory mapping). Gorman, <i>Understanding the Linux Virtual Memory Manager</i>,
 * chapters 3-4. Intel SDM vol. 3A, 4.5 (four-level paging, the PTE bits).
 */
public final class SimulatedMemorySource implements MemorySource {

    /** The default stack limit, {@code ulimit -s}: 8 MiB. */
    public static final long DEFAULT_STACK_LIMIT = 8L << 20;
    /** Addresses below this are never mapped: Linux's default {@code vm.mmap_min_addr}. */
    public static final long MMAP_MIN_ADDR = 0x10000;
    /** The highest address (exclusive) any page may have: 48-bit virtual addresses. */
    public static final long ADDRESS_LIMIT = 1L << 48;

    private static final int TLB_ENTRIES = 64;
    private static final int TLB_MASK = TLB_ENTRIES - 1;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final String HEAP = "heap";
    private static final String MMAP = "mmap";

    private final MemorySettings settings;
    private final long pageSize;
    private final long pageMask;
    private final int pageShift;
    private final long startBrk;
    private final long heapBase;
    private final long heapLimit;
    private final long mmapLow;
    private final long mmapTop;
    private final long stackLimit;
    private final long stackGuardGap;

    private final ThreadConfinement confinement = new ThreadConfinement("a simulated memory source");
    private final AddressSpace space = new AddressSpace();
    private final PageTable pageTable = new PageTable();
    private final Reservations frames;

    private final long[] tlbVpn = new long[TLB_ENTRIES];
    private final MemorySegment[] tlbFrame = new MemorySegment[TLB_ENTRIES];
    private final long[] tlbOffset = new long[TLB_ENTRIES];
    private final int[] tlbPermission = new int[TLB_ENTRIES];

    private long brk;
    private long mappedBytes;
    private long peakFootprint;
    private long residentPages;
    private long peakResidentPages;
    private long minorFaults;
    private long tlbMisses;

    /** A source with the default settings: the Linux x86-64 addresses of {@link MemorySettings#DEFAULTS}. */
    public SimulatedMemorySource() {
        this(MemorySettings.DEFAULTS);
    }

    /** A source whose break starts at {@code settings.heapStart()}, with an 8 MiB stack limit. */
    public SimulatedMemorySource(MemorySettings settings) {
        this(settings, settings.heapStart(), DEFAULT_STACK_LIMIT);
    }

    /**
     * A source for a simulated process.
     *
     * @param settings   where the heap and mmap area are, and how far they may grow
     * @param startBrk   the initial break, which Linux need not page-align: the heap area starts at
     *                   {@code settings.heapStart()}, the page boundary at or above it
     * @param stackLimit how far a {@link Vma#GROWS_DOWN} area may grow, {@code RLIMIT_STACK}
     * @throws IllegalArgumentException if {@code startBrk} is not in the page below {@code settings.heapStart()},
     *                                  or the stack limit is not a positive multiple of the page size
     */
    public SimulatedMemorySource(MemorySettings settings, long startBrk, long stackLimit) {
        this.settings = settings;
        this.pageSize = settings.pageSize();
        this.pageMask = pageSize - 1;
        this.pageShift = Long.numberOfTrailingZeros(pageSize);
        if (startBrk > settings.heapStart() || settings.heapStart() - startBrk >= pageSize) {
            throw new IllegalArgumentException("the initial break 0x%x must round up to the heap start 0x%x"
                    .formatted(startBrk, settings.heapStart()));
        }
        if (stackLimit <= 0 || stackLimit % pageSize != 0) {
            throw new IllegalArgumentException("the stack limit must be a positive multiple of the page size: "
                    + stackLimit);
        }
        if (settings.heapStart() + settings.heapLimit() > ADDRESS_LIMIT || settings.mmapTop() > ADDRESS_LIMIT) {
            throw new IllegalArgumentException("the heap and mmap area must lie below 2^48");
        }
        this.startBrk = startBrk;
        this.heapBase = settings.heapStart();
        this.heapLimit = settings.heapLimit();
        this.mmapTop = settings.mmapTop();
        this.mmapLow = settings.mmapTop() - settings.mmapLimit();
        this.stackLimit = stackLimit;
        // Linux's stack_guard_gap: 256 pages.
        this.stackGuardGap = 256 * pageSize;
        this.brk = startBrk;
        this.frames = new Reservations(pageSize);
        if (heapLimit > 0) {
            frames.add(heapBase, heapBase + heapLimit);
        }
        Arrays.fill(tlbVpn, -1);
    }

    /** {@return the settings this source was made with} */
    public MemorySettings settings() {
        return settings;
    }

    @Override
    public long pageSize() {
        return pageSize;
    }

    @Override
    public long heapStart() {
        return startBrk;
    }

    @Override
    public long brk() {
        return brk;
    }

    /** {@return the stack limit, {@code RLIMIT_STACK}} */
    public long stackLimit() {
        return stackLimit;
    }

    private long pageUp(long address) {
        return (address + pageMask) & ~pageMask;
    }

    // ---- brk heap ---------------------------------------------------------------------------------

    @Override
    public long sbrk(long increment) {
        long old = brk;
        long target = old + increment;
        if ((increment > 0 && target < old) || (increment < 0 && target > old)) {
            return FAILED;
        }
        return brk(target) ? old : FAILED;
    }

    @Override
    public boolean brk(long address) {
        confinement.check();
        if (address < startBrk || address - heapBase > heapLimit) {
            return false;
        }
        long oldEnd = pageUp(brk);
        long newEnd = pageUp(address);
        if (newEnd > oldEnd) {
            // Linux refuses to grow the heap to within a page of the next mapping.
            if (space.overlaps(oldEnd, Math.min(newEnd + pageSize, ADDRESS_LIMIT))) {
                return false;
            }
            // Merges into the heap area below when that is still read-write, as do_brk_flags expands it.
            space.insert(Vma.anonymous(oldEnd, newEnd, Protection.READ_WRITE, "[heap]", HEAP));
        } else if (newEnd < oldEnd) {
            unmap(newEnd, oldEnd);
        }
        if (address < brk) {
            zeroResident(address, Math.min(brk, newEnd));
        }
        brk = address;
        notePeak();
        return true;
    }

    /** Zeroes the resident bytes of {@code [from, to)}; pages not resident will read as zero anyway. */
    private void zeroResident(long from, long to) {
        for (long page = from & ~pageMask; page < to; page += pageSize) {
            long pte = pageTable.get(page >>> pageShift);
            if (PteLayout.isResident(pte)) {
                long lo = Math.max(from, page);
                long hi = Math.min(to, page + pageSize);
                Reservations.Reservation r = frames.ofFrame(PteLayout.pfn(pte));
                frames.host(r).asSlice(frames.frameOffset(r, PteLayout.pfn(pte)) + (lo - page), hi - lo)
                        .fill((byte) 0);
            }
        }
    }

    // ---- mmap area --------------------------------------------------------------------------------

    @Override
    public long mmap(long byteSize) {
        confinement.check();
        if (byteSize <= 0) {
            throw new IllegalArgumentException("mmap length must be positive: " + byteSize);
        }
        if (byteSize > mmapTop - mmapLow) {
            return FAILED;
        }
        long length = pageUp(byteSize);
        long start = space.gapTopDown(mmapLow, mmapTop, length);
        if (start == FAILED) {
            return FAILED;
        }
        frames.cover(start, start + length);
        space.insert(Vma.anonymous(start, start + length, Protection.READ_WRITE, "", MMAP));
        mappedBytes += length;
        notePeak();
        return start;
    }

    /**
     * {@return the highest free range of {@code byteSize} bytes (rounded up to pages) in the mmap area}, or
     * {@link #FAILED}: where {@code mmap(NULL, byteSize, ...)} would place a mapping.
     */
    public long unmappedArea(long byteSize) {
        confinement.check();
        if (byteSize <= 0) {
            throw new IllegalArgumentException("length must be positive: " + byteSize);
        }
        return space.gapTopDown(mmapLow, mmapTop, pageUp(byteSize));
    }

    @Override
    public int munmap(long address, long byteSize) {
        confinement.check();
        if (byteSize <= 0 || (address & pageMask) != 0 || address < 0 || address + byteSize < address) {
            return -1;
        }
        unmap(address, Math.min(pageUp(address + byteSize), ADDRESS_LIMIT));
        return 0;
    }

    /** Removes {@code [start, end)}: its areas, its page-table entries and frames, and its TLB entries. */
    private void unmap(long start, long end) {
        if (start >= end) {
            return;
        }
        for (Vma piece : space.remove(start, end)) {
            if (piece.label().equals(MMAP)) {
                mappedBytes -= piece.byteSize();
            }
        }
        long[] dropped = {0};
        pageTable.update(start >>> pageShift, end >>> pageShift, (vpn, pte) -> {
            if (PteLayout.isResident(pte)) {
                dropped[0]++;
            }
            return 0;
        });
        residentPages -= dropped[0];
        invalidate(start >>> pageShift, end >>> pageShift);
        for (Reservations.Reservation r : List.copyOf(frames.all())) {
            if (r.end > start && r.start < end && !isHeapReservation(r) && !space.overlaps(r.start, r.end)) {
                frames.release(r);
            }
        }
    }

    private boolean isHeapReservation(Reservations.Reservation r) {
        return r.start == heapBase && heapLimit > 0;
    }

    // ---- the process's own mappings ---------------------------------------------------------------

    /**
     * Maps {@code vma} where it says, replacing whatever was mapped there, like {@code mmap} with
     * {@code MAP_FIXED}. This is how a simulated process maps its program's segments, its bss and its stack.
     *
     * @throws IllegalArgumentException if the area is not page-aligned, starts below {@link #MMAP_MIN_ADDR}, or
     *                                  ends above {@link #ADDRESS_LIMIT}
     */
    public void mapFixed(Vma vma) {
        confinement.check();
        if ((vma.start() & pageMask) != 0 || (vma.end() & pageMask) != 0) {
            throw new IllegalArgumentException("area is not page-aligned: " + vma);
        }
        if (vma.start() < MMAP_MIN_ADDR || vma.end() > ADDRESS_LIMIT) {
            throw new IllegalArgumentException("area is outside [0x%x, 0x%x): %s"
                    .formatted(MMAP_MIN_ADDR, ADDRESS_LIMIT, vma));
        }
        unmap(vma.start(), vma.end());
        frames.cover(vma.start(), vma.end());
        space.insert(vma);
        if (vma.label().equals(MMAP)) {
            mappedBytes += vma.byteSize();
        }
        notePeak();
    }

    /**
     * Backs {@code [start, start + byteSize)} with one contiguous range of frames, so that a later
     * {@link #segment} may span all of it. A process reserves its program image and its stack's whole limit.
     * Parts already backed are left as they are.
     */
    public void reserve(long start, long byteSize) {
        confinement.check();
        if ((start & pageMask) != 0 || byteSize <= 0 || start + byteSize > ADDRESS_LIMIT || start < 0) {
            throw new IllegalArgumentException("bad range to reserve: 0x%x + %d".formatted(start, byteSize));
        }
        frames.cover(start, pageUp(start + byteSize));
    }

    /**
     * Changes the protection of the pages in {@code [address, address + byteSize)}, like {@code mprotect(2)}.
     * Resident pages keep their frames; their entries get the new permission bits.
     *
     * @return 0, or -1 if the range is not page-aligned, the protection is not valid ({@code EINVAL}), or part
     *         of the range is not mapped ({@code ENOMEM}), in which case nothing changes
     */
    public int mprotect(long address, long byteSize, int protection) {
        confinement.check();
        if ((address & pageMask) != 0 || byteSize <= 0 || !Protection.isValid(protection)
                || address + byteSize > ADDRESS_LIMIT || address < 0) {
            return -1;
        }
        long end = pageUp(address + byteSize);
        if (!space.covers(address, end)) {
            return -1;
        }
        space.protect(address, end, protection);
        pageTable.update(address >>> pageShift, end >>> pageShift,
                (vpn, pte) -> PteLayout.withProtection(pte, protection));
        invalidate(address >>> pageShift, end >>> pageShift);
        return 0;
    }

    /**
     * Gives the areas in {@code [address, address + byteSize)} a new {@link Vma#label()}, splitting them at the
     * ends. Labels are what lessons and fault messages call an area; maps never shows them. A process labels
     * its RELRO range this way after {@link #mprotect}.
     */
    public void label(long address, long byteSize, String label) {
        confinement.check();
        if ((address & pageMask) != 0 || byteSize <= 0) {
            throw new IllegalArgumentException("bad range to label: 0x%x + %d".formatted(address, byteSize));
        }
        space.relabel(address, pageUp(address + byteSize), label);
    }

    // ---- inspection -------------------------------------------------------------------------------

    /** {@return every VMA, in address order: the process's {@code /proc/PID/maps}} */
    public List<Vma> vmas() {
        return space.list();
    }

    /** {@return the VMA holding {@code address}, or {@code null}} */
    public Vma vmaAt(long address) {
        return space.find(address);
    }

    /** {@return bytes resident in {@code [start, end)}: the RSS of that range} */
    public long residentBytes(long start, long end) {
        return pageTable.countResident(start >>> pageShift, pageUp(end) >>> pageShift) << pageShift;
    }

    /** {@return bytes of {@code [start, end)} that were stored to since they became resident} */
    public long dirtyBytes(long start, long end) {
        long[] count = {0};
        pageTable.update(start >>> pageShift, pageUp(end) >>> pageShift, (vpn, pte) -> {
            if ((pte & PteLayout.DIRTY) != 0) {
                count[0]++;
            }
            return pte;
        });
        return count[0] << pageShift;
    }

    /** {@return the resident set size: bytes of every resident page} */
    public long residentBytes() {
        return residentPages << pageShift;
    }

    /** {@return the most bytes resident at once since this source was made} */
    public long peakResidentBytes() {
        return peakResidentPages << pageShift;
    }

    /** {@return page faults that made a page resident: first touches} */
    public long minorFaults() {
        return minorFaults;
    }

    /** {@return accesses that missed the TLB and walked the page table} */
    public long tlbMisses() {
        return tlbMisses;
    }

    /** {@return the page-table pages in use, root included (Linux's {@code VmPTE}, in pages)} */
    public int pageTablePages() {
        return pageTable.tablePages();
    }

    /** {@return the page-table entry of the page holding {@code address}, 0 if none; see {@link PteLayout}} */
    public long pageTableEntry(long address) {
        return pageTable.get(address >>> pageShift);
    }

    /**
     * {@return the simulated physical address {@code pfn * pageSize + offset} that {@code address} translates
     * to}, or -1 if its page is not resident. Never faults.
     */
    public long physicalAddress(long address) {
        long pte = pageTable.get(address >>> pageShift);
        return PteLayout.isResident(pte) ? PteLayout.pfn(pte) << pageShift | (address & pageMask) : -1;
    }

    // ---- accounting -------------------------------------------------------------------------------

    @Override
    public long mappedBytes() {
        return mappedBytes;
    }

    @Override
    public long footprintBytes() {
        return Math.max(brk - startBrk, 0) + mappedBytes;
    }

    @Override
    public long peakFootprintBytes() {
        return peakFootprint;
    }

    private void notePeak() {
        peakFootprint = Math.max(peakFootprint, footprintBytes());
    }

    @Override
    public boolean isMapped(long address, long byteSize) {
        if (byteSize < 0) {
            return false;
        }
        if (address >= heapBase && address <= brk && byteSize <= brk - address) {
            return true;
        }
        Vma vma = space.find(address);
        return vma != null && byteSize <= vma.end() - address;
    }

    // ---- translation ------------------------------------------------------------------------------

    /** {@return the TLB slot that translates {@code address} for {@code access}, faulting the page in if needed} */
    private int slot(long address, AccessKind access, long byteSize) {
        confinement.check();
        long vpn = address >>> pageShift;
        int slot = (int) vpn & TLB_MASK;
        if (tlbVpn[slot] == vpn && (tlbPermission[slot] & access.protection()) != 0) {
            return slot;
        }
        return miss(address, access, byteSize);
    }

    private int miss(long address, AccessKind access, long byteSize) {
        tlbMisses++;
        long vpn = address >>> pageShift;
        long pte = pageTable.get(vpn);
        if (PteLayout.isResident(pte)) {
            if (!PteLayout.permits(pte, access)) {
                throw permissionFault(address, access, byteSize, space.find(address));
            }
            long updated = pte | PteLayout.ACCESSED | (access == AccessKind.WRITE ? PteLayout.DIRTY : 0);
            if (updated != pte) {
                pageTable.set(vpn, updated);
            }
            return fill(vpn, updated);
        }
        Vma vma = space.find(address);
        if (vma == null) {
            vma = growStack(address, access, byteSize);
        }
        if (!Protection.permits(vma.protection(), access)) {
            throw permissionFault(address, access, byteSize, vma);
        }
        return fill(vpn, pageIn(vma, vpn, access));
    }

    /** Handles a page fault on a page of {@code vma} with no entry: takes its frame and fills it. */
    private long pageIn(Vma vma, long vpn, AccessKind access) {
        long page = vpn << pageShift;
        Reservations.Reservation r = frames.at(page);
        if (r == null) {
            frames.cover(page, page + pageSize);
            r = frames.at(page);
        }
        long pfn = r.firstPfn + ((page - r.start) >>> pageShift);
        MemorySegment host = frames.host(r);
        long offset = page - r.start;
        long copied = 0;
        if (vma.isFileBacked()) {
            long fileOffset = vma.offset() + (page - vma.start());
            long fileEnd = Math.min(vma.fileLimit(), vma.file().contents().byteSize());
            copied = Math.max(0, Math.min(pageSize, fileEnd - fileOffset));
            if (copied > 0) {
                MemorySegment.copy(vma.file().contents(), fileOffset, host, offset, copied);
            }
        }
        if (copied < pageSize) {
            host.asSlice(offset + copied, pageSize - copied).fill((byte) 0);
        }
        long pte = PteLayout.entry(pfn, vma.protection(), vma.isFileBacked()) | PteLayout.ACCESSED
                | (access == AccessKind.WRITE ? PteLayout.DIRTY : 0);
        pageTable.set(vpn, pte);
        minorFaults++;
        residentPages++;
        peakResidentPages = Math.max(peakResidentPages, residentPages);
        return pte;
    }

    /** Puts a translation in the TLB; {@return its slot} */
    private int fill(long vpn, long pte) {
        int slot = (int) vpn & TLB_MASK;
        long pfn = PteLayout.pfn(pte);
        Reservations.Reservation r = frames.ofFrame(pfn);
        tlbVpn[slot] = vpn;
        tlbFrame[slot] = frames.host(r);
        tlbOffset[slot] = frames.frameOffset(r, pfn);
        // Write permission only once the entry is dirty, so that the first store walks the table to set D.
        tlbPermission[slot] = Protection.READ
                | ((pte & PteLayout.WRITABLE) != 0 && (pte & PteLayout.DIRTY) != 0 ? Protection.WRITE : 0)
                | ((pte & PteLayout.NO_EXECUTE) == 0 ? Protection.EXECUTE : 0);
        return slot;
    }

    private void invalidate(long fromVpn, long toVpn) {
        if (toVpn - fromVpn >= TLB_ENTRIES) {
            Arrays.fill(tlbVpn, -1);
            Arrays.fill(tlbFrame, null);
            return;
        }
        for (long vpn = fromVpn; vpn < toVpn; vpn++) {
            int slot = (int) vpn & TLB_MASK;
            if (tlbVpn[slot] == vpn) {
                tlbVpn[slot] = -1;
                tlbFrame[slot] = null;
            }
        }
    }

    /**
     * A fault at {@code address} with no VMA: grows the {@link Vma#GROWS_DOWN} area just above, as Linux's
     * {@code expand_stack} does, or throws the fault.
     */
    private Vma growStack(long address, AccessKind access, long byteSize) {
        Vma stack = address < 0 ? null : space.above(address);
        if (stack == null || !stack.growsDown() || address < MMAP_MIN_ADDR) {
            throw unmappedFault(address, access, byteSize);
        }
        long newStart = address & ~pageMask;
        long lowest = stack.end() - stackLimit;
        if (newStart < lowest) {
            if (newStart >= lowest - stackGuardGap) {
                throw new SegmentationFault(address, access, byteSize, FaultReason.STACK_OVERFLOW, stack,
                        "the stack would grow to %d KiB, past its limit of %d KiB (ulimit -s)"
                                .formatted((stack.end() - newStart) >> 10, stackLimit >> 10));
            }
            throw unmappedFault(address, access, byteSize);
        }
        Vma below = space.below(address);
        if (below != null && newStart - below.end() < stackGuardGap) {
            throw new SegmentationFault(address, access, byteSize, FaultReason.STACK_OVERFLOW, stack,
                    "the stack may not grow within %d KiB (the stack guard gap) of %s"
                            .formatted(stackGuardGap >> 10, below.describe()));
        }
        Vma grown = stack.slice(newStart, stack.end());
        frames.cover(newStart, stack.start());
        space.replace(stack, grown);
        return grown;
    }

    private SegmentationFault unmappedFault(long address, AccessKind access, long byteSize) {
        if (address >= 0 && address < MMAP_MIN_ADDR) {
            return new SegmentationFault(address, access, byteSize, FaultReason.NULL_DEREFERENCE, null,
                    "nothing is ever mapped below 0x%x".formatted(MMAP_MIN_ADDR));
        }
        String detail;
        if (address >= heapBase && address - heapBase < heapLimit && address >= brk) {
            detail = "0x%x is %d bytes past the break 0x%x, beyond the heap's last page"
                    .formatted(address, address - brk, brk);
        } else {
            Vma below = address < 0 ? null : space.below(address);
            Vma above = address < 0 ? null : space.above(address);
            detail = "between " + (below == null ? "the bottom of the address space" : below.describe())
                    + " and " + (above == null ? "the top" : above.describe());
        }
        return new SegmentationFault(address, access, byteSize, FaultReason.UNMAPPED, null, detail);
    }

    private static SegmentationFault permissionFault(long address, AccessKind access, long byteSize, Vma vma) {
        FaultReason reason = vma != null && vma.protection() == Protection.NONE ? FaultReason.NO_ACCESS
                : switch (access) {
            case WRITE -> FaultReason.WRITE_TO_READ_ONLY;
            case EXECUTE -> FaultReason.EXECUTE_NOT_EXECUTABLE;
            case READ -> FaultReason.NO_ACCESS;
        };
        return new SegmentationFault(address, access, byteSize, reason, vma, null);
    }

    /** Faults in every page of {@code [address, address + byteSize)} for {@code access}, or throws first. */
    private void check(long address, long byteSize, AccessKind access) {
        if (byteSize <= 0) {
            return;
        }
        long last = address + byteSize - 1;
        if (last < address) {
            throw unmappedFault(address, access, byteSize);
        }
        slot(address, access, byteSize);
        for (long page = (address & ~pageMask) + pageSize; page - 1 < last && page > 0; page += pageSize) {
            slot(page, access, byteSize);
        }
    }

    // ---- loads and stores -------------------------------------------------------------------------

    private int hit(long address, int permission, long width) {
        long vpn = address >>> pageShift;
        int slot = (int) vpn & TLB_MASK;
        return tlbVpn[slot] == vpn && (tlbPermission[slot] & permission) != 0 && confinement.owns()
                && (address & pageMask) <= pageSize - width ? slot : -1;
    }

    @Override
    public byte getByte(long address) {
        int slot = hit(address, Protection.READ, 1);
        if (slot < 0) {
            slot = slot(address, AccessKind.READ, 1);
        }
        return tlbFrame[slot].get(BYTE, tlbOffset[slot] + (address & pageMask));
    }

    @Override
    public void putByte(long address, byte value) {
        int slot = hit(address, Protection.WRITE, 1);
        if (slot < 0) {
            slot = slot(address, AccessKind.WRITE, 1);
        }
        tlbFrame[slot].set(BYTE, tlbOffset[slot] + (address & pageMask), value);
    }

    /** Loads a 2-byte little-endian value. */
    @Override
    public short getShort(long address) {
        int slot = hit(address, Protection.READ, 2);
        if (slot >= 0) {
            return tlbFrame[slot].get(SHORT, tlbOffset[slot] + (address & pageMask));
        }
        return (short) slowLoad(address, 2);
    }

    /** Stores a 2-byte little-endian value. */
    @Override
    public void putShort(long address, short value) {
        int slot = hit(address, Protection.WRITE, 2);
        if (slot >= 0) {
            tlbFrame[slot].set(SHORT, tlbOffset[slot] + (address & pageMask), value);
        } else {
            slowStore(address, 2, value);
        }
    }

    @Override
    public int getInt(long address) {
        int slot = hit(address, Protection.READ, 4);
        if (slot >= 0) {
            return tlbFrame[slot].get(INT, tlbOffset[slot] + (address & pageMask));
        }
        return (int) slowLoad(address, 4);
    }

    @Override
    public void putInt(long address, int value) {
        int slot = hit(address, Protection.WRITE, 4);
        if (slot >= 0) {
            tlbFrame[slot].set(INT, tlbOffset[slot] + (address & pageMask), value);
        } else {
            slowStore(address, 4, value);
        }
    }

    @Override
    public long getLong(long address) {
        int slot = hit(address, Protection.READ, 8);
        if (slot >= 0) {
            return tlbFrame[slot].get(LONG, tlbOffset[slot] + (address & pageMask));
        }
        return slowLoad(address, 8);
    }

    @Override
    public void putLong(long address, long value) {
        int slot = hit(address, Protection.WRITE, 8);
        if (slot >= 0) {
            tlbFrame[slot].set(LONG, tlbOffset[slot] + (address & pageMask), value);
        } else {
            slowStore(address, 8, value);
        }
    }

    /**
     * Fetches the byte at {@code address} as an instruction fetch: it needs execute permission, so a jump into
     * the heap or stack faults with {@link FaultReason#EXECUTE_NOT_EXECUTABLE}.
     */
    public byte fetchByte(long address) {
        int slot = slot(address, AccessKind.EXECUTE, 1);
        return tlbFrame[slot].get(BYTE, tlbOffset[slot] + (address & pageMask));
    }

    /** A load that missed the TLB or crosses a page: checks every page it touches, then reads. */
    private long slowLoad(long address, int width) {
        check(address, width, AccessKind.READ);
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            long a = address + i;
            int slot = slot(a, AccessKind.READ, width);
            value = value << 8 | (tlbFrame[slot].get(BYTE, tlbOffset[slot] + (a & pageMask)) & 0xff);
        }
        return value;
    }

    /** A store that missed the TLB or crosses a page: checks every page it touches, then writes. */
    private void slowStore(long address, int width, long value) {
        check(address, width, AccessKind.WRITE);
        for (int i = 0; i < width; i++) {
            long a = address + i;
            int slot = slot(a, AccessKind.WRITE, width);
            tlbFrame[slot].set(BYTE, tlbOffset[slot] + (a & pageMask), (byte) (value >>> (8 * i)));
        }
    }

    /** {@return the reservation that backs all of {@code [address, address + byteSize)}, or {@code null}} */
    private Reservations.Reservation backing(long address, long byteSize) {
        Reservations.Reservation r = frames.at(address);
        return r != null && byteSize <= r.end - address ? r : null;
    }

    @Override
    public void copy(long source, long target, long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("negative length: " + byteSize);
        }
        check(source, byteSize, AccessKind.READ);
        check(target, byteSize, AccessKind.WRITE);
        if (byteSize == 0) {
            return;
        }
        Reservations.Reservation from = backing(source, byteSize);
        Reservations.Reservation to = backing(target, byteSize);
        if (from != null && to != null) {
            // Pages are direct-mapped (see Reservations), so a range inside one reservation is contiguous.
            MemorySegment.copy(frames.host(from), source - from.start, frames.host(to), target - to.start, byteSize);
        } else if (target <= source) {
            for (long i = 0; i < byteSize; i++) {
                putByte(target + i, getByte(source + i));
            }
        } else {
            for (long i = byteSize - 1; i >= 0; i--) {
                putByte(target + i, getByte(source + i));
            }
        }
    }

    @Override
    public void fill(long address, long byteSize, byte value) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("negative length: " + byteSize);
        }
        check(address, byteSize, AccessKind.WRITE);
        if (byteSize == 0) {
            return;
        }
        Reservations.Reservation r = backing(address, byteSize);
        if (r != null) {
            frames.host(r).asSlice(address - r.start, byteSize).fill(value);
        } else {
            for (long i = 0; i < byteSize; i++) {
                putByte(address + i, value);
            }
        }
    }

    /**
     * {@inheritDoc} The pages of the range are faulted in for writing, so they count as resident and dirty,
     * and must be writable.
     *
     * @throws SegmentationFault         if part of the range may not be written
     * @throws IndexOutOfBoundsException if the range spans two separately backed mappings
     */
    @Override
    public MemorySegment segment(long address, long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("negative length: " + byteSize);
        }
        check(address, byteSize, AccessKind.WRITE);
        Reservations.Reservation r = backing(address, byteSize);
        if (r == null) {
            throw new IndexOutOfBoundsException("[0x%x, 0x%x) is not inside one mapping"
                    .formatted(address, address + byteSize));
        }
        return frames.host(r).asSlice(address - r.start, byteSize);
    }

    @Override
    public long addressOf(MemorySegment segment) {
        if (segment.isNative()) {
            long native_ = segment.address();
            for (Reservations.Reservation r : frames.all()) {
                long delta = native_ - r.host.address();
                if (r.host.byteSize() > 0 && delta >= 0 && delta < r.host.byteSize()) {
                    return r.start + delta;
                }
            }
        }
        throw new IllegalArgumentException("not a segment of this memory source: " + segment);
    }

    @Override
    public boolean isConfined() {
        return true;
    }

    @Override
    public void guardWith(ReentrantLock lock) {
        confinement.guardWith(lock);
    }

    @Override
    public void close() {
        confinement.check();
        Arrays.fill(tlbVpn, -1);
        Arrays.fill(tlbFrame, null);
        frames.close();
        pageTable.close();
    }

    @Override
    public String toString() {
        return "SimulatedMemorySource[%d areas, brk=0x%x, rss=%d KiB, %d minor faults]"
                .formatted(space.size(), brk, residentBytes() >> 10, minorFaults);
    }
}
