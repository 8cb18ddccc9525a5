package io.github.alloclab.cli;

import io.github.alloclab.elf.SectionHeader;
import io.github.alloclab.layout.DeclaredProgram;
import io.github.alloclab.layout.LayoutView;
import io.github.alloclab.layout.SyntheticElf;
import io.github.alloclab.memory.SegmentationFault;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.memory.Vma;
import io.github.alloclab.process.Abi;
import io.github.alloclab.process.SimulatedProcess;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alloclab fault}: make a simulated process fault, and explain why. */
@Command(name = "fault",
        header = "Run a classic memory mistake and report the fault.", mixinStandardHelpOptions = true,
        description = {"Run one classic memory mistake in a simulated process and report the segmentation",
                "fault it causes, with the address, the access and the reason:",
                "  null    dereference a NULL pointer",
                "  text    write to the program's code",
                "  rodata  write to a string constant",
                "  brk     write past the break, beyond the heap's last page",
                "  stack   recurse without end until the stack hits its limit",
                "  nx      jump into the heap, which is not executable",
                "The program is a small built-in one, or the executable given."},
        footer = {"", "Example: alloclab fault null"})
final class FaultCommand implements Callable<Integer> {

    /** The built-in program: a few globals, so that there is data, bss and rodata to fault on. */
    static final String BUILT_IN = """
            const char banner[] = "alloclab";
            int counter;
            char buffer[100];
            @text 64
            """;

    enum Kind { NULL, TEXT, RODATA, BRK, STACK, NX }

    @Parameters(index = "0", paramLabel = "KIND", description = "null, text, rodata, brk, stack or nx.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "An executable (default: built in).")
    Path file;

    @Parameters(index = "2..*", paramLabel = "ARG", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    @Mixin
    ProcessMixin process;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Kind demo;
        try {
            demo = Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault '%s'; faults: null, text, rodata, brk, stack, nx".formatted(kind));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SimulatedProcess p = file != null ? process.start(file, args)
                : process.start("demo", SyntheticElf.write(DeclaredProgram.parse(BUILT_IN, Abi.X86_64), true), args)) {
            out.printf("program: %s (%s, loaded at 0x%x)%n", file == null ? "built-in demo" : file, p.abi(),
                    p.loadBias() + p.segments().getFirst().header().vaddr());
            run(demo, p, out);
        }
        out.flush();
        return 0;
    }

    private static void run(Kind demo, SimulatedProcess p, PrintWriter out) {
        SimulatedMemorySource memory = p.memory();
        try {
            switch (demo) {
                case NULL -> {
                    out.println("  int *p = NULL;");
                    out.println("  int x = *p;                          // load 4 bytes at 0x0");
                    memory.getInt(0);
                }
                case TEXT -> {
                    long main = p.entry();
                    out.println("  *(char *) main = 0x90;               // store to the code at 0x%x".formatted(main));
                    memory.putByte(main, (byte) 0x90);
                }
                case RODATA -> {
                    long target = rodata(p);
                    out.println("  char *s = (char *) banner;           // a string constant at 0x%x".formatted(target));
                    out.println("  s[0] = 'A';");
                    memory.putByte(target, (byte) 'A');
                }
                case BRK -> {
                    long start = memory.sbrk(100);
                    long pageEnd = (memory.brk() + memory.pageSize() - 1) & -memory.pageSize();
                    out.println("  char *p = sbrk(100);                 // p = 0x%x, the break is now 0x%x".formatted(start, memory.brk()));
                    out.println("  p[200] = 1;                          // past the break, but inside the heap's last page: no fault");
                    memory.putByte(start + 200, (byte) 1);
                    out.println("  p[%d] = 1;                         // 0x%x: the first byte beyond that page".formatted(pageEnd - start, pageEnd));
                    memory.putByte(pageEnd, (byte) 1);
                }
                case STACK -> {
                    out.println("  void f(void) { char frame[4096]; frame[0] = 1; f(); }   // no base case");
                    long sp = p.stack().pointer() & -16L;
                    long frames = 0;
                    try {
                        while (true) {
                            sp -= 4096;
                            memory.putByte(sp, (byte) 1);
                            frames++;
                        }
                    } finally {
                        Vma stack = memory.vmaAt(p.stack().top() - 1);
                        out.printf("  %,d frames of 4 KiB fitted; [stack] grew to %s%n", frames,
                                LayoutView.size(stack.byteSize()));
                    }
                }
                case NX -> {
                    long heap = memory.sbrk(64);
                    memory.putByte(heap, (byte) 0xc3); // ret
                    out.println("  char *code = sbrk(64); code[0] = 0xc3;    // ret, at 0x%x".formatted(heap));
                    out.println("  ((void (*)(void)) code)();           // fetch an instruction from the heap");
                    memory.fetchByte(heap);
                }
            }
            out.println("=> no fault");
        } catch (SegmentationFault fault) {
            out.printf("=> SIGSEGV (%s): %s%n", fault.reason().siCode(), fault.reason().description());
            out.println("   " + fault.getMessage());
            fault.vma().ifPresent(v -> out.println("   mapping: " + v.describe()));
        }
    }

    /** The address of the first byte of .rodata, or of the first read-only, non-executable mapping. */
    private static long rodata(SimulatedProcess p) {
        for (SectionHeader s : p.elf().sections()) {
            if (s.name().equals(".rodata") && s.size() > 0) {
                return s.addr() + p.loadBias();
            }
        }
        for (Vma v : p.vmas()) {
            if (v.isFileBacked() && v.permissions().startsWith("r--")) {
                return v.start();
            }
        }
        throw new IllegalArgumentException("the program has no read-only data to write to");
    }
}
