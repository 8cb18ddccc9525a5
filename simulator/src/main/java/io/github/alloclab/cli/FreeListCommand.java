package io.github.alloclab.cli;

import static io.github.alloclab.freespace.PythonInt.option;

import io.github.alloclab.freespace.FreeSpaceOptions;
import io.github.alloclab.freespace.FreeSpaceSimulator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code alloclab freelist}: OSTEP's {@code malloc.py}, flag for flag and line for line, on a real allocator. */
@Command(name = "freelist",
        header = "OSTEP's malloc.py free-space simulator, flag for flag.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "OSTEP's free-space simulator, vm-freespace/malloc.py: the same flags, the same",
                "random operations and the same output, line for line, computed by alloclab's",
                "first-fit allocator on a fixed heap. Without -c each answer is a '?' to work",
                "out; -c prints them. --quiz and --solve, as in alloclab's other teaching",
                "commands, are the same as leaving -c out and giving it."},
        footer = {"",
                "Beyond malloc.py:",
                "  -p NEXT           next fit: each search resumes where the last one stopped.",
                "  --exact-coalesce  malloc.py's -C merges a freed block only with its",
                "                    neighbours in the free LIST, which is right for ADDRSORT",
                "                    alone: in other orders, blocks that touch in memory but",
                "                    not in the list stay apart. This flag merges with the",
                "                    neighbours in MEMORY, through boundary tags, in every",
                "                    order. It is off by default, so that the output is",
                "                    malloc.py's.",
                "  --picture         draws the heap after each operation: one character a",
                "                    byte (scaled above 100 bytes), the ptr[] index for",
                "                    allocated bytes, dots for free ones. It shows the answers.",
                "",
                "Each malloc.py byte is one 32-byte unit of the real heap, so that every block",
                "can hold the allocator's boundary tags and list links; addresses are shown",
                "in malloc.py's bytes.",
                "",
                "Examples:",
                "  ./alloclab freelist -n 10 -c          (python malloc.py -n 10 -c)",
                "  ./alloclab freelist -p FIRST -l SIZESORT- -C -c",
                "  ./alloclab freelist -A +20,+20,+20,-0,-1,-2 -l INSERT-FRONT -C -c \\",
                "      --exact-coalesce --picture"})
final class FreeListCommand implements Callable<Integer> {

    @Option(names = {"-s", "--seed"}, paramLabel = "SEED", defaultValue = "0", description = "the random seed (default: ${DEFAULT-VALUE})")
    String seed;

    @Option(names = {"-S", "--size"}, paramLabel = "HEAPSIZE", defaultValue = "100", description = "size of the heap (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = {"-b", "--baseAddr"}, paramLabel = "BASEADDR", defaultValue = "1000",
            description = "base address of heap (default: ${DEFAULT-VALUE})")
    String baseAddr;

    @Option(names = {"-H", "--headerSize"}, paramLabel = "HEADERSIZE", defaultValue = "0",
            description = "size of the header (default: ${DEFAULT-VALUE})")
    String headerSize;

    @Option(names = {"-a", "--alignment"}, paramLabel = "ALIGNMENT", defaultValue = "-1",
            description = "align allocated units to size; -1->no align")
    String alignment;

    @Option(names = {"-p", "--policy"}, paramLabel = "POLICY", defaultValue = "BEST",
            description = "list search (BEST, WORST, FIRST; alloclab adds NEXT)")
    String policy;

    @Option(names = {"-l", "--listOrder"}, paramLabel = "ORDER", defaultValue = "ADDRSORT",
            description = "list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, INSERT-BACK)")
    String listOrder;

    @Option(names = {"-C", "--coalesce"}, description = "coalesce the free list? (malloc.py's way: see below)")
    boolean coalesce;

    @Option(names = {"-n", "--numOps"}, paramLabel = "OPSNUM", defaultValue = "10",
            description = "number of random ops to generate (default: ${DEFAULT-VALUE})")
    String numOps;

    @Option(names = {"-r", "--range"}, paramLabel = "OPSRANGE", defaultValue = "10", description = "max alloc size (default: ${DEFAULT-VALUE})")
    String range;

    @Option(names = {"-P", "--percentAlloc"}, paramLabel = "OPSPALLOC", defaultValue = "50",
            description = "percent of ops that are allocs (default: ${DEFAULT-VALUE})")
    String percentAlloc;

    @Option(names = {"-A", "--allocList"}, paramLabel = "OPSLIST", defaultValue = "",
            description = "instead of random, list of ops (+10,-0,etc)")
    String allocList;

    @Option(names = {"-c", "--compute"}, description = "compute answers for me")
    boolean compute;

    @Option(names = "--exact-coalesce", description = "coalesce with the neighbours in memory, in every list order")
    boolean exactCoalesce;

    @Option(names = "--picture", description = "draw the heap after each operation (not with --quiz)")
    boolean picture;

    @Mixin
    QuizMixin quiz;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean answers = quiz.showsWith(compute, "-c");
        FreeSpaceOptions options = new FreeSpaceOptions(option("-s", seed), option("-S", size),
                option("-b", baseAddr), option("-H", headerSize), option("-a", alignment), policy, listOrder,
                coalesce, option("-n", numOps), option("-r", range), option("-P", percentAlloc), allocList, answers,
                exactCoalesce, picture && answers);
        try (FreeSpaceSimulator simulator = new FreeSpaceSimulator(options)) {
            simulator.run(spec.commandLine().getOut());
        }
        return 0;
    }
}
