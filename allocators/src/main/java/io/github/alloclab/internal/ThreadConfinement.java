package io.github.alloclab.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Which threads may call an object that is not thread-safe, and the check that enforces it, as a confined
 * {@link java.lang.foreign.Arena} does for its segments.
 *
 * <ol>
 *   <li>At first the object is <b>confined</b> to the thread that made it: {@link #check()} passes on that
 *       thread and throws {@link WrongThreadException} on any other, before the object changes anything.</li>
 *   <li>{@link #guardWith} makes it <b>guarded</b>: from then on {@link #check()} passes on any thread that holds
 *       the lock, and throws on every thread that does not, the maker included. A caller that takes the lock
 *       around every call, such as {@code ConcurrentAllocator}, may then share the object between threads.</li>
 * </ol>
 *
 * The check on the maker's thread is one comparison with a field; so it costs the hot paths of the allocators
 * below a nanosecond. It is exact, not a race detector: a call from the wrong thread is refused every time,
 * whether or not it overlaps another call.
 */
public final class ThreadConfinement {

    private final String what;
    /** The one thread that may call, or null once guarded. Plain: it changes only before sharing, under the lock. */
    private Thread owner;
    private ReentrantLock guard;

    /** Confines {@code what} (a name for messages, such as {@code "allocator firstfit"}) to the calling thread. */
    public ThreadConfinement(String what) {
        this.what = what;
        this.owner = Thread.currentThread();
    }

    /**
     * Passes if the calling thread may use the object.
     *
     * @throws WrongThreadException if it may not
     */
    public void check() {
        if (Thread.currentThread() != owner) {
            checkGuard();
        }
    }

    /** {@return whether the calling thread is the one the object is confined to} False once guarded. */
    public boolean owns() {
        return Thread.currentThread() == owner;
    }

    private void checkGuard() {
        ReentrantLock lock = guard;
        if (lock != null && lock.isHeldByCurrentThread()) {
            return;
        }
        throw new WrongThreadException(lock == null
                ? "%s is confined to thread '%s' but was called from thread '%s': share it through a ConcurrentAllocator"
                        .formatted(what, owner.getName(), Thread.currentThread().getName())
                : "%s is shared under a lock that thread '%s' does not hold; call it through its ConcurrentAllocator"
                        .formatted(what, Thread.currentThread().getName()));
    }

    /**
     * From now on accepts exactly the threads that hold {@code lock}.
     *
     * @throws WrongThreadException     if the calling thread may not use the object now
     * @throws IllegalStateException    if the object is already guarded by another lock
     */
    public void guardWith(ReentrantLock lock) {
        check();
        if (guard != null && guard != lock) {
            throw new IllegalStateException(what + " is already shared under another lock");
        }
        guard = lock;
        owner = null;
    }

    /** {@return whether {@link #guardWith} was called} */
    public boolean isGuarded() {
        return guard != null;
    }
}
