package io.github.alloclab.process;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.memory.MappedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The golden binaries and what the real kernel and binutils said about them, collected by
 * {@code src/test/resources/io/github/alloclab/process/golden/collect.sh} (see its MANIFEST).
 */
public final class Golden {

    /** Every flavour of the probe collect.sh builds. */
    public static final List<String> NAMES = List.of("pie64", "nopie64", "static64", "staticpie64", "nosep64",
            "norelro64", "execstack64", "pie32", "nopie32", "static32", "staticpie32");

    /** The bytes the probe's sbrk asked for, as collect.sh ran it. */
    public static final long GROW = 5000;

    private static final String DIR = "/io/github/alloclab/process/golden/";

    private Golden() {
    }

    /** {@return the binary's bytes} */
    public static byte[] binary(String name) {
        try (InputStream in = new GZIPInputStream(resource(name + ".gz"))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return a recorded output: maps, brk, size or size-A} */
    public static String text(String name, String kind) {
        try (InputStream in = resource(name + "." + kind)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = Golden.class.getResourceAsStream(DIR + file);
        if (in == null) {
            throw new IllegalStateException("missing golden file " + DIR + file);
        }
        return in;
    }

    /** {@return the parsed binary} */
    public static ElfFile elf(String name) {
        return ElfFile.parse(name, binary(name));
    }

    /** {@return the binary loaded as collect.sh ran it: {@code env -i ./NAME 5000}} */
    public static SimulatedProcess load(String name) {
        ElfFile elf = elf(name);
        MappedFile file = new MappedFile("/golden/" + name, elf.bytes(), 0, 0);
        return ElfLoader.load(elf, file, "./" + name,
                ProcessOptions.DEFAULTS.withArgv(List.of("./" + name, Long.toString(GROW))));
    }

    /** {@return {@code [start_brk, brk]} as the probe reported them} */
    public static long[] brk(String name) {
        String[] fields = text(name, "brk").trim().split("\\s+");
        return new long[] {Long.decode(fields[0].substring("start_brk=".length())),
                Long.decode(fields[1].substring("brk=".length()))};
    }
}
