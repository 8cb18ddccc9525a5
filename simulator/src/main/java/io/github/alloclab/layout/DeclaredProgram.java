package io.github.alloclab.layout;

import io.github.alloclab.process.Abi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A synthetic C program declared as a list of globals, placed in sections as GCC places them, with C's
 * sizes and alignments for x86-64 (LP64) or i386 (ILP32).
 *
 * <h2>The form</h2>
 * <pre>
 *   int a, b, c;                       // uninitialised: .bss
 *   double d = 3.14;                   // initialised: .data
 *   char ch = 'x';
 *   static long table[100] = {0};      // all zero: .bss, as GCC's -fzero-initialized-in-bss puts it
 *   const char banner[] = "alloclab";  // const: .rodata
 *   char *name = "ada";                // the pointer in .data, the string literal in .rodata
 *   @text 200                          // the size of the program's code in bytes (default 3: return 0)
 * </pre>
 * Types: {@code char}, {@code short}, {@code int}, {@code long}, {@code long long}, {@code float},
 * {@code double}, {@code long double}, {@code _Bool}/{@code bool}, with {@code signed}/{@code unsigned},
 * pointers, and arrays (the first dimension may be {@code []} when an initialiser gives it).
 * Comments are {@code //}, {@code /* ... *}{@code /} on one line, and lines starting with {@code #}.
 *
 * <h2>Placement</h2>
 * Each section takes its globals in declaration order (GCC's {@code -fno-toplevel-reorder}); each global
 * goes at the next offset that is a multiple of its alignment, and the skipped bytes are padding. A section
 * is aligned to its most aligned global.
 *
 * <p>The alignment is the one GCC gives a variable, which can exceed the type's alignment in the ABI
 * ({@code ix86_data_alignment}, with the default {@code -malign-data=compat}):
 * <pre>
 *  type            size (LP64 / ILP32)   ABI alignment      a variable's alignment (GCC)
 *  char, _Bool       1 / 1                 1 / 1             1 / 1
 *  short             2 / 2                 2 / 2             2 / 2
 *  int, float        4 / 4                 4 / 4             4 / 4
 *  long, pointer     8 / 4                 8 / 4             8 / 4
 *  long long         8 / 8                 8 / 4             8 / 8
 *  double            8 / 8                 8 / 4             8 / 8
 *  long double      16 / 12               16 / 4            16 / 16
 *  array            n * element           element's          32 if n &gt;= 32 bytes; 16 if &gt;= 16 (x86-64);
 *                                                             a word if &gt;= a word
 * </pre>
 * So on i386, {@code char c; double d = 1;} puts {@code d} at offset 8 (7 bytes of padding) although the
 * ABI would allow 4; the {@code ProcessOrderingTest} checks these numbers against GCC when it is installed.
 *
 * @param abi     the data model: x86-64 or i386
 * @param globals the globals, in declaration order, placed
 * @param text    bytes of code
 * @param strings the string literals that pointers point to, placed in .rodata after the const globals
 */
public record DeclaredProgram(Abi abi, List<Global> globals, long text, List<Global> strings) {

    /** The sections a global can live in. */
    public enum Section {
        DATA(".data"), BSS(".bss"), RODATA(".rodata");

        private final String elfName;

        Section(String elfName) {
            this.elfName = elfName;
        }

        /** {@return the section's name, such as {@code .data}} */
        public String elfName() {
            return elfName;
        }
    }

    /**
     * One placed global.
     *
     * @param declaration the declaration, as written
     * @param name        the variable's name
     * @param section     where it lives
     * @param offset      its offset in the section
     * @param size        its size in bytes
     * @param alignment   its alignment
     * @param padding     the bytes skipped before it, to align it
     * @param bytes       its initial contents, little-endian; all zero for bss
     */
    public record Global(String declaration, String name, Section section, long offset, long size, long alignment,
                         long padding, byte[] bytes) {
    }

    /** {@return the globals placed in {@code section}} */
    public List<Global> in(Section section) {
        List<Global> found = new ArrayList<>();
        for (Global g : globals) {
            if (g.section() == section) {
                found.add(g);
            }
        }
        if (section == Section.RODATA) {
            found.addAll(strings);
        }
        return found;
    }

    /** {@return the size of a section: the end of its last global} */
    public long sizeOf(Section section) {
        long end = 0;
        for (Global g : in(section)) {
            end = Math.max(end, g.offset() + g.size());
        }
        return end;
    }

    /** {@return the alignment of a section: that of its most aligned global, at least 1} */
    public long alignmentOf(Section section) {
        long alignment = 1;
        for (Global g : in(section)) {
            alignment = Math.max(alignment, g.alignment());
        }
        return alignment;
    }

    /** {@return the padding bytes in a section} */
    public long paddingOf(Section section) {
        long padding = 0;
        for (Global g : in(section)) {
            padding += g.padding();
        }
        return padding;
    }

    /**
     * Parses and places a declared program.
     *
     * @throws DeclarationException naming the line and what is wrong with it
     */
    public static DeclaredProgram parse(String source, Abi abi) {
        return new DeclarationParser(source, abi).parse();
    }

    /** Places globals in declaration order. */
    static final class Placer {
        private final Map<Section, Long> cursor = new LinkedHashMap<>();

        Global place(String declaration, String name, Section section, long size, long alignment, byte[] bytes) {
            long at = cursor.getOrDefault(section, 0L);
            long aligned = (at + alignment - 1) / alignment * alignment;
            cursor.put(section, aligned + size);
            return new Global(declaration, name, section, aligned, size, alignment, aligned - at, bytes);
        }
    }
}
