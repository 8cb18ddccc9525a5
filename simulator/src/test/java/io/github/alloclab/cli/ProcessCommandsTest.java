package io.github.alloclab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.process.Golden;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process commands end to end through {@link AlloclabCommand#run}: output, exit codes, error lines. */
class ProcessCommandsTest {

    @TempDir
    Path dir;

    Path pie;

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AlloclabCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void writeBinary() throws IOException {
        pie = dir.resolve("pie64");
        Files.write(pie, Golden.binary("pie64"));
    }

    @Test
    void sizePrintsBinutilsFormats() {
        Run berkeley = run("size", pie.toString());
        assertThat(berkeley.exitCode()).isZero();
        assertThat(berkeley.out()).isEqualTo(Golden.text("pie64", "size").replace("pie64", pie.toString()));
        Run sysv = run("size", "-A", pie.toString());
        assertThat(sysv.out()).isEqualTo(Golden.text("pie64", "size-A").replaceFirst("pie64", pie.toString()));
    }

    @Test
    void mapsLoadsTheProgramAndGrowsItsHeap() {
        Run maps = run("maps", pie.toString(), "--sbrk", "5000", "--", "5000");
        assertThat(maps.exitCode()).isZero();
        assertThat(maps.out()).contains(
                "555555558000-555555559000 rw-p 00003000",
                "555555559000-555555569000 rw-p 00000000 00:00 0 \n",
                "555555569000-55555556b000 rw-p 00000000 00:00 0                          [heap]\n",
                "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n");
    }

    @Test
    void pmapShowsResidentMemoryAfterAnAllocatorRanInTheHeap() {
        Run pmap = run("pmap", pie.toString(), "--replay", "tsort_dag.rep", "-a", "firstfit");
        assertThat(pmap.exitCode()).as(pmap.err()).isZero();
        assertThat(pmap.out()).contains("Address           Kbytes     RSS   Dirty Mode  Mapping", "total kB", "minor faults");
        String heapLine = pmap.out().lines().filter(l -> l.startsWith("0000555555569000")).findFirst().orElseThrow();
        long rss = Long.parseLong(heapLine.trim().split("\\s+")[2]);
        assertThat(rss).as("the heap pages the trace touched are resident").isGreaterThan(0);
    }

    @Test
    void layoutDrawsHighToLowAndTheDeclaredFormShowsPadding() throws IOException {
        Run layout = run("layout", pie.toString());
        assertThat(layout.exitCode()).isZero();
        String out = layout.out();
        assertThat(out.indexOf("argv, envp, auxv")).isLessThan(out.indexOf("| stack"));
        assertThat(out.indexOf("| stack")).isLessThan(out.indexOf("| bss"));
        assertThat(out.indexOf("| bss")).isLessThan(out.indexOf("| text"));
        assertThat(out.indexOf("| text")).isLessThan(out.indexOf("NULL region"));

        Path globals = dir.resolve("globals.c");
        Files.writeString(globals, "char c = 1;\ndouble d = 2;\nint a, b, c2;\n");
        Run declared = run("layout", "--declare", globals.toString(), "--emit", dir.resolve("out.elf").toString());
        assertThat(declared.exitCode()).as(declared.err()).isZero();
        assertThat(declared.out()).contains(
                "  .data         8       8      8        7  double d = 2;",
                ".data       16 bytes = 9 of globals + 7 of alignment padding",
                ".bss        12 bytes = 12 of globals + 0 of alignment padding");
        assertThat(Files.size(dir.resolve("out.elf"))).isPositive();
        assertThat(run("size", dir.resolve("out.elf").toString()).out()).contains("\t     16\t     12\t");
    }

    @Test
    void faultDemosReportTheirReason() {
        assertThat(run("fault", "null").out()).contains("SIGSEGV (SEGV_MAPERR): NULL pointer dereference");
        assertThat(run("fault", "text").out()).contains("write to read-only memory", "r-xp text");
        assertThat(run("fault", "rodata", pie.toString()).out()).contains("r--p rodata");
        assertThat(run("fault", "brk").out()).contains("no fault", "past the break").doesNotContain("=> no fault");
        assertThat(run("fault", "stack", "--stack-limit", "1M").out())
                .contains("stack overflow (stack guard hit)", "past its limit of 1024 KiB");
        assertThat(run("fault", "nx").out()).contains("execute from non-executable memory");
    }

    @Test
    void readelfListsSegmentsAndTheirSections() {
        Run readelf = run("readelf", pie.toString());
        assertThat(readelf.out()).contains("[Requesting program interpreter: /lib64/ld-linux-x86-64.so.2]",
                "GNU_RELRO", ".init_array .fini_array .dynamic .got");
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not an executable\n");
        for (Run r : new Run[] {run("size", text.toString()), run("maps", dir.resolve("missing").toString()),
                run("fault", "bogus"), run("layout"), run("maps", pie.toString(), "--sbrk", "lots")}) {
            assertThat(r.exitCode()).as(r.err()).isEqualTo(AlloclabCommand.EXIT_USAGE);
            assertThat(r.err().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("alloclab: ").doesNotContain("Exception");
        }
        assertThat(run("size", text.toString()).err()).contains("not an ELF file");
    }
}
