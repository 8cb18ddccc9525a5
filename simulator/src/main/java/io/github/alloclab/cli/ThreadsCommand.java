package io.github.alloclab.cli;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.ConcurrentAllocator;
import io.github.alloclab.registry.AllocatorRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alloclab threads}: what happens when a second thread calls an allocator, and what sharing one costs.
 * Every thread here is made by the command and named ({@code first}, {@code second}, {@code worker-N}), so its
 * output does not depend on the thread that runs it.
 */
@Command(name = "threads",
        header = "Call allocators from several threads: refused, locked, or per-thread.", mixinStandardHelpOptions = true,
        description = {"First, a thread named 'first' makes each allocator and a thread named 'second' calls its",
                "malloc: a confined allocator refuses (WrongThreadException), a thread-safe one serves it.",
                "Then each allocator is shared by 1, 2, 4... worker threads, bare where it is thread-safe",
                "(per-thread magazines) and through a ConcurrentAllocator (one lock) in any case. Each worker",
                "frees and allocates blocks of 16 to --max-size bytes, 64 of its own live at a time, and writes into",
                "each block. After an untimed round on one thread that warms the JIT up, each configuration runs",
                "twice and the faster run is shown; the heap is checked after each. These are wall-clock figures that vary from",
                "run to run; the JMH benchmarks in bench/ measure with care."},
        footer = {"", "Example: alloclab threads -a malloc,zone --threads 1,2,4"})
final class ThreadsCommand implements Callable<Integer> {

    @Option(names = {"-a", "--allocator"}, paramLabel = "NAME", split = ",",
            defaultValue = "malloc,slab,zone,firstfit,buddy",
            description = "Allocators to run, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> allocators;

    @Option(names = "--threads", paramLabel = "N", split = ",", defaultValue = "1,2,4",
            description = "Worker thread counts, comma-separated, from 1 to 64 (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--ops", paramLabel = "N", defaultValue = "500000",
            description = "malloc+free pairs per worker, from 1 to 100000000 (default: ${DEFAULT-VALUE}).")
    long ops;

    @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = "64",
            description = {"The largest block, from 16 to 65536 (default: ${DEFAULT-VALUE}, the largest of malloc's",
                    "bins, which have magazines; larger ones take malloc's lock)."})
    int maxSize;

    @Option(names = "--memory", paramLabel = "SOURCE", defaultValue = "flat",
            description = "flat or simulated (default: ${DEFAULT-VALUE}). The simulated source is itself confined.")
    MemoryChoice memory;

    @Spec
    CommandSpec spec;

    /** How a second thread's {@code malloc} went. */
    record Refusal(String allocator, boolean threadSafe, String outcome) {
    }

    /** One run: an allocator shared one way by some workers. */
    record Run(String allocator, String sharing, int threads, long pairs, double seconds, boolean clean) {
        double pairsPerSecond() {
            return pairs / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        AllocatorRegistry registry = AllocatorRegistry.standard();
        allocators.forEach(registry::spec);
        for (int n : threads) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("--threads must be from 1 to 64: " + n);
            }
        }
        if (maxSize < 16 || maxSize > 65_536) {
            throw new IllegalArgumentException("--max-size must be from 16 to 65536: " + maxSize);
        }
        if (ops < 1 || ops > 100_000_000) {
            throw new IllegalArgumentException("--ops must be from 1 to 100000000: " + ops);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Refusal> refusals = new ArrayList<>();
        for (String name : allocators) {
            refusals.add(secondThread(registry, name));
        }
        out.println("A thread named 'first' makes the allocator; a thread named 'second' calls malloc(64):");
        out.print(new Columns<Refusal>(
                Columns.left("allocator", Refusal::allocator),
                Columns.left("thread-safe", r -> r.threadSafe() ? "yes" : "no"),
                Columns.left("the second thread's malloc(64)", Refusal::outcome)).ascii(refusals));
        out.println();
        out.println();
        out.flush();
        for (String name : allocators) { // untimed: the JIT compiles every allocator's paths before any is timed
            run(registry, name, 1, false);
            run(registry, name, 1, true);
        }
        List<Run> runs = new ArrayList<>();
        for (String name : allocators) {
            for (int n : threads) {
                Run bare = best(registry, name, n, false);
                if (bare != null) {
                    runs.add(bare);
                }
                runs.add(best(registry, name, n, true));
            }
        }
        out.printf("Throughput: each worker frees and allocates %,d blocks of 16 to %d bytes (64 live per worker):%n",
                ops, maxSize);
        out.print(new Columns<Run>(
                Columns.left("allocator", Run::allocator),
                Columns.left("shared through", Run::sharing),
                Columns.right("threads", r -> Integer.toString(r.threads())),
                Columns.right("pairs/s", r -> Output.rate(r.pairsPerSecond())),
                Columns.right("per thread", r -> Output.rate(r.pairsPerSecond() / r.threads())),
                Columns.left("heap check", r -> r.clean() ? "clean" : "VIOLATIONS")).ascii(runs));
        out.println();
        out.flush();
        return runs.stream().allMatch(Run::clean) ? 0 : AlloclabCommand.EXIT_ALLOCATOR_ERROR;
    }

    private Refusal secondThread(AllocatorRegistry registry, String name) throws Exception {
        ExecutorService first = Executors.newSingleThreadExecutor(task -> Thread.ofPlatform().name("first").daemon()
                .unstarted(task));
        try {
            Allocator heap = await(first.submit(() -> registry.create(name, memory.create(), Map.of())));
            try {
                String outcome = onThread("second", () -> {
                    try {
                        heap.free(heap.malloc(64));
                        return "served";
                    } catch (WrongThreadException e) {
                        return "refused: " + e.getMessage();
                    }
                });
                return new Refusal(name, heap.isThreadSafe(), outcome);
            } finally {
                await(first.submit(() -> {
                    heap.close();
                    return null;
                }));
            }
        } finally {
            first.shutdown();
        }
    }

    /** {@return the faster of two runs; null as {@link #run}} */
    private Run best(AllocatorRegistry registry, String name, int n, boolean wrapped) throws Exception {
        Run first = run(registry, name, n, wrapped);
        if (first == null) {
            return null;
        }
        Run second = run(registry, name, n, wrapped);
        Run faster = first.seconds() < second.seconds() ? first : second;
        return new Run(faster.allocator(), faster.sharing(), n, faster.pairs(), faster.seconds(),
                first.clean() && second.clean());
    }

    /**
     * Runs the workload on {@code n} workers over one allocator, bare or wrapped.
     *
     * @return the run, or null when bare and the allocator is not thread-safe
     */
    private Run run(AllocatorRegistry registry, String name, int n, boolean wrapped) throws Exception {
        Allocator made = registry.create(name, memory.create(), Map.of());
        if (!wrapped && !made.isThreadSafe()) {
            made.close();
            return null;
        }
        try (Allocator heap = wrapped ? new ConcurrentAllocator(made) : made) {
            CyclicBarrier start = new CyclicBarrier(n);
            long[] began = new long[n];
            long[] ended = new long[n];
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                int seed = t;
                Thread.ofPlatform().name("worker-" + t).daemon().start(() -> {
                    try {
                        start.await();
                        began[seed] = System.nanoTime();
                        work(heap, new SplittableRandom(seed));
                        ended[seed] = System.nanoTime();
                        f.complete(null);
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                });
                done.add(f);
            }
            for (CompletableFuture<Void> f : done) {
                await(f);
            }
            // From the first worker's start to the last one's end; the futures' completion is the happens-before.
            double seconds = (Arrays.stream(ended).max().orElseThrow() - Arrays.stream(began).min().orElseThrow()) / 1e9;
            boolean clean = heap.check().isEmpty() && heap.stats().liveBlocks() == 0;
            return new Run(name, wrapped ? "ConcurrentAllocator" : "itself (magazines)", n, ops * n, seconds, clean);
        }
    }

    private void work(Allocator heap, SplittableRandom random) {
        long[] live = new long[64];
        for (long i = 0; i < ops; i++) {
            int slot = (int) (i & 63);
            heap.free(live[slot]);
            long p = heap.malloc(16 + random.nextInt(maxSize - 15));
            if (p == 0) {
                throw new IllegalStateException(heap.name() + " ran out of memory");
            }
            heap.memory().putLong(p, i);
            live[slot] = p;
        }
        for (long p : live) {
            heap.free(p);
        }
    }

    /** {@return what {@code task} returns, run on a new platform thread of that name} */
    private static <T> T onThread(String threadName, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name(threadName).daemon().start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return await(result);
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("a thread did not finish in 10 minutes", e);
        }
    }
}
