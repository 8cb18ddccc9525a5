package io.github.alloclab.elf;

/**
 * A file that is not a well-formed ELF file, or not one alloclab can read or load. The message names the file,
 * the header field at fault and its byte offset in the file, so that {@code xxd} or {@code readelf} can find
 * it:
 * <pre>
 *   prog: e_phoff at offset 0x20: the program header table [0x40, 0x2a0) runs past the end of the file (0x100 bytes)
 * </pre>
 */
public final class ElfFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final long offset;

    /**
     * @param file    the file's name
     * @param field   the header field at fault, such as {@code e_phoff} or {@code program header 3 p_filesz}
     * @param offset  the byte offset of that field in the file
     * @param problem what is wrong with it
     */
    public ElfFormatException(String file, String field, long offset, String problem) {
        super("%s: %s at offset 0x%x: %s".formatted(file, field, offset, problem));
        this.field = field;
        this.offset = offset;
    }

    /** {@return the header field at fault} */
    public String field() {
        return field;
    }

    /** {@return the byte offset of that field in the file} */
    public long offset() {
        return offset;
    }
}
