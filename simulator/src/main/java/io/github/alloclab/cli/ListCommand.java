package io.github.alloclab.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.github.alloclab.registry.AllocatorRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alloclab list}: the registered allocators. */
@Command(name = "list",
        header = "List the registered allocators and their settings.", mixinStandardHelpOptions = true,
        description = "List the registered allocators, with their settings and defaults.")
final class ListCommand implements Callable<Integer> {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json, csv or markdown (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Spec
    CommandSpec spec;

    /** One allocator as {@code list --format json} prints it. */
    record Entry(String name, String description, Map<String, Object> settings) {
    }

    @Override
    public Integer call() {
        List<Entry> entries = AllocatorRegistry.standard().specs().stream()
                .map(s -> new Entry(s.name(), s.description(), s.settings()))
                .toList();
        var out = spec.commandLine().getOut();
        switch (format) {
            case json -> out.println(Output.json(entries));
            case csv -> out.print(Output.csv(entries.stream()
                    .map(e -> new Object[] {e.name(), e.description(), settingsText(e.settings())}).toList(),
                    "name", "description", "settings"));
            case markdown -> out.print(new Columns<Entry>(Columns.left("allocator", Entry::name),
                    Columns.left("description", Entry::description),
                    Columns.left("settings (defaults)", e -> settingsText(e.settings()))).markdown(entries));
            case table -> out.println(AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, entries, List.of(
                    new Column().header("allocator").dataAlign(HorizontalAlign.LEFT).with(Entry::name),
                    new Column().header("description").maxWidth(60).dataAlign(HorizontalAlign.LEFT)
                            .with(Entry::description),
                    new Column().header("settings (defaults)").maxWidth(40).dataAlign(HorizontalAlign.LEFT)
                            .with(e -> settingsText(e.settings())))));
        }
        out.flush();
        return 0;
    }

    private static String settingsText(Map<String, Object> settings) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
