package io.github.alloclab.cli;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.elf.SizeReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab size}: GNU binutils' {@code size}, byte for byte. */
@Command(name = "size",
        header = "Section sizes of ELF files, as GNU size prints them.", mixinStandardHelpOptions = true,
        description = {"List section sizes and the total, as GNU binutils' size does: text, data and bss in",
                "the Berkeley format, or every section with its address in the SysV format (-A)."})
final class SizeCommand implements Callable<Integer> {

    @Option(names = "-A", description = "SysV format: each section's size and address, and a total.")
    boolean sysv;

    @Option(names = "-B", description = "Berkeley format (the default): text data bss dec hex filename.")
    boolean berkeley;

    @Option(names = "--format", paramLabel = "FORMAT", description = "berkeley or sysv, as -B or -A.")
    String format;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "ELF files (executables, shared objects, objects).")
    List<Path> files = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<ElfFile> elves = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            elves.add(ElfFile.parse(file.toString(), ProcessMixin.read(file)));
            names.add(file.toString());
        }
        if (format != null) {
            switch (format.toLowerCase(java.util.Locale.ROOT)) {
                case "sysv", "s" -> sysv = true;
                case "berkeley", "b" -> berkeley = true;
                default -> throw new IllegalArgumentException("--format is berkeley or sysv, not '" + format + "'");
            }
        }
        var out = spec.commandLine().getOut();
        if (sysv && !berkeley) {
            for (int i = 0; i < elves.size(); i++) {
                out.print(SizeReport.sysvFormat(elves.get(i), names.get(i)));
            }
        } else {
            out.print(SizeReport.berkeleyFormat(elves, names));
        }
        out.flush();
        return 0;
    }
}
