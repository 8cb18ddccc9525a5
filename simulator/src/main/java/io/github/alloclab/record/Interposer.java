package io.github.alloclab.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The recorder's {@code LD_PRELOAD} library, {@code alloclab_record.c} (a resource of this package, whose
 * comment explains its design), built with the C compiler on first use and cached.
 *
 * <p>The compiler is {@code $CC} if set, else {@code gcc} on the {@code PATH}. The library is cached under
 * {@code $XDG_CACHE_HOME/alloclab} (or {@code ~/.cache/alloclab}, or the {@code alloclab.cache} system
 * property), in a directory named after the SHA-256 of the source, so an edited source is rebuilt and a
 * built one is reused. It is built under a temporary name and moved into place, so concurrent first uses do
 * not see half a library.
 */
public final class Interposer {

    static final String SOURCE = "alloclab_record.c";
    static final String LIBRARY = "liballoclab_record.so";

    private Interposer() {
    }

    /** {@return the C compiler to use, if there is one} */
    public static Optional<Path> compiler() {
        return compiler(System.getenv());
    }

    /** {@return the C compiler that an environment names: {@code $CC}, else {@code gcc} on its {@code PATH}} */
    static Optional<Path> compiler(Map<String, String> env) {
        String cc = env.get("CC");
        if (cc != null && !cc.isBlank()) {
            Path path = Path.of(cc);
            if (path.isAbsolute()) {
                return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
            }
            return onPath(cc, env);
        }
        return onPath("gcc", env);
    }

    private static Optional<Path> onPath(String name, Map<String, String> env) {
        String path = env.get("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** {@return the directory the built library is cached in} */
    static Path cacheRoot() {
        String property = System.getProperty("alloclab.cache");
        if (property != null) {
            return Path.of(property);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "alloclab");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "alloclab");
    }

    /** {@return the interposer's C source} */
    public static byte[] source() {
        try (InputStream in = Interposer.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is missing from the alloclab jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@return the built library}, building it first if the cache does not have it
     *
     * @throws RecorderUnavailableException if there is no C compiler, or the library does not build
     */
    public static Path library() {
        return library(System.getenv());
    }

    /** {@link #library()} with the compiler an environment names. */
    static Path library(Map<String, String> env) {
        Path cc = compiler(env).orElseThrow(() -> new RecorderUnavailableException(
                "record needs a C compiler to build its LD_PRELOAD interposer, and there is no gcc on the PATH "
                        + "(nor $CC): install gcc (Debian, Ubuntu: apt-get install gcc) and run it again. "
                        + "Everything else in alloclab works without it."));
        byte[] source = source();
        Path dir = cacheRoot().resolve("record-" + sha256(source).substring(0, 16));
        Path library = dir.resolve(LIBRARY);
        if (Files.isRegularFile(library)) {
            return library;
        }
        try {
            Files.createDirectories(dir);
            Path src = dir.resolve(SOURCE);
            Files.write(src, source);
            Path temporary = Files.createTempFile(dir, LIBRARY, ".part");
            List<String> command = List.of(cc.toString(), "-shared", "-fPIC", "-O2", "-Wall", "-o",
                    temporary.toString(), src.toString(), "-pthread");
            Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                gcc.destroyForcibly();
                Files.deleteIfExists(temporary);
                throw new RecorderUnavailableException("could not build the recorder's interposer with "
                        + String.join(" ", command) + ": " + output.strip());
            }
            Files.move(temporary, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return library;
        } catch (IOException e) {
            throw new UncheckedIOException("could not build the recorder's interposer in " + dir + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecorderUnavailableException("interrupted while building the recorder's interposer");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
