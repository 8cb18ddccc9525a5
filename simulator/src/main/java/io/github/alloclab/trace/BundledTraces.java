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
 *
 * One more sample ships in glibc's {@code mtrace} format: {@code ls_l_usr_share_doc.mtrace}, the log glibc's
 * own tracer wrote for {@code ls -l /usr/share/doc} (1,659 allocations, 844 frees, 3 reallocs; glibc's
 * {@code mtrace} script reports 815 blocks not freed). {@link #find} knows it, but it is not among the
 * {@link #names() default traces} that {@code compare} replays.
 */
public final class BundledTraces {

    private static final List<String> NAMES = List.of("find_doc_gz.rep", "git_log_stat.rep", "tsort_dag.rep");
    private static final List<String> SAMPLES = List.of("ls_l_usr_share_doc.mtrace");

    private BundledTraces() {
    }

    /** {@return the names of the bundled traces that {@code compare} replays by default} */
    public static List<String> names() {
        return NAMES;
    }

    /** {@return the names of every bundled trace: the default ones and the samples in other formats} */
    public static List<String> allNames() {
        return java.util.stream.Stream.concat(NAMES.stream(), SAMPLES.stream()).toList();
    }

    /** {@return every bundled trace} */
    public static List<TraceSource> all() {
        return NAMES.stream().map(name -> find(name).orElseThrow()).toList();
    }

    /** {@return the bundled trace of that file name, if there is one} */
    public static Optional<TraceSource> find(String name) {
        if (!NAMES.contains(name) && !SAMPLES.contains(name)) {
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
