package io.github.alloclab.stack;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.github.alloclab.testing.Fuzz;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Feeds random text and mutated example programs to the mini-C parser, type checker, compiler and stack
 * machine, then draws the run. Each may run the program (a memory fault is a result, not an error) or reject it
 * with a {@link CSyntaxException} or a {@link CRuntimeError}; any other exception, or a run past
 * {@link Fuzz#DEADLINE}, fails with the program shown.
 */
class CFuzzProperties {

    private static final List<String> EXAMPLES = List.of("classic.c", "fact.c", "for.c", "forever.c", "globals.c",
            "many.c", "smash.c");
    private static final List<String> SAMPLES = samples();
    /** A small stack and step budget, so that a program that recurses or loops for ever ends fast. */
    private static final StackSimulator.Options SMALL = new StackSimulator.Options(Convention.SYSV, 64 * 1024,
            20_000, 40, 4);

    private static List<String> samples() {
        List<String> samples = new ArrayList<>();
        try {
            for (String name : EXAMPLES) {
                samples.add(Files.readString(Path.of("..", "docs", "examples", name)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        samples.add(CParserTest.CLASSIC);
        return samples;
    }

    static void exercise(String source, Convention convention) {
        StackSimulator.Options options = new StackSimulator.Options(convention, SMALL.stackLimit(), SMALL.maxSteps(),
                SMALL.shownSteps(), SMALL.shownFrames());
        Fuzz.expectOnlyTyped(source, e -> e instanceof CSyntaxException || e instanceof CRuntimeError, () -> {
            StackRun run = StackSimulator.run("fuzz.c", source, options);
            StackView.print(run, new PrintWriter(new StringWriter()), () -> { });
            StackJson.write(run);
        });
    }

    @Test
    void mutatedProgramsGetOnlyTheTypedErrors() {
        qt().withFixedSeed(Fuzz.seed(0xC0DE)).withExamples(Fuzz.examples(1000)).withShrinkCycles(300)
                .forAll(integers().between(0, SAMPLES.size() - 1), integers().between(0, 1), Fuzz.editLists(5))
                .checkAssert((which, convention, edits) -> exercise(Fuzz.mutate(SAMPLES.get(which), edits),
                        Convention.values()[convention]));
    }

    @Test
    void randomTextGetsOnlyTheTypedErrors() {
        qt().withFixedSeed(Fuzz.seed(0xC7E7)).withExamples(Fuzz.examples(1000))
                .forAll(Fuzz.randomText("int main(void){return x=1+2*3;}long char*&[]/%-<>!=,'\"\\ab09#\n", 120),
                        integers().between(0, 1))
                .checkAssert((text, convention) -> exercise(text, Convention.values()[convention]));
    }
}
