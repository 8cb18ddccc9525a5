package io.github.alloclab.stack;

import io.github.alloclab.elf.Elf;
import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.elf.ElfLayout;
import io.github.alloclab.memory.MappedFile;
import io.github.alloclab.process.ElfLoader;
import io.github.alloclab.process.ProcessOptions;
import io.github.alloclab.process.SimulatedProcess;
import io.github.alloclab.stack.CAst.Type;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Links a compiled program into a small ELF executable and loads it into a {@link SimulatedProcess}, so that
 * its globals sit in real data and bss mappings, its code has text addresses, and its stack is the process's
 * {@code [stack]}, with its guard gap and rlimit.
 *
 * <h2>The executable, as {@code gcc -no-pie} and {@code ld -z separate-code} lay one out</h2>
 * <pre>
 *                 i386          x86-64
 *  headers  r--   0x08048000    0x400000      ELF header and program headers
 *  text     r-x   0x08049000    0x401000      _start, then each function: 4 bytes per instruction
 *  data     rw-   next page     next page     globals with a non-zero initialiser, in source order
 *  bss      rw-   after data    after data    the other globals (zero-initialised ones too, as gcc does)
 *  [heap]         the break: the page after bss
 *  [stack]        0xffffe000    0x7ffffffff000 down, with argv, envp and auxv at its top
 * </pre>
 * The text holds no machine code: alloclab interprets its own instructions, and fills each one's 4 bytes with
 * {@code int3} ({@code 0xcc}). What matters is that every instruction has an address in an executable
 * mapping, so that a return address is real and a {@code ret} to a smashed one faults as it would.
 *
 * <p>{@link #close()} frees the simulated memory.
 */
final class ProgramImage implements AutoCloseable {

    /** Bytes of text per instruction. */
    static final long INSTRUCTION_BYTES = 4;
    private static final long PAGE = 4096;
    private static final byte INT3 = (byte) 0xcc;

    private final SimulatedProcess process;
    private final long textStart;
    private final long textEnd;
    private final long[] globalAddresses;

    private ProgramImage(SimulatedProcess process, long textStart, long textEnd, long[] globalAddresses) {
        this.process = process;
        this.textStart = textStart;
        this.textEnd = textEnd;
        this.globalAddresses = globalAddresses;
    }

    /**
     * Links {@code code} and starts it as a process.
     *
     * @param execPath   the path it is run by, {@code argv[0]}
     * @param stackLimit {@code ulimit -s} in bytes, a multiple of 4 KiB
     */
    static ProgramImage load(Compiler.Code code, String execPath, long stackLimit) {
        Convention convention = code.convention();
        boolean lp64 = convention.lp64();
        long base = lp64 ? 0x400000L : 0x08048000L;
        long textStart = base + PAGE;
        long textBytes = Math.max(1, code.code().size()) * INSTRUCTION_BYTES;
        long dataStart = textStart + pageUp(textBytes);

        List<CheckedProgram.GlobalInfo> globals = code.program().globals();
        long[] addresses = new long[globals.size()];
        long cursor = dataStart;
        for (CheckedProgram.GlobalInfo g : globals) {
            if (g.initial() != 0) {
                cursor = place(g, cursor, lp64, addresses);
            }
        }
        long dataEnd = cursor;
        for (CheckedProgram.GlobalInfo g : globals) {
            if (g.initial() == 0) {
                cursor = place(g, cursor, lp64, addresses);
            }
        }
        long bssEnd = cursor;

        ElfLayout.Struct ehdr = lp64 ? ElfLayout.EHDR64 : ElfLayout.EHDR32;
        ElfLayout.Struct phdr = lp64 ? ElfLayout.PHDR64 : ElfLayout.PHDR32;
        boolean hasData = bssEnd > dataStart;
        int phnum = hasData ? 4 : 3;
        long fileSize = hasData ? dataEnd - base : textStart + textBytes - base;
        byte[] bytes = new byte[(int) fileSize];
        MemorySegment file = MemorySegment.ofArray(bytes);

        byte[] ident = {0x7f, 'E', 'L', 'F', (byte) (lp64 ? Elf.ELFCLASS64 : Elf.ELFCLASS32), Elf.ELFDATA2LSB, 1};
        System.arraycopy(ident, 0, bytes, 0, ident.length);
        put(ehdr, file, 0, "e_type", Elf.ET_EXEC);
        put(ehdr, file, 0, "e_machine", convention.abi().machine());
        put(ehdr, file, 0, "e_version", 1);
        put(ehdr, file, 0, "e_entry", textStart);
        put(ehdr, file, 0, "e_phoff", ehdr.byteSize());
        put(ehdr, file, 0, "e_ehsize", ehdr.byteSize());
        put(ehdr, file, 0, "e_phentsize", phdr.byteSize());
        put(ehdr, file, 0, "e_phnum", phnum);
        long headersEnd = ehdr.byteSize() + phnum * phdr.byteSize();

        long at = ehdr.byteSize();
        at = segment(phdr, file, at, Elf.PT_LOAD, Elf.PF_R, 0, base, headersEnd, headersEnd);
        at = segment(phdr, file, at, Elf.PT_LOAD, Elf.PF_R | Elf.PF_X, textStart - base, textStart, textBytes, textBytes);
        if (hasData) {
            at = segment(phdr, file, at, Elf.PT_LOAD, Elf.PF_R | Elf.PF_W, dataStart - base, dataStart,
                    dataEnd - dataStart, bssEnd - dataStart);
        }
        segment(phdr, file, at, Elf.PT_GNU_STACK, Elf.PF_R | Elf.PF_W, 0, 0, 0, 0);

        Arrays.fill(bytes, (int) (textStart - base), (int) (textStart - base + textBytes), INT3);
        for (CheckedProgram.GlobalInfo g : globals) {
            if (g.initial() != 0) {
                long offset = addresses[g.variable().index()] - base;
                long size = g.variable().type().size(lp64);
                for (int i = 0; i < size; i++) {
                    bytes[(int) (offset + i)] = (byte) (g.initial() >>> (8 * i));
                }
            }
        }

        String name = execPath.substring(execPath.lastIndexOf('/') + 1);
        ElfFile elf = ElfFile.parse(name, bytes);
        SimulatedProcess process = ElfLoader.load(elf, MappedFile.of(execPath, bytes), execPath,
                ProcessOptions.DEFAULTS.withStackLimit(stackLimit));
        return new ProgramImage(process, textStart, textStart + textBytes, addresses);
    }

    private static long place(CheckedProgram.GlobalInfo g, long cursor, boolean lp64, long[] addresses) {
        Type t = g.variable().type();
        long alignment = t.alignment(lp64);
        if (lp64 && t.kind() == Type.Kind.ARRAY && t.size(true) >= 16) {
            alignment = 16;
        }
        long address = (cursor + alignment - 1) / alignment * alignment;
        addresses[g.variable().index()] = address;
        return address + t.size(lp64);
    }

    private static long segment(ElfLayout.Struct phdr, MemorySegment file, long at, long type, long flags,
                                long offset, long vaddr, long filesz, long memsz) {
        put(phdr, file, at, "p_type", type);
        put(phdr, file, at, "p_flags", flags);
        put(phdr, file, at, "p_offset", offset);
        put(phdr, file, at, "p_vaddr", vaddr);
        put(phdr, file, at, "p_paddr", vaddr);
        put(phdr, file, at, "p_filesz", filesz);
        put(phdr, file, at, "p_memsz", memsz);
        put(phdr, file, at, "p_align", type == Elf.PT_LOAD ? PAGE : 16);
        return at + phdr.byteSize();
    }

    private static void put(ElfLayout.Struct struct, MemorySegment file, long base, String field, long value) {
        ElfLayout.Struct.Member m = struct.members().get(field);
        long at = base + m.offset();
        ValueLayout layout = switch ((int) m.byteSize()) {
            case 1 -> ValueLayout.JAVA_BYTE;
            case 2 -> ValueLayout.JAVA_SHORT_UNALIGNED;
            case 4 -> ValueLayout.JAVA_INT_UNALIGNED;
            default -> ValueLayout.JAVA_LONG_UNALIGNED;
        };
        layout = layout.withOrder(ByteOrder.LITTLE_ENDIAN);
        switch (layout) {
            case ValueLayout.OfByte b -> file.set(b, at, (byte) value);
            case ValueLayout.OfShort s -> file.set(s, at, (short) value);
            case ValueLayout.OfInt i -> file.set(i, at, (int) value);
            case ValueLayout.OfLong l -> file.set(l, at, value);
            default -> throw new IllegalStateException(field);
        }
    }

    private static long pageUp(long n) {
        return (n + PAGE - 1) & -PAGE;
    }

    /** {@return the process the program runs in} */
    SimulatedProcess process() {
        return process;
    }

    /** {@return the text address of instruction {@code index}} */
    long address(int index) {
        return textStart + INSTRUCTION_BYTES * index;
    }

    /** {@return the instruction at {@code address}, or -1 if no instruction starts there} */
    int instructionAt(long address) {
        if (address < textStart || address >= textEnd || (address - textStart) % INSTRUCTION_BYTES != 0) {
            return -1;
        }
        return (int) ((address - textStart) / INSTRUCTION_BYTES);
    }

    /** {@return the address of a global} */
    long globalAddress(Variable global) {
        return globalAddresses[global.index()];
    }

    /** {@return where the text starts: {@code _start}} */
    long textStart() {
        return textStart;
    }

    @Override
    public void close() {
        process.close();
    }
}
