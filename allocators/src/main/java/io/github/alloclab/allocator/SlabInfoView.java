package io.github.alloclab.allocator;

import java.util.List;

/** An allocator built of object caches, which can show them as {@code /proc/slabinfo} does. */
public interface SlabInfoView {

    /** {@return one line per cache, newest cache first, as the kernel lists them} */
    List<SlabInfo> slabInfo();
}
