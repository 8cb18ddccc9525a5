package io.github.alloclab.stack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a program of the C subset under a calling convention and reports its steps: the entry point of the
 * stack-frame simulator.
 *
 * {@snippet :
 * StackRun run = StackSimulator.run("classic.c", source, StackSimulator.Options.of(Convention.CDECL));
 * run.exitCode();                  // 30
 * run.steps().getFirst().event();  // "xor ebp, ebp"
 * }
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Parse ({@link CParser}) and check ({@link TypeChecker}); errors carry a line and column.</li>
 *   <li>Compile for the convention ({@link Compiler}): frame layouts, prologues, calling sequences.</li>
 *   <li>Link into an ELF executable and load it into a fresh simulated process ({@link ProgramImage}).</li>
 *   <li>Run on the {@link StackMachine}, keeping a picture of the steps asked for. A run of more steps than
 *       {@link Options#shownSteps} keeps the first half and the last half of that many: since a run is
 *       deterministic, a first pass counts the steps and a second, in a fresh process, keeps the ones wanted,
 *       so a million-frame overflow costs two runs, not a million pictures.</li>
 * </ol>
 */
public final class StackSimulator {

    private StackSimulator() {
    }

    /**
     * How to run.
     *
     * @param convention  the calling convention
     * @param stackLimit  {@code ulimit -s} in bytes: a multiple of 4 KiB
     * @param maxSteps    the most steps to run before giving up on a program that may never end
     * @param shownSteps  the most steps to keep: the first half and the last half of a longer run
     * @param shownFrames the most frames in a picture or backtrace: the innermost, and {@code main}
     */
    public record Options(Convention convention, long stackLimit, long maxSteps, int shownSteps, int shownFrames) {

        /** The default {@code ulimit -s}: 8 MiB. */
        public static final long DEFAULT_STACK_LIMIT = 8L << 20;
        /** Enough for any overflow of an 8 MiB stack, and a loop of a few million rounds. */
        public static final long DEFAULT_MAX_STEPS = 20_000_000;
        public static final int DEFAULT_SHOWN_STEPS = 400;
        public static final int DEFAULT_SHOWN_FRAMES = 8;

        public Options {
            if (stackLimit < 4096 || stackLimit % 4096 != 0 || stackLimit > 1L << 30) {
                throw new IllegalArgumentException(
                        "the stack limit must be a multiple of 4 KiB from 4 KiB to 1 GiB, not " + stackLimit);
            }
            if (maxSteps < 1 || shownSteps < 2 || shownFrames < 2) {
                throw new IllegalArgumentException("at least 1 step to run, 2 to show and 2 frames to show");
            }
        }

        /** {@return the defaults for a convention} */
        public static Options of(Convention convention) {
            return new Options(convention, DEFAULT_STACK_LIMIT, DEFAULT_MAX_STEPS, DEFAULT_SHOWN_STEPS,
                    DEFAULT_SHOWN_FRAMES);
        }
    }

    /**
     * Parses, checks and runs {@code source}.
     *
     * @param file the file's name, for messages
     * @throws CSyntaxException if the program is not in the subset, at its line and column
     * @throws CRuntimeError    if it divides by zero, or runs more than {@code maxSteps} steps
     */
    public static StackRun run(String file, String source, Options options) {
        CheckedProgram program = TypeChecker.parse(file, source);
        Compiler.Code code = Compiler.compile(program, options.convention());
        String execPath = "./" + baseName(file);
        List<Step> kept = new ArrayList<>();
        int limit = options.shownSteps();
        StackMachine.Result first;
        StackRun.Layout layout;
        try (ProgramImage image = ProgramImage.load(code, execPath, options.stackLimit())) {
            layout = layout(program, code, image, options, execPath);
            first = new StackMachine(code, image, options.shownFrames(), options.maxSteps())
                    .run(n -> n <= limit, kept::add);
        }
        if (first.totalSteps() > limit) {
            // Keep the first and the last half: run again, deterministically, in a fresh process.
            long head = limit / 2;
            long tail = first.totalSteps() - (limit - head);
            kept.clear();
            try (ProgramImage image = ProgramImage.load(code, execPath, options.stackLimit())) {
                StackMachine.Result second = new StackMachine(code, image, options.shownFrames(), options.maxSteps())
                        .run(n -> n <= head || n > tail, kept::add);
                if (second.totalSteps() != first.totalSteps()) {
                    throw new IllegalStateException("a second run took %d steps, the first %d"
                            .formatted(second.totalSteps(), first.totalSteps()));
                }
                first = second;
            }
        }
        return new StackRun(file, options.convention(), List.copyOf(kept), first.totalSteps(), first.fault(),
                first.exitCode(), layout);
    }

    private static StackRun.Layout layout(CheckedProgram program, Compiler.Code code, ProgramImage image, Options options,
                                          String execPath) {
        List<StackRun.GlobalPlacement> globals = new ArrayList<>();
        boolean lp64 = options.convention().lp64();
        for (CheckedProgram.GlobalInfo g : program.globals()) {
            Variable v = g.variable();
            globals.add(new StackRun.GlobalPlacement(v.name(), v.type().toString(), image.globalAddress(v),
                    v.type().size(lp64), image.globalSection(v)));
        }
        var stack = image.process().stack();
        // Linux's stack_guard_gap: 256 pages.
        long guardGap = 256L * image.process().memory().pageSize();
        Map<Long, String> returnSites = new LinkedHashMap<>();
        List<Instr> instructions = code.code();
        for (int i = 0; i + 1 < instructions.size(); i++) {
            if (instructions.get(i).op == Instr.Op.CALL) {
                Instr call = instructions.get(i);
                returnSites.put(image.address(i + 1), call.function == 0 ? "_start"
                        : code.function(call.function).name() + ":" + call.line);
            }
        }
        return new StackRun.Layout(execPath, image.textStart(), stack.top(), options.stackLimit(), guardGap,
                stack.pointer(), List.copyOf(globals), Collections.unmodifiableMap(returnSites));
    }

    private static String baseName(String file) {
        String name = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        return name.endsWith(".c") ? name.substring(0, name.length() - 2) : name;
    }
}
