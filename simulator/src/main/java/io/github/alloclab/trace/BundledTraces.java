package io.github.alloclab.trace;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The real traces that ship inside alloclab, recorded from unmodified Linux programs (Debian 12, glibc 2.36,
 * x86-64) with an {@code LD_PRELOAD} recorder.
 *
 * <pre>
 *  trace              program                                   ops     peak live payload
 *  find_doc_gz.rep    find /usr/share/doc -name '*.gz'          25,106        285,494 B
 *  git_log_stat.rep   git log --stat (400 commits)              56,077        733,607 B
 *  tsort_dag.rep      tsort on a 50,000-edge graph              98,912      2,422,252 B
 * </pre>
 */
public final class BundledTraces {

    private static final List<String> NAMES = List.of("find_doc_gz.rep", "git_log_stat.rep", "tsort_dag.rep");

    private BundledTraces() {
    }

    /** {@return the names of the bundled traces} */
    public static List<String> names() {
        return NAMES;
    }

    /** {@return every bundled trace} */
    public static List<TraceSource> all() {
        return NAMES.stream().map(name -> find(name).orElseThrow()).toList();
    }

    /** {@return the bundled trace of that file name, if there is one} */
    public static Optional<TraceSource> find(String name) {
        if (!NAMES.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(new TraceSource(name, () -> open(name)));
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = BundledTraces.class.getResourceAsStream("bundled/" + name);
        if (in == null) {
            throw new IOException("bundled trace " + name + " is missing from the alloclab jar");
        }
        return in;
    }
}
