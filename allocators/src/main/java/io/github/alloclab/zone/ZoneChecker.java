package io.github.alloclab.zone;

import static io.github.alloclab.zone.ZoneLayout.BITMAP;
import static io.github.alloclab.zone.ZoneLayout.FIRST;
import static io.github.alloclab.zone.ZoneLayout.MAGIC;
import static io.github.alloclab.zone.ZoneLayout.NEXT;
import static io.github.alloclab.zone.ZoneLayout.ZONE;

import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The invariants Z1 to Z4 of {@link Zone}, by walking its chunk list and its free list, each bounded. */
public final class ZoneChecker {

    private final Zone zone;
    private final MemorySource memory;
    private final List<Violation> violations = new ArrayList<>();

    public ZoneChecker(Zone zone) {
        this.zone = zone;
        this.memory = zone.memory();
    }

    private void fail(long address, String message) {
        violations.add(new Violation(address, zone.name() + ": " + message));
    }

    /** {@return every violation found; empty when the zone is consistent} */
    public List<Violation> check() {
        Set<Long> chunks = new HashSet<>();
        long bits = 0;
        for (long c = zone.chunkHead(); c != 0; c = memory.getLong(c + NEXT)) {
            if (chunks.size() > zone.chunks()) {
                fail(c, "Z2: the chunk list is longer than the %d chunks counted: a cycle".formatted(zone.chunks()));
                return violations;
            }
            if (!chunks.add(c)) {
                fail(c, "Z2: a chunk is on the chunk list twice");
                return violations;
            }
            if ((c & (zone.chunkBytes() - 1)) != 0 || memory.getLong(c + MAGIC) != (c ^ zone.key())
                    || memory.getLong(c + ZONE) != zone.id() || memory.getLong(c + FIRST) != c + zone.headerBytes()) {
                fail(c, "Z3: the chunk header is not this zone's (alignment, magic, zone or first element)");
                return violations;
            }
            for (long w = 0; w < (zone.elementsPerChunk() + 63) / 64; w++) {
                long word = memory.getLong(c + BITMAP + 8 * w);
                long valid = zone.elementsPerChunk() - 64 * w >= 64 ? -1L : (1L << (zone.elementsPerChunk() - 64 * w)) - 1;
                if ((word & ~valid) != 0) {
                    fail(c, "Z2: bitmap bits are set past the last element");
                }
                bits += Long.bitCount(word & valid);
            }
        }
        if (chunks.size() != zone.chunks()) {
            fail(zone.chunkHead(), "Z2: %d chunks on the list, %d counted".formatted(chunks.size(), zone.chunks()));
        }
        if (bits != zone.inUse()) {
            fail(zone.chunkHead(), "Z2: %d bitmap bits are set, but %d elements are in use".formatted(bits, zone.inUse()));
        }
        if (zone.currentBytes() > zone.maxBytes()) {
            fail(zone.chunkHead(), "Z2: the zone holds %d bytes, past its maximum of %d"
                    .formatted(zone.currentBytes(), zone.maxBytes()));
        }
        long capacity = zone.chunks() * zone.elementsPerChunk();
        Set<Long> free = new HashSet<>();
        for (long p = zone.freeHead(); p != 0; p = memory.getLong(p)) {
            if (free.size() > capacity) {
                fail(p, "Z1: the free list is longer than the zone: a cycle");
                return violations;
            }
            long c = p & -zone.chunkBytes();
            long offset = p - c - zone.headerBytes();
            if (!chunks.contains(c) || offset < 0 || offset % zone.elementSize() != 0
                    || offset / zone.elementSize() >= zone.elementsPerChunk()) {
                fail(p, "Z1: a free-list link leads off the zone's elements");
                return violations;
            }
            if (!free.add(p)) {
                fail(p, "Z1: an element is on the free list twice");
                return violations;
            }
            long i = offset / zone.elementSize();
            if ((memory.getLong(c + BITMAP + ((i >>> 6) << 3)) & 1L << i) != 0) {
                fail(p, "Z1: a free element's bitmap bit is set");
            }
            if (zone.keyed() && memory.getLong(p + 8) != zone.key()) {
                fail(p, "Z4: a free element's second word is not the key: written after free");
            }
        }
        if (free.size() != capacity - zone.inUse() || free.size() != zone.freeElements()) {
            fail(zone.freeHead(), "Z1: the free list has %d elements; the zone has %d of %d in use and counts %d free"
                    .formatted(free.size(), zone.inUse(), capacity, zone.freeElements()));
        }
        return violations;
    }
}
