package io.github.alloclab.process;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.memory.Protection;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.memory.Vma;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds a new process's stack as {@code execve} does, in two steps: {@link #copyStrings} maps
 * {@code [stack]} and copies the strings (Linux's {@code copy_strings} and {@code setup_arg_pages}), and
 * {@link #createTables} pushes the tables that point at them ({@code create_elf_tables}).
 *
 * <pre>
 *  top = STACK_TOP  +-------------------------------+
 *                   | 8 bytes (a NULL word)         |
 *                   | program path "./prog\0"       |  AT_EXECFN points here
 *                   | envp strings "HOME=/root\0"...|
 *  argStart         | argv strings "./prog\0" "5000\0"
 *                   | (16-byte alignment)           |
 *                   | platform "x86_64\0"           |  AT_PLATFORM
 *                   | 16 random bytes               |  AT_RANDOM
 *                   | (alignment, so that sp % 16 = 0)
 *                   | auxv: (type, value) pairs ... AT_NULL
 *                   | NULL, envp[envc-1] ... envp[0]|
 *                   | NULL, argv[argc-1] ... argv[0]|
 *  sp               | argc                          |
 *                   +-------------------------------+
 *                   | 128 KiB of stack to grow into |
 *  vm_start         +-------------------------------+  the lowest page of the strings, less 128 KiB
 * </pre>
 */
final class StackBuilder {

    private static final long PAGE = 4096;
    private static final long STACK_EXPAND = 128 * 1024;
    /** Linux's MAX_ARG_STRLEN: 32 pages. */
    private static final long MAX_ARG_STRLEN = 32 * PAGE;

    private static final int AT_NULL = 0;
    private static final int AT_PHDR = 3;
    private static final int AT_PHENT = 4;
    private static final int AT_PHNUM = 5;
    private static final int AT_PAGESZ = 6;
    private static final int AT_BASE = 7;
    private static final int AT_FLAGS = 8;
    private static final int AT_ENTRY = 9;
    private static final int AT_UID = 11;
    private static final int AT_EUID = 12;
    private static final int AT_GID = 13;
    private static final int AT_EGID = 14;
    private static final int AT_PLATFORM = 15;
    private static final int AT_SECURE = 23;
    private static final int AT_RANDOM = 25;
    private static final int AT_EXECFN = 31;

    private final SimulatedMemorySource memory;
    private final Abi abi;
    private final long top;
    private final long stackLimit;
    private final boolean executable;

    private long argStart;
    private long envStart;
    private long envEnd;
    private long execFn;
    private final List<Long> argPointers = new ArrayList<>();
    private final List<Long> envPointers = new ArrayList<>();

    StackBuilder(SimulatedMemorySource memory, Abi abi, long top, long stackLimit, boolean executable) {
        this.memory = memory;
        this.abi = abi;
        this.top = top;
        this.stackLimit = stackLimit;
        this.executable = executable;
    }

    private static byte[] cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        byte[] withNul = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, withNul, 0, bytes.length);
        return withNul;
    }

    /**
     * Maps {@code [stack]} and copies the program path, the environment and the arguments to its top.
     *
     * @throws IllegalArgumentException if the strings exceed a quarter of the stack limit, or one string
     *                                  exceeds 128 KiB ({@code E2BIG})
     */
    void copyStrings(String execPath, List<String> argv, List<String> envp) {
        List<byte[]> args = argv.stream().map(StackBuilder::cString).toList();
        List<byte[]> envs = envp.stream().map(StackBuilder::cString).toList();
        byte[] path = cString(execPath);
        long total = path.length;
        for (byte[] s : args) {
            total += s.length;
        }
        for (byte[] s : envs) {
            total += s.length;
        }
        for (List<byte[]> list : List.of(args, envs)) {
            for (byte[] s : list) {
                if (s.length > MAX_ARG_STRLEN) {
                    throw new IllegalArgumentException("argument list too long (E2BIG): a string of %d bytes exceeds %d"
                            .formatted(s.length, MAX_ARG_STRLEN));
                }
            }
        }
        long room = Math.max(stackLimit / 4, 32 * PAGE);
        if (total + (args.size() + envs.size() + 2) * (long) abi.pointerSize() > room) {
            throw new IllegalArgumentException("argument list too long (E2BIG): %d bytes of strings, at most %d with this stack limit"
                    .formatted(total, room));
        }
        // bprm->p starts a (kernel) pointer below the top: the kernel is 64-bit, so 8 bytes for either flavour.
        long p = top - 8 - total;
        argStart = p;
        long vmStart = Math.min(top - PAGE, p & ~(PAGE - 1));
        long stackSize = top - vmStart;
        long stackBase = stackSize + STACK_EXPAND > stackLimit ? top - stackLimit : vmStart - STACK_EXPAND;
        memory.reserve(top - stackLimit, stackLimit);
        int prot = Protection.READ_WRITE | (executable ? Protection.EXECUTE : 0);
        memory.mapFixed(new Vma(stackBase, top, prot, Vma.GROWS_DOWN, 0, null, 0, "[stack]", "stack"));
        long cursor = p;
        for (byte[] s : args) {
            argPointers.add(cursor);
            cursor = put(cursor, s);
        }
        envStart = cursor;
        for (byte[] s : envs) {
            envPointers.add(cursor);
            cursor = put(cursor, s);
        }
        envEnd = cursor;
        execFn = cursor;
        put(cursor, path);
    }

    private long put(long address, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            memory.putByte(address + i, bytes[i]);
        }
        return address + bytes.length;
    }

    private long putWord(long address, long value) {
        if (abi.pointerSize() == 8) {
            memory.putLong(address, value);
        } else {
            memory.putInt(address, (int) value);
        }
        return address + abi.pointerSize();
    }

    /** Pushes the platform string, the random bytes, the auxiliary vector, envp, argv and argc. */
    SimulatedProcess.InitialStack createTables(ElfFile elf, long phdrAddress, long loadBias, SplittableRandom random) {
        long p = argStart;
        if (random != null) {
            p -= random.nextInt(8192); // arch_align_stack's randomisation
        }
        p &= ~15L;
        byte[] platform = cString(abi.platform());
        p -= platform.length;
        long platformAddress = p;
        put(p, platform);
        byte[] randomBytes = new byte[16];
        if (random != null) {
            for (int i = 0; i < randomBytes.length; i++) {
                randomBytes[i] = (byte) random.nextInt(256);
            }
        }
        p -= randomBytes.length;
        long randomAddress = p;
        put(p, randomBytes);

        long[][] auxv = {
            {AT_PHDR, phdrAddress},
            {AT_PHENT, elf.header().phentsize()},
            {AT_PHNUM, elf.header().phnum()},
            {AT_PAGESZ, PAGE},
            {AT_BASE, 0},
            {AT_FLAGS, 0},
            {AT_ENTRY, elf.header().entry() + loadBias},
            {AT_UID, 1000},
            {AT_EUID, 1000},
            {AT_GID, 1000},
            {AT_EGID, 1000},
            {AT_SECURE, 0},
            {AT_RANDOM, randomAddress},
            {AT_EXECFN, execFn},
            {AT_PLATFORM, platformAddress},
            {AT_NULL, 0},
        };
        int word = abi.pointerSize();
        long sp = p - (long) auxv.length * 2 * word;
        long items = (argPointers.size() + 1) + (envPointers.size() + 1) + 1;
        sp = (sp - items * word) & ~15L;

        long cursor = putWord(sp, argPointers.size());
        for (long a : argPointers) {
            cursor = putWord(cursor, a);
        }
        cursor = putWord(cursor, 0);
        for (long e : envPointers) {
            cursor = putWord(cursor, e);
        }
        cursor = putWord(cursor, 0);
        long auxvAddress = cursor;
        for (long[] entry : auxv) {
            cursor = putWord(cursor, entry[0]);
            cursor = putWord(cursor, entry[1]);
        }
        return new SimulatedProcess.InitialStack(top, sp, argStart, envStart, envEnd, auxvAddress);
    }
}
