/** An example program that allocates its off-heap data with an alloclab allocator. */
module io.github.alloclab.examples.consumer {
    requires io.github.alloclab.allocators;
    exports io.github.alloclab.examples.consumer;
}
