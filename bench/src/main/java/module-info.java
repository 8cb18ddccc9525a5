/**
 * JMH benchmarks of alloclab's allocators, beside native baselines reached through FFM downcalls. Run from
 * the shaded {@code bench/target/benchmarks.jar}, where this descriptor is left out and everything is on the
 * class path.
 */
module io.github.alloclab.bench {
    requires io.github.alloclab.allocators;
    // jmh-core ships no module name; this is the name Java derives from its jar.
    requires jmh.core;

    exports io.github.alloclab.bench;
}
