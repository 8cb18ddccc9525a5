package io.github.alloclab.process;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.elf.ProgramHeader;
import io.github.alloclab.memory.MappedFile;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.memory.Vma;
import java.util.List;
import java.util.Optional;

/**
 * A program loaded into a fresh simulated address space, as {@code execve} leaves it just before its first
 * instruction: its segments mapped, bss zeroed, the break set, and the stack holding argv, envp and the
 * auxiliary vector. Made by {@link ElfLoader}.
 *
 * <p>Its {@link #memory()} is a {@link SimulatedMemorySource}: any allocator can run in this process's heap
 * ({@code brk} area) and mmap area, and every access is checked against the process's mappings.
 *
 * <p>Not thread-safe. {@link #close()} frees the simulated memory.
 */
public final class SimulatedProcess implements AutoCloseable {

    /**
     * One {@code PT_LOAD} segment as mapped.
     *
     * @param header    the program header
     * @param label     text, rodata, headers or data
     * @param start     first address of its file mapping (or of its bss, with no file bytes)
     * @param fileEnd   end of its file mapping: page-aligned {@code bias + p_vaddr + p_filesz}
     * @param memEnd    {@code bias + p_vaddr + p_memsz}, the end of its bss
     * @param bssStart  {@code bias + p_vaddr + p_filesz}, where zero-filled memory starts
     */
    public record Segment(ProgramHeader header, String label, long start, long fileEnd, long memEnd, long bssStart) {
    }

    /**
     * What {@code execve} put on the stack.
     *
     * @param top          the stack top, {@code STACK_TOP} less any randomisation
     * @param pointer      the initial stack pointer: {@code argc} is there
     * @param argStart     where the argument strings start
     * @param envStart     where the environment strings start
     * @param envEnd       where they end
     * @param auxv         where the auxiliary vector starts
     */
    public record InitialStack(long top, long pointer, long argStart, long envStart, long envEnd, long auxv) {
    }

    private final ElfFile elf;
    private final MappedFile file;
    private final String execPath;
    private final Abi abi;
    private final SimulatedMemorySource memory;
    private final long loadBias;
    private final long startBrk;
    private final long mmapBase;
    private final List<Segment> segments;
    private final long relroStart;
    private final long relroEnd;
    private final InitialStack stack;
    private final List<String> argv;
    private final List<String> envp;
    private final ProcessOptions options;

    SimulatedProcess(ElfFile elf, MappedFile file, String execPath, Abi abi, SimulatedMemorySource memory,
                     long loadBias, long startBrk, long mmapBase, List<Segment> segments, long relroStart,
                     long relroEnd, InitialStack stack, List<String> argv, List<String> envp,
                     ProcessOptions options) {
        this.elf = elf;
        this.file = file;
        this.execPath = execPath;
        this.abi = abi;
        this.memory = memory;
        this.loadBias = loadBias;
        this.startBrk = startBrk;
        this.mmapBase = mmapBase;
        this.segments = List.copyOf(segments);
        this.relroStart = relroStart;
        this.relroEnd = relroEnd;
        this.stack = stack;
        this.argv = List.copyOf(argv);
        this.envp = List.copyOf(envp);
        this.options = options;
    }

    /** {@return the program} */
    public ElfFile elf() {
        return elf;
    }

    /** {@return the program file as its mappings name it} */
    public MappedFile file() {
        return file;
    }

    /** {@return the path the program was executed by, {@code bprm->filename}} */
    public String execPath() {
        return execPath;
    }

    /** {@return the process flavour: x86-64 or i386} */
    public Abi abi() {
        return abi;
    }

    /** {@return the address space, as a memory source allocators can run on} */
    public SimulatedMemorySource memory() {
        return memory;
    }

    /** {@return what was added to every {@code p_vaddr}: 0 for a fixed-address executable} */
    public long loadBias() {
        return loadBias;
    }

    /** {@return the entry point, biased} */
    public long entry() {
        return elf.header().entry() + loadBias;
    }

    /** {@return the initial break, the kernel's {@code mm->start_brk}} */
    public long startBrk() {
        return startBrk;
    }

    /** {@return where the mmap area starts growing down} */
    public long mmapBase() {
        return mmapBase;
    }

    /** {@return the loaded segments, in program-header order} */
    public List<Segment> segments() {
        return segments;
    }

    /** {@return the RELRO range made read-only after relocation, empty if none} */
    public Optional<long[]> relro() {
        return relroEnd > relroStart ? Optional.of(new long[] {relroStart, relroEnd}) : Optional.empty();
    }

    /** {@return the initial stack} */
    public InitialStack stack() {
        return stack;
    }

    /** {@return the arguments} */
    public List<String> argv() {
        return argv;
    }

    /** {@return the environment} */
    public List<String> envp() {
        return envp;
    }

    /** {@return the options the process was started with} */
    public ProcessOptions options() {
        return options;
    }

    /** {@return the interpreter the program asks for, which alloclab does not load} */
    public Optional<String> interpreter() {
        return elf.interpreter();
    }

    /** {@return the VMAs, in address order} */
    public List<Vma> vmas() {
        return memory.vmas();
    }

    /** Moves the break, like {@code sbrk(2)}; {@return the old break, or -1} */
    public long sbrk(long increment) {
        return memory.sbrk(increment);
    }

    @Override
    public void close() {
        memory.close();
    }

    @Override
    public String toString() {
        return "SimulatedProcess[%s, %s, bias 0x%x, brk 0x%x]".formatted(execPath, abi, loadBias, memory.brk());
    }
}
