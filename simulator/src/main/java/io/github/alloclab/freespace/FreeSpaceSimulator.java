package io.github.alloclab.freespace;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.firstfit.Coalescing;
import io.github.alloclab.firstfit.FirstFitAllocator;
import io.github.alloclab.firstfit.FirstFitSettings;
import io.github.alloclab.firstfit.Fit;
import io.github.alloclab.firstfit.ListOrder;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OSTEP's free-space homework, {@code malloc.py}, run on alloclab's first-fit family: same flags, same random
 * operations (through {@link PythonRandom}), same output line for line.
 *
 * <h2>How a malloc.py heap becomes a real one</h2>
 * malloc.py's heap is {@code S} bytes at address {@code B} with no metadata in it: its free list and sizes
 * live in Python lists. alloclab's allocators keep their metadata inside the heap, as a C allocator does, and a
 * free block must hold a tag, two links and a footer. So each malloc.py byte is one <b>unit</b> of 32 real bytes
 * ({@value #UNIT}), the smallest block of a {@link FirstFitAllocator} with 8-byte tags and 32-byte alignment:
 * <pre>
 *  malloc.py:  block of s bytes at address B + k          free list [(addr, size), ...]
 *  alloclab:   block of 32 s bytes at firstBlock + 32 k    the allocator's explicit free list, in its order
 * </pre>
 * The allocator is a fixed heap of {@code 32 S} bytes ({@code heapBytes}), one free block at first, that never
 * grows, over a memory source with no mmap area. A request of {@code n} bytes becomes a block of
 * {@code u = roundUp(n, a) + H} units, as malloc.py computes it; the allocator is asked for the payload that
 * fills exactly {@code 32 u} bytes ({@link FirstFitAllocator#requestFor}), and every block it hands out or lists
 * is shown as {@code B + (block - firstBlock) / 32}. Everything else is the allocator's own: the search and its
 * step count ({@code -p}), where a freed block goes ({@code -l}), the split that leaves the remainder in the
 * split block's place, and the coalescing: malloc.py's pass over the list ({@code -C},
 * {@link Coalescing#LIST}) or, with {@code --exact-coalesce}, boundary tags ({@link Coalescing#IMMEDIATE}).
 * A {@code free} the allocator rejects (a double free) is malloc.py's {@code returned -1}.
 *
 * <p>What malloc.py does but a heap of blocks cannot: {@code Alloc(0)} with no header (malloc.py hands out the
 * start of a free block and leaves the block free, then fails an assertion if it happens twice). alloclab stops
 * there with an error.
 */
public final class FreeSpaceSimulator implements AutoCloseable {

    /** Real bytes per malloc.py byte. */
    public static final long UNIT = 32;
    /** The largest heap simulated: 2^24 units, 512 MiB of real memory. */
    public static final long MAX_HEAP = 1L << 24;
    private static final long PAGE = 4096;

    private final FreeSpaceOptions options;
    private final long base;
    private final long header;
    private final long align;
    private final long heapUnits;
    private final FirstFitAllocator heap;
    /** Block start (unit offset) to the index of the {@code ptr[]} that holds it, for the picture. */
    private final Map<Long, Long> owners = new HashMap<>();

    /**
     * Checks the options as malloc.py's constructor asserts them, and makes the heap.
     *
     * @throws FreeSpaceException for a policy, list order, alignment or size malloc.py would reject
     */
    public FreeSpaceSimulator(FreeSpaceOptions options) {
        this.options = options;
        if (!FreeSpaceOptions.POLICIES.contains(options.policy())) {
            throw new FreeSpaceException("policy must be BEST, WORST or FIRST (or alloclab's NEXT), not '%s'"
                    .formatted(options.policy()));
        }
        if (!FreeSpaceOptions.ORDERS.contains(options.listOrder())) {
            throw new FreeSpaceException("listOrder must be one of %s, not '%s'"
                    .formatted(String.join(", ", FreeSpaceOptions.ORDERS), options.listOrder()));
        }
        if (!options.alignment().equals(BigInteger.ONE.negate()) && options.alignment().signum() <= 0) {
            throw new FreeSpaceException("alignment must be -1 (none) or positive, not " + options.alignment());
        }
        this.heapUnits = bounded("size", options.heapSize(), 1, MAX_HEAP);
        this.base = bounded("baseAddr", options.baseAddr(), -(1L << 62), 1L << 62);
        this.header = bounded("headerSize", options.headerSize(), 0, MAX_HEAP);
        this.align = bounded("alignment", options.alignment(), -1, MAX_HEAP);
        checkNumbersFit(options);
        FirstFitSettings settings = FirstFitSettings.DEFAULTS
                .withOrder(order(options.listOrder()))
                .withFit(Fit.valueOf(options.policy()))
                .withCoalescing(options.exactCoalesce() ? Coalescing.IMMEDIATE
                        : options.coalesce() ? Coalescing.LIST : Coalescing.NONE)
                .withHeader(8, UNIT)
                .withThresholds(PAGE, 0, 0)
                .withHeapBytes(heapUnits * UNIT);
        MemorySettings memory = MemorySettings.DEFAULTS
                .withHeapLimit((heapUnits * UNIT + 2 * PAGE) & -PAGE)
                .withMmapLimit(0);
        this.heap = new FirstFitAllocator("freelist", new FlatMemorySource(memory), settings);
    }

    /**
     * Checks, before anything is printed, the numbers that fit malloc.py's unbounded ints but not alloclab's
     * longs, so that such a number is one line on stderr rather than the options' echo and then an error.
     * What malloc.py itself rejects (percentAlloc <= 0, a bad operand) it rejects after the echo, as here.
     */
    private static void checkNumbersFit(FreeSpaceOptions options) {
        if (options.allocList().isEmpty()) {
            if (options.percentAlloc().signum() > 0) {
                bounded("percentAlloc", options.percentAlloc(), 1, Integer.MAX_VALUE);
            }
            bounded("range", options.range(), -(1L << 40), 1L << 40);
            bounded("numOps", options.numOps(), Long.MIN_VALUE, Long.MAX_VALUE);
            return;
        }
        for (String op : options.allocList().split(",", -1)) {
            if (!op.isEmpty() && (op.charAt(0) == '+' || op.charAt(0) == '-')) {
                BigInteger value;
                try {
                    value = PythonInt.parse(listedText(op, op.charAt(0)), 10);
                } catch (NumberFormatException e) {
                    continue; // malloc.py's own ValueError, after the echo and the operations before it
                }
                if (value.bitLength() > 63) {
                    listedNumber(op, op.charAt(0));
                }
            }
        }
    }

    private static long bounded(String name, BigInteger value, long min, long max) {
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new FreeSpaceException("%s must be from %d to %d here, not %s".formatted(name, min, max, value));
        }
        return value.longValueExact();
    }

    static ListOrder order(String listOrder) {
        return switch (listOrder) {
            case "ADDRSORT" -> ListOrder.ADDRESS;
            case "SIZESORT+" -> ListOrder.SIZE_ASC;
            case "SIZESORT-" -> ListOrder.SIZE_DESC;
            case "INSERT-FRONT" -> ListOrder.LIFO;
            default -> ListOrder.FIFO;
        };
    }

    /** {@return the allocator behind the simulation} */
    public FirstFitAllocator allocator() {
        return heap;
    }

    // ---- malloc.py's malloc, free and dump --------------------------------------------------------------

    /** The result of malloc.py's {@code m.malloc(size)}: the address or -1, and the elements searched. */
    public record Allocation(long address, long searched) {
    }

    /**
     * malloc.py's {@code m.malloc(size)}: rounds up to the alignment, adds the header, and allocates.
     *
     * @throws FreeSpaceException for a request of no units, which no heap of blocks can hand out
     */
    public Allocation malloc(long size) {
        // Python's integers do not wrap: a request past Long.MAX_VALUE units fails like any request larger
        // than the heap, so the sum saturates instead of turning negative.
        long units = size;
        if (align != -1) {
            long left = Math.floorMod(size, align);
            units = saturatedAdd(units, left != 0 ? align - left : 0);
        }
        units = saturatedAdd(units, header);
        if (units <= 0) {
            throw new FreeSpaceException(("Alloc(%d) asks for a block of %d bytes; malloc.py hands out the start of a"
                    + " free block without taking it, which a heap of real blocks cannot do").formatted(size, units));
        }
        long asked = Math.min(units, heapUnits + 1); // any larger request fails alike, after the same search
        long p = heap.malloc(heap.requestFor(asked * UNIT));
        long searched = heap.lastSearchSteps();
        return new Allocation(p == 0 ? -1 : base + unitOf(p), searched);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow only when both have the same sign and the sum's sign differs (Hacker's Delight 2-13).
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    private long unitOf(long payload) {
        return (payload - heap.payloadOffset() - heap.firstBlock()) / UNIT;
    }

    /** malloc.py's {@code m.free(addr)}: {@return 0, or -1 when {@code address} is not an allocated block} */
    public int free(long address) {
        long unit = address - base;
        if (unit < 0 || unit >= heapUnits) {
            return -1;
        }
        try {
            heap.free(heap.firstBlock() + unit * UNIT + heap.payloadOffset());
        } catch (HeapCorruptionException notAllocated) {
            return -1;
        }
        owners.remove(unit);
        return 0;
    }

    /** {@return malloc.py's {@code m.dump()} line: the free list in the allocator's order} */
    public String freeList() {
        List<Block> blocks = new ArrayList<>();
        heap.walkFreeList(blocks::add);
        StringBuilder line = new StringBuilder("Free List [ Size ").append(blocks.size()).append(" ]: ");
        for (Block b : blocks) {
            line.append("[ addr:").append(base + (b.address() - heap.firstBlock()) / UNIT)
                    .append(" sz:").append(b.byteSize() / UNIT).append(" ]");
        }
        return line.toString();
    }

    /**
     * {@return the heap as a row of blocks}: each allocated block drawn with the last character of its
     * {@code ptr[]} index in base 36, each free block with dots, blocks apart with {@code |}; one character
     * per unit up to 100 units, wider heaps scaled down.
     */
    public String picture() {
        long perChar = Math.max(1, (heapUnits + 99) / 100);
        StringBuilder row = new StringBuilder("heap ").append(base).append(" |");
        boolean[] first = {true};
        heap.walk(b -> {
            if (b.state() == BlockState.METADATA) {
                return;
            }
            if (!first[0]) {
                row.append('|');
            }
            first[0] = false;
            long unit = (b.address() - heap.firstBlock()) / UNIT;
            long units = b.byteSize() / UNIT;
            char c = '.';
            if (b.state() == BlockState.ALLOCATED) {
                Long owner = owners.get(unit);
                c = owner == null ? '#' : Character.forDigit((int) (owner % 36), 36);
            }
            row.repeat(c, (int) Math.max(1, (units + perChar / 2) / perChar));
        });
        return row.append("| ").append(base + heapUnits).toString();
    }

    // ---- the session ----------------------------------------------------------------------------------

    /**
     * Runs malloc.py's main program: the parameter echo, then the operations, with answers ({@code -c}) or
     * question marks.
     *
     * @throws FreeSpaceException where malloc.py stops with an error; what was printed stays printed
     */
    public void run(PrintWriter out) {
        FreeSpaceOptions o = options;
        out.println("seed " + o.seed());
        out.println("size " + o.heapSize());
        out.println("baseAddr " + o.baseAddr());
        out.println("headerSize " + o.headerSize());
        out.println("alignment " + o.alignment());
        out.println("policy " + o.policy());
        out.println("listOrder " + o.listOrder());
        out.println("coalesce " + python(o.coalesce()));
        out.println("numOps " + o.numOps());
        out.println("range " + o.range());
        out.println("percentAlloc " + o.percentAlloc());
        out.println("allocList " + o.allocList());
        out.println("compute " + python(o.compute()));
        out.println();
        if (o.percentAlloc().signum() <= 0) {
            out.flush();
            throw new FreeSpaceException("percentAlloc must be above 0 (malloc.py asserts percent > 0)");
        }
        try {
            if (o.allocList().isEmpty()) {
                randomOps(out);
            } else {
                listedOps(out);
            }
        } finally {
            out.flush();
        }
    }

    private static String python(boolean value) {
        return value ? "True" : "False";
    }

    private void randomOps(PrintWriter out) {
        double percent = bounded("percentAlloc", options.percentAlloc(), 1, Integer.MAX_VALUE) / 100.0;
        long range = bounded("range", options.range(), -(1L << 40), 1L << 40);
        long ops = bounded("numOps", options.numOps(), Long.MIN_VALUE, Long.MAX_VALUE);
        PythonRandom random = new PythonRandom(options.seed());
        Map<Long, Long> pointers = new LinkedHashMap<>(); // p: index -> address
        List<Long> live = new ArrayList<>();               // L: indices, in the order they were made
        long c = 0;
        long j = 0;
        while (j < ops) {
            boolean printed = false;
            if (random.random() < percent) {
                long size = (long) (random.random() * range) + 1;
                Allocation a = malloc(size);
                if (a.address() != -1) {
                    pointers.put(c, a.address());
                    live.add(c);
                    owners.put(a.address() - base, c);
                }
                out.print("ptr[%d] = Alloc(%d)".formatted(c, size));
                out.println(options.compute()
                        ? " returned %d (searched %d elements)".formatted(a.address() + header, a.searched())
                        : " returned ?");
                c++;
                j++;
                printed = true;
            } else if (!pointers.isEmpty()) {
                int d = (int) (random.random() * live.size());
                long index = live.get(d);
                int rc = free(pointers.get(index));
                out.println("Free(ptr[%d])".formatted(index));
                out.println(options.compute() ? "returned " + rc : "returned ?");
                pointers.remove(index);
                live.remove(d);
                printed = true;
                j++;
            }
            if (printed) {
                out.println(options.compute() ? freeList() : "List? ");
                drawIfAsked(out);
                out.println();
            }
        }
    }

    private void listedOps(PrintWriter out) {
        Map<Long, Long> pointers = new HashMap<>(); // p: index -> address, for every Alloc that succeeded
        long c = 0;
        for (String op : options.allocList().split(",", -1)) {
            if (op.isEmpty()) {
                throw new FreeSpaceException("allocList holds an empty operation (malloc.py stops with IndexError)");
            }
            if (op.charAt(0) == '+') {
                long size = listedNumber(op, '+');
                Allocation a = malloc(size);
                if (a.address() != -1) {
                    pointers.put(c, a.address());
                    owners.put(a.address() - base, c);
                }
                out.print("ptr[%d] = Alloc(%d)".formatted(c, size));
                out.println(options.compute()
                        ? " returned %d (searched %d elements)".formatted(a.address(), a.searched())
                        : " returned ?");
                c++;
            } else if (op.charAt(0) == '-') {
                long index = listedNumber(op, '-');
                if (index >= pointers.size()) {
                    out.println("Invalid Free: Skipping");
                    continue;
                }
                out.println("Free(ptr[%d])".formatted(index));
                Long address = pointers.get(index);
                if (address == null) {
                    out.flush();
                    throw new FreeSpaceException(("Free(ptr[%d]): ptr[%d] was never set, because its Alloc failed"
                            + " (malloc.py stops with KeyError)").formatted(index, index));
                }
                int rc = free(address);
                out.println(options.compute() ? "returned " + rc : "returned ?");
            } else {
                out.flush();
                throw new FreeSpaceException("badly specified operand '%s': must be +Size or -Index".formatted(op));
            }
            out.println(options.compute() ? freeList() : "List?");
            drawIfAsked(out);
            out.println();
        }
    }

    /**
     * {@return what malloc.py's {@code int(op.split(sign)[1])} reads}, held to a {@code long}: a size or index
     * past it fails or is skipped just as the largest {@code long} does, since no heap has that many units
     */
    private static long listedNumber(String op, char sign) {
        String text = listedText(op, sign);
        try {
            BigInteger value = PythonInt.parse(text, 10);
            return value.bitLength() < Long.SIZE ? value.longValue()
                    : value.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        } catch (NumberFormatException e) {
            throw new FreeSpaceException("allocList operation '%s': invalid literal for int() with base 10: '%s'"
                    .formatted(op, text));
        }
    }

    /** {@return the text malloc.py's {@code op.split(sign)[1]} gives to {@code int()}} */
    private static String listedText(String op, char sign) {
        int end = op.indexOf(sign, 1);
        return op.substring(1, end < 0 ? op.length() : end);
    }

    private void drawIfAsked(PrintWriter out) {
        if (options.picture()) {
            out.println(picture());
        }
    }

    @Override
    public void close() {
        heap.close();
    }
}
