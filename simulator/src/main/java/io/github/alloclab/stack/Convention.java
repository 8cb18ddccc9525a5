package io.github.alloclab.stack;

import io.github.alloclab.process.Abi;
import java.util.List;

/**
 * A calling convention: how a caller hands arguments to a callee, where the return value comes back, and
 * what each side does to the stack.
 *
 * <pre>
 *                      i386 cdecl                    System V AMD64
 *  word                4 bytes                       8 bytes
 *  arguments           all pushed, right to left     rdi, rsi, rdx, rcx, r8, r9; the rest pushed, right to left
 *  stack at a call     (word-aligned)                rsp % 16 == 0 just before {@code call}
 *  return value        eax                           rax
 *  frame pointer       ebp                           rbp
 *  who pops arguments  the caller ({@code add esp, n})  the caller, for stack arguments
 *  long, pointers      4 bytes (ILP32)               8 bytes (LP64)
 * </pre>
 *
 * Registers are named for the convention: {@code e*} for cdecl, {@code r*} for System V.
 */
public enum Convention {
    /** i386 cdecl: every argument on the stack. */
    CDECL("cdecl", "i386 cdecl", Abi.I386, 4, 4, List.of()),
    /** System V AMD64: six integer arguments in registers, the rest on the stack. */
    SYSV("sysv", "System V AMD64", Abi.X86_64, 8, 16, List.of("rdi", "rsi", "rdx", "rcx", "r8", "r9"));

    private final String key;
    private final String title;
    private final Abi abi;
    private final int word;
    private final int callAlignment;
    private final List<String> argumentRegisters;

    Convention(String key, String title, Abi abi, int word, int callAlignment, List<String> argumentRegisters) {
        this.key = key;
        this.title = title;
        this.abi = abi;
        this.word = word;
        this.callAlignment = callAlignment;
        this.argumentRegisters = argumentRegisters;
    }

    /** {@return the name the CLI and JSON use: {@code cdecl} or {@code sysv}} */
    public String key() {
        return key;
    }

    /** {@return the name people use: {@code i386 cdecl} or {@code System V AMD64}} */
    public String title() {
        return title;
    }

    /** {@return the process flavour programs of this convention run in} */
    public Abi abi() {
        return abi;
    }

    /** {@return whether {@code long} and pointers are 8 bytes} */
    public boolean lp64() {
        return word == 8;
    }

    /** {@return the size of a stack slot that {@code push} and {@code call} make: 4 or 8} */
    public int word() {
        return word;
    }

    /** {@return the alignment of the stack pointer just before a {@code call}} */
    public int callAlignment() {
        return callAlignment;
    }

    /** {@return the registers that carry the first integer arguments, in order; empty for cdecl} */
    public List<String> argumentRegisters() {
        return argumentRegisters;
    }

    /** {@return the stack pointer's name: {@code esp} or {@code rsp}} */
    public String sp() {
        return register("sp");
    }

    /** {@return the frame pointer's name: {@code ebp} or {@code rbp}} */
    public String bp() {
        return register("bp");
    }

    /** {@return the instruction pointer's name: {@code eip} or {@code rip}} */
    public String ip() {
        return register("ip");
    }

    /** {@return the return-value register's name: {@code eax} or {@code rax}} */
    public String ax() {
        return register("ax");
    }

    private String register(String base) {
        return (word == 8 ? "r" : "e") + base;
    }

    /**
     * {@return the 32-bit name of a System V argument register, as {@code gcc} writes it for an {@code int}}:
     * {@code edi} for {@code rdi}, {@code r8d} for {@code r8}
     */
    static String low32(String register) {
        return register.startsWith("r") && Character.isDigit(register.charAt(1)) ? register + "d"
                : "e" + register.substring(1);
    }

    /**
     * {@return the convention named {@code key}}
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Convention of(String key) {
        for (Convention c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown calling convention '%s'; use cdecl or sysv".formatted(key));
    }

    @Override
    public String toString() {
        return key;
    }
}
