package io.github.alloclab.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Native allocators through FFM downcalls. Each kind holds its handles in {@code static final} fields, so the
 * JIT treats them as constants and inlines the downcall. The downcalls are marked {@code critical}: malloc and
 * free neither block nor call back into Java, so the thread-state transition is skipped.
 *
 * <p>Debian's {@code libjemalloc2} uses static TLS; loading it into a running JVM needs
 * {@code GLIBC_TUNABLES=glibc.rtld.optional_static_tls=8192} in the environment ({@code ./alloclab bench}
 * sets it).
 */
abstract sealed class NativeHeap implements BenchHeap {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor MALLOC = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor FREE = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor REALLOC =
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

    /** {@return why the baseline cannot run here, or null if it can (or is not native)} */
    static String missing(String name) {
        String library = switch (name) {
            case "jemalloc" -> "libjemalloc.so.2 (Debian package libjemalloc2)";
            case "mimalloc" -> "libmimalloc.so.2 (Debian package libmimalloc2.0)";
            case "tcmalloc" -> "libtcmalloc_minimal.so.4 (Debian package libtcmalloc-minimal4)";
            default -> null;
        };
        if (library == null) {
            return null;
        }
        try {
            SymbolLookup.libraryLookup(library.substring(0, library.indexOf(' ')), Arena.global());
            return null;
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return "cannot load " + library + ": " + e.getMessage();
        }
    }

    static MethodHandle handle(SymbolLookup lookup, String symbol, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(lookup.find(symbol).orElseThrow(
                () -> new IllegalArgumentException("symbol " + symbol + " not found")), descriptor,
                Linker.Option.critical(false));
    }

    static SymbolLookup library(String file) {
        return SymbolLookup.libraryLookup(file, Arena.global());
    }

    /** {@inheritDoc} The C allocators are: glibc with its arenas and tcache, the others with theirs. */
    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public void close() {
    }

    /*
     * The handles reach these helpers as arguments, but each caller passes a static final field, so once the
     * JIT inlines the helper the handle is a constant again and the downcall is inlined.
     */
    static long callMalloc(MethodHandle malloc, long byteSize) {
        try {
            return (long) malloc.invokeExact(byteSize);
        } catch (Throwable e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    static long callRealloc(MethodHandle realloc, long address, long byteSize) {
        try {
            return (long) realloc.invokeExact(address, byteSize);
        } catch (Throwable e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    static void callFree(MethodHandle free, long address) {
        try {
            free.invokeExact(address);
        } catch (Throwable e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** glibc's {@code malloc} and {@code free}. */
    static final class Glibc extends NativeHeap {
        private static final MethodHandle M = handle(LINKER.defaultLookup(), "malloc", MALLOC);
        private static final MethodHandle F = handle(LINKER.defaultLookup(), "free", FREE);
        private static final MethodHandle R = handle(LINKER.defaultLookup(), "realloc", REALLOC);

        @Override
        public long malloc(long byteSize) {
            return callMalloc(M, byteSize);
        }

        @Override
        public long realloc(long handle, long byteSize) {
            return callRealloc(R, handle, byteSize);
        }

        @Override
        public void free(long handle) {
            callFree(F, handle);
        }
    }

    /** jemalloc 5, whose library exports {@code malloc} and {@code free} under their C names. */
    static final class Jemalloc extends NativeHeap {
        private static final SymbolLookup LIB = library("libjemalloc.so.2");
        private static final MethodHandle M = handle(LIB, "malloc", MALLOC);
        private static final MethodHandle F = handle(LIB, "free", FREE);
        private static final MethodHandle R = handle(LIB, "realloc", REALLOC);

        @Override
        public long malloc(long byteSize) {
            return callMalloc(M, byteSize);
        }

        @Override
        public long realloc(long handle, long byteSize) {
            return callRealloc(R, handle, byteSize);
        }

        @Override
        public void free(long handle) {
            callFree(F, handle);
        }
    }

    /** mimalloc 2, through its own {@code mi_malloc} and {@code mi_free}. */
    static final class Mimalloc extends NativeHeap {
        private static final SymbolLookup LIB = library("libmimalloc.so.2");
        private static final MethodHandle M = handle(LIB, "mi_malloc", MALLOC);
        private static final MethodHandle F = handle(LIB, "mi_free", FREE);
        private static final MethodHandle R = handle(LIB, "mi_realloc", REALLOC);

        @Override
        public long malloc(long byteSize) {
            return callMalloc(M, byteSize);
        }

        @Override
        public long realloc(long handle, long byteSize) {
            return callRealloc(R, handle, byteSize);
        }

        @Override
        public void free(long handle) {
            callFree(F, handle);
        }
    }

    /** gperftools' tcmalloc (minimal), through {@code tc_malloc} and {@code tc_free}. */
    static final class Tcmalloc extends NativeHeap {
        private static final SymbolLookup LIB = library("libtcmalloc_minimal.so.4");
        private static final MethodHandle M = handle(LIB, "tc_malloc", MALLOC);
        private static final MethodHandle F = handle(LIB, "tc_free", FREE);
        private static final MethodHandle R = handle(LIB, "tc_realloc", REALLOC);

        @Override
        public long malloc(long byteSize) {
            return callMalloc(M, byteSize);
        }

        @Override
        public long realloc(long handle, long byteSize) {
            return callRealloc(R, handle, byteSize);
        }

        @Override
        public void free(long handle) {
            callFree(F, handle);
        }
    }
}
