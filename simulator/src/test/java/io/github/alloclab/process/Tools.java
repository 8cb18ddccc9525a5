package io.github.alloclab.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host tools (gcc, binutils, setarch) for the tests that compare with them; they skip when a tool is absent. */
public final class Tools {

    private Tools() {
    }

    /** The result of running a command. */
    public record Result(int exitCode, String out, String err) {
    }

    /** {@return whether {@code command} runs and exits 0} */
    public static boolean available(String... command) {
        try {
            return run(null, command).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@code command} in {@code directory} with an empty environment but PATH, and waits up to a minute. */
    public static Result run(Path directory, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        builder.environment().clear();
        builder.environment().put("PATH", path);
        Process process = builder.start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
