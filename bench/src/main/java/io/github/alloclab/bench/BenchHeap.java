package io.github.alloclab.bench;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.registry.AllocatorRegistry;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * What a benchmark allocates from: an alloclab allocator picked by registry name, or a native baseline.
 * A benchmark fork loads one implementation only, so the call site stays monomorphic and the JIT inlines it.
 */
public sealed interface BenchHeap extends AutoCloseable {

    long malloc(long byteSize);

    void free(long address);

    @Override
    void close();

    /**
     * {@return the heap of that name: {@code glibc} for the C library's own malloc, or a registry name}
     *
     * @throws IllegalArgumentException for a name that is neither
     */
    static BenchHeap of(String name) {
        return name.equals("glibc") ? new Glibc() : new Lab(AllocatorRegistry.standard().create(name));
    }

    /** An alloclab allocator. */
    record Lab(Allocator allocator) implements BenchHeap {
        @Override
        public long malloc(long byteSize) {
            return allocator.malloc(byteSize);
        }

        @Override
        public void free(long address) {
            allocator.free(address);
        }

        @Override
        public void close() {
            allocator.close();
        }
    }

    /**
     * glibc's {@code malloc}/{@code free} through FFM downcalls, marked {@code critical}: they neither block
     * nor call back into Java, so the downcall skips the thread-state transition.
     */
    final class Glibc implements BenchHeap {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final MethodHandle MALLOC = LINKER.downcallHandle(
                LINKER.defaultLookup().find("malloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.critical(false));
        private static final MethodHandle FREE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG),
                Linker.Option.critical(false));

        @Override
        public long malloc(long byteSize) {
            try {
                return (long) MALLOC.invokeExact(byteSize);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void free(long address) {
            try {
                FREE.invokeExact(address);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
        }
    }
}
