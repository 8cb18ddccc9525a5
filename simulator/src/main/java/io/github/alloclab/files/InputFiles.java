package io.github.alloclab.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an input file whole, failing with a one-line message that names the file: {@code FILE: no such file},
 * {@code FILE: is a directory, not a file}, {@code FILE: permission denied}, or {@code FILE:LINE: not UTF-8 text}.
 *
 * <p>The JDK's own messages name only the path ({@link NoSuchFileException}, {@link AccessDeniedException}) or only
 * the reason ({@code Is a directory}, {@code Input length = 1}); a user needs both.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * {@return the bytes of {@code file}}
     *
     * @throws UncheckedIOException naming the file and why it cannot be read
     */
    public static byte[] readAllBytes(Path file) {
        if (Files.isDirectory(file)) { // Linux opens a directory and fails on read, with no path in the message
            throw unreadable(file, "is a directory, not a file", null);
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw unreadable(file, "permission denied", e);
        } catch (IOException e) {
            throw unreadable(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    /**
     * {@return the text of {@code file}, read as UTF-8}
     *
     * @throws UncheckedIOException naming the file and why it cannot be read, or the line of the first byte
     *                              that is not UTF-8
     */
    public static String readText(Path file) {
        byte[] bytes = readAllBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw unreadable(file, line, "not UTF-8 text (byte 0x%02x at offset %d)"
                    .formatted(bytes[in.position()] & 0xff, in.position()));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static UncheckedIOException unreadable(Path file, int line, String reason) {
        String message = file + ":" + line + ": " + reason;
        return new UncheckedIOException(message, new IOException(message));
    }

    private static UncheckedIOException unreadable(Path file, String reason, IOException cause) {
        String message = file + ": " + reason;
        return new UncheckedIOException(message, cause == null ? new IOException(message) : cause);
    }
}
