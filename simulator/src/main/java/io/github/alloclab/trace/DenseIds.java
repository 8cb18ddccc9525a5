package io.github.alloclab.trace;

import java.util.HashMap;
import java.util.Map;

/**
 * A trace's ids renumbered 0, 1, 2, ... in the order they first appear, so that arrays indexed by id grow with
 * the blocks a trace has, not with its largest id. A {@code .rep} header may declare 2<sup>31</sup> - 1 ids
 * and use only the last: sized by that id, an array of addresses would take 16 GiB.
 */
public final class DenseIds {

    private final Map<Integer, Integer> dense = new HashMap<>();

    /** {@return the dense number of {@code id}, given at its first use} */
    public int of(int id) {
        Integer known = dense.get(id);
        if (known != null) {
            return known;
        }
        int next = dense.size();
        dense.put(id, next);
        return next;
    }

    /** {@return how many ids were seen: every dense number is below it} */
    public int count() {
        return dense.size();
    }
}
