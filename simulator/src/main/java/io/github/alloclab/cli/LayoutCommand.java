package io.github.alloclab.cli;

import io.github.alloclab.elf.ElfFile;
import io.github.alloclab.elf.SizeReport;
import io.github.alloclab.files.InputFiles;
import io.github.alloclab.layout.DeclarationException;
import io.github.alloclab.layout.DeclaredProgram;
import io.github.alloclab.layout.LayoutView;
import io.github.alloclab.layout.SyntheticElf;
import io.github.alloclab.process.Abi;
import io.github.alloclab.process.SimulatedProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab layout}: the process drawn from high addresses to low. */
@Command(name = "layout",
        header = "Draw a process's address space from high addresses to low.", mixinStandardHelpOptions = true,
        description = {"Draw a process's address space from high addresses to low: argv and envp, the stack,",
                "the gap, the mmap area, the heap, bss, data, rodata, text and the NULL region, with real",
                "addresses and sizes. Give an executable, or --declare a file of C globals, such as",
                "  int a, b, c;  double d = 3.14;  char ch = 'x';  const char s[] = \"hi\";",
                "to see where each goes (data, bss or rodata), with C's sizes, alignment and padding."},
        footer = {"", "Examples: alloclab layout ./prog --sbrk 64K",
                "          alloclab layout --declare globals.c"})
final class LayoutCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The executable (or use --declare).")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    @Option(names = "--declare", paramLabel = "GLOBALS",
            description = "A file of C global declarations: build a synthetic program from it instead.")
    Path declare;

    @Option(names = "--i386", description = "With --declare: an i386 (ILP32) program instead of x86-64 (LP64).")
    boolean i386;

    @Option(names = "--no-pie", description = "With --declare: a fixed-address executable at 0x400000, not a PIE.")
    boolean noPie;

    @Option(names = "--emit", paramLabel = "OUT",
            description = "With --declare: also write the synthetic ELF file, for size, readelf or objdump.")
    Path emit;

    @Mixin
    ProcessMixin process;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (declare != null) {
            if (file != null) {
                throw new IllegalArgumentException("give either an executable or --declare, not both");
            }
            DeclaredProgram program;
            try {
                program = DeclaredProgram.parse(InputFiles.readText(declare), i386 ? Abi.I386 : Abi.X86_64);
            } catch (DeclarationException e) {
                throw new IllegalArgumentException(declare + ":" + e.line() + ": " + e.problem(), e);
            }
            byte[] image = SyntheticElf.write(program, !noPie);
            String name = declare.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            if (emit != null) {
                try {
                    Files.write(emit, image);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + emit + ": " + e.getMessage(), e);
                }
            }
            out.print(LayoutView.globals(program));
            out.println();
            out.print(SizeReport.berkeleyFormat(List.of(ElfFile.parse(name, image)), List.of(name)));
            out.println();
            try (SimulatedProcess p = process.start(name, image, args)) {
                out.print(LayoutView.draw(p));
            }
        } else {
            if (file == null) {
                throw new IllegalArgumentException("give an executable, or --declare GLOBALS (see 'alloclab layout --help')");
            }
            try (SimulatedProcess p = process.start(file, args)) {
                out.print(LayoutView.draw(p));
            }
        }
        out.flush();
        return 0;
    }
}
