package io.github.alloclab.generate;

import io.github.alloclab.trace.TraceOp;
import java.util.List;

/**
 * Makes a synthetic trace, deterministically: the same settings (seed included) give the same operations.
 * Each implementation's javadoc says what workload it models and which settings it reads.
 */
public interface TraceGenerator {

    /** {@return the operations, ids allocated in order 0, 1, 2, ...; each free and realloc names a live block} */
    List<TraceOp> generate(GeneratorSettings settings);
}
