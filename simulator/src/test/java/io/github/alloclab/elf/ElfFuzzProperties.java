package io.github.alloclab.elf;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.github.alloclab.memory.MappedFile;
import io.github.alloclab.process.ElfLoader;
import io.github.alloclab.process.Golden;
import io.github.alloclab.process.ProcMaps;
import io.github.alloclab.process.ProcessOptions;
import io.github.alloclab.process.SimulatedProcess;
import io.github.alloclab.testing.Fuzz;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Feeds random bytes and mutated golden binaries to the reader, {@code size} and the loader. Each may accept
 * the file or reject it with an {@link ElfFormatException}; any other exception, or a JVM crash, fails.
 * Mutations aim where parsers break: header fields, the program and section header tables, set to edge
 * values (0, all ones, huge, unaligned), and truncations. Each file must be done within {@link Fuzz#DEADLINE};
 * {@code -Dalloclab.fuzz.examples=N} runs longer (see {@link Fuzz}).
 */
class ElfFuzzProperties {

    static final ProcessOptions SMALL = new ProcessOptions(List.of("./fuzz"), List.of(), 256 * 1024,
            1 << 20, 1 << 20, java.util.OptionalLong.empty());
    private static final List<String> SMALL_BINARIES = List.of("pie64", "nopie64", "nosep64", "norelro64", "pie32",
            "nopie32");
    private static final Map<String, byte[]> BINARIES = new ConcurrentHashMap<>();
    private static final long[] EDGES = {0, 1, 2, 3, 7, 0x40, 0xfff, 0x1000, 0x1001, 0xffff, 0x10000, 0x7fffffffL,
            0xffffffffL, 0x555555554000L, 1L << 40, Long.MAX_VALUE, -1L, Long.MIN_VALUE, -4096};

    /** One change to a file: write {@code value} ({@code width} bytes) at {@code position}, or truncate there. */
    record Mutation(int region, int position, int width, long value, boolean truncate) {
    }

    private static byte[] binary(String name) {
        return BINARIES.computeIfAbsent(name, Golden::binary).clone();
    }

    static Gen<Mutation> mutations() {
        Gen<Long> values = integers().between(0, EDGES.length - 1).map(i -> EDGES[i])
                .mix(longs().all(), 30);
        return integers().between(0, 3).zip(integers().between(0, 8191), integers().between(0, 3), values,
                (region, position, widthShift, value) -> new Mutation(region, position, 1 << widthShift, value,
                        position % 97 == 0));
    }

    static byte[] mutate(byte[] bytes, List<Mutation> mutations) {
        ElfFile elf = ElfFile.parse("golden", bytes);
        for (Mutation m : mutations) {
            long base = switch (m.region()) {
                case 0 -> 0;                                     // the file header
                case 1 -> elf.header().phoff();                  // the program headers
                case 2 -> elf.header().shoff();                  // the section headers
                default -> 0;                                    // anywhere in the first 8 KiB
            };
            int span = switch (m.region()) {
                case 0 -> 64;
                case 1 -> elf.header().phnum() * elf.header().phentsize();
                case 2 -> elf.header().shnum() * elf.header().shentsize();
                default -> 8192;
            };
            int at = (int) (base + m.position() % Math.max(span, 1));
            if (m.truncate()) {
                bytes = Arrays.copyOf(bytes, Math.min(bytes.length, at));
                continue;
            }
            if (at + m.width() <= bytes.length) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                switch (m.width()) {
                    case 1 -> buffer.put(at, (byte) m.value());
                    case 2 -> buffer.putShort(at, (short) m.value());
                    case 4 -> buffer.putInt(at, (int) m.value());
                    default -> buffer.putLong(at, m.value());
                }
            }
        }
        return bytes;
    }

    /** {@link #exercise}, within the deadline, with the file's start shown if it fails. */
    static void exerciseInTime(byte[] bytes) {
        StringBuilder head = new StringBuilder(bytes.length + " bytes:");
        for (int i = 0; i < Math.min(bytes.length, 64); i++) {
            head.append(' ').append("%02x".formatted(bytes[i]));
        }
        Fuzz.expectOnlyTyped(head.toString(), e -> e instanceof ElfFormatException, () -> exercise(bytes));
    }

    /** Everything a user can do with a file: read it, size it, run it and print its maps. */
    static void exercise(byte[] bytes) {
        ElfFile elf;
        try {
            elf = ElfFile.parse("fuzz", bytes);
            SizeReport.berkeleyFormat(List.of(elf), List.of("fuzz"));
            SizeReport.sysvFormat(elf, "fuzz");
            ReadElfReport.format(elf);
        } catch (ElfFormatException expected) {
            return;
        }
        try (SimulatedProcess process = ElfLoader.load(elf, new MappedFile("/fuzz", elf.bytes(), 0, 0), "./fuzz", SMALL)) {
            ProcMaps.lines(process);
            process.sbrk(10_000);
        } catch (ElfFormatException expected) {
            // a file that reads but cannot run
        }
    }

    @Test
    void randomBytesGetOnlyTheTypedError() {
        Gen<byte[]> random = lists().of(integers().between(0, 255)).ofSizeBetween(0, 300)
                .map(list -> {
                    byte[] b = new byte[list.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (byte) (int) list.get(i);
                    }
                    // Half of them get a valid identification, so that parsing goes past the magic.
                    if (b.length >= 9 && (b[7] & 1) == 0) {
                        b[0] = 0x7f;
                        b[1] = 'E';
                        b[2] = 'L';
                        b[3] = 'F';
                        b[4] = (byte) (1 + (b[8] & 1));
                        b[5] = 1;
                        b[6] = 1;
                    }
                    return b;
                });
        qt().withFixedSeed(Fuzz.seed(0xF022)).withExamples(Fuzz.examples(3000)).forAll(random)
                .checkAssert(ElfFuzzProperties::exerciseInTime);
    }

    @Test
    void mutatedExecutablesGetOnlyTheTypedError() {
        qt().withFixedSeed(Fuzz.seed(0xB17F11B)).withExamples(Fuzz.examples(1500)).withShrinkCycles(300)
                .forAll(integers().between(0, SMALL_BINARIES.size() - 1), lists().of(mutations()).ofSizeBetween(1, 6))
                .checkAssert((which, mutations) -> exerciseInTime(mutate(binary(SMALL_BINARIES.get(which)), mutations)));
    }

    @Test
    void mutatedStaticExecutablesGetOnlyTheTypedError() {
        qt().withFixedSeed(Fuzz.seed(0x57A71C)).withExamples(Fuzz.examples(200)).withShrinkCycles(100)
                .forAll(integers().between(0, 1), lists().of(mutations()).ofSizeBetween(1, 4))
                .checkAssert((which, mutations) -> exerciseInTime(mutate(binary(which == 0 ? "static64" : "staticpie32"), mutations)));
    }
}
