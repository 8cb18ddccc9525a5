package io.github.alloclab.process;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How to start a simulated process: what {@code execve} and the shell's limits would give it.
 *
 * @param argv       the arguments; empty means just the program's path, as a shell passes it
 * @param envp       the environment, as {@code NAME=value} strings; empty is {@code env -i}
 * @param stackLimit {@code ulimit -s} in bytes, a multiple of 4 KiB
 * @param heapLimit  how far the break may move up from its start, a multiple of 4 KiB
 * @param mmapLimit  how much of the address space below {@code mmap_base} anonymous mappings may use
 * @param aslrSeed   empty for ASLR off ({@code setarch -R}), or the seed of a randomised layout
 */
public record ProcessOptions(List<String> argv, List<String> envp, long stackLimit, long heapLimit, long mmapLimit,
                             OptionalLong aslrSeed) {

    /** No arguments but the path, no environment, 8 MiB of stack, 64 MiB of heap, 256 MiB of mmap, no ASLR. */
    public static final ProcessOptions DEFAULTS =
            new ProcessOptions(List.of(), List.of(), 8L << 20, 64L << 20, 256L << 20, OptionalLong.empty());

    public ProcessOptions {
        argv = List.copyOf(argv);
        envp = List.copyOf(envp);
        Objects.requireNonNull(aslrSeed, "aslrSeed");
        if (stackLimit < 4096 || stackLimit % 4096 != 0 || stackLimit > 1L << 32) {
            throw new IllegalArgumentException("the stack limit must be a multiple of 4 KiB between 4 KiB and 4 GiB: "
                    + stackLimit);
        }
        if (heapLimit < 0 || heapLimit % 4096 != 0 || mmapLimit < 0 || mmapLimit % 4096 != 0) {
            throw new IllegalArgumentException("the heap and mmap limits must be multiples of 4 KiB");
        }
    }

    /** {@return these options with other arguments} */
    public ProcessOptions withArgv(List<String> newArgv) {
        return new ProcessOptions(newArgv, envp, stackLimit, heapLimit, mmapLimit, aslrSeed);
    }

    /** {@return these options with another environment} */
    public ProcessOptions withEnvp(List<String> newEnvp) {
        return new ProcessOptions(argv, newEnvp, stackLimit, heapLimit, mmapLimit, aslrSeed);
    }

    /** {@return these options with ASLR on, randomised from {@code seed}} */
    public ProcessOptions withAslr(long seed) {
        return new ProcessOptions(argv, envp, stackLimit, heapLimit, mmapLimit, OptionalLong.of(seed));
    }

    /** {@return these options with another stack limit} */
    public ProcessOptions withStackLimit(long byteSize) {
        return new ProcessOptions(argv, envp, byteSize, heapLimit, mmapLimit, aslrSeed);
    }
}
