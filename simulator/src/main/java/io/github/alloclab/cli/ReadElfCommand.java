package io.github.alloclab.cli;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.elf.ReadElfReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab readelf}: the headers of an ELF file. */
@Command(name = "readelf",
        header = "Summarise an ELF file's headers and sections, as readelf does.", mixinStandardHelpOptions = true,
        description = {"Summarise an ELF file as readelf -h -l -S -W does: the file header, the program",
                "headers (segments) with the sections each holds, and the section headers."})
final class ReadElfCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "An ELF file.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(ReadElfReport.format(ElfFile.parse(file.toString(), ProcessMixin.read(file))));
        out.flush();
        return 0;
    }
}
