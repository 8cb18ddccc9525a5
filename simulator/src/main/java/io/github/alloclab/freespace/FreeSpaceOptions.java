package io.github.alloclab.freespace;

import java.math.BigInteger;
import java.util.List;

/**
 * The flags of OSTEP's {@code malloc.py}, with its defaults, plus alloclab's two additions.
 *
 * @param seed          {@code -s}: the random seed (default 0)
 * @param heapSize      {@code -S}: the size of the heap (100)
 * @param baseAddr      {@code -b}: the address of its first byte (1000)
 * @param headerSize    {@code -H}: the bytes of header every allocation adds (0)
 * @param alignment     {@code -a}: requests are rounded up to a multiple of this; -1 for none (-1)
 * @param policy        {@code -p}: BEST, WORST or FIRST (BEST); alloclab also takes NEXT
 * @param listOrder     {@code -l}: ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT or INSERT-BACK (ADDRSORT)
 * @param coalesce      {@code -C}: merge free neighbours, malloc.py's way: neighbours in the list only (off)
 * @param numOps        {@code -n}: how many random operations to make (10)
 * @param range         {@code -r}: the largest random request (10)
 * @param percentAlloc  {@code -P}: the percentage of random operations that allocate (50)
 * @param allocList     {@code -A}: operations to run instead of random ones, such as {@code +10,-0} ("")
 * @param compute       {@code -c}: print the answers; without it, {@code ?} marks each one to work out (off)
 * @param exactCoalesce alloclab's {@code --exact-coalesce}: merge with the neighbours in memory, through
 *                      boundary tags, in every list order (off)
 * @param picture       alloclab's {@code --picture}: draw the heap after each operation (off)
 */
public record FreeSpaceOptions(BigInteger seed, BigInteger heapSize, BigInteger baseAddr, BigInteger headerSize,
                               BigInteger alignment, String policy, String listOrder, boolean coalesce,
                               BigInteger numOps, BigInteger range, BigInteger percentAlloc, String allocList,
                               boolean compute, boolean exactCoalesce, boolean picture) {

    /** malloc.py's defaults. */
    public static final FreeSpaceOptions DEFAULTS = new FreeSpaceOptions(BigInteger.ZERO, BigInteger.valueOf(100),
            BigInteger.valueOf(1000), BigInteger.ZERO, BigInteger.ONE.negate(), "BEST", "ADDRSORT", false,
            BigInteger.TEN, BigInteger.TEN, BigInteger.valueOf(50), "", false, false, false);

    /** The policies malloc.py knows, and the one alloclab adds. */
    public static final List<String> POLICIES = List.of("BEST", "WORST", "FIRST", "NEXT");
    /** The list orders malloc.py knows. */
    public static final List<String> ORDERS = List.of("ADDRSORT", "SIZESORT+", "SIZESORT-", "INSERT-FRONT", "INSERT-BACK");
}
