package io.github.alloclab.bench;

import java.lang.foreign.Arena;

/**
 * The JDK's own way: a confined {@link Arena} for each allocation, closed to free it. Handles are slots in a
 * table of open arenas, so that many allocations can be live at once.
 */
final class ArenaPerAllocation implements BenchHeap {

    private Arena[] arenas = new Arena[1024];
    private int[] freeSlots = new int[1024];
    private int freeCount;
    private int used;

    @Override
    public long malloc(long byteSize) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (used == arenas.length) {
                arenas = java.util.Arrays.copyOf(arenas, used * 2);
                freeSlots = java.util.Arrays.copyOf(freeSlots, used * 2);
            }
            slot = used++;
        }
        Arena arena = Arena.ofConfined();
        arena.allocate(Math.max(byteSize, 1), 16);
        arenas[slot] = arena;
        return slot + 1L;
    }

    /** A new arena; the old one is closed without copying (an arena cannot grow in place). */
    @Override
    public long realloc(long handle, long byteSize) {
        long moved = malloc(byteSize);
        free(handle);
        return moved;
    }

    @Override
    public void free(long handle) {
        int slot = (int) handle - 1;
        arenas[slot].close();
        arenas[slot] = null;
        freeSlots[freeCount++] = slot;
    }

    @Override
    public void close() {
        for (Arena arena : arenas) {
            if (arena != null) {
                arena.close();
            }
        }
    }
}
