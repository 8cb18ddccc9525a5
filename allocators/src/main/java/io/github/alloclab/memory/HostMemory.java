package io.github.alloclab.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Zeroed host memory that costs only what is touched: the C library's {@code calloc}, through FFM. A large
 * {@code calloc} is an anonymous {@code mmap} of the host kernel's zero pages, committed page by page on first
 * write, where {@link Arena#allocate} would write zeros over all of it at once. So a simulated process can
 * reserve its 8 MiB stack and its 64 MiB heap and pay the host only for the pages it uses, as a real process
 * pays its kernel.
 *
 * @implNote Calls restricted FFM methods ({@link Linker#downcallHandle}, {@link MemorySegment#reinterpret}):
 *           run with {@code --enable-native-access} for this module (or {@code ALL-UNNAMED} on the class path)
 *           to avoid the JDK's warning.
 */
final class HostMemory {

    private static final MethodHandle CALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        CALLOC = linker.downcallHandle(linker.defaultLookup().find("calloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    private HostMemory() {
    }

    /**
     * {@return {@code byteSize} zeroed bytes, freed when {@code arena} closes}
     *
     * @throws OutOfMemoryError if the host cannot provide them
     */
    static MemorySegment allocate(long byteSize, Arena arena) {
        MemorySegment raw;
        try {
            raw = (MemorySegment) CALLOC.invokeExact(1L, byteSize);
        } catch (Throwable e) {
            throw new IllegalStateException("calloc failed", e);
        }
        if (raw.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("the host cannot back %d bytes of simulated memory".formatted(byteSize));
        }
        return raw.reinterpret(byteSize, arena, HostMemory::free);
    }

    private static void free(MemorySegment segment) {
        try {
            FREE.invokeExact(segment);
        } catch (Throwable e) {
            throw new IllegalStateException("free failed", e);
        }
    }
}
