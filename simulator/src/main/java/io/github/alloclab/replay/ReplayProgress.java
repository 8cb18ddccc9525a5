package io.github.alloclab.replay;

/** Hears how far a replay has got, for a progress bar. Calls come from the replaying thread. */
public interface ReplayProgress {

    /** Progress that nobody watches. */
    ReplayProgress NONE = new ReplayProgress() {
        @Override
        public void advanced(long ops) {
        }

        @Override
        public void phase(String what) {
        }
    };

    /** {@code ops} more operations of the checked pass are done. */
    void advanced(long ops);

    /** The replay moves on to another phase, such as "firstfit on tsort_dag.rep: timing". */
    void phase(String what);
}
