package io.github.alloclab.memory;

/**
 * Run by {@link FlatMemorySourceWithoutNativeAccessTest} in a JVM without native access: loads, stores and
 * the out-of-range errors of the flat source; prints {@code ok}, or throws.
 */
public final class FlatMemorySourceProbe {

    private FlatMemorySourceProbe() {
    }

    public static void main(String[] args) {
        System.out.println("native access: " + FlatMemorySource.class.getModule().isNativeAccessEnabled());
        MemorySettings small = MemorySettings.DEFAULTS.withHeapLimit(64 * 1024).withMmapLimit(64 * 1024);
        try (var memory = new FlatMemorySource(small)) {
            long p = memory.sbrk(64);
            memory.putLong(p, 0x0102030405060708L);
            memory.putInt(p + 8, 0x0a0b0c0d);
            memory.putByte(p + 12, (byte) 0x55);
            long m = memory.mmap(4096);
            memory.putLong(m, 42);
            check(memory.getByte(p) == 8 && memory.getInt(p + 4) == 0x01020304 && memory.getInt(p + 8) == 0x0a0b0c0d
                    && memory.getByte(p + 12) == 0x55 && memory.getLong(m) == 42, "loads see the stores");
            check(throwsOutOfBounds(() -> memory.getLong(0x1000)), "an address outside both reservations");
            check(throwsOutOfBounds(() -> memory.getLong(small.heapStart() + small.heapLimit() - 4)),
                    "a load past the end of the heap reservation");
        }
        System.out.println("ok");
    }

    private static boolean throwsOutOfBounds(Runnable access) {
        try {
            access.run();
            return false;
        } catch (IndexOutOfBoundsException expected) {
            return true;
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
