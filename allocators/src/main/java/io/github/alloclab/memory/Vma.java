package io.github.alloclab.memory;

import java.util.Objects;

/**
 * A virtual memory area: one line of {@code /proc/PID/maps}, a page-aligned range of addresses with one
 * protection and one backing, as Linux's {@code struct vm_area_struct}.
 *
 * <pre>
 *   start-end         perms offset   dev   inode   name
 *   555555558000-555555559000 rw-p 00003000 fe:00 2146675   /tmp/prog     file-backed: .data from file offset 0x3000
 *   555555559000-555555569000 rw-p 00000000 00:00 0                       anonymous: the bss tail
 *   555555569000-55555556b000 rw-p 00000000 00:00 0         [heap]        anonymous: brk area
 * </pre>
 *
 * <p>A file-backed area reads its pages from {@link #file()}: the page at {@code start + k * pageSize} holds
 * the file's bytes from {@code offset + k * pageSize}, except that bytes at file offsets at or beyond
 * {@link #fileLimit()} read as zero. That is how the kernel's ELF loader leaves the start of bss zeroed in the
 * last file page of a data segment ({@code padzero}).
 *
 * @param start      the first address, page-aligned
 * @param end        the address past the last, page-aligned, greater than {@code start}
 * @param protection the {@link Protection} bits
 * @param flags      {@link #SHARED} and {@link #GROWS_DOWN}
 * @param offset     the file offset of {@code start}; 0 for anonymous memory
 * @param file       the backing file, or {@code null} for anonymous memory
 * @param fileLimit  the file offset from which the backing reads as zero; ignored without a file
 * @param name       what maps prints last: the file's path, {@code [heap]}, {@code [stack]}, or empty
 * @param label      what the area is for, in a lesson's words: text, rodata, data, relro, bss, heap, mmap,
 *                   stack; empty if nothing in particular
 */
public record Vma(long start, long end, int protection, int flags, long offset, MappedFile file, long fileLimit,
                  String name, String label) {

    /** Shared rather than private: stores reach the file and other processes ({@code s} in maps). */
    public static final int SHARED = 1;
    /** Grows down on a fault just below it, as the stack does ({@code VM_GROWSDOWN}). */
    public static final int GROWS_DOWN = 2;

    public Vma {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad range [0x%x, 0x%x)".formatted(start, end));
        }
        if (!Protection.isValid(protection)) {
            throw new IllegalArgumentException("bad protection " + protection);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
    }

    /** {@return an anonymous private area} */
    public static Vma anonymous(long start, long end, int protection, String name, String label) {
        return new Vma(start, end, protection, 0, 0, null, 0, name, label);
    }

    /** {@return the size in bytes} */
    public long byteSize() {
        return end - start;
    }

    /** {@return whether {@code address} lies in this area} */
    public boolean contains(long address) {
        return address >= start && address < end;
    }

    /** {@return whether this area reads its pages from a file} */
    public boolean isFileBacked() {
        return file != null;
    }

    /** {@return whether this area grows down} */
    public boolean growsDown() {
        return (flags & GROWS_DOWN) != 0;
    }

    /** {@return the four permission letters of maps, such as {@code r-xp}} */
    public String permissions() {
        return Protection.letters(protection) + ((flags & SHARED) != 0 ? 's' : 'p');
    }

    /** {@return the same area cut to {@code [from, to)}; a file-backed area's offset moves with its start} */
    public Vma slice(long from, long to) {
        return new Vma(from, to, protection, flags, isFileBacked() ? offset + (from - start) : 0, file,
                fileLimit, name, label);
    }

    /** {@return the same area with another protection} */
    public Vma withProtection(int newProtection) {
        return new Vma(start, end, newProtection, flags, offset, file, fileLimit, name, label);
    }

    /** {@return the same area with another label} */
    public Vma withLabel(String newLabel) {
        return new Vma(start, end, protection, flags, offset, file, fileLimit, name, newLabel);
    }

    /**
     * {@return whether {@code next}, which starts where this ends, can be merged into one area with it}, as
     * Linux's {@code vma_merge} would: same protection, flags, name and label, and either both anonymous or the
     * same file at contiguous offsets.
     */
    public boolean canMergeWith(Vma next) {
        return end == next.start && protection == next.protection && flags == next.flags
                && name.equals(next.name) && label.equals(next.label)
                && (file == null ? next.file == null
                        : file.equals(next.file) && offset + byteSize() == next.offset && fileLimit == next.fileLimit);
    }

    /** {@return a short description for messages, such as {@code 555555555000-555555556000 r-xp text /tmp/prog}} */
    public String describe() {
        StringBuilder text = new StringBuilder("%x-%x %s".formatted(start, end, permissions()));
        if (!label.isEmpty()) {
            text.append(' ').append(label);
        }
        if (!name.isEmpty()) {
            text.append(' ').append(name);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
