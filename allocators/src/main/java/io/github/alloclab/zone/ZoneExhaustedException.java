package io.github.alloclab.zone;

/**
 * A zone has reached its maximum size and has no free element: Mach's {@code zalloc} panics here ("zone map
 * exhausted"); alloclab throws, before anything changes, so the zone stays usable once elements are freed.
 */
public final class ZoneExhaustedException extends RuntimeException {

    private final String zone;
    private final long maxBytes;

    public ZoneExhaustedException(String zone, long maxBytes, long elements, long elementSize) {
        super("zalloc: zone \"%s\" exhausted: all %d elements of %d bytes in use, at its maximum of %d bytes"
                .formatted(zone, elements, elementSize, maxBytes));
        this.zone = zone;
        this.maxBytes = maxBytes;
    }

    /** {@return the zone's name} */
    public String zone() {
        return zone;
    }

    /** {@return the zone's maximum size in bytes} */
    public long maxBytes() {
        return maxBytes;
    }
}
