package io.github.alloclab.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that an output file can be written before any work is done, failing with a one-line message that names
 * the file: {@code FILE: is a directory, not a file}, {@code FILE: no such directory: DIR} or
 * {@code FILE: permission denied}.
 *
 * <p>Writers that go through a temporary file would otherwise fail on the temporary's name, such as
 * {@code /no/dir/.out123.part}, which the user never gave.
 */
public final class OutputFiles {

    private OutputFiles() {
    }

    /** @throws UncheckedIOException naming {@code file} and why it cannot be written */
    public static void checkWritable(Path file) {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw unwritable(file + ": is a directory, not a file");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw unwritable(file + ": no such directory: " + dir);
        }
        if (!Files.isWritable(dir) || Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw unwritable(file + ": permission denied");
        }
    }

    private static UncheckedIOException unwritable(String message) {
        return new UncheckedIOException(message, new IOException(message));
    }
}
