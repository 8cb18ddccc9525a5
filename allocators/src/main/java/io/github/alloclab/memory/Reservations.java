package io.github.alloclab.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated physical memory: off-heap frames, grouped in reservations that each back one range of
 * virtual addresses.
 *
 * <p>Frames are <em>direct-mapped</em>: virtual page {@code v} of a reservation that starts at page
 * {@code s} lives in frame {@code firstPfn + (v - s)}, at byte {@code (v - s) * pageSize} of the reservation's
 * segment. A real kernel scatters a process's pages over physical memory; keeping them in virtual order
 * here is what lets a range of virtual pages be one {@link MemorySegment}, which
 * {@link MemorySource#segment} hands to Java code. What is simulated is residency: a frame is only resident,
 * counted and filled, after a page fault puts it in the page table, and it is dropped again by
 * {@code munmap} or a trim. Translation always goes through the page table's frame number.
 *
 * <p>A reservation's segment is allocated, zeroed, at its first fault, from {@link HostMemory}, which commits
 * host pages only as they are touched; it is freed when
 * nothing maps the range any more ({@link #release}) or at {@link #close()}. A {@link MemorySegment} view of a
 * released range then fails with {@link IllegalStateException} instead of reaching freed memory.
 */
final class Reservations implements AutoCloseable {

    /** One backed range of virtual addresses and its frames. */
    static final class Reservation {
        final long start;
        final long end;
        final long firstPfn;
        MemorySegment host = MemorySegment.NULL;
        Arena arena;

        Reservation(long start, long end, long firstPfn) {
            this.start = start;
            this.end = end;
            this.firstPfn = firstPfn;
        }

        boolean contains(long address) {
            return address >= start && address < end;
        }
    }

    private final int pageShift;
    /** By start address; they never overlap. */
    private final List<Reservation> byAddress = new ArrayList<>();
    /** In creation order, which is frame order. */
    private final List<Reservation> byFrame = new ArrayList<>();
    /** Frame 0 is never used, so that a zero frame number can stand out in a dump. */
    private long nextPfn = 1;

    Reservations(long pageSize) {
        this.pageShift = Long.numberOfTrailingZeros(pageSize);
    }

    /** {@return the reservation holding {@code address}, or {@code null}} */
    Reservation at(long address) {
        int low = 0;
        int high = byAddress.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            Reservation r = byAddress.get(mid);
            if (address < r.start) {
                high = mid - 1;
            } else if (address >= r.end) {
                low = mid + 1;
            } else {
                return r;
            }
        }
        return null;
    }

    /** {@return the reservation holding frame {@code pfn}} */
    Reservation ofFrame(long pfn) {
        if (byFrame.isEmpty()) {
            throw new IllegalStateException("no frames");
        }
        int low = 0;
        int high = byFrame.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (byFrame.get(mid).firstPfn <= pfn) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return byFrame.get(low);
    }

    /**
     * Backs every page of {@code [start, end)} that no reservation backs yet, with new reservations for the
     * gaps.
     */
    void cover(long start, long end) {
        long cursor = start;
        while (cursor < end) {
            Reservation r = at(cursor);
            if (r != null) {
                cursor = r.end;
                continue;
            }
            long gapEnd = end;
            for (Reservation other : byAddress) {
                if (other.start > cursor && other.start < gapEnd) {
                    gapEnd = other.start;
                }
            }
            add(cursor, gapEnd);
            cursor = gapEnd;
        }
    }

    /** Backs {@code [start, end)}, which no reservation may back yet, with a new reservation. */
    void add(long start, long end) {
        Reservation r = new Reservation(start, end, nextPfn);
        nextPfn += (end - start) >>> pageShift;
        int i = 0;
        while (i < byAddress.size() && byAddress.get(i).start < start) {
            i++;
        }
        byAddress.add(i, r);
        byFrame.add(r);
    }

    /** {@return the frame number of page {@code address}, which a reservation must back} */
    long frameOf(long address) {
        Reservation r = at(address);
        if (r == null) {
            throw new IllegalStateException("no memory backs 0x%x".formatted(address));
        }
        return r.firstPfn + ((address - r.start) >>> pageShift);
    }

    /** {@return the host segment of a reservation, allocating it on first use} */
    MemorySegment host(Reservation r) {
        if (r.arena == null) {
            Arena arena = Arena.ofShared();
            try {
                r.host = HostMemory.allocate(r.end - r.start, arena);
            } catch (RuntimeException | OutOfMemoryError e) {
                arena.close();
                throw e;
            }
            r.arena = arena;
        }
        return r.host;
    }

    /** Frees a reservation and its frames; its range is no longer backed. */
    void release(Reservation r) {
        byAddress.remove(r);
        byFrame.remove(r);
        if (r.arena != null) {
            r.arena.close();
            r.arena = null;
        }
        r.host = MemorySegment.NULL;
    }

    /** {@return the byte offset of frame {@code pfn} in its reservation's segment} */
    long frameOffset(Reservation r, long pfn) {
        return (pfn - r.firstPfn) << pageShift;
    }

    /** {@return every reservation, by address} */
    List<Reservation> all() {
        return byAddress;
    }

    @Override
    public void close() {
        for (Reservation r : List.copyOf(byAddress)) {
            release(r);
        }
    }
}
