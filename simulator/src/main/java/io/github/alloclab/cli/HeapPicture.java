package io.github.alloclab.cli;

import io.github.alloclab.heapmap.CellState;
import io.github.alloclab.heapmap.HeapRegion;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Help.Ansi;

/**
 * Prints heap-map regions as text: a line per region with its address range, size and scale, then its cells,
 * {@code width} a row, each row led by its first address. With colours on, each run of cells in one state
 * takes that state's background colour through picocli's markup; without, the states' characters alone tell
 * them apart.
 *
 * <pre>
 *   [heap] 0x555555559000-0x55555555a020  4,128 bytes, 128 bytes a cell
 *     0x555555559000  =#..............................=
 * </pre>
 */
final class HeapPicture {

    private static final String INDENT = "  ";

    private final Ansi ansi;
    private final int width;

    HeapPicture(Ansi ansi, int width) {
        this.ansi = ansi;
        this.width = width;
    }

    /** {@return the legend: each state's character (in its colour) and name} */
    String legend() {
        StringBuilder line = new StringBuilder("legend");
        for (CellState state : CellState.values()) {
            line.append("  ").append(cells(List.of(state))).append(' ').append(state.label());
        }
        return line.toString();
    }

    void print(List<HeapRegion> regions, PrintWriter out) {
        if (regions.isEmpty()) {
            out.println(INDENT + "(no heap yet: the break has not moved and nothing is mapped)");
        }
        for (HeapRegion r : regions) {
            out.printf(Locale.ROOT, "%s%-6s 0x%x-0x%x  %,d bytes, %,d byte%s a cell%n", INDENT, r.name(), r.start(),
                    r.end(), r.byteSize(), r.bytesPerCell(), r.bytesPerCell() == 1 ? "" : "s");
            for (int first = 0; first < r.cells().size(); first += width) {
                List<CellState> row = r.cells().subList(first, Math.min(first + width, r.cells().size()));
                out.printf(Locale.ROOT, "%s%s0x%x  %s%n", INDENT, INDENT, r.start() + first * r.bytesPerCell(),
                        cells(row));
            }
        }
    }

    /** {@return the cells as characters, each run of one state coloured as a whole when colours are on} */
    private String cells(List<CellState> row) {
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < row.size()) {
            CellState state = row.get(i);
            int j = i;
            while (j < row.size() && row.get(j) == state) {
                j++;
            }
            String run = String.valueOf(state.symbol()).repeat(j - i);
            text.append(ansi.enabled() ? ansi.string("@|" + state.colour() + " " + run + "|@") : run);
            i = j;
        }
        return text.toString();
    }
}
