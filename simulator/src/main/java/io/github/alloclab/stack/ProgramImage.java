package io.github.alloclab.stack;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.layout.DeclaredProgram;
import io.github.alloclab.layout.SyntheticElf;
import io.github.alloclab.memory.MappedFile;
import io.github.alloclab.process.ElfLoader;
import io.github.alloclab.process.ProcessOptions;
import io.github.alloclab.process.SimulatedProcess;
import io.github.alloclab.stack.CAst.Type;
import java.util.List;

/**
 * Links a compiled program into a small ELF executable and loads it into a {@link SimulatedProcess}, so that
 * its globals sit in real data and bss mappings, its code has text addresses, and its stack is the process's
 * {@code [stack]}, with its guard gap and rlimit.
 *
 * <h2>The executable</h2>
 * The globals are handed to the process layer as declarations ({@link DeclaredProgram}), which places them
 * in {@code .data} (a non-zero initialiser) or {@code .bss} (none, or zero, as gcc does) with gcc's data
 * alignment, and writes the executable as {@code gcc -no-pie} and {@code ld -z separate-code} would
 * ({@link SyntheticElf}):
 * <pre>
 *                 i386          x86-64
 *  headers  r--   0x08048000    0x400000      ELF header, program headers, .interp
 *  text     r-x   0x08049000    0x401000      _start, then each function: 4 bytes per instruction
 *  data     rw-   next page     next page     .data, then .bss
 *  [heap]         the break: the page after bss
 *  [stack]        0xffffe000    0x7ffffffff000 down, with argv, envp and auxv at its top
 * </pre>
 * The text holds no machine code of the program: alloclab interprets its own instructions. What matters is
 * that every instruction has an address in an executable mapping, so that a return address is real and a
 * {@code ret} to a smashed one faults as it would.
 *
 * <p>{@link #close()} frees the simulated memory.
 */
final class ProgramImage implements AutoCloseable {

    /** Bytes of text per instruction. */
    static final long INSTRUCTION_BYTES = 4;

    private final SimulatedProcess process;
    private final long textStart;
    private final long textEnd;
    private final long[] globalAddresses;
    private final String[] globalSections;

    private ProgramImage(SimulatedProcess process, long textStart, long textEnd, long[] globalAddresses,
                         String[] globalSections) {
        this.process = process;
        this.textStart = textStart;
        this.textEnd = textEnd;
        this.globalAddresses = globalAddresses;
        this.globalSections = globalSections;
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
        long textBytes = Math.max(1, code.code().size()) * INSTRUCTION_BYTES;
        StringBuilder declarations = new StringBuilder();
        List<CheckedProgram.GlobalInfo> globals = code.program().globals();
        for (CheckedProgram.GlobalInfo g : globals) {
            Type t = g.variable().type();
            declarations.append(declaration(t, g.variable().name()));
            long initial = switch (t.kind()) {
                case CHAR -> (byte) g.initial();
                case INT -> (int) g.initial();
                case LONG -> lp64 ? g.initial() : (int) g.initial();
                default -> g.initial();
            };
            if (initial != 0) {
                declarations.append(" = ").append(initial);
            }
            declarations.append(";\n");
        }
        declarations.append("@text ").append(textBytes).append('\n');
        DeclaredProgram declared = DeclaredProgram.parse(declarations.toString(), convention.abi());
        byte[] bytes = SyntheticElf.write(declared, false);

        String name = execPath.substring(execPath.lastIndexOf('/') + 1);
        ElfFile elf = ElfFile.parse(name, bytes);
        long textStart = elf.section(".text").orElseThrow().addr();
        long[] addresses = new long[globals.size()];
        String[] sections = new String[globals.size()];
        for (CheckedProgram.GlobalInfo g : globals) {
            DeclaredProgram.Global placed = declared.globals().stream()
                    .filter(d -> d.name().equals(g.variable().name())).findFirst().orElseThrow();
            String section = placed.section().elfName();
            addresses[g.variable().index()] = elf.section(section).orElseThrow().addr() + placed.offset();
            sections[g.variable().index()] = section;
        }
        SimulatedProcess process = ElfLoader.load(elf, MappedFile.of(execPath, bytes), execPath,
                ProcessOptions.DEFAULTS.withStackLimit(stackLimit));
        return new ProgramImage(process, textStart, textStart + textBytes, addresses, sections);
    }

    /** {@return a C declaration: {@code int *p}, {@code char buf[16]}} */
    private static String declaration(Type type, String name) {
        String suffix = "";
        if (type.kind() == Type.Kind.ARRAY) {
            suffix = "[" + type.length() + "]";
            type = type.target();
        }
        StringBuilder stars = new StringBuilder();
        while (type.kind() == Type.Kind.POINTER) {
            stars.append('*');
            type = type.target();
        }
        return type + " " + stars + name + suffix;
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

    /** {@return the section of a global: {@code .data} or {@code .bss}} */
    String globalSection(Variable global) {
        return globalSections[global.index()];
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
