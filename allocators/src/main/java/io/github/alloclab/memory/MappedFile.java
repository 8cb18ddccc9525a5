package io.github.alloclab.memory;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A file that mappings read their pages from, such as an executable: its path as {@code /proc/PID/maps}
 * shows it, its bytes, and its device and inode numbers.
 *
 * @param path     the path a maps line ends with
 * @param contents the file's bytes; pages are copied from here when first touched
 * @param device   the {@code st_dev} of the file, or 0
 * @param inode    the {@code st_ino} of the file, or 0
 */
public record MappedFile(String path, MemorySegment contents, long device, long inode) {

    public MappedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(contents, "contents");
    }

    /** {@return a file of these bytes, with no device or inode} */
    public static MappedFile of(String path, byte[] bytes) {
        return new MappedFile(path, MemorySegment.ofArray(bytes).asReadOnly(), 0, 0);
    }

    /** {@return the device as {@code /proc/PID/maps} prints it: major:minor in hex, such as {@code fe:00}} */
    public String deviceText() {
        // Linux's new_decode_dev: the minor number's low 8 bits sit in bits 0-7, its high bits in 20-31.
        long major = (device >>> 8) & 0xfffL | (device >>> 32) & 0xffff_f000L;
        long minor = device & 0xffL | (device >>> 12) & 0xffff_ff00L;
        return "%02x:%02x".formatted(major, minor);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MappedFile f && f.path.equals(path) && f.contents == contents
                && f.device == device && f.inode == inode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, device, inode, System.identityHashCode(contents));
    }

    @Override
    public String toString() {
        return "MappedFile[" + path + ", " + contents.byteSize() + " bytes]";
    }
}
