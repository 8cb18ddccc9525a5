package io.github.alloclab.process;

import io.github.alloclab.elf.Elf;
import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.elf.ElfFormatException;
import io.github.alloclab.elf.ElfLayout;
import io.github.alloclab.elf.ProgramHeader;
import io.github.alloclab.memory.MappedFile;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.memory.Protection;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.memory.Vma;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Loads an ELF executable into a fresh {@link SimulatedProcess}, as Linux's {@code load_elf_binary} does
 * (fs/binfmt_elf.c, 6.x), so that the mappings come out as {@code /proc/PID/maps} shows them on a real kernel.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Check that the process can run it: an {@code ET_EXEC} or {@code ET_DYN} file for x86-64 or i386, with
 *       at least one {@code PT_LOAD}, each with {@code p_filesz <= p_memsz} and {@code p_offset} congruent to
 *       {@code p_vaddr} modulo the page size.</li>
 *   <li>The load bias. {@code ET_EXEC}: 0, the addresses are absolute. {@code ET_DYN} with an interpreter (a
 *       PIE): {@code ELF_ET_DYN_BASE}, plus randomness with ASLR, aligned down to the largest {@code p_align},
 *       less the first segment's page. {@code ET_DYN} without one (a static PIE, or ld.so itself): the top of
 *       the mmap area, where {@code mmap(NULL, total size)} would go.</li>
 *   <li>The stack: {@code [stack]} ends at {@code STACK_TOP}; below it, the strings of argv and envp and the
 *       program's path, and 128 KiB more, rounded to pages (at most the stack limit). The pages the strings
 *       and the tables take are touched, so they are resident.</li>
 *   <li>Each {@code PT_LOAD}: a private file mapping of the pages holding its first {@code p_filesz} bytes,
 *       with the segment's permissions. If {@code p_memsz > p_filesz}, the rest of the last file page is
 *       zeroed when the segment is writable ({@code padzero}, which touches that page), and the pages past it
 *       up to {@code p_memsz} become an anonymous read-write mapping: the bss tail.</li>
 *   <li>The break: the page-aligned end of the highest segment; a static PIE's break goes to
 *       {@code ELF_ET_DYN_BASE} instead, away from the mmap area it was loaded in. With ASLR it is moved up by
 *       a page and randomised within 32 MiB.</li>
 *   <li>{@code PT_GNU_RELRO}: the whole pages of that range become read-only, as ld.so (or a static
 *       program's startup) makes them after relocating.</li>
 *   <li>The tables on the stack: the platform string, 16 random bytes, the auxiliary vector, envp, argv and
 *       argc, with the stack pointer 16-byte aligned.</li>
 * </ol>
 * The interpreter ({@code PT_INTERP}) and the vDSO are not loaded; nor are shared libraries, which the
 * interpreter maps. The program's own lines, its bss, {@code [heap]} and {@code [stack]} are the kernel's.
 *
 * <h2>References</h2>
 * Linux fs/binfmt_elf.c ({@code load_elf_binary}, {@code elf_load}, {@code create_elf_tables}),
 * fs/exec.c ({@code setup_arg_pages}), arch/x86/mm/mmap.c; the System V ABI, "Program Loading";
 * Levine, <i>Linkers and Loaders</i>, chapter 3.
 */
public final class ElfLoader {

    private static final long PAGE = 4096;
    /** How much stack {@code setup_arg_pages} maps below the arguments: 128 KiB. */
    private static final long STACK_EXPAND = 128 * 1024;
    /** The most memory the segments of one program may span: 4 GiB. */
    private static final long MAX_IMAGE = 4L << 30;
    /** The randomised range of the break: 32 MiB. */
    private static final long BRK_RANDOM_RANGE = 0x02000000L;

    private ElfLoader() {
    }

    private static long pageDown(long address) {
        return address & ~(PAGE - 1);
    }

    private static long pageUp(long address) {
        return (address + PAGE - 1) & ~(PAGE - 1);
    }

    private static long pageOffset(long address) {
        return address & (PAGE - 1);
    }

    /**
     * Loads the executable at {@code path}, as {@code execve(path, argv, envp)} would.
     *
     * @throws ElfFormatException if the file is not an ELF executable this process can run
     */
    public static SimulatedProcess load(Path path, ProcessOptions options) {
        ElfFile elf = ElfFile.read(path);
        long device = 0;
        long inode = 0;
        try {
            device = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
            inode = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // Not a Unix file system: maps shows 00:00 0, as for anonymous memory.
        }
        String shown;
        try {
            shown = path.toRealPath().toString(); // the kernel shows the file's own path, symbolic links resolved
        } catch (IOException e) {
            shown = path.toAbsolutePath().normalize().toString();
        }
        MappedFile file = new MappedFile(shown, elf.bytes(), device, inode);
        return load(elf, file, path.toString(), options);
    }

    /**
     * Loads {@code elf} into a new process.
     *
     * @param elf      the program
     * @param file     the program as its mappings name it
     * @param execPath the path it was executed by; the default {@code argv[0]}
     * @param options  arguments, environment, limits and ASLR
     * @throws ElfFormatException if the file is not an ELF executable this process can run
     */
    public static SimulatedProcess load(ElfFile elf, MappedFile file, String execPath, ProcessOptions options) {
        Abi abi = Abi.of(elf.header().elfClass());
        check(elf, abi);
        List<ProgramHeader> loads = elf.loadSegments();
        boolean interpreter = elf.segment(Elf.PT_INTERP).isPresent();
        Optional<ProgramHeader> gnuStack = elf.segment(Elf.PT_GNU_STACK);
        // Without PT_GNU_STACK an i386 program gets READ_IMPLIES_EXEC, as old binaries expect; x86-64 never does.
        boolean readImpliesExec = abi == Abi.I386 && gnuStack.isEmpty();
        boolean executableStack = gnuStack.map(p -> (p.flags() & Elf.PF_X) != 0).orElse(readImpliesExec);

        SplittableRandom random = options.aslrSeed().isPresent() ? new SplittableRandom(options.aslrSeed().getAsLong()) : null;
        long mmapRandom = random == null ? 0 : (random.nextLong() & ((1L << abi.mmapRandomBits()) - 1)) * PAGE;
        long stackRandomMax = random == null ? 0 : abi.stackRandomMask() * PAGE;
        long mmapBase = abi.mmapBase(options.stackLimit() + stackRandomMax, mmapRandom);

        // 2. The load bias.
        ProgramHeader first = loads.getFirst();
        ProgramHeader last = loads.getLast();
        long totalSize = last.vaddr() + last.memsz() - pageDown(first.vaddr());
        long alignment = maximumAlignment(loads);
        long loadBias = 0;
        if (elf.header().type() == Elf.ET_DYN) {
            if (interpreter) {
                long base = abi.elfEtDynBase()
                        + (random == null ? 0 : (random.nextLong() & ((1L << abi.mmapRandomBits()) - 1)) * PAGE);
                base &= -alignment;
                loadBias = pageDown(base - first.vaddr());
            } else {
                long at = (mmapBase - pageUp(totalSize)) & -alignment;
                loadBias = at - pageDown(first.vaddr());
            }
        }
        for (ProgramHeader p : loads) {
            long end = loadBias + p.vaddr() + p.memsz();
            if (loadBias + p.vaddr() < SimulatedMemorySource.MMAP_MIN_ADDR || end > abi.taskSize() || end < p.vaddr()) {
                throw new ElfFormatException(elf.name(), "program header %d p_vaddr".formatted(p.index()),
                        phdrField(elf, p, "p_vaddr"), "segment [0x%x, 0x%x) does not fit in a %s process's user space [0x%x, 0x%x)"
                                .formatted(loadBias + p.vaddr(), end, abi, SimulatedMemorySource.MMAP_MIN_ADDR, abi.taskSize()));
            }
        }

        // 5 (computed now: the memory source needs the break). The break.
        long elfBrk = 0;
        ProgramHeader highest = first;
        for (ProgramHeader p : loads) {
            if (loadBias + p.vaddr() + p.memsz() > elfBrk) {
                elfBrk = loadBias + p.vaddr() + p.memsz();
                highest = p;
            }
        }
        // The segments must end below the mmap area: the heap and the mmap area are laid out between them.
        if (pageUp(elfBrk) > mmapBase) {
            throw new ElfFormatException(elf.name(), "program header %d p_memsz".formatted(highest.index()),
                    phdrField(elf, highest, "p_memsz"), "segment [0x%x, 0x%x) reaches into the %s process's mmap area, which starts below 0x%x"
                            .formatted(loadBias + highest.vaddr(), elfBrk, abi, mmapBase));
        }
        boolean brkMoved = false;
        if (elf.header().type() == Elf.ET_DYN && !interpreter) {
            elfBrk = abi.elfEtDynBase();
            brkMoved = true;
        }
        long startBrk = pageUp(elfBrk);
        if (random != null) {
            if (!brkMoved) {
                startBrk += PAGE;
            }
            startBrk += (random.nextLong() & (BRK_RANDOM_RANGE / PAGE - 1)) * PAGE;
        }
        long heapLimit = Math.min(options.heapLimit(), Math.max(0, pageDown(mmapBase - options.mmapLimit()) - startBrk));
        long mmapLimit = Math.min(options.mmapLimit(), mmapBase - pageUp(elfBrk));
        MemorySettings settings = new MemorySettings(pageUp(startBrk), heapLimit, mmapBase, mmapLimit, PAGE);
        SimulatedMemorySource memory = new SimulatedMemorySource(settings, startBrk, options.stackLimit());
        try {
            // 3. The stack, with the strings execve copies.
            List<String> argv = options.argv().isEmpty() ? List.of(execPath) : options.argv();
            long stackTop = abi.stackTop() - (random == null ? 0 : (random.nextLong() & abi.stackRandomMask()) * PAGE);
            StackBuilder stackBuilder = new StackBuilder(memory, abi, stackTop, options.stackLimit(), executableStack);
            stackBuilder.copyStrings(execPath, argv, options.envp());

            // 4. The segments.
            for (ProgramHeader p : loads) {
                long start = pageDown(loadBias + p.vaddr());
                memory.reserve(start, Math.max(PAGE, pageUp(loadBias + p.vaddr() + p.memsz()) - start));
            }
            List<SimulatedProcess.Segment> segments = new ArrayList<>();
            for (ProgramHeader p : loads) {
                segments.add(map(memory, file, p, loadBias, readImpliesExec));
            }

            // 6. RELRO.
            long relroStart = 0;
            long relroEnd = 0;
            Optional<ProgramHeader> relro = elf.segment(Elf.PT_GNU_RELRO);
            if (relro.isPresent()) {
                relroStart = pageDown(loadBias + relro.get().vaddr());
                relroEnd = pageDown(loadBias + relro.get().vaddr() + relro.get().memsz());
                if (relroEnd > relroStart && memory.mprotect(relroStart, relroEnd - relroStart, Protection.READ) == 0) {
                    memory.label(relroStart, relroEnd - relroStart, "relro");
                } else {
                    relroEnd = relroStart;
                }
            }

            // 7. The tables on the stack.
            long phdrAddress = loadBias + first.vaddr() - first.offset() + elf.header().phoff();
            SimulatedProcess.InitialStack stack = stackBuilder.createTables(elf, phdrAddress, loadBias, random);
            return new SimulatedProcess(elf, file, execPath, abi, memory, loadBias, startBrk, mmapBase, segments,
                    relroStart, relroEnd, stack, argv, options.envp(), options);
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    private static long phdrField(ElfFile elf, ProgramHeader p, String field) {
        ElfLayout.Struct phdr = elf.header().is64() ? ElfLayout.PHDR64 : ElfLayout.PHDR32;
        return elf.header().phoff() + p.index() * phdr.byteSize() + phdr.offsetOf(field);
    }

    private static void check(ElfFile elf, Abi abi) {
        ElfLayout.Struct ehdr = elf.header().is64() ? ElfLayout.EHDR64 : ElfLayout.EHDR32;
        int type = elf.header().type();
        if (type != Elf.ET_EXEC && type != Elf.ET_DYN) {
            throw new ElfFormatException(elf.name(), "e_type", ehdr.offsetOf("e_type"), type == Elf.ET_REL
                    ? "a relocatable object (.o) cannot run; link it into an executable first"
                    : "%s is not an executable".formatted(Elf.typeName(type)));
        }
        if (elf.header().machine() != abi.machine()) {
            throw new ElfFormatException(elf.name(), "e_machine", ehdr.offsetOf("e_machine"),
                    "%s code cannot run in an %s process; alloclab runs x86-64 and i386 programs"
                            .formatted(Elf.machineName(elf.header().machine()), abi));
        }
        List<ProgramHeader> loads = elf.loadSegments();
        if (loads.isEmpty()) {
            throw new ElfFormatException(elf.name(), "e_phnum", ehdr.offsetOf("e_phnum"),
                    "there is no PT_LOAD segment, so there is nothing to load");
        }
        long previous = Long.MIN_VALUE;
        long span = 0;
        for (ProgramHeader p : loads) {
            if (Long.compareUnsigned(p.filesz(), p.memsz()) > 0) {
                throw new ElfFormatException(elf.name(), "program header %d p_filesz".formatted(p.index()),
                        phdrField(elf, p, "p_filesz"), "0x%x file bytes do not fit in p_memsz 0x%x"
                                .formatted(p.filesz(), p.memsz()));
            }
            if (pageOffset(p.vaddr()) != pageOffset(p.offset())) {
                throw new ElfFormatException(elf.name(), "program header %d p_offset".formatted(p.index()),
                        phdrField(elf, p, "p_offset"), "0x%x and p_vaddr 0x%x differ modulo the page size, so the file cannot be mapped there"
                                .formatted(p.offset(), p.vaddr()));
            }
            if (p.vaddr() < 0 || p.memsz() < 0 || p.vaddr() + p.memsz() < p.vaddr() || p.vaddr() < previous) {
                throw new ElfFormatException(elf.name(), "program header %d p_vaddr".formatted(p.index()),
                        phdrField(elf, p, "p_vaddr"), p.vaddr() < previous
                                ? "PT_LOAD segments must be in ascending address order"
                                : "segment 0x%x + 0x%x overflows the address space".formatted(p.vaddr(), p.memsz()));
            }
            previous = p.vaddr();
            span += pageUp(pageOffset(p.vaddr()) + p.memsz());
            if (span > MAX_IMAGE) {
                throw new ElfFormatException(elf.name(), "program header %d p_memsz".formatted(p.index()),
                        phdrField(elf, p, "p_memsz"), "the segments need %d MiB; alloclab simulates at most %d MiB of program image"
                                .formatted(span >> 20, MAX_IMAGE >> 20));
            }
        }
    }

    /** The largest power-of-two {@code p_align} of the loaded segments, at least a page. */
    private static long maximumAlignment(List<ProgramHeader> loads) {
        long alignment = 0;
        for (ProgramHeader p : loads) {
            if (p.align() > 0 && Long.bitCount(p.align()) == 1 && p.align() <= 1L << 30) {
                alignment = Math.max(alignment, p.align());
            }
        }
        return Math.max(pageUp(alignment), PAGE);
    }

    /** Maps one {@code PT_LOAD} as {@code elf_load} does: file pages, then {@code padzero}, then the bss tail. */
    private static SimulatedProcess.Segment map(SimulatedMemorySource memory, MappedFile file, ProgramHeader p,
                                                long loadBias, boolean readImpliesExec) {
        int prot = p.protection();
        if (readImpliesExec && (prot & Protection.READ) != 0) {
            prot |= Protection.EXECUTE;
        }
        String label = (prot & Protection.EXECUTE) != 0 ? "text"
                : (prot & Protection.WRITE) != 0 ? "data"
                : p.offset() == 0 ? "headers" : "rodata";
        long address = loadBias + p.vaddr();
        long start = pageDown(address);
        long bssStart = address + p.filesz();
        long fileEnd = start;
        boolean writable = (prot & Protection.WRITE) != 0;
        if (p.filesz() > 0) {
            fileEnd = pageUp(address + p.filesz());
            // The last file page keeps the file's bytes past p_filesz, unless padzero clears them below.
            long fileLimit = p.memsz() > p.filesz() && writable ? p.offset() + p.filesz() : Long.MAX_VALUE;
            memory.mapFixed(new Vma(start, fileEnd, prot, 0, pageDown(p.offset()), file, fileLimit, file.path(), label));
            if (p.memsz() > p.filesz() && writable && pageOffset(bssStart) != 0) {
                memory.fill(bssStart, pageUp(bssStart) - bssStart, (byte) 0); // padzero: a store, so it faults the page in
            }
        }
        long memEnd = address + p.memsz();
        if (p.memsz() > p.filesz()) {
            long zeroStart = p.filesz() > 0 ? pageUp(bssStart) : start;
            long zeroEnd = pageUp(memEnd);
            if (zeroEnd > zeroStart) {
                // vm_brk_flags: anonymous read-write memory, executable only if the segment was.
                int bssProt = Protection.READ_WRITE | (prot & Protection.EXECUTE);
                memory.mapFixed(Vma.anonymous(zeroStart, zeroEnd, bssProt, "", "bss"));
            }
        }
        return new SimulatedProcess.Segment(p, label, start, fileEnd, memEnd, bssStart);
    }
}
