package io.github.alloclab.cli;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import picocli.CommandLine;

/**
 * An operation list in the way of OSTEP's {@code malloc.py -A}: {@code +20,+30,-0,+10} means malloc 20 bytes,
 * malloc 30, free the 0th allocation ({@code ptr[0]}), malloc 10. Allocations are numbered from 0 in the order
 * they come; a size may take a K, M or G suffix. Unlike malloc.py, which skips or crashes on a bad free, a list
 * that frees an allocation not yet made or already freed is rejected before anything runs.
 *
 * @param text the list as given
 * @param ops  the operations, in order
 */
record AllocList(String text, List<Op> ops) {

    /**
     * One operation: {@code malloc(byteSize)} giving {@code ptr[index]}, or {@code free(ptr[index])}.
     *
     * @param malloc    true for malloc, false for free
     * @param index     the {@code ptr[]} index made or freed
     * @param byteSize  the bytes asked for; 0 for a free
     */
    record Op(boolean malloc, int index, long byteSize) {
    }

    AllocList {
        ops = List.copyOf(ops);
    }

    /** {@return the list that {@code text} spells} @throws IllegalArgumentException naming the bad operation */
    static AllocList parse(String text) {
        List<Op> ops = new ArrayList<>();
        BitSet freed = new BitSet();
        int made = 0;
        String[] items = text.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            String where = "operation %d ('%s')".formatted(i, item);
            if (item.length() < 2 || item.charAt(0) != '+' && item.charAt(0) != '-') {
                throw new IllegalArgumentException(where + " must be +SIZE (malloc) or -INDEX (free the INDEXth malloc)");
            }
            String number = item.substring(1);
            if (item.charAt(0) == '+') {
                long size;
                try {
                    size = new ByteSizeConverter().convert(number);
                } catch (CommandLine.TypeConversionException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage());
                }
                if (size < 0) {
                    throw new IllegalArgumentException(where + ": a size cannot be negative");
                }
                ops.add(new Op(true, made++, size));
            } else {
                int index;
                try {
                    index = Integer.parseInt(number);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": '" + number + "' is not an index such as 0 or 3");
                }
                if (index < 0) {
                    throw new IllegalArgumentException(where + ": an index cannot be negative");
                }
                if (index >= made) {
                    throw new IllegalArgumentException(where + " frees ptr[%d], but only %d malloc%s came before it"
                            .formatted(index, made, made == 1 ? "" : "s"));
                }
                if (freed.get(index)) {
                    throw new IllegalArgumentException(where + " frees ptr[%d] again: a double free".formatted(index));
                }
                freed.set(index);
                ops.add(new Op(false, index, 0));
            }
        }
        return new AllocList(text, ops);
    }

    /** Reads {@code -A}, so that a malformed list is a usage error naming the option. */
    static final class Converter implements CommandLine.ITypeConverter<AllocList> {
        @Override
        public AllocList convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
