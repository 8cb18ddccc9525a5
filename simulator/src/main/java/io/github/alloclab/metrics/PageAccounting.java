package io.github.alloclab.metrics;

/**
 * A memory source that counts its own resident pages and page faults, as a simulated source with page
 * tables does. When the memory source of a replayed allocator implements this, the replay reports these
 * figures; otherwise it reports the estimate of {@link TouchedPages}.
 */
public interface PageAccounting {

    /** {@return the bytes of mapped pages that are resident now} */
    long residentBytes();

    /** {@return the page faults taken since the source was made} */
    long pageFaults();
}
