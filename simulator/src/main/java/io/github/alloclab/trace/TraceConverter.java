package io.github.alloclab.trace;

import io.github.alloclab.files.OutputFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Converts a trace from any format to any other, in two streaming passes: one for the {@link TraceProfile}
 * (the counts a {@code .rep} header needs), one to write.
 *
 * <p>What survives a conversion is the sequence of operations on blocks, with their sizes. Ids are
 * renumbered in allocation order when the source is address-based; addresses are invented when the target
 * is ({@link SyntheticAddresses}); callers, alignments and failed calls are not kept. So
 * {@code rep -> mtrace -> rep} gives back the same operations, and {@code mtrace -> rep -> mtrace} the same
 * blocks at other addresses.
 */
public final class TraceConverter {

    private TraceConverter() {
    }

    /**
     * Converts {@code source} into {@code format} on {@code out}.
     *
     * @return the profile of the trace written
     * @throws TraceFormatException if the source is malformed or inconsistent
     */
    public static TraceProfile convert(TraceSource source, TraceFormat format, Writer out) {
        TraceProfile profile = TraceProfile.of(source);
        try (TraceReader in = source.open(); TraceWriter writer = TraceWriter.of(format, profile, out)) {
            in.forEachRemaining(writer::write);
        }
        return profile;
    }

    /**
     * Converts {@code source} into the file {@code target}, written in full under a temporary name first, so
     * a failed conversion leaves no half-written trace.
     */
    public static TraceProfile convert(TraceSource source, TraceFormat format, Path target) {
        OutputFiles.checkWritable(target);
        Path dir = target.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(dir, "." + target.getFileName(), ".part");
            TraceProfile profile;
            try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(temporary),
                    StandardCharsets.UTF_8), 1 << 16)) {
                profile = convert(source, format, out);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return profile;
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // best effort: the conversion's own error matters more
                }
            }
        }
    }
}
