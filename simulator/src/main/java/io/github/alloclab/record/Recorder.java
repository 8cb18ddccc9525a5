package io.github.alloclab.record;

import io.github.alloclab.trace.TraceConverter;
import io.github.alloclab.trace.TraceFormat;
import io.github.alloclab.trace.TraceProfile;
import io.github.alloclab.trace.TraceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a real program under the {@linkplain Interposer interposer} and turns what it recorded into a trace.
 *
 * <ol>
 *   <li>Build (or find in the cache) {@code liballoclab_record.so}.</li>
 *   <li>Run the command with {@code LD_PRELOAD} naming the library (before any the environment already
 *       has) and {@code ALLOCLAB_RECORD_DIR} naming a fresh temporary directory. Its standard streams are
 *       the recorder's own, so it runs as it would alone.</li>
 *   <li>Each process the command starts writes {@code <pid>.log} there, in ltrace style. The command's own
 *       process is the trace; other processes (children it forks or execs) are kept only when asked, as
 *       {@code OUT} with {@code .<pid>} before its extension.</li>
 *   <li>Convert each log ({@link TraceConverter}) into the requested format, and delete the directory.</li>
 * </ol>
 *
 * LD_PRELOAD does not reach statically linked or set-uid programs; they record nothing, and the recorder says
 * so.
 */
public final class Recorder {

    /**
     * What a recording produced.
     *
     * @param trace          the command's own trace
     * @param profile        that trace's profile
     * @param exitCode       the command's exit status
     * @param otherProcesses traces of other processes, written when asked for
     * @param unrecorded     how many other processes recorded something that was not kept
     */
    public record Result(Path trace, TraceProfile profile, int exitCode, List<Path> otherProcesses,
                         int unrecorded) {
    }

    private final Path library;

    /** @param library the built interposer, from {@link Interposer#library()} */
    public Recorder(Path library) {
        this.library = library;
    }

    /**
     * Runs {@code command} to its end and writes its trace.
     *
     * @param allProcesses also write a trace for every other process the command started
     * @throws UncheckedIOException if the command cannot be started or the trace cannot be written
     * @throws IllegalArgumentException if the command recorded nothing
     */
    public Result record(List<String> command, Path out, TraceFormat format, boolean allProcesses) {
        Path dir;
        try {
            dir = Files.createTempDirectory("alloclab-record");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            Map<String, String> env = builder.environment();
            String preload = env.get("LD_PRELOAD");
            env.put("LD_PRELOAD", library.toAbsolutePath() + (preload == null || preload.isBlank() ? "" : ":" + preload));
            env.put("ALLOCLAB_RECORD_DIR", dir.toAbsolutePath().toString());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run '" + command.getFirst() + "': " + e.getMessage(), e);
            }
            int exit = waitFor(process);
            Path own = dir.resolve(process.pid() + ".log");
            if (!Files.isRegularFile(own)) {
                throw new IllegalArgumentException(("'%s' recorded no malloc calls: LD_PRELOAD does not reach "
                        + "statically linked or set-uid programs (exit status %d)").formatted(command.getFirst(), exit));
            }
            TraceProfile profile = convert(own, out, format);
            List<Path> others = new ArrayList<>();
            int unrecorded = 0;
            for (Path log : logs(dir)) {
                if (log.equals(own)) {
                    continue;
                }
                if (allProcesses) {
                    Path target = withPid(out, log.getFileName().toString().replace(".log", ""));
                    convert(log, target, format);
                    others.add(target);
                } else {
                    unrecorded++;
                }
            }
            return new Result(out, profile, exit, others, unrecorded);
        } finally {
            deleteTree(dir);
        }
    }

    private static TraceProfile convert(Path log, Path target, TraceFormat format) {
        return TraceConverter.convert(TraceSource.of(log).withFormat(TraceFormat.ltrace), format, target);
    }

    /** {@code out.rep} and pid 1234 give {@code out.1234.rep}. */
    static Path withPid(Path out, String pid) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String renamed = dot > 0 ? name.substring(0, dot) + "." + pid + name.substring(dot) : name + "." + pid;
        return out.resolveSibling(renamed);
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the recorded program ran", e);
        }
    }

    private static List<Path> logs(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is not worth failing a recording for
        }
    }
}
