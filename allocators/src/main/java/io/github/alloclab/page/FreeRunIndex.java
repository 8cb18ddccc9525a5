package io.github.alloclab.page;

import static io.github.alloclab.page.PageLayout.LEFT;
import static io.github.alloclab.page.PageLayout.RIGHT;
import static io.github.alloclab.page.PageLayout.TAG;

import io.github.alloclab.memory.MemorySource;

/**
 * The free runs of every chunk, ordered by size and then by address: a treap whose nodes are the page map
 * entries of the runs' first pages, linked through their {@link PageLayout#LEFT}/{@link PageLayout#RIGHT}
 * words.
 *
 * <pre>
 *  key(e)       = (pages(e), e)        entries lie in address order (a chunk's map precedes its own pages,
 *                                      and chunks do not overlap), so e orders runs as their addresses do
 *  priority(e)  = scramble(e)          a fixed pseudo-random number: no storage, and the tree is balanced
 *                                      in expectation whatever order runs come and go in
 *  BST order    key(left) &lt; key(node) &lt; key(right);   heap order  priority(child) &lt; priority(node)
 * </pre>
 *
 * {@link #ceiling} walks one path from the root: the smallest run with at least {@code n} pages, and among
 * runs of that size the lowest address, which is the "best fit, lowest address first" of Netty's
 * {@code PoolChunk} {@code runsAvail} queues and of the kernel's preference for low pages. Insert and
 * remove are O(log runs) expected, by rotations. The entry of a node must not change its key (its pages)
 * while the node is in the tree.
 */
final class FreeRunIndex {

    private final MemorySource memory;
    private long root;
    private long runs;
    private long pages;
    /** Free runs per order, a run of n pages being of order floor(log2 n). */
    private final long[] perOrder = new long[64];
    /** Free pages per order. */
    private final long[] pagesPerOrder = new long[64];
    private long steps;

    FreeRunIndex(MemorySource memory) {
        this.memory = memory;
    }

    private long pagesOf(long e) {
        return PageLayout.pages(memory.getLong(e + TAG));
    }

    private long left(long e) {
        return memory.getLong(e + LEFT);
    }

    private long right(long e) {
        return memory.getLong(e + RIGHT);
    }

    private void setLeft(long e, long child) {
        memory.putLong(e + LEFT, child);
    }

    private void setRight(long e, long child) {
        memory.putLong(e + RIGHT, child);
    }

    /** {@return whether key(a) &lt; key(b)} */
    private boolean less(long a, long pagesA, long b) {
        long pagesB = pagesOf(b);
        return pagesA < pagesB || (pagesA == pagesB && a < b);
    }

    static long priority(long e) {
        return PageLayout.scramble(e);
    }

    void insert(long e) {
        setLeft(e, 0);
        setRight(e, 0);
        long n = pagesOf(e);
        root = insert(root, e, n);
        runs++;
        pages += n;
        perOrder[63 - Long.numberOfLeadingZeros(n)]++;
        pagesPerOrder[63 - Long.numberOfLeadingZeros(n)] += n;
    }

    private long insert(long node, long e, long n) {
        if (node == 0) {
            return e;
        }
        if (less(e, n, node)) {
            long child = insert(left(node), e, n);
            setLeft(node, child);
            if (priority(child) > priority(node)) {       // rotate right: the child rises
                setLeft(node, right(child));
                setRight(child, node);
                return child;
            }
        } else {
            long child = insert(right(node), e, n);
            setRight(node, child);
            if (priority(child) > priority(node)) {       // rotate left
                setRight(node, left(child));
                setLeft(child, node);
                return child;
            }
        }
        return node;
    }

    void remove(long e) {
        long n = pagesOf(e);
        root = remove(root, e, n);
        runs--;
        pages -= n;
        perOrder[63 - Long.numberOfLeadingZeros(n)]--;
        pagesPerOrder[63 - Long.numberOfLeadingZeros(n)] -= n;
    }

    private long remove(long node, long e, long n) {
        if (node == 0) {
            throw new IllegalStateException("free run 0x%x is not in the index".formatted(e));
        }
        if (node == e) {
            return join(left(node), right(node));
        }
        if (less(e, n, node)) {
            setLeft(node, remove(left(node), e, n));
        } else {
            setRight(node, remove(right(node), e, n));
        }
        return node;
    }

    /** {@return the treap of every key of {@code a} (all smaller) and {@code b}} */
    private long join(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        if (priority(a) > priority(b)) {
            setRight(a, join(right(a), b));
            return a;
        }
        setLeft(b, join(a, left(b)));
        return b;
    }

    /** {@return the entry of the smallest free run of at least {@code n} pages, lowest address first, or 0} */
    long ceiling(long n) {
        long best = 0;
        for (long node = root; node != 0; ) {
            steps++;
            if (pagesOf(node) >= n) {
                best = node;
                node = left(node);
            } else {
                node = right(node);
            }
        }
        return best;
    }

    /** {@return the pages of the largest free run, or 0} */
    long largest() {
        long node = root;
        if (node == 0) {
            return 0;
        }
        while (right(node) != 0) {
            node = right(node);
        }
        return pagesOf(node);
    }

    long root() {
        return root;
    }

    long runs() {
        return runs;
    }

    long pages() {
        return pages;
    }

    long runsOfOrder(int order) {
        return perOrder[order];
    }

    long pagesOfOrder(int order) {
        return pagesPerOrder[order];
    }

    long steps() {
        return steps;
    }

    long leftOf(long e) {
        return left(e);
    }

    long rightOf(long e) {
        return right(e);
    }
}
