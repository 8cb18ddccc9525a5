package io.github.alloclab.cli;

/** How a command prints its results. */
public enum OutputFormat {
    /** A table for people. */
    table,
    /** A JSON array for tools. */
    json,
    /** CSV with a header row, for spreadsheets. */
    csv,
    /** GitHub-flavoured Markdown tables, for reports and issues. */
    markdown
}
