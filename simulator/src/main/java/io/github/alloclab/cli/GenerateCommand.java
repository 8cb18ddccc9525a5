package io.github.alloclab.cli;

import io.github.alloclab.files.OutputFiles;
import io.github.alloclab.generate.GeneratorKind;
import io.github.alloclab.generate.GeneratorSettings;
import io.github.alloclab.generate.HistogramRow;
import io.github.alloclab.trace.TraceFormat;
import io.github.alloclab.trace.TraceProfile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab generate}: a seeded synthetic trace. */
@Command(name = "generate",
        header = "Generate a synthetic malloc trace from a seed.", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic malloc trace, deterministically from a seed:",
                "  random     random sizes (log-uniform) and lifetimes (exponential)",
                "  binary     sizes just above powers of two, with pinned holes: defeats buddy systems",
                "  coalesce   holes that only coalescing on both sides turns back into one block",
                "  realloc    buffers growing by realloc, with small blocks in their way",
                "  phased     build up, steady state, tear down, phase after phase (Wilson et al.)",
                "  histogram  sizes and lifetimes drawn from a table (--table)"})
final class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "${COMPLETION-CANDIDATES}")
    GeneratorKind kind;

    @Parameters(index = "1", paramLabel = "OUT", description = "The trace file to write; replaced if it exists.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "The seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ops", paramLabel = "N", defaultValue = "10000",
            description = "About how many operations (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--min-size", paramLabel = "BYTES", defaultValue = "8",
            description = "The smallest request (default: ${DEFAULT-VALUE}).")
    long minSize;

    @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = "4096",
            description = "The largest request (default: ${DEFAULT-VALUE}).")
    long maxSize;

    @Option(names = "--lifetime", paramLabel = "ALLOCATIONS", defaultValue = "100",
            description = "random: the mean lifetime of a block, in allocations (default: ${DEFAULT-VALUE}).")
    double lifetime;

    @Option(names = "--phases", paramLabel = "N", defaultValue = "3",
            description = "phased: how many phases (default: ${DEFAULT-VALUE}).")
    int phases;

    @Option(names = "--table", paramLabel = "FILE",
            description = {"histogram: the workload, one row per line: 'size[-size] weight lifetime',",
                    "lifetime in allocations or 'inf' for never freed; '#' starts a comment."})
    Path table;

    @Option(names = "--to", paramLabel = "FORMAT", defaultValue = "rep",
            description = "The output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TraceFormat format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<HistogramRow> rows = List.of();
        if (table != null) {
            rows = HistogramRow.read(table);
        } else if (kind == GeneratorKind.histogram) {
            throw new IllegalArgumentException("generate histogram needs a table: --table FILE");
        }
        GeneratorSettings settings = new GeneratorSettings(seed, ops, minSize, maxSize, lifetime, phases, rows);
        TraceProfile profile = write(settings);
        var err = spec.commandLine().getErr();
        err.printf("alloclab: %s (seed %d) -> %s (%s): %,d operations (%,d malloc, %,d realloc, %,d free), peak live "
                        + "%,d bytes, %,d blocks never freed%n", kind, seed, out, format, profile.ops(), profile.allocs(),
                profile.reallocs(), profile.frees(), profile.peakLiveBytes(), profile.leakedBlocks());
        err.flush();
        return 0;
    }

    /** Writes under a temporary name first, so a failure leaves no half-written trace. */
    private TraceProfile write(GeneratorSettings settings) {
        OutputFiles.checkWritable(out);
        Path temporary = null;
        try {
            temporary = Files.createTempFile(out.toAbsolutePath().getParent(), "." + out.getFileName(), ".part");
            TraceProfile profile;
            try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(temporary),
                    StandardCharsets.UTF_8), 1 << 16)) {
                profile = kind.write(settings, format, out.getFileName().toString(), w);
            }
            Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return profile;
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the generation's own error matters more
                }
            }
        }
    }
}
