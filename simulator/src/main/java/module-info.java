/**
 * The lab: malloc traces, replay with integrity checks, metrics, reports, and the {@code alloclab} CLI.
 * Depends on the allocators module; knows nothing of benchmarks.
 */
module io.github.alloclab.simulator {
    requires transitive io.github.alloclab.allocators;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.csv;
    // freva's ascii-table ships no module name; this is the name Java derives from its jar.
    requires ascii.table;
    requires me.tongfei.progressbar;
    // XChart draws the report's plots through AWT (headless).
    requires org.knowm.xchart;
    requires java.desktop;

    exports io.github.alloclab.trace;
    exports io.github.alloclab.replay;
    exports io.github.alloclab.metrics;
    exports io.github.alloclab.generate;
    exports io.github.alloclab.record;
    exports io.github.alloclab.cli;
    exports io.github.alloclab.elf;
    exports io.github.alloclab.process;
    exports io.github.alloclab.layout;
    exports io.github.alloclab.stack;
    exports io.github.alloclab.freespace;
    exports io.github.alloclab.report;

    opens io.github.alloclab.cli to info.picocli, com.fasterxml.jackson.databind;
    opens io.github.alloclab.replay to com.fasterxml.jackson.databind;
    opens io.github.alloclab.metrics to com.fasterxml.jackson.databind;
}
