package io.github.alloclab.cli;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.files.InputFiles;
import io.github.alloclab.memory.MappedFile;
import io.github.alloclab.process.ElfLoader;
import io.github.alloclab.process.ProcessOptions;
import io.github.alloclab.process.SimulatedProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that start a simulated process: its environment, limits, ASLR, and a heap grown with sbrk. */
final class ProcessMixin {

    @Option(names = "--sbrk", paramLabel = "BYTES", converter = ByteSizeConverter.class, defaultValue = "0",
            description = "Grow the heap by this much with sbrk after loading (5000, 64K, 1M).")
    long sbrk;

    @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "Add an environment variable; the default environment is empty, as with env -i.")
    List<String> env = new ArrayList<>();

    @Option(names = "--aslr", paramLabel = "SEED",
            description = "Randomise the layout (ASLR on), reproducibly from this seed. Default: ASLR off, as setarch -R.")
    Long aslrSeed;

    @Option(names = "--stack-limit", paramLabel = "BYTES", converter = ByteSizeConverter.class, defaultValue = "8M",
            description = "The stack rlimit, ulimit -s (default: ${DEFAULT-VALUE}).")
    long stackLimit;

    ProcessOptions options(Path file, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(file.toString());
        argv.addAll(args);
        ProcessOptions options = ProcessOptions.DEFAULTS.withArgv(argv).withEnvp(env).withStackLimit(stackLimit);
        return aslrSeed == null ? options : options.withAslr(aslrSeed);
    }

    /** Loads {@code file} as {@code execve} would, then moves the break. */
    SimulatedProcess start(Path file, List<String> args) {
        SimulatedProcess process = ElfLoader.load(file, options(file, args));
        return grow(process);
    }

    /** Loads an ELF image that exists only in memory, under the name {@code name}. */
    SimulatedProcess start(String name, byte[] image, List<String> args) {
        ElfFile elf = ElfFile.parse(name, image);
        SimulatedProcess process = ElfLoader.load(elf, new MappedFile(name, elf.bytes(), 0, 0), name,
                options(Path.of(name), args));
        return grow(process);
    }

    private SimulatedProcess grow(SimulatedProcess process) {
        if (sbrk != 0 && process.sbrk(sbrk) == -1) {
            process.close();
            throw new IllegalArgumentException("sbrk(%d) failed: the heap cannot grow that far".formatted(sbrk));
        }
        return process;
    }

    /** {@return the bytes of a file, with a clear error if it cannot be read} */
    static byte[] read(Path file) {
        return InputFiles.readAllBytes(file);
    }
}
