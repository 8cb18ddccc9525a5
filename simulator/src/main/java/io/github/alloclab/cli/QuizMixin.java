package io.github.alloclab.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --quiz} and {@code --solve}, for the commands that teach, as OSTEP's homework simulators hide their
 * answers until {@code -c}: with {@code --quiz} a command prints the question (the operations, the program, the
 * column headings) and a {@code ?} in place of each value it computed, so that the student predicts them;
 * {@code --solve} prints them. A command either prints {@code ?} itself, asking {@link #shows}, or has its
 * output masked by patterns that pick out the answers ({@link #mask}).
 */
final class QuizMixin {

    /** What stands in for a hidden answer. */
    static final String HIDDEN = "?";

    @Option(names = "--quiz", description = "Hide the answers: print ? in place of each computed value, to work out first.")
    boolean quiz;

    @Option(names = "--solve", description = "Show the answers (undoes --quiz).")
    boolean solve;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /**
     * Answers to hide: each capturing group of each match of {@code pattern} (found line by line) is replaced by
     * {@value #HIDDEN}, padded with spaces on the left to the same width if {@code keepWidth}, so that columns
     * stay aligned.
     */
    record Mask(Pattern pattern, boolean keepWidth) {

        static Mask compact(String regex) {
            return new Mask(Pattern.compile(regex), false);
        }

        static Mask aligned(String regex) {
            return new Mask(Pattern.compile(regex), true);
        }
    }

    /**
     * {@return whether to print the answers of a command that hides them by default and has its own flag that
     * shows them, as {@code freelist} has malloc.py's {@code -c}}: that flag is another name for {@code --solve}
     *
     * @param solveFlag whether the command's own flag was given
     * @param flag      that flag's name, for the error
     * @throws ParameterException for {@code --quiz} with {@code --solve} or the command's flag
     */
    boolean showsWith(boolean solveFlag, String flag) {
        if (quiz && (solve || solveFlag)) {
            throw new ParameterException(mixee.commandLine(), "--quiz hides the answers and %s shows them; choose one"
                    .formatted(solve ? "--solve" : flag));
        }
        return solve || solveFlag;
    }

    /**
     * {@return whether to hide the answers of a command that shows them by default}
     *
     * @throws ParameterException for {@code --quiz} with {@code --solve}
     */
    boolean hides() {
        if (quiz && solve) {
            throw new ParameterException(mixee.commandLine(), "--quiz hides the answers and --solve shows them; choose one");
        }
        return quiz;
    }

    /** {@return {@code value} as text, or {@value #HIDDEN} in a quiz} */
    String answer(Object value) {
        return hides() ? HIDDEN : String.valueOf(value);
    }

    /**
     * {@return {@code out} itself, or in a quiz a writer that masks the answers {@code masks} pick out of each
     * line before it reaches {@code out}}
     */
    PrintWriter mask(PrintWriter out, List<Mask> masks) {
        return hides() ? new PrintWriter(new MaskingWriter(out, masks)) : out;
    }

    /**
     * Fails on {@code --quiz} with a format for tools: a quiz is for people.
     *
     * @throws ParameterException if answers are to be hidden and {@code textual} is false
     */
    void requireText(boolean textual, String format) {
        if (hides() && !textual) {
            throw new ParameterException(mixee.commandLine(), "--quiz works with the text output only, not --format "
                    + format);
        }
    }
}
