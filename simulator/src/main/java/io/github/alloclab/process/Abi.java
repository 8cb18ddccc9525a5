package io.github.alloclab.process;

import io.github.alloclab.elf.Elf;

/**
 * The two process flavours an x86-64 Linux kernel runs, and the constants of their address spaces, as the
 * kernel defines them (arch/x86/include/asm/elf.h, processor.h, mm/util.c).
 *
 * <pre>
 *                         x86-64 (ELF64)        i386 on x86-64 (ELF32, compat)
 *  TASK_SIZE = STACK_TOP  0x7ffffffff000        0xffffe000
 *  mmap_base, ASLR off    0x7ffff7fff000        0xf7ffe000      TASK_SIZE - 128 MiB (see below)
 *  ELF_ET_DYN_BASE        0x555555554aaa        0x56555000      where a PIE goes, before page rounding
 *  pointer size           8                     4
 *  AT_PLATFORM            "x86_64"              "i686"
 *  mmap randomness        28 bits of pages      8 bits of pages
 *  stack randomness       22 bits of pages      11 bits of pages
 * </pre>
 *
 * {@code mmap_base} leaves a gap below the stack for it to grow into: the stack rlimit plus the guard gap,
 * clamped to at least 128 MiB, so with the usual 8 MiB rlimit the gap is exactly 128 MiB. The 64-bit
 * {@code ELF_ET_DYN_BASE} is two thirds of the 47-bit address space; the compat one is
 * {@code TASK_UNMAPPED_BASE + 16 MiB}, where {@code TASK_UNMAPPED_BASE} is a third of the 32-bit space
 * rounded up to a page.
 */
public enum Abi {
    X86_64(Elf.ELFCLASS64, Elf.EM_X86_64, 0x7ffffffff000L, 0x555555554aaaL, 8, "x86_64", 28, 0x3fffff, "x86-64"),
    I386(Elf.ELFCLASS32, Elf.EM_386, 0xffffe000L, 0x56555000L, 4, "i686", 8, 0x7ff, "i386");

    /** Linux's minimum gap between {@code mmap_base} and the stack top. */
    static final long MIN_GAP = 128L << 20;
    /** Linux's {@code stack_guard_gap}: 256 pages. */
    static final long STACK_GUARD_GAP = 256L * 4096;

    private final int elfClass;
    private final int machine;
    private final long taskSize;
    private final long elfEtDynBase;
    private final int pointerSize;
    private final String platform;
    private final int mmapRandomBits;
    private final long stackRandomMask;
    private final String displayName;

    Abi(int elfClass, int machine, long taskSize, long elfEtDynBase, int pointerSize, String platform,
        int mmapRandomBits, long stackRandomMask, String displayName) {
        this.elfClass = elfClass;
        this.machine = machine;
        this.taskSize = taskSize;
        this.elfEtDynBase = elfEtDynBase;
        this.pointerSize = pointerSize;
        this.platform = platform;
        this.mmapRandomBits = mmapRandomBits;
        this.stackRandomMask = stackRandomMask;
        this.displayName = displayName;
    }

    /** {@return the ELF class of programs of this flavour} */
    public int elfClass() {
        return elfClass;
    }

    /** {@return the machine their headers name} */
    public int machine() {
        return machine;
    }

    /** {@return the end of user space, which is also where the stack starts} */
    public long taskSize() {
        return taskSize;
    }

    /** {@return the stack top before randomisation: {@code STACK_TOP}} */
    public long stackTop() {
        return taskSize;
    }

    /** {@return {@code ELF_ET_DYN_BASE}, where a position-independent executable with an interpreter loads} */
    public long elfEtDynBase() {
        return elfEtDynBase;
    }

    /** {@return the size of a pointer, {@code sizeof(void *)}} */
    public int pointerSize() {
        return pointerSize;
    }

    /** {@return the {@code AT_PLATFORM} string} */
    public String platform() {
        return platform;
    }

    /** {@return bits of page-granular randomness in {@code mmap_base} and a PIE's load address} */
    public int mmapRandomBits() {
        return mmapRandomBits;
    }

    /** {@return the mask of page-granular randomness subtracted from the stack top} */
    public long stackRandomMask() {
        return stackRandomMask;
    }

    /**
     * {@return {@code mmap_base}: where the mmap area starts growing down}
     *
     * @param stackLimit    the stack rlimit
     * @param randomization bytes of ASLR offset, 0 without ASLR
     */
    public long mmapBase(long stackLimit, long randomization) {
        long gap = stackLimit + STACK_GUARD_GAP;
        gap = Math.max(MIN_GAP, Math.min(gap, taskSize / 6 * 5));
        return (taskSize - gap - randomization + 4095) & ~4095L;
    }

    /** {@return the flavour of an ELF class} */
    public static Abi of(int elfClass) {
        return elfClass == Elf.ELFCLASS64 ? X86_64 : I386;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
