package io.github.alloclab.zone;

import java.util.List;
import java.util.Locale;

/**
 * One zone as a line of Mach's {@code zprint}.
 *
 * <pre>
 *                                elem      cur      max      cur      max      cur  alloc  alloc
 * zone name                      size     size     size    #elts    #elts    inuse   size  count
 * ----------------------------------------------------------------------------------------------
 * kalloc.16                        16      16K    1048576K    1016   67076096    1000     16K   1016  C
 * </pre>
 *
 * Sizes are in KiB with a {@code K}, as zprint prints them. Long names are cut short with a {@code $}, and
 * spaces become dots, so that the columns can be sorted. The flags are zprint's: {@code C} collectable
 * ({@code zone_gc} may give chunks back), {@code X} exhaustible ({@code zalloc} returns 0 at the maximum).
 *
 * @param name            the zone's name
 * @param elementSize     bytes per element
 * @param currentBytes    bytes of the chunks the zone holds
 * @param maxBytes        the most bytes the zone may hold
 * @param currentElements elements in those chunks
 * @param maxElements     elements at the maximum size
 * @param inUse           elements allocated
 * @param allocBytes      bytes of one chunk (Mach's allocation size)
 * @param allocCount      elements per chunk
 * @param exhaustible     whether {@code zalloc} returns 0 rather than failing at the maximum
 * @param collectable     whether {@code zone_gc} may give empty chunks back
 */
public record ZoneInfo(String name, long elementSize, long currentBytes, long maxBytes, long currentElements,
                       long maxElements, long inUse, long allocBytes, long allocCount, boolean exhaustible,
                       boolean collectable) {

    /** The column headings and the rule under them, without a final newline. */
    public static final String HEADER = String.join("\n",
            "                             elem       cur       max        cur        max        cur   alloc  alloc",
            "zone name                    size      size      size      #elts      #elts      inuse    size  count",
            "-".repeat(101));

    private static final int NAME = 25;

    /** {@return the zprint line for this zone, without a newline} */
    public String line() {
        String shown = name.replace(' ', '.');
        if (shown.length() > NAME) {
            shown = shown.substring(0, NAME - 1) + "$";
        }
        String flags = (collectable ? "C" : "") + (exhaustible ? "X" : "");
        return String.format(Locale.ROOT, "%-25s%8d%10s%10s%11d%11d%11d%8s%7d  %s", shown, elementSize,
                kib(currentBytes), kib(maxBytes), currentElements, maxElements, inUse, kib(allocBytes), allocCount,
                flags).stripTrailing();
    }

    private static String kib(long bytes) {
        return (bytes + 1023) / 1024 + "K";
    }

    /** {@return the header and a line per zone, each ending in a newline} */
    public static String table(List<ZoneInfo> zones) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (ZoneInfo zone : zones) {
            out.append(zone.line()).append('\n');
        }
        return out.toString();
    }
}
