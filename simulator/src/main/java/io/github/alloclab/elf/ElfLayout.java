package io.github.alloclab.elf;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ELF structures alloclab reads, as FFM {@link MemoryLayout}s: the file header, program header and
 * section header, each in its 32-bit and 64-bit form, little-endian, as {@code <elf.h>} declares them.
 *
 * <pre>
 *  Elf64_Ehdr (64 bytes)                       Elf32_Ehdr (52 bytes)
 *   0  e_ident[16]  magic, class, data, ...      0  e_ident[16]
 *  16  e_type       u16  ET_EXEC, ET_DYN        16  e_type       u16
 *  18  e_machine    u16  EM_X86_64 = 62         18  e_machine    u16  EM_386 = 3
 *  20  e_version    u32                         20  e_version    u32
 *  24  e_entry      u64                         24  e_entry      u32
 *  32  e_phoff      u64  program headers        28  e_phoff      u32
 *  40  e_shoff      u64  section headers        32  e_shoff      u32
 *  48  e_flags      u32                         36  e_flags      u32
 *  52  e_ehsize     u16                         40  e_ehsize     u16
 *  54  e_phentsize  u16  56                     42  e_phentsize  u16  32
 *  56  e_phnum      u16                         44  e_phnum      u16
 *  58  e_shentsize  u16  64                     46  e_shentsize  u16  40
 *  60  e_shnum      u16                         48  e_shnum      u16
 *  62  e_shstrndx   u16  section-name table     50  e_shstrndx   u16
 *
 *  Elf64_Phdr (56 bytes): p_type u32, p_flags u32, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align (u64)
 *  Elf32_Phdr (32 bytes): p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align (all u32)
 *  Elf64_Shdr (64 bytes): sh_name u32, sh_type u32, sh_flags u64, sh_addr u64, sh_offset u64, sh_size u64,
 *                         sh_link u32, sh_info u32, sh_addralign u64, sh_entsize u64
 *  Elf32_Shdr (40 bytes): the same fields, all u32
 * </pre>
 *
 * Fields are read by name through {@link Struct#get}, which checks the bounds first and names the field and
 * its file offset in the {@link ElfFormatException} it throws, so that nothing is read outside the file. The
 * members are unaligned, since a corrupt file may put a header at any offset.
 */
public final class ElfLayout {

    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Bytes of {@code e_ident}. */
    public static final int EI_NIDENT = 16;

    public static final Struct EHDR64 = new Struct("Elf64_Ehdr", MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(EI_NIDENT, U8).withName("e_ident"),
            U16.withName("e_type"), U16.withName("e_machine"), U32.withName("e_version"),
            U64.withName("e_entry"), U64.withName("e_phoff"), U64.withName("e_shoff"),
            U32.withName("e_flags"), U16.withName("e_ehsize"), U16.withName("e_phentsize"),
            U16.withName("e_phnum"), U16.withName("e_shentsize"), U16.withName("e_shnum"),
            U16.withName("e_shstrndx")));

    public static final Struct EHDR32 = new Struct("Elf32_Ehdr", MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(EI_NIDENT, U8).withName("e_ident"),
            U16.withName("e_type"), U16.withName("e_machine"), U32.withName("e_version"),
            U32.withName("e_entry"), U32.withName("e_phoff"), U32.withName("e_shoff"),
            U32.withName("e_flags"), U16.withName("e_ehsize"), U16.withName("e_phentsize"),
            U16.withName("e_phnum"), U16.withName("e_shentsize"), U16.withName("e_shnum"),
            U16.withName("e_shstrndx")));

    public static final Struct PHDR64 = new Struct("Elf64_Phdr", MemoryLayout.structLayout(
            U32.withName("p_type"), U32.withName("p_flags"), U64.withName("p_offset"),
            U64.withName("p_vaddr"), U64.withName("p_paddr"), U64.withName("p_filesz"),
            U64.withName("p_memsz"), U64.withName("p_align")));

    public static final Struct PHDR32 = new Struct("Elf32_Phdr", MemoryLayout.structLayout(
            U32.withName("p_type"), U32.withName("p_offset"), U32.withName("p_vaddr"),
            U32.withName("p_paddr"), U32.withName("p_filesz"), U32.withName("p_memsz"),
            U32.withName("p_flags"), U32.withName("p_align")));

    public static final Struct SHDR64 = new Struct("Elf64_Shdr", MemoryLayout.structLayout(
            U32.withName("sh_name"), U32.withName("sh_type"), U64.withName("sh_flags"),
            U64.withName("sh_addr"), U64.withName("sh_offset"), U64.withName("sh_size"),
            U32.withName("sh_link"), U32.withName("sh_info"), U64.withName("sh_addralign"),
            U64.withName("sh_entsize")));

    public static final Struct SHDR32 = new Struct("Elf32_Shdr", MemoryLayout.structLayout(
            U32.withName("sh_name"), U32.withName("sh_type"), U32.withName("sh_flags"),
            U32.withName("sh_addr"), U32.withName("sh_offset"), U32.withName("sh_size"),
            U32.withName("sh_link"), U32.withName("sh_info"), U32.withName("sh_addralign"),
            U32.withName("sh_entsize")));

    private ElfLayout() {
    }

    /**
     * One C struct: its layout, and a {@link VarHandle} per scalar member, read as unsigned.
     *
     * @param name   the C name, such as {@code Elf64_Phdr}
     * @param layout the struct layout
     */
    public record Struct(String name, StructLayout layout, Map<String, Member> members) {

        /** A scalar member: its handle, width and offset in the struct. */
        public record Member(VarHandle handle, long byteSize, long offset) {
        }

        Struct(String name, StructLayout layout) {
            this(name, layout, members(layout));
        }

        private static Map<String, Member> members(StructLayout layout) {
            Map<String, Member> members = new LinkedHashMap<>();
            for (MemoryLayout member : layout.memberLayouts()) {
                if (member instanceof ValueLayout value) {
                    String field = value.name().orElseThrow();
                    members.put(field, new Member(
                            layout.varHandle(MemoryLayout.PathElement.groupElement(field)),
                            value.byteSize(), layout.byteOffset(MemoryLayout.PathElement.groupElement(field))));
                }
            }
            return Map.copyOf(members);
        }

        /** {@return the size of the struct in bytes} */
        public long byteSize() {
            return layout.byteSize();
        }

        /** {@return the offset of a member in the struct} */
        public long offsetOf(String field) {
            return member(field).offset();
        }

        private Member member(String field) {
            Member m = members.get(field);
            if (m == null) {
                throw new IllegalArgumentException(name + " has no member " + field);
            }
            return m;
        }

        /**
         * {@return the unsigned value of member {@code field} of the struct at {@code base} in {@code file}}
         *
         * @param fileName what the error names as the file
         * @param what     how the error names the struct instance, such as {@code program header 3}
         * @throws ElfFormatException if the member lies outside the file
         */
        public long get(MemorySegment file, long base, String field, String fileName, String what) {
            Member m = member(field);
            long at = base + m.offset();
            if (base < 0 || at < base || at > file.byteSize() - m.byteSize()) {
                throw new ElfFormatException(fileName, label(what, field), at,
                        "the file ends at 0x%x, inside or before this %d-byte field".formatted(file.byteSize(), m.byteSize()));
            }
            return switch ((int) m.byteSize()) {
                case 1 -> Byte.toUnsignedLong((byte) m.handle().get(file, base));
                case 2 -> Short.toUnsignedLong((short) m.handle().get(file, base));
                case 4 -> Integer.toUnsignedLong((int) m.handle().get(file, base));
                default -> (long) m.handle().get(file, base);
            };
        }

        /** Writes member {@code field} of the struct at {@code base} in {@code file}, truncated to its width. */
        public void set(MemorySegment file, long base, String field, long value) {
            Member m = member(field);
            switch ((int) m.byteSize()) {
                case 1 -> m.handle().set(file, base, (byte) value);
                case 2 -> m.handle().set(file, base, (short) value);
                case 4 -> m.handle().set(file, base, (int) value);
                default -> m.handle().set(file, base, value);
            }
        }

        static String label(String what, String field) {
            return what == null || what.isEmpty() ? field : what + " " + field;
        }
    }
}
