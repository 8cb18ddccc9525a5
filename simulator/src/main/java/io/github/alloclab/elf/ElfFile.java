package io.github.alloclab.elf;

import io.github.alloclab.files.InputFiles;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A little-endian ELF32 or ELF64 file, read whole into memory and checked: its header, program headers and
 * section headers, described by the {@link ElfLayout} structs.
 *
 * <h2>What is checked</h2>
 * Every read is bounds-checked against the file first, so a truncated or corrupt file gets an
 * {@link ElfFormatException} that names the field and its offset, never an out-of-bounds read. Beyond that:
 * <ol>
 *   <li>{@code e_ident}: the magic {@code 7f 45 4c 46}, a class of 32 or 64 bits, little-endian data,
 *       version 1.</li>
 *   <li>The header fits; {@code e_phentsize} and {@code e_shentsize} match the class when there are tables;
 *       both tables lie inside the file; {@code e_shstrndx} names a section.</li>
 *   <li>Each section's name lies inside the name table and ends with a NUL inside it; each section with
 *       contents lies inside the file.</li>
 *   <li>Each segment's file bytes, {@code [p_offset, p_offset + p_filesz)}, lie inside the file.</li>
 * </ol>
 * What loading needs on top (a machine it can run, {@code p_filesz <= p_memsz}, aligned offsets) is checked by
 * the loader, with the same kind of error.
 */
public final class ElfFile {

    private final String name;
    private final MemorySegment bytes;
    private final ElfHeader header;
    private final List<ProgramHeader> programHeaders;
    private final List<SectionHeader> sections;

    private ElfFile(String name, MemorySegment bytes, ElfHeader header, List<ProgramHeader> programHeaders,
                    List<SectionHeader> sections) {
        this.name = name;
        this.bytes = bytes;
        this.header = header;
        this.programHeaders = programHeaders;
        this.sections = sections;
    }

    /**
     * Reads and checks the file at {@code path}.
     *
     * @throws ElfFormatException   if it is not a well-formed little-endian ELF file
     * @throws UncheckedIOException if it cannot be read
     */
    public static ElfFile read(Path path) {
        return parse(path.toString(), InputFiles.readAllBytes(path));
    }

    /**
     * Checks {@code data} as an ELF file named {@code name}.
     *
     * @throws ElfFormatException if it is not a well-formed little-endian ELF file
     */
    public static ElfFile parse(String name, byte[] data) {
        MemorySegment file = MemorySegment.ofArray(data).asReadOnly();
        ElfHeader header = readHeader(name, file);
        List<SectionHeader> sections = readSections(name, file, header);
        List<ProgramHeader> segments = readProgramHeaders(name, file, header);
        return new ElfFile(name, file, header, segments, sections);
    }

    private static ElfFormatException error(String file, String field, long offset, String problem) {
        return new ElfFormatException(file, field, offset, problem);
    }

    private static ElfHeader readHeader(String name, MemorySegment file) {
        if (file.byteSize() < ElfLayout.EI_NIDENT) {
            throw error(name, "e_ident", 0, "the file is %d bytes; an ELF file starts with 16 identification bytes"
                    .formatted(file.byteSize()));
        }
        byte[] ident = file.asSlice(0, ElfLayout.EI_NIDENT).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        if (ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
            throw error(name, "e_ident[EI_MAG0..3]", 0, "not an ELF file: the magic is %02x %02x %02x %02x, not 7f 45 4c 46"
                    .formatted(ident[0], ident[1], ident[2], ident[3]));
        }
        int elfClass = ident[4];
        if (elfClass != Elf.ELFCLASS32 && elfClass != Elf.ELFCLASS64) {
            throw error(name, "e_ident[EI_CLASS]", 4, "class %d is neither 1 (32-bit) nor 2 (64-bit)".formatted(elfClass));
        }
        if (ident[5] != Elf.ELFDATA2LSB) {
            throw error(name, "e_ident[EI_DATA]", 5, ident[5] == 2
                    ? "big-endian files are not supported, only little-endian (x86-64, i386)"
                    : "data encoding %d is neither 1 (little-endian) nor 2 (big-endian)".formatted(ident[5]));
        }
        if (ident[6] != 1) {
            throw error(name, "e_ident[EI_VERSION]", 6, "version %d is not 1 (EV_CURRENT)".formatted(ident[6]));
        }
        boolean is64 = elfClass == Elf.ELFCLASS64;
        ElfLayout.Struct ehdr = is64 ? ElfLayout.EHDR64 : ElfLayout.EHDR32;
        if (file.byteSize() < ehdr.byteSize()) {
            throw error(name, ehdr.name(), 0, "the file is %d bytes, shorter than the %d-byte header"
                    .formatted(file.byteSize(), ehdr.byteSize()));
        }
        Reader h = new Reader(name, file, ehdr, 0, "");
        long phoff = h.offset("e_phoff");
        long shoff = h.offset("e_shoff");
        int phnum = (int) h.get("e_phnum");
        int shnum = (int) h.get("e_shnum");
        int shstrndx = (int) h.get("e_shstrndx");
        int phentsize = (int) h.get("e_phentsize");
        int shentsize = (int) h.get("e_shentsize");
        ElfLayout.Struct shdr = is64 ? ElfLayout.SHDR64 : ElfLayout.SHDR32;
        ElfLayout.Struct phdr = is64 ? ElfLayout.PHDR64 : ElfLayout.PHDR32;
        if (shoff != 0 && (shnum == 0 || shstrndx == Elf.SHN_XINDEX || phnum == Elf.PN_XNUM)) {
            // Extended numbering: the real counts live in section header 0.
            if (shentsize != shdr.byteSize()) {
                throw error(name, "e_shentsize", ehdr.offsetOf("e_shentsize"), "%d, but a %s is %d bytes"
                        .formatted(shentsize, shdr.name(), shdr.byteSize()));
            }
            Reader first = new Reader(name, file, shdr, shoff, "section header 0");
            if (shnum == 0) {
                shnum = checkedCount(name, first, "sh_size", shdr, file.byteSize());
            }
            if (shstrndx == Elf.SHN_XINDEX) {
                shstrndx = checkedCount(name, first, "sh_link", shdr, file.byteSize());
            }
            if (phnum == Elf.PN_XNUM) {
                phnum = checkedCount(name, first, "sh_info", phdr, file.byteSize());
            }
        }
        if (phnum > 0 && phentsize != phdr.byteSize()) {
            throw error(name, "e_phentsize", ehdr.offsetOf("e_phentsize"), "%d, but a %s is %d bytes"
                    .formatted(phentsize, phdr.name(), phdr.byteSize()));
        }
        if (shnum > 0 && shentsize != shdr.byteSize()) {
            throw error(name, "e_shentsize", ehdr.offsetOf("e_shentsize"), "%d, but a %s is %d bytes"
                    .formatted(shentsize, shdr.name(), shdr.byteSize()));
        }
        checkTable(name, file, "e_phoff", ehdr.offsetOf("e_phoff"), phoff, phnum, phdr, "program header table");
        checkTable(name, file, "e_shoff", ehdr.offsetOf("e_shoff"), shoff, shnum, shdr, "section header table");
        if (shnum > 0 && shstrndx >= shnum) {
            throw error(name, "e_shstrndx", ehdr.offsetOf("e_shstrndx"), "section %d does not exist: there are %d"
                    .formatted(shstrndx, shnum));
        }
        return new ElfHeader(elfClass, ident[7] & 0xff, (int) h.get("e_type"), (int) h.get("e_machine"),
                h.get("e_entry"), phoff, shoff, h.get("e_flags"), (int) h.get("e_ehsize"), phentsize, phnum,
                shentsize, shnum, shstrndx);
    }

    private static int checkedCount(String name, Reader header0, String field, ElfLayout.Struct entry, long fileSize) {
        long count = header0.get(field);
        if (count < 0 || count > fileSize / entry.byteSize()) {
            throw error(name, "section header 0 " + field, header0.base + header0.struct.offsetOf(field),
                    "an extended count of %d %ss cannot fit in a file of %d bytes"
                            .formatted(count, entry.name(), fileSize));
        }
        return (int) count;
    }

    private static void checkTable(String name, MemorySegment file, String field, long fieldOffset, long offset,
                                   int count, ElfLayout.Struct entry, String what) {
        if (count == 0) {
            return;
        }
        long size = count * entry.byteSize();
        if (offset < 0 || offset > file.byteSize() || size > file.byteSize() - offset) {
            throw error(name, field, fieldOffset, "the %s [0x%x, 0x%x) runs past the end of the file (0x%x bytes)"
                    .formatted(what, offset, offset + size, file.byteSize()));
        }
    }

    private static List<SectionHeader> readSections(String name, MemorySegment file, ElfHeader header) {
        if (header.shnum() == 0) {
            return List.of();
        }
        ElfLayout.Struct shdr = header.is64() ? ElfLayout.SHDR64 : ElfLayout.SHDR32;
        List<Reader> raw = new ArrayList<>();
        for (int i = 0; i < header.shnum(); i++) {
            raw.add(new Reader(name, file, shdr, header.shoff() + i * shdr.byteSize(), "section header " + i));
        }
        Reader names = raw.get(header.shstrndx());
        long namesOffset = names.offset("sh_offset");
        long namesSize = names.offset("sh_size");
        boolean haveNames = header.shstrndx() != 0;
        if (haveNames && (namesOffset > file.byteSize() || namesSize > file.byteSize() - namesOffset)) {
            throw error(name, names.label("sh_size"), names.at("sh_size"),
                    "the section-name table [0x%x, 0x%x) runs past the end of the file (0x%x bytes)"
                            .formatted(namesOffset, namesOffset + namesSize, file.byteSize()));
        }
        List<SectionHeader> sections = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Reader s = raw.get(i);
            long nameOffset = s.get("sh_name");
            String sectionName = "";
            if (haveNames && i != 0) {
                sectionName = string(name, file, namesOffset, namesSize, nameOffset, s.label("sh_name"), s.at("sh_name"));
            }
            long type = s.get("sh_type");
            long offset = s.offset("sh_offset");
            long size = s.offset("sh_size");
            if (i != 0 && type != Elf.SHT_NOBITS && type != Elf.SHT_NULL
                    && (offset > file.byteSize() || size > file.byteSize() - offset)) {
                throw error(name, s.label("sh_size"), s.at("sh_size"),
                        "section %s [0x%x, 0x%x) runs past the end of the file (0x%x bytes)"
                                .formatted(sectionName.isEmpty() ? "#" + i : sectionName, offset, offset + size,
                                        file.byteSize()));
            }
            sections.add(new SectionHeader(i, sectionName, nameOffset, type, s.get("sh_flags"), s.get("sh_addr"),
                    offset, size, s.get("sh_link"), s.get("sh_info"), s.get("sh_addralign"), s.get("sh_entsize")));
        }
        return Collections.unmodifiableList(sections);
    }

    private static String string(String name, MemorySegment file, long tableOffset, long tableSize, long index,
                                 String field, long fieldOffset) {
        if (index >= tableSize) {
            throw error(name, field, fieldOffset, "name offset 0x%x is outside the %d-byte section-name table"
                    .formatted(index, tableSize));
        }
        long end = index;
        while (end < tableSize && file.get(java.lang.foreign.ValueLayout.JAVA_BYTE, tableOffset + end) != 0) {
            end++;
        }
        if (end == tableSize) {
            throw error(name, field, fieldOffset, "the name at 0x%x runs off the end of the section-name table"
                    .formatted(index));
        }
        byte[] text = file.asSlice(tableOffset + index, end - index).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private static List<ProgramHeader> readProgramHeaders(String name, MemorySegment file, ElfHeader header) {
        ElfLayout.Struct phdr = header.is64() ? ElfLayout.PHDR64 : ElfLayout.PHDR32;
        List<ProgramHeader> segments = new ArrayList<>();
        for (int i = 0; i < header.phnum(); i++) {
            Reader p = new Reader(name, file, phdr, header.phoff() + i * phdr.byteSize(), "program header " + i);
            long offset = p.offset("p_offset");
            long filesz = p.offset("p_filesz");
            if (filesz > 0 && (offset > file.byteSize() || filesz > file.byteSize() - offset)) {
                throw error(name, p.label("p_filesz"), p.at("p_filesz"),
                        "the segment's file bytes [0x%x, 0x%x) run past the end of the file (0x%x bytes)"
                                .formatted(offset, offset + filesz, file.byteSize()));
            }
            segments.add(new ProgramHeader(i, p.get("p_type"), p.get("p_flags"), offset, p.get("p_vaddr"),
                    p.get("p_paddr"), filesz, p.get("p_memsz"), p.get("p_align")));
        }
        return Collections.unmodifiableList(segments);
    }

    /** Reads the members of one struct instance, naming it in errors. */
    private record Reader(String file, MemorySegment bytes, ElfLayout.Struct struct, long base, String what) {

        long get(String field) {
            return struct.get(bytes, base, field, file, what);
        }

        /** A file offset or size: must not be so large that it is negative as a Java long. */
        long offset(String field) {
            long value = get(field);
            if (value < 0) {
                throw error(file, label(field), at(field), "0x%s is beyond any file".formatted(Long.toUnsignedString(value, 16)));
            }
            return value;
        }

        String label(String field) {
            return ElfLayout.Struct.label(what, field);
        }

        long at(String field) {
            return base + struct.offsetOf(field);
        }
    }

    /** {@return the name the file was read under} */
    public String name() {
        return name;
    }

    /** {@return the file's bytes, read-only} */
    public MemorySegment bytes() {
        return bytes;
    }

    /** {@return the file header} */
    public ElfHeader header() {
        return header;
    }

    /** {@return the program headers, in file order} */
    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** {@return the section headers, in file order, section 0 included} */
    public List<SectionHeader> sections() {
        return sections;
    }

    /** {@return the {@code PT_LOAD} segments, in file order} */
    public List<ProgramHeader> loadSegments() {
        return programHeaders.stream().filter(ProgramHeader::isLoad).toList();
    }

    /** {@return the first program header of this type} */
    public Optional<ProgramHeader> segment(long type) {
        return programHeaders.stream().filter(p -> p.type() == type).findFirst();
    }

    /** {@return the first section of this name} */
    public Optional<SectionHeader> section(String sectionName) {
        return sections.stream().filter(s -> s.name().equals(sectionName)).findFirst();
    }

    /** {@return the interpreter that {@code PT_INTERP} names, such as {@code /lib64/ld-linux-x86-64.so.2}} */
    public Optional<String> interpreter() {
        return segment(Elf.PT_INTERP).map(p -> {
            long length = p.filesz();
            if (length == 0) {
                // An empty PT_INTERP may point anywhere, even past the file: only bytes it has are checked.
                return "";
            }
            while (length > 0 && bytes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p.offset() + length - 1) == 0) {
                length--;
            }
            return new String(bytes.asSlice(p.offset(), length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.ISO_8859_1);
        });
    }

    @Override
    public String toString() {
        return "ElfFile[%s, ELF%d, %d segments, %d sections]".formatted(name, header.bits(), programHeaders.size(),
                sections.size());
    }
}
