package io.github.alloclab.malloc;

import java.util.Locale;

/**
 * What {@link MallocAllocator} reports beyond {@link io.github.alloclab.allocator.HeapStats}: the byte ladder,
 * glibc's {@code struct mallinfo2}, and the thresholds as they stand.
 *
 * <pre>
 *  requested  &lt;=  allocated  &lt;=  active  &lt;=  mapped            metadata: headers, slab headers and leftovers,
 *  (the caller    usable bytes   pages holding   heap (to a page)   mapping headers, the heap's prologue
 *   knows it)     of live blocks a live byte     plus mappings      and epilogue
 * </pre>
 * The allocator does not store request sizes (glibc does not either), so the first rung is the caller's: the
 * replay's live payload, in {@code alloclab mallinfo}. Resident memory is the memory source's to count.
 *
 * @param allocatedBytes usable bytes of the live blocks
 * @param activeBytes    bytes of the pages that hold at least one byte of a live block
 * @param mappedBytes    the heap rounded up to a page, plus every mapping
 * @param metadataBytes  bytes no caller can use that the allocator keeps for itself
 * @param arena          mallinfo2: bytes of the brk heap
 * @param ordblks        mallinfo2: free blocks of the segregated heap, the top block included
 * @param smblks         mallinfo2: free objects in the small bins (glibc: free fastbin blocks)
 * @param hblks          mallinfo2: live mappings
 * @param hblkhd         mallinfo2: bytes of live mappings
 * @param usmblks        mallinfo2: always 0, as in glibc
 * @param fsmblks        mallinfo2: bytes of free objects in the small bins
 * @param uordblks       mallinfo2: bytes of the heap in use: {@code arena - fordblks}
 * @param fordblks       mallinfo2: free bytes of the heap: free blocks and free bin objects
 * @param keepcost       mallinfo2: bytes of the free block at the top of the heap, which a trim could give back
 * @param mmapThreshold  the mmap threshold now (it rises with glibc's dynamic threshold)
 * @param trimThreshold  the trim threshold now
 * @param maxMmapRegions the most mappings live at once
 * @param maxMmapBytes   the most bytes mapped at once
 */
public record MallocStats(long allocatedBytes, long activeBytes, long mappedBytes, long metadataBytes, long arena,
                          long ordblks, long smblks, long hblks, long hblkhd, long usmblks, long fsmblks,
                          long uordblks, long fordblks, long keepcost, long mmapThreshold, long trimThreshold,
                          long maxMmapRegions, long maxMmapBytes) {

    /** {@return what glibc's {@code malloc_stats()} prints for one arena, each line ending in a newline} */
    public String mallocStatsText() {
        StringBuilder out = new StringBuilder();
        out.append("Arena 0:\n");
        out.append(line("system bytes", arena)).append(line("in use bytes", uordblks));
        out.append("Total (incl. mmap):\n");
        out.append(line("system bytes", arena + hblkhd)).append(line("in use bytes", uordblks + hblkhd));
        out.append(line("max mmap regions", maxMmapRegions)).append(line("max mmap bytes", maxMmapBytes));
        return out.toString();
    }

    private static String line(String name, long value) {
        return String.format(Locale.ROOT, "%-16s = %10d\n", name, value);
    }
}
