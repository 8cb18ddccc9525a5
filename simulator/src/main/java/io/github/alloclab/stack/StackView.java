package io.github.alloclab.stack;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text view of a run: one line per step with the registers after it, and at each completed call and
 * return a picture of the stack, gdb's {@code bt} and an {@code x/8wx $esp} dump.
 *
 * <pre>
 *           address      value       label
 *                      +------------+ #0 foo (a=10, b=20)
 *           0xffffdfc0 |         20 | b
 *           0xffffdfbc |         10 | a
 *           0xffffdfb8 | 0x0804904c | return address  -&gt; main:9
 *           0xffffdfb4 | 0xffffdfc8 | saved ebp       &lt;- ebp
 *           0xffffdfb0 |         30 | c               &lt;- esp
 *                      +------------+
 * </pre>
 * Rows run from high addresses to low, one per slot; frames are numbered as gdb numbers them.
 */
public final class StackView {

    private static final String INDENT = "      ";

    private final StackRun run;
    private final PrintWriter out;
    private final Convention convention;
    private final int stepWidth;

    private StackView(StackRun run, PrintWriter out) {
        this.run = run;
        this.out = out;
        this.convention = run.convention();
        this.stepWidth = Math.max(2, Long.toString(run.totalSteps() + 1).length());
    }

    /**
     * Prints the whole run; {@code pause} runs after each step (for {@code --step}).
     */
    public static void print(StackRun run, PrintWriter out, Runnable pause) {
        new StackView(run, out).print(pause);
    }

    private void print(Runnable pause) {
        header();
        long previous = 0;
        for (Step step : run.steps()) {
            if (step.step() != previous + 1) {
                long hidden = step.step() - previous - 1;
                out.printf(Locale.ROOT, "%n%s... %,d step%s not shown (--steps shows more) ...%n%n", INDENT, hidden,
                        hidden == 1 ? "" : "s");
            }
            step(step);
            previous = step.step();
            out.flush();
            pause.run();
        }
        if (run.totalSteps() > previous) {
            long hidden = run.totalSteps() - previous;
            out.printf(Locale.ROOT, "%n%s... %,d step%s not shown ...%n", INDENT, hidden, hidden == 1 ? "" : "s");
        }
        footer();
        out.flush();
    }

    private void header() {
        StackRun.Layout layout = run.layout();
        out.printf(Locale.ROOT, "alloclab stack: %s as %s, %s%n", run.file(), layout.execPath(), convention.title());
        if (convention == Convention.CDECL) {
            out.println("  the caller pushes the arguments right to left and pops them after the call;"
                    + " the result comes back in eax; 4-byte slots");
        } else {
            out.println("  the first six arguments go in rdi, rsi, rdx, rcx, r8, r9, the rest are pushed;"
                    + " rsp is 16-byte aligned at each call; the result comes back in rax; 8-byte slots");
        }
        long lowest = layout.stackTop() - layout.stackLimit();
        out.printf(Locale.ROOT, "  [stack] ends at %s; ulimit -s %,d KiB lets it grow down to %s;"
                        + " the %,d KiB below are the guard gap%n", hex(layout.stackTop()), layout.stackLimit() >> 10,
                hex(lowest), layout.guardGap() >> 10);
        if (layout.globals().isEmpty()) {
            out.println("  globals: none");
        } else {
            StringBuilder text = new StringBuilder("  globals:");
            for (StackRun.GlobalPlacement g : layout.globals()) {
                text.append(' ').append(g.name()).append(" (").append(g.type()).append(") at ")
                        .append(hex(g.address())).append(" in ").append(g.section()).append(';');
            }
            text.setLength(text.length() - 1);
            out.println(text);
        }
        out.printf(Locale.ROOT, "  registers are shown after each step; %s is the source line it points into%n%n",
                convention.ip());
    }

    private void step(Step step) {
        stepLine(step);
        if (step.marker() != Step.Marker.NONE) {
            picture(step);
        }
    }

    private void stepLine(Step step) {
        Map<String, Long> r = step.registers();
        String where = step.function().equals("_start") ? "_start" : step.function() + ":" + step.line();
        out.printf(Locale.ROOT, "%" + stepWidth + "d  %-12s %-30s %s=%s %s=%s %s=%d %s=%s%n", step.step(), where,
                step.event(), convention.bp(), hex(r.get(convention.bp())), convention.sp(),
                hex(r.get(convention.sp())), convention.ip(), r.get(convention.ip()), convention.ax(),
                step.axIsAddress() ? hex(r.get(convention.ax())) : Long.toString(r.get(convention.ax())));
    }

    /** The stack picture, {@code bt} and {@code x/8wx}, for a marker step or a fault. */
    private void picture(Step step) {
        out.println();
        out.println(INDENT + step.note() + ":");
        List<Slot> slots = step.stack();
        long bp = step.registers().get(convention.bp());
        long sp = step.registers().get(convention.sp());
        int valueWidth = 10;
        for (Slot s : slots) {
            valueWidth = Math.max(valueWidth, value(s).length());
        }
        int addressWidth = Math.max(10, hex(run.layout().stackTop()).length());
        String rule = " ".repeat(addressWidth + 1) + "+" + "-".repeat(valueWidth + 2) + "+";
        out.printf(Locale.ROOT, "%s%" + addressWidth + "s  %-" + (valueWidth + 2) + "s  %s%n", INDENT, "address",
                "  value", "label");
        out.println(INDENT + " ".repeat(addressWidth + 2) + "  " + hex(run.layout().initialSp()) + " and up: argc, argv, envp, auxv (execve)");
        Integer frame = null;
        boolean spShown = false;
        boolean bpShown = bp == 0;
        for (Slot s : slots) {
            if (frame == null || s.frame() != frame) {
                frame = s.frame();
                String title = frameTitle(step, s.frame());
                out.println(INDENT + rule + (title.isEmpty() ? "" : " " + title));
            }
            StringBuilder label = new StringBuilder(s.label());
            if (s.pendingCall() != null && s.frame() != Slot.NEXT_FRAME) {
                label.append(" (for ").append(s.pendingCall()).append(", not called yet)");
            }
            if (s.label().equals("return address") && s.value() != null) {
                String site = run.layout().returnSites().get(s.value());
                label.append(" ".repeat(Math.max(1, 16 - label.length()))).append("-> ")
                        .append(site == null ? "?? (not a return site)" : site);
            }
            StringBuilder arrows = new StringBuilder();
            if (s.frame() != Slot.SUMMARY && bp == s.address()) {
                arrows.append(convention.bp());
                bpShown = true;
            }
            if (s.frame() != Slot.SUMMARY && sp == s.address()) {
                arrows.append(arrows.isEmpty() ? "" : ", ").append(convention.sp());
                spShown = true;
            }
            if (!arrows.isEmpty()) {
                label.append(" ".repeat(Math.max(1, 28 - label.length()))).append("<- ").append(arrows);
            }
            out.printf(Locale.ROOT, "%s%" + addressWidth + "s | %" + valueWidth + "s | %s%n", INDENT,
                    s.frame() == Slot.SUMMARY ? "" : hex(s.address()), value(s), label);
        }
        out.println(INDENT + rule);
        if (!spShown) {
            out.printf(Locale.ROOT, "%s%" + addressWidth + "s   %s%n", INDENT, hex(sp), "<- " + convention.sp());
        }
        if (!bpShown) {
            out.printf(Locale.ROOT, "%s%s = %s, outside the slots shown%n", INDENT, convention.bp(), hex(bp));
        }
        out.println(INDENT + "(gdb) bt");
        for (BacktraceFrame f : step.backtrace()) {
            out.println(INDENT + frameLine(f));
        }
        String examine = convention.lp64() ? "x/8gx $rsp" : "x/8wx $esp";
        out.println(INDENT + "(gdb) " + examine);
        List<Long> words = step.examine();
        int perLine = convention.lp64() ? 2 : 4;
        String format = convention.lp64() ? "0x%016x" : "0x%08x";
        for (int i = 0; i < words.size(); i += perLine) {
            StringBuilder line = new StringBuilder(hex(sp + (long) i * convention.word()) + ":");
            for (int j = i; j < Math.min(words.size(), i + perLine); j++) {
                line.append('\t').append(String.format(Locale.ROOT, format, words.get(j)));
            }
            out.println(INDENT + line);
        }
        if (step.examineError() != null) {
            out.println(INDENT + step.examineError());
        }
        out.println();
    }

    private String frameTitle(Step step, int frame) {
        if (frame == Slot.SUMMARY) {
            return "";
        }
        if (frame == Slot.NEXT_FRAME) {
            String callee = step.stack().stream().filter(s -> s.frame() == Slot.NEXT_FRAME && s.pendingCall() != null)
                    .map(Slot::pendingCall).findFirst().orElse(null);
            return callee == null ? "pushed for the next call" : "pushed for the call to " + callee;
        }
        for (BacktraceFrame f : step.backtrace()) {
            if (f.note() == null && f.number() == frame) {
                return "#" + frame + " " + (f.function() == null ? "??" : f.function() + " (" + f.arguments() + ")");
            }
        }
        return "#" + frame;
    }

    private String frameLine(BacktraceFrame f) {
        if (f.note() != null) {
            return f.note();
        }
        String where = f.line() > 0 ? " at %s:%d".formatted(run.file(), f.line()) : "";
        if (f.function() == null) {
            return "#%-2d %s in ?? ()".formatted(f.number(), hex(f.pc()));
        }
        if (f.number() == 0) {
            return "#0  %s (%s)%s".formatted(f.function(), f.arguments(), where);
        }
        return "#%-2d %s in %s (%s)%s".formatted(f.number(), hex(f.pc()), f.function(), f.arguments(), where);
    }

    private String value(Slot s) {
        if (s.frame() == Slot.SUMMARY) {
            return "...";
        }
        if (s.value() == null) {
            return "?";
        }
        return s.hex() ? hex(s.value()) : Long.toString(s.value());
    }

    private String hex(long value) {
        return convention.lp64() ? "0x%x".formatted(value) : "0x%08x".formatted(value);
    }

    private void footer() {
        Fault fault = run.fault();
        if (fault == null) {
            out.println();
            out.printf(Locale.ROOT, "exit status %d after %,d steps%n", run.exitCode(), run.totalSteps());
            return;
        }
        Step state = fault.state();
        stepLine(state);
        out.println();
        out.println("Program received signal SIGSEGV, Segmentation fault.");
        out.println(fault.kind() + ": " + fault.message());
        picture(state);
        out.printf(Locale.ROOT, "exit status %d (killed by SIGSEGV) after %,d steps%n", run.exitCode(),
                run.totalSteps());
    }
}
