/**
 * JMH benchmarks of alloclab's allocators, beside native baselines reached through FFM downcalls. Run from
 * the shaded {@code bench/target/benchmarks.jar}, where this descriptor is left out and everything is on the
 * class path.
 */
module io.github.alloclab.bench {
    requires io.github.alloclab.simulator;
    requires com.fasterxml.jackson.databind;
    requires org.knowm.xchart;
    requires java.desktop;
    // jmh-core ships no module name; this is the name Java derives from its jar.
    requires jmh.core;
    // Nothing is exported: JMH runs the benchmarks from the shaded jar, on the class path.
}
