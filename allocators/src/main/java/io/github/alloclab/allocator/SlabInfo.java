package io.github.alloclab.allocator;

import java.util.List;
import java.util.Locale;

/**
 * One object cache as a line of Linux's {@code /proc/slabinfo}, version 2.1.
 *
 * <pre>
 * slabinfo - version: 2.1
 * # name            &lt;active_objs&gt; &lt;num_objs&gt; &lt;objsize&gt; &lt;objperslab&gt; &lt;pagesperslab&gt; : tunables &lt;limit&gt; &lt;batchcount&gt; &lt;sharedfactor&gt; : slabdata &lt;active_slabs&gt; &lt;num_slabs&gt; &lt;sharedavail&gt;
 * kmalloc-64           120    248     64   62    1 : tunables    0    0    0 : slabdata      2      4      0
 * </pre>
 *
 * @param name           the cache's name
 * @param activeObjects  objects in use
 * @param objects        objects in all the cache's slabs
 * @param objectSize     bytes per object, the stride between objects
 * @param objectsPerSlab objects a slab holds
 * @param pagesPerSlab   pages a slab takes
 * @param limit          objects a per-thread magazine holds (the SLAB allocator's per-CPU array limit), 0 without
 * @param batchCount     objects moved at once between the magazine layer and the slabs, 0 without
 * @param sharedFactor   0: no shared (per-node) array cache
 * @param activeSlabs    slabs with at least one object in use
 * @param slabs          all the cache's slabs
 * @param sharedAvail    0: no shared array cache
 */
public record SlabInfo(String name, long activeObjects, long objects, long objectSize, long objectsPerSlab,
                       long pagesPerSlab, long limit, long batchCount, long sharedFactor, long activeSlabs,
                       long slabs, long sharedAvail) {

    /** The two header lines {@code mm/slab_common.c} prints, without a final newline. */
    public static final String HEADER = "slabinfo - version: 2.1\n"
            + "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
            + " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>";

    /** {@return the line, in the kernel's widths: {@code "%-17s %6lu %6lu %6u %4u %4d"} and so on, no newline} */
    public String line() {
        return String.format(Locale.ROOT, "%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d",
                name, activeObjects, objects, objectSize, objectsPerSlab, pagesPerSlab, limit, batchCount,
                sharedFactor, activeSlabs, slabs, sharedAvail);
    }

    /** {@return the header and one line per cache, each line ending in a newline} */
    public static String table(List<SlabInfo> caches) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (SlabInfo cache : caches) {
            out.append(cache.line()).append('\n');
        }
        return out.toString();
    }
}
