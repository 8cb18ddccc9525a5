package io.github.alloclab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.memory.Vma;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StackSimulatorTest {

    /** The lesson's examples, which the golden outputs and the docs share. */
    static String example(String name) {
        try {
            return Files.readString(Path.of("..", "docs", "examples", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StackRun run(String source, Convention convention) {
        return StackSimulator.run("t.c", source, StackSimulator.Options.of(convention));
    }

    static StackRun run(String source, Convention convention, long stackLimit) {
        return StackSimulator.run("t.c", source, new StackSimulator.Options(convention, stackLimit,
                StackSimulator.Options.DEFAULT_MAX_STEPS, 400, 8));
    }

    static Step step(StackRun run, Predicate<Step> which) {
        return run.steps().stream().filter(which).findFirst().orElseThrow();
    }

    static List<Slot> frame(Step step, int number) {
        return step.stack().stream().filter(s -> s.frame() == number).toList();
    }

    static long register(Step step, String name) {
        return step.registers().get(name);
    }

    // ---- the classic example ------------------------------------------------------------------------------

    @Test
    void cdeclFrameOfFooReadsArgumentsReturnAddressSavedEbpAndLocal() {
        StackRun run = run(example("classic.c"), Convention.CDECL);
        Step inFoo = step(run, s -> s.event().equals("int c = a + b"));
        assertThat(inFoo.function()).isEqualTo("foo");
        List<Slot> foo = frame(inFoo, 0);
        assertThat(foo).extracting(Slot::label).containsExactly("b", "a", "return address", "saved ebp", "c");
        assertThat(foo).extracting(Slot::size).containsOnly(4L);
        assertThat(foo.get(0).value()).isEqualTo(20);
        assertThat(foo.get(1).value()).isEqualTo(10);
        assertThat(foo.get(4).value()).isEqualTo(30);
        for (int i = 1; i < foo.size(); i++) {
            assertThat(foo.get(i).address()).as("slot %d is just below the one above", i)
                    .isEqualTo(foo.get(i - 1).address() - 4);
        }
        // ebp holds the address of the saved ebp, which holds main's ebp; esp is at c.
        assertThat(register(inFoo, "ebp")).isEqualTo(foo.get(3).address());
        assertThat(register(inFoo, "esp")).isEqualTo(foo.get(4).address());
        Step inMain = step(run, s -> s.event().equals("push 20"));
        assertThat(foo.get(3).value()).isEqualTo(register(inMain, "ebp"));
        // The return address is the instruction after main's call.
        assertThat(run.layout().returnSites().get(foo.get(2).value())).isEqualTo("main:8");
        // The arguments sit right above main's frame: b is where push 20 left esp.
        assertThat(foo.get(0).address()).isEqualTo(register(inMain, "esp"));

        Step back = step(run, s -> s.event().equals("int x = foo(10, 20)"));
        assertThat(back.function()).isEqualTo("main");
        assertThat(register(back, "eax")).isEqualTo(30);
        assertThat(run.exitCode()).isEqualTo(30);
        assertThat(run.fault()).isNull();
    }

    @Test
    void cdeclCallingSequenceIsPushRightToLeftCallPrologueThenCallerPops() {
        StackRun run = run(example("classic.c"), Convention.CDECL);
        List<String> events = run.steps().stream().map(Step::event).toList();
        int push = events.indexOf("push 20");
        assertThat(events.subList(push, push + 6))
                .containsExactly("push 20", "push 10", "call foo", "push ebp", "mov ebp, esp", "sub esp, 4");
        int ret = events.indexOf("return c");
        assertThat(events.subList(ret, ret + 5))
                .containsExactly("return c", "leave", "ret", "add esp, 8", "int x = foo(10, 20)");
        Step call = run.steps().get(push + 2);
        Step beforePushes = run.steps().get(push - 1);
        assertThat(register(call, "esp")).isEqualTo(register(beforePushes, "esp") - 12);
        assertThat(register(call, "eip")).as("eip points into foo after the call").isEqualTo(2);
        Step pop = run.steps().get(ret + 3);
        assertThat(register(pop, "esp")).as("after add esp, 8 the stack is as before the pushes")
                .isEqualTo(register(beforePushes, "esp"));
        assertThat(pop.marker()).isEqualTo(Step.Marker.RETURN);
    }

    @Test
    void sysvPassesArgumentsInRegistersAndSpillsThemBelowTheSavedRbp() {
        StackRun run = run(example("classic.c"), Convention.SYSV);
        List<String> events = run.steps().stream().map(Step::event).toList();
        int mov = events.indexOf("mov esi, 20");
        assertThat(events.subList(mov, mov + 8)).containsExactly("mov esi, 20", "mov edi, 10", "call foo",
                "push rbp", "mov rbp, rsp", "sub rsp, 16", "mov DWORD PTR [rbp-8], edi", "mov DWORD PTR [rbp-12], esi");
        assertThat(events).doesNotContain("push 20", "push 10");

        Step inFoo = step(run, s -> s.event().equals("int c = a + b"));
        List<Slot> foo = frame(inFoo, 0);
        assertThat(foo).extracting(Slot::label)
                .containsExactly("return address", "saved rbp", "c", "a", "b", "(padding)");
        assertThat(foo).extracting(Slot::value).containsSubsequence(30L, 10L, 20L);
        long rbp = register(inFoo, "rbp");
        assertThat(foo.get(1).address()).isEqualTo(rbp);
        assertThat(foo.get(0).address()).isEqualTo(rbp + 8);
        assertThat(foo.get(0).size()).isEqualTo(8);
        assertThat(foo.subList(2, 5)).allSatisfy(s -> assertThat(s.address()).isLessThan(rbp));
        assertThat(register(inFoo, "rsp") % 16).as("rsp stays 16-aligned inside the frame").isZero();
        Step call = run.steps().get(mov + 2);
        assertThat(register(call, "rsp") % 16).as("rsp was 16-aligned before call pushed 8 bytes").isEqualTo(8);
        assertThat(register(step(run, s -> s.event().equals("int x = foo(10, 20)")), "rax")).isEqualTo(30);
        assertThat(run.exitCode()).isEqualTo(30);
    }

    @ParameterizedTest
    @EnumSource(Convention.class)
    void everySlotIsARealStoreInTheProcessStack(Convention convention) {
        CheckedProgram program = TypeChecker.parse("t.c", example("classic.c"));
        Compiler.Code code = Compiler.compile(program, convention);
        List<Step> steps = new ArrayList<>();
        try (ProgramImage image = ProgramImage.load(code, "./classic", 8 << 20)) {
            StackMachine.Result result = new StackMachine(code, image, 8, 1000).run(n -> true, steps::add);
            assertThat(result.exitCode()).isEqualTo(30);
            Step inFoo = steps.stream().filter(s -> s.event().equals("int c = a + b")).findFirst().orElseThrow();
            SimulatedMemorySource memory = image.process().memory();
            Vma stack = memory.vmaAt(inFoo.registers().get(convention.sp()));
            assertThat(stack.name()).isEqualTo("[stack]");
            for (Slot s : frame(inFoo, 0)) {
                assertThat(memory.vmaAt(s.address())).isEqualTo(stack);
                if (s.label().length() == 1) {
                    // Dead once foo returned, but never erased: the stores are in the stack's pages.
                    assertThat((long) memory.getInt(s.address())).as(s.label()).isEqualTo(s.value());
                }
            }
        }
    }

    // ---- recursion ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Convention.class)
    void boundedRecursionKeepsOneFramePerCallAlive(Convention convention) {
        StackRun run = run(example("fact.c"), convention);
        assertThat(run.exitCode()).isEqualTo(115);
        Step deepest = step(run, s -> s.event().equals("if (n <= 1): true"));
        List<Long> ns = deepest.stack().stream().filter(s -> s.label().equals("n")).map(Slot::value).toList();
        assertThat(ns).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(deepest.stack().stream().filter(s -> s.label().equals("return address")).count()).isEqualTo(6);
        Step last = run.steps().getLast();
        assertThat(last.event()).isEqualTo("exit(115)");
        assertThat(last.stack()).isEmpty();
    }

    @Test
    void deepButBoundedRecursionFitsUnderTheDefaultLimitButNotUnderASmallOne() {
        String sum = """
                int sum(int n) {
                    if (n == 0)
                        return 0;
                    return n + sum(n - 1);
                }
                int main(void) { return sum(10000) == 50005000; }
                """;
        StackRun fits = run(sum, Convention.CDECL);
        assertThat(fits.fault()).isNull();
        assertThat(fits.exitCode()).isEqualTo(1);
        // 10,000 frames of 12 bytes need 120,000 bytes; 64 KiB is not enough.
        StackRun overflows = run(sum, Convention.CDECL, 64 << 10);
        assertThat(overflows.fault()).isNotNull();
        assertThat(overflows.fault().kind()).isEqualTo("stack overflow");
        assertThat(overflows.exitCode()).isEqualTo(StackRun.SIGSEGV_STATUS);
    }

    @ParameterizedTest
    @EnumSource(Convention.class)
    void unboundedRecursionFaultsInTheGuardAreaBelowTheStackLimit(Convention convention) {
        long limit = 64 << 10;
        StackRun run = run(example("forever.c"), convention, limit);
        Fault fault = run.fault();
        assertThat(fault).isNotNull();
        assertThat(fault.kind()).isEqualTo("stack overflow");
        long lowest = run.layout().stackTop() - limit;
        assertThat(fault.address()).as("below the limit, within the guard gap")
                .isLessThan(lowest).isGreaterThanOrEqualTo(lowest - run.layout().guardGap());
        assertThat(fault.message()).contains("down at t.c:", "stack overflow", "ulimit -s");
        assertThat(run.exitCode()).isEqualTo(139);
        // The faulting push is the first below the limit: the stack pointer was still inside it.
        long sp = fault.state().registers().get(convention.sp());
        // (Under System V, sub rsp, 16 may have moved it below the limit without touching memory.)
        assertThat(sp).isGreaterThan(lowest - 32).isLessThan(lowest + 2L * convention.word());
        assertThat(fault.state().marker()).isEqualTo(Step.Marker.FAULT);
        assertThat(fault.state().backtrace().getFirst().function()).isEqualTo("down");
        assertThat(fault.state().backtrace()).anySatisfy(f -> assertThat(f.note()).contains("frames not shown"));
        assertThat(fault.state().backtrace().getLast().function()).isEqualTo("main");
    }

    @Test
    void unboundedRecursionUnderTheDefaultEightMegabytesTooAndTheMiddleFramesAreSummedUp() {
        StackRun run = run(example("forever.c"), Convention.CDECL);
        long lowest = run.layout().stackTop() - (8 << 20);
        assertThat(run.fault().kind()).isEqualTo("stack overflow");
        assertThat(run.fault().address()).isLessThan(lowest).isGreaterThanOrEqualTo(lowest - (1 << 20));
        // 4 steps a frame (push n, call, push ebp, mov ebp, esp) and 12 bytes a frame.
        assertThat(run.totalSteps()).isGreaterThan(4 * ((8 << 20) - 4096) / 12);
        assertThat(run.steps()).hasSize(400);
        assertThat(run.steps().get(199).step()).isEqualTo(200);
        assertThat(run.steps().get(200).step()).isEqualTo(run.totalSteps() - 199);
        List<Slot> stack = run.fault().state().stack();
        assertThat(stack).filteredOn(s -> s.frame() == Slot.SUMMARY).singleElement()
                .satisfies(s -> assertThat(s.label()).matches("\\(\\d{3},\\d{3} frames not shown\\)"));
        assertThat(stack.size()).isLessThan(40);
    }

    // ---- other faults ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Convention.class)
    void nullDereferenceIsASegmentationFaultAtAddressZero(Convention convention) {
        StackRun run = run("int main(void) { int *p = 0; return *p; }", convention);
        assertThat(run.fault().kind()).isEqualTo("segmentation fault");
        assertThat(run.fault().address()).isZero();
        assertThat(run.fault().message()).contains("read *p in main at t.c:1", "NULL pointer dereference");
    }

    @Test
    void aSmashedReturnAddressFaultsWhereRetJumps() {
        StackRun cdecl = run(example("smash.c"), Convention.CDECL);
        assertThat(cdecl.fault().kind()).isEqualTo("segmentation fault");
        assertThat(cdecl.fault().address()).isEqualTo(0x41414141L);
        assertThat(cdecl.fault().message()).startsWith("ret in greet");
        StackRun sysv = run(example("smash.c"), Convention.SYSV);
        assertThat(sysv.fault().address()).isEqualTo(0x4141414141414141L);
        assertThat(sysv.fault().state().backtrace().get(1).pc()).isEqualTo(0x4141414141414141L);
    }

    @Test
    void aReturnIntoTextThatIsNotAReturnSiteIsCaught() {
        // &x + 2 words is main's return address: move it one instruction on, still in text.
        StackRun smashed = run("""
                int main(void) { int x; int *p = &x; p[2] = p[2] + 4; return 0; }
                """, Convention.CDECL);
        assertThat(smashed.fault().kind()).isEqualTo("segmentation fault");
        assertThat(smashed.fault().message()).contains("not the instruction after a call");
    }

    // ---- C semantics ----------------------------------------------------------------------------------------

    @Test
    void longIsFourBytesOnI386AndEightOnX8664() {
        String source = "int main(void) { long x = 2147483647; x = x + 1; return x < 0; }";
        assertThat(run(source, Convention.CDECL).exitCode()).isEqualTo(1);
        assertThat(run(source, Convention.SYSV).exitCode()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Convention.class)
    void arraysPointersCharsAndGlobals(Convention convention) {
        StackRun run = run("""
                int total = 100;
                int squares[5];
                char letters[4];
                int fill(int *a, int n) {
                    int i = 0;
                    while (i < n) { a[i] = i * i; i++; }
                    return n;
                }
                int main(void) {
                    char c = 127;
                    int *end = squares + fill(squares, 5);
                    int *q = squares;
                    int s = 0;
                    c++;
                    while (q < end) { s += *q; q++; }
                    letters[0] = 'h';
                    letters[1] = letters[0] + 1;
                    return s + total + (end - squares) + (c == -128) + (letters[1] == 'i');
                }
                """, convention);
        assertThat(run.fault()).isNull();
        assertThat(run.exitCode()).isEqualTo((30 + 100 + 5 + 1 + 1) & 0xff);
        List<StackRun.GlobalPlacement> globals = run.layout().globals();
        assertThat(globals).extracting(StackRun.GlobalPlacement::section).containsExactly(".data", ".bss", ".bss");
        assertThat(globals.get(1).address()).isGreaterThan(globals.get(0).address());
        assertThat(globals.get(1).size()).isEqualTo(20);
    }

    @Test
    void mainGetsArgcAndArgvFromTheInitialStack() {
        String source = "int main(int argc, char **argv) { return argc * 10 + (argv[1] == 0) + (argv[0][0] == '.'); }";
        assertThat(run(source, Convention.CDECL).exitCode()).isEqualTo(12);
        assertThat(run(source, Convention.SYSV).exitCode()).isEqualTo(12);
    }

    @Test
    void sysvPushesTheSeventhArgumentAndAlignsTheStackFirst() {
        StackRun many = run(example("many.c"), Convention.SYSV);
        assertThat(many.exitCode()).isEqualTo(36);
        List<String> events = many.steps().stream().map(Step::event).toList();
        assertThat(events).containsSubsequence("push 8", "push 7", "mov r9, 6", "mov rdi, 1", "call sum8", "add rsp, 16");
        Step inSum = step(many, s -> s.function().equals("sum8") && s.marker() == Step.Marker.CALL);
        assertThat(frame(inSum, 0)).extracting(Slot::label).startsWith("h", "g", "return address", "saved rbp", "a");
        assertThat(inSum.backtrace().getFirst().arguments()).isEqualTo("a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8");

        StackRun odd = run("""
                int seven(int a, int b, int c, int d, int e, int f, int g) { return g; }
                int main(void) { return seven(1, 2, 3, 4, 5, 6, 7); }
                """, Convention.SYSV);
        List<String> oddEvents = odd.steps().stream().map(Step::event).toList();
        int pad = oddEvents.indexOf("sub rsp, 8");
        assertThat(pad).isPositive();
        assertThat(oddEvents.get(pad + 1)).isEqualTo("push 7");
        Step call = step(odd, s -> s.event().equals("call seven"));
        assertThat(call.registers().get("rsp") % 16).isEqualTo(8);
        assertThat(oddEvents).contains("add rsp, 16");
        assertThat(odd.exitCode()).isEqualTo(7);
    }

    @Test
    void aCdeclArgumentPushedBeforeANestedCallWaitsOnTheStack() {
        StackRun run = run("""
                int twice(int v) { return v * 2; }
                int sub(int a, int b) { return a - b; }
                int main(void) { return sub(twice(5), 3); }
                """, Convention.CDECL);
        assertThat(run.exitCode()).isEqualTo(7);
        Step inTwice = step(run, s -> s.function().equals("twice") && s.marker() == Step.Marker.CALL);
        assertThat(inTwice.stack()).filteredOn(s -> s.label().equals("b")).singleElement().satisfies(s -> {
            assertThat(s.value()).isEqualTo(3);
            assertThat(s.frame()).as("main's, until sub is called").isEqualTo(1);
            assertThat(s.pendingCall()).isEqualTo("sub");
        });
        Step inSub = step(run, s -> s.function().equals("sub") && s.marker() == Step.Marker.CALL);
        assertThat(frame(inSub, 0)).extracting(Slot::label).startsWith("b", "a", "return address");
        assertThat(frame(inSub, 0)).allSatisfy(s -> assertThat(s.pendingCall()).isNull());
    }

    @Test
    void uninitialisedLocalsHoldWhatAnEarlierFrameLeft() {
        StackRun run = run("""
                int set(void) { int secret = 1234; return secret; }
                int peek(void) { int leftover; return leftover; }
                int main(void) { set(); return peek() == 1234; }
                """, Convention.CDECL);
        assertThat(run.exitCode()).isEqualTo(1);
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    @Test
    void divisionByZeroIsARuntimeErrorAtItsColumn() {
        assertThatThrownBy(() -> run("int main(void) {\n  int z = 0;\n  return 5 / z;\n}\n", Convention.CDECL))
                .isInstanceOf(CRuntimeError.class)
                .hasMessage("t.c:3:12: division by zero: a real process dies of SIGFPE (floating point exception) here");
    }

    @Test
    void aLoopThatNeverEndsStopsAfterMaxSteps() {
        assertThatThrownBy(() -> StackSimulator.run("t.c", "int main(void) { while (1) { } return 0; }",
                new StackSimulator.Options(Convention.CDECL, 8 << 20, 1000, 400, 8)))
                .isInstanceOf(CRuntimeError.class)
                .hasMessageStartingWith("t.c:1:25: stopped after 1,000 steps in main");
    }

    @Test
    void longRunsKeepTheFirstAndLastSteps() {
        StackRun run = StackSimulator.run("t.c", "int main(void) { int i = 0; while (i < 100) i++; return i; }",
                new StackSimulator.Options(Convention.CDECL, 8 << 20, 100_000, 10, 8));
        assertThat(run.exitCode()).isEqualTo(100);
        assertThat(run.steps()).extracting(Step::step)
                .containsExactly(1L, 2L, 3L, 4L, 5L, run.totalSteps() - 4, run.totalSteps() - 3,
                        run.totalSteps() - 2, run.totalSteps() - 1, run.totalSteps());
        assertThat(run.steps().getLast().event()).isEqualTo("exit(100)");
    }
}
