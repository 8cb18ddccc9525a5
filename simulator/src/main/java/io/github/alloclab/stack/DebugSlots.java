package io.github.alloclab.stack;

import io.github.alloclab.stack.CAst.Type;
import io.github.alloclab.stack.FrameLayout.SlotDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a debugger knows about the live stack, kept beside the simulated memory: for each slot its address, size,
 * {@link SlotDef label} and the frame that owns it. The {@link StackMachine} pushes slots as it pushes words or
 * makes room for locals, and trims them whenever the stack pointer rises; values are never kept here, a picture
 * loads them from memory.
 *
 * <h2>Invariants</h2>
 * <pre>
 *  D1  addresses[0..count) decrease: slot i+1 was pushed below slot i
 *  D2  depths[0..count) never decrease, so the slots of a frame are contiguous and found by bisection
 *  D3  a pending slot (an argument pushed for a call not made yet) belongs to its caller's depth, and to the
 *      callee's once the call is made ({@link #adoptArguments})
 * </pre>
 * Stored as parallel arrays: a recursion 700,000 frames deep has two million slots.
 */
final class DebugSlots {

    /** How many rows an array may take in a picture before the rest are summed up in one. */
    private static final int ARRAY_ROWS = 64;

    /** Loads a value of a C type, or {@code null} if it cannot be read. */
    interface TypedReader {
        Long read(long address, Type type);
    }

    /** Loads {@code size} bytes as an unsigned little-endian number, or {@code null} if they cannot be read. */
    interface RawReader {
        Long read(long address, long size);
    }

    private final int word;
    private final boolean lp64;
    private long[] addresses = new long[256];
    private long[] sizes = new long[256];
    private int[] depths = new int[256];
    private boolean[] pending = new boolean[256];
    private SlotDef[] defs = new SlotDef[256];
    private int count;

    DebugSlots(int word, boolean lp64) {
        this.word = word;
        this.lp64 = lp64;
    }

    /** Records a slot just below the others. */
    void push(long address, long size, SlotDef def, int depth, boolean isPending) {
        if (count == addresses.length) {
            int n = count * 2;
            addresses = Arrays.copyOf(addresses, n);
            sizes = Arrays.copyOf(sizes, n);
            depths = Arrays.copyOf(depths, n);
            pending = Arrays.copyOf(pending, n);
            defs = Arrays.copyOf(defs, n);
        }
        addresses[count] = address;
        sizes[count] = size;
        depths[count] = depth;
        pending[count] = isPending;
        defs[count] = def;
        count++;
    }

    /** Forgets the slots below {@code sp}: they are dead. */
    void trim(long sp) {
        while (count > 0 && Long.compareUnsigned(addresses[count - 1], sp) < 0) {
            count--;
            defs[count] = null;
        }
    }

    /**
     * At a call: the {@code arguments} pending slots just above the return address (pushed last) now belong to
     * the callee, at {@code depth}.
     */
    void adoptArguments(int arguments, int depth) {
        for (int i = count - 2; i >= 0 && arguments > 0 && pending[i]; i--, arguments--) {
            pending[i] = false;
            depths[i] = depth;
        }
    }

    /**
     * {@return the live slots as rows of a picture, from the highest address down}: arrays one row per element
     * (or per word of chars), padding per word, and the middle frames of a stack deeper than
     * {@code shownFrames} summed up in one row
     *
     * @param depth the current depth: 1 in main
     */
    List<Slot> rows(int depth, int shownFrames, TypedReader typed, RawReader raw) {
        List<Slot> rows = new ArrayList<>();
        int keepTop = depth - (shownFrames - 2);
        boolean elide = depth + 1 > shownFrames && keepTop > 2;
        int i = 0;
        if (elide) {
            while (i < count && depths[i] <= 1) {
                row(i, depth, rows, typed, raw);
                i++;
            }
            int first = i;
            int firstDepth = depths[Math.min(i, count - 1)];
            // Depths never decrease along the slots, so the first kept one is found by bisection: a deep
            // stack has millions of slots, and a picture is drawn at every step kept.
            int lo = i;
            int hi = count;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (depths[mid] < keepTop) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            i = lo;
            if (i > first) {
                long high = addresses[first] + sizes[first];
                long low = addresses[i - 1];
                int frames = keepTop - firstDepth;
                rows.add(new Slot(low, high - low, "(%,d frame%s not shown)".formatted(frames, frames == 1 ? "" : "s"),
                        null, false, Slot.SUMMARY, null));
            }
        }
        for (; i < count; i++) {
            row(i, depth, rows, typed, raw);
        }
        return List.copyOf(rows);
    }

    private void row(int i, int depth, List<Slot> rows, TypedReader typed, RawReader raw) {
        SlotDef def = defs[i];
        long address = addresses[i];
        long size = sizes[i];
        int frame = pending[i] && depths[i] == depth ? Slot.NEXT_FRAME : depth - depths[i];
        String pendingCall = pending[i] && def.variable() != null ? def.callee() : null;
        switch (def.kind()) {
            case VARIABLE -> {
                Type t = def.variable().type();
                rows.add(new Slot(address, size, def.label(), typed.read(address, t), t.kind() == Type.Kind.POINTER, frame,
                        pendingCall));
            }
            case ARRAY -> {
                Type element = def.variable().type().target();
                long elementSize = element.size(lp64);
                long perRow = elementSize >= 4 ? elementSize : word;
                long elements = size / elementSize;
                long rowCount = (size + perRow - 1) / perRow;
                long shown = Math.min(rowCount, ARRAY_ROWS);
                // Rows from the highest address down: the last elements first.
                if (rowCount > shown) {
                    long from = shown * perRow / elementSize;
                    long rowAddress = address + shown * perRow;
                    rows.add(new Slot(rowAddress, size - shown * perRow, "%s[%d..%d]".formatted(def.label(), from, elements - 1),
                            null, true, frame, null));
                }
                for (long r = shown - 1; r >= 0; r--) {
                    long rowAddress = address + r * perRow;
                    long rowBytes = Math.min(perRow, size - r * perRow);
                    if (elementSize >= 4) {
                        rows.add(new Slot(rowAddress, rowBytes, "%s[%d]".formatted(def.label(), r), typed.read(rowAddress, element),
                                element.kind() == Type.Kind.POINTER, frame, null));
                    } else {
                        long firstIndex = r * perRow / elementSize;
                        long lastIndex = firstIndex + rowBytes / elementSize - 1;
                        rows.add(new Slot(rowAddress, rowBytes, "%s[%d..%d]".formatted(def.label(), firstIndex, lastIndex),
                                raw.read(rowAddress, rowBytes), true, frame, null));
                    }
                }
            }
            case PADDING -> {
                // Word-aligned rows, high to low, so that the picture lines up with x/8wx.
                long end = address + size;
                while (end > address) {
                    long start = Math.max(address, (end - 1) & -word);
                    rows.add(new Slot(start, end - start, def.label(), raw.read(start, end - start), true, frame, null));
                    end = start;
                }
            }
            default -> rows.add(new Slot(address, size, def.label(), raw.read(address, size), true, frame, null));
        }
    }
}
