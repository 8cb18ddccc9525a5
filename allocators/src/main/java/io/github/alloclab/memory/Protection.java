package io.github.alloclab.memory;

/**
 * Page protections as {@code mmap(2)} and {@code mprotect(2)} take them: a bit set of {@link #READ},
 * {@link #WRITE} and {@link #EXECUTE}, with the values of {@code PROT_READ}, {@code PROT_WRITE} and
 * {@code PROT_EXEC} in {@code <sys/mman.h>}. {@link #NONE} ({@code PROT_NONE}) makes a mapping that faults on
 * every access, as guard pages do.
 */
public final class Protection {

    /** {@code PROT_NONE}: no access. */
    public static final int NONE = 0;
    /** {@code PROT_READ}. */
    public static final int READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int WRITE = 2;
    /** {@code PROT_EXEC}. */
    public static final int EXECUTE = 4;
    /** Read and write: the protection of the heap, the stack, bss and anonymous mappings. */
    public static final int READ_WRITE = READ | WRITE;
    /** Read and execute: the protection of text. */
    public static final int READ_EXECUTE = READ | EXECUTE;

    private Protection() {
    }

    /** {@return whether {@code protection} holds only the three defined bits} */
    public static boolean isValid(int protection) {
        return (protection & ~(READ | WRITE | EXECUTE)) == 0;
    }

    /**
     * {@return whether {@code protection} permits an access of this kind} As on x86, where a page table cannot
     * express "write but not read", any permission at all lets a load through.
     */
    public static boolean permits(int protection, AccessKind access) {
        return access == AccessKind.READ ? protection != NONE : (protection & access.protection()) != 0;
    }

    /** {@return the three permission letters of {@code /proc/PID/maps}, such as {@code r-x}} */
    public static String letters(int protection) {
        return new String(new char[] {
                (protection & READ) != 0 ? 'r' : '-',
                (protection & WRITE) != 0 ? 'w' : '-',
                (protection & EXECUTE) != 0 ? 'x' : '-'});
    }

    /**
     * {@return the protection that {@code letters} spell}, such as {@code rw-}
     *
     * @throws IllegalArgumentException if {@code letters} is not three characters from {@code r-}, {@code w-}
     *                                  and {@code x-}
     */
    public static int parse(String letters) {
        if (letters.length() != 3 || "r-".indexOf(letters.charAt(0)) < 0 || "w-".indexOf(letters.charAt(1)) < 0
                || "x-".indexOf(letters.charAt(2)) < 0) {
            throw new IllegalArgumentException("not a protection like r-x: '" + letters + "'");
        }
        return (letters.charAt(0) == 'r' ? READ : 0) | (letters.charAt(1) == 'w' ? WRITE : 0)
                | (letters.charAt(2) == 'x' ? EXECUTE : 0);
    }
}
