package io.github.alloclab.replay;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * glibc's own {@code malloc}, {@code realloc} and {@code free}, called through FFM downcalls: the reference
 * {@code T_ref} of the CS:APP performance index, timed on the same trace, machine and run as the allocators.
 *
 * <p>The downcalls are marked {@code critical}: these functions neither block for long nor call back into
 * Java, so the call skips the thread-state transition, as a C driver's direct call would. Every block still
 * live at the end of a run is freed, outside the timed region, so the JVM's own heap gets its memory back.
 */
final class GlibcReference {

    private static final MethodHandle MALLOC;
    private static final MethodHandle REALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        MALLOC = linker.downcallHandle(libc.find("malloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.critical(false));
        REALLOC = linker.downcallHandle(libc.find("realloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.critical(false));
        FREE = linker.downcallHandle(libc.find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG), Linker.Option.critical(false));
    }

    private GlibcReference() {
    }

    /**
     * Replays a trace too long to pack on glibc, once, reading it as it goes (parsing is then timed too, as it
     * is for the allocators on such traces).
     *
     * @return the elapsed nanoseconds, or -1 if glibc returned NULL for a request
     */
    static long runStreaming(io.github.alloclab.trace.TraceSource source) {
        long[] addresses = new long[1024];
        var ids = new io.github.alloclab.trace.DenseIds();
        boolean failed = false;
        try (var reader = source.open()) {
            long start = System.nanoTime();
            while (reader.hasNext()) {
                var op = reader.next();
                int id = ids.of(op.id());
                if (id >= addresses.length) {
                    addresses = java.util.Arrays.copyOf(addresses, 2 * addresses.length);
                }
                switch (op.kind()) {
                    case ALLOC -> {
                        addresses[id] = (long) MALLOC.invokeExact(op.byteSize());
                        failed |= addresses[id] == 0;
                    }
                    case REALLOC -> {
                        long p = (long) REALLOC.invokeExact(addresses[id], op.byteSize());
                        failed |= p == 0 && op.byteSize() != 0;
                        addresses[id] = p == 0 && op.byteSize() != 0 ? addresses[id] : p;
                    }
                    case FREE -> {
                        FREE.invokeExact(addresses[id]);
                        addresses[id] = 0;
                    }
                }
            }
            long elapsed = System.nanoTime() - start;
            return failed ? -1 : elapsed;
        } catch (Throwable e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("glibc reference replay failed: " + e, e);
        } finally {
            freeAll(addresses);
        }
    }

    private static void freeAll(long[] addresses) {
        for (long address : addresses) {
            if (address != 0) {
                try {
                    FREE.invokeExact(address);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * Replays the packed trace on glibc.
     *
     * @return the elapsed nanoseconds, or -1 if glibc returned NULL for a request (the trace asks more than
     *         this machine gives), in which case there is no reference
     */
    static long runOnce(PackedTrace trace) {
        long[] addresses = new long[trace.ids()];
        long failed = 0;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < trace.size(); i++) {
                int id = trace.id(i);
                switch (trace.kind(i)) {
                    case PackedTrace.ALLOC -> {
                        long p = (long) MALLOC.invokeExact(trace.byteSize(i));
                        failed |= p == 0 ? 1 : 0;
                        addresses[id] = p;
                    }
                    case PackedTrace.REALLOC -> {
                        long p = (long) REALLOC.invokeExact(addresses[id], trace.byteSize(i));
                        failed |= p == 0 && trace.byteSize(i) != 0 ? 1 : 0;
                        addresses[id] = p == 0 && trace.byteSize(i) != 0 ? addresses[id] : p;
                    }
                    default -> {
                        FREE.invokeExact(addresses[id]);
                        addresses[id] = 0;
                    }
                }
            }
            long elapsed = System.nanoTime() - start;
            return failed != 0 ? -1 : elapsed;
        } catch (Throwable e) {
            throw new IllegalStateException("glibc reference replay failed: " + e, e);
        } finally {
            freeAll(addresses);
        }
    }
}
