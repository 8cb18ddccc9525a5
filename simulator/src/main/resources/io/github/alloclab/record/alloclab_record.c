/*
 * alloclab_record.c: an LD_PRELOAD interposer that records a program's malloc calls, for `alloclab record`.
 *
 * Build:  gcc -shared -fPIC -O2 -o liballoclab_record.so alloclab_record.c -pthread
 * Use:    ALLOCLAB_RECORD_DIR=/tmp/rec LD_PRELOAD=./liballoclab_record.so some-program
 *
 * Each process writes <dir>/<pid>.log, one call per line, in the ltrace style that villoc and alloclab read:
 *
 *   malloc(16) = 0x5555555592a0          calloc(4, 8) = 0x...          realloc(0x..., 32) = 0x...
 *   free(0x5555555592a0)                 memalign(64, 100) = 0x...     (also posix_memalign, aligned_alloc,
 *                                                                        valloc, pvalloc, reallocarray)
 *
 * Design, and why:
 *  - The real allocator is glibc's, reached through its exported __libc_malloc family, not dlsym(RTLD_NEXT):
 *    dlsym itself allocates, which would recurse into this file before it knows where malloc is.
 *  - Recursion guard: a thread-local flag (initial-exec TLS, which needs no allocation to reach). While it is
 *    set, the hooks call straight through without recording, so anything the recorder does that allocates
 *    (pthread_atfork registers handlers with malloc) is neither recorded nor recursive.
 *  - No stdio: printf may allocate and takes its own locks. Each line is formatted by hand into a stack
 *    buffer, appended under a mutex to a 64 KiB buffer, and the buffer goes out with raw write(2) when full,
 *    at fork, and at exit. errno is saved and restored around recording, so the program sees the errno that
 *    malloc set.
 *  - fork: pthread_atfork's prepare handler takes the mutex and flushes, so the child inherits an empty
 *    buffer and no held lock held by a thread that does not exist in it. The child re-initialises the
 *    mutex and opens its own <pid>.log: it would otherwise write into its parent's file. Blocks the child
 *    inherited appear in its trace only when it frees them (as frees of unknown addresses, which readers skip).
 *  - exec: the new image loads this library again (LD_PRELOAD is inherited) and opens <pid>.log again,
 *    truncating it: what the old image wrote describes an address space that no longer exists. The file
 *    descriptor is O_CLOEXEC.
 *  - exit: a destructor flushes; after it, each call is written at once, so frees made by later destructors
 *    are not lost. A process that ends with _exit(2) or a signal loses what is still in its buffer.
 *  - Threads: one mutex serialises the buffer. A signal handler that calls malloc while its thread holds the
 *    mutex would deadlock; malloc is not async-signal-safe anyway.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *address, size_t size);
extern void __libc_free(void *address);
extern void *__libc_memalign(size_t alignment, size_t size);

#define BUFFER_BYTES (64 * 1024)
#define LINE_BYTES 128

static __thread int in_hook __attribute__((tls_model("initial-exec")));

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char buffer[BUFFER_BYTES];
static size_t used;
static int fd = -1;
static int initialized;   /* 1 once the log is open (or recording is off) */
static int recording;     /* 0 when ALLOCLAB_RECORD_DIR is unset or the log cannot be opened */
static int unbuffered;    /* 1 after the exit-time flush */

/* ---- formatting without stdio ---------------------------------------------------------------------- */

struct line {
    char text[LINE_BYTES];
    size_t length;
};

static void put_text(struct line *l, const char *s) {
    while (*s && l->length < LINE_BYTES) {
        l->text[l->length++] = *s++;
    }
}

static void put_decimal(struct line *l, uintptr_t value) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0 && l->length < LINE_BYTES) {
        l->text[l->length++] = digits[--n];
    }
}

static void put_pointer(struct line *l, const void *p) {
    uintptr_t value = (uintptr_t) p;
    if (value == 0) {
        put_text(l, "0");
        return;
    }
    char digits[20];
    int n = 0;
    while (value != 0) {
        digits[n++] = "0123456789abcdef"[value & 15];
        value >>= 4;
    }
    put_text(l, "0x");
    while (n > 0 && l->length < LINE_BYTES) {
        l->text[l->length++] = digits[--n];
    }
}

/* ---- the log ----------------------------------------------------------------------------------------- */

static void write_fully(const char *data, size_t length) {
    while (length > 0 && fd >= 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            recording = 0; /* the disk is full or the file is gone: stop, rather than fail the program */
            return;
        }
        data += n;
        length -= (size_t) n;
    }
}

static void flush_locked(void) {
    write_fully(buffer, used);
    used = 0;
}

/* Opens <dir>/<pid>.log, truncating it. Called with the mutex held. */
static void open_log(void) {
    const char *dir = getenv("ALLOCLAB_RECORD_DIR");
    recording = 0;
    if (dir == NULL || *dir == '\0') {
        return;
    }
    char path[4096];
    size_t n = strlen(dir);
    if (n > sizeof path - 32) {
        return;
    }
    memcpy(path, dir, n);
    struct line name = {.length = 0};
    put_text(&name, "/");
    put_decimal(&name, (uintptr_t) getpid());
    put_text(&name, ".log");
    memcpy(path + n, name.text, name.length);
    path[n + name.length] = '\0';
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    recording = fd >= 0;
}

static void before_fork(void) {
    pthread_mutex_lock(&lock);
    flush_locked();
}

static void after_fork_in_parent(void) {
    pthread_mutex_unlock(&lock);
}

static void after_fork_in_child(void) {
    pthread_mutex_init(&lock, NULL);
    used = 0;
    if (fd >= 0) {
        close(fd);
        fd = -1;
    }
    open_log();
}

/* Called with the guard set: what it allocates is not recorded. */
static void initialize_locked(void) {
    initialized = 1;
    open_log();
    pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

/* Takes the mutex, opening the log on first use. */
static void begin(void) {
    pthread_mutex_lock(&lock);
    if (!initialized) {
        initialize_locked();
    }
}

/* Appends a line; called with the mutex held. */
static void append_locked(const struct line *l) {
    if (recording) {
        if (used + l->length + 1 > BUFFER_BYTES) {
            flush_locked();
        }
        memcpy(buffer + used, l->text, l->length);
        used += l->length;
        buffer[used++] = '\n';
        if (unbuffered) {
            flush_locked();
        }
    }
}

static void record(const struct line *l) {
    int saved = errno;
    begin();
    append_locked(l);
    pthread_mutex_unlock(&lock);
    errno = saved;
}

__attribute__((destructor)) static void flush_at_exit(void) {
    in_hook = 1;
    pthread_mutex_lock(&lock);
    flush_locked();
    unbuffered = 1;
    pthread_mutex_unlock(&lock);
    in_hook = 0;
}

/* ---- the hooks --------------------------------------------------------------------------------------- */

static void format_call(struct line *out, const char *function, int arguments, uintptr_t a, int a_is_pointer,
                        uintptr_t b, int has_result, void *result) {
    struct line l = {.length = 0};
    put_text(&l, function);
    put_text(&l, "(");
    if (a_is_pointer) {
        put_pointer(&l, (void *) a);
    } else {
        put_decimal(&l, a);
    }
    if (arguments == 2) {
        put_text(&l, ", ");
        put_decimal(&l, b);
    }
    put_text(&l, ")");
    if (has_result) {
        put_text(&l, " = ");
        put_pointer(&l, result);
    }
    *out = l;
}

static void record_call(const char *function, int arguments, uintptr_t a, int a_is_pointer, uintptr_t b,
                        int has_result, void *result) {
    struct line l;
    format_call(&l, function, arguments, a, a_is_pointer, b, has_result, result);
    record(&l);
}

void *malloc(size_t size) {
    if (in_hook) {
        return __libc_malloc(size);
    }
    in_hook = 1;
    void *p = __libc_malloc(size);
    record_call("malloc", 1, size, 0, 0, 1, p);
    in_hook = 0;
    return p;
}

void *calloc(size_t count, size_t size) {
    if (in_hook) {
        return __libc_calloc(count, size);
    }
    in_hook = 1;
    void *p = __libc_calloc(count, size);
    record_call("calloc", 2, count, 0, size, 1, p);
    in_hook = 0;
    return p;
}

void *realloc(void *address, size_t size) {
    if (in_hook) {
        return __libc_realloc(address, size);
    }
    in_hook = 1;
    /* The old block is freed inside __libc_realloc; holding the mutex across the call keeps another thread
       from getting its address from malloc and recording that before this line. */
    begin();
    void *p = __libc_realloc(address, size);
    int saved = errno;
    struct line l;
    format_call(&l, "realloc", 2, (uintptr_t) address, 1, size, 1, p);
    append_locked(&l);
    pthread_mutex_unlock(&lock);
    errno = saved;
    in_hook = 0;
    return p;
}

void *reallocarray(void *address, size_t count, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(count, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(address, total);
}

void free(void *address) {
    if (in_hook || address == NULL) {
        __libc_free(address);
        return;
    }
    in_hook = 1;
    /* Record before freeing: once the block is free, another thread may get its address from malloc and
       record that first, and a reader would see the address allocated twice. */
    record_call("free", 1, (uintptr_t) address, 1, 0, 0, NULL);
    __libc_free(address);
    in_hook = 0;
}

static void *aligned(size_t alignment, size_t size) {
    if (in_hook) {
        return __libc_memalign(alignment, size);
    }
    in_hook = 1;
    void *p = __libc_memalign(alignment, size);
    record_call("memalign", 2, alignment, 0, size, 1, p);
    in_hook = 0;
    return p;
}

void *memalign(size_t alignment, size_t size) {
    return aligned(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    return aligned(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) {
        return EINVAL;
    }
    int saved = errno;
    void *p = aligned(alignment, size);
    if (p == NULL) {
        errno = saved;
        return ENOMEM;
    }
    *result = p;
    return 0;
}

void *valloc(size_t size) {
    return aligned((size_t) sysconf(_SC_PAGESIZE), size);
}

void *pvalloc(size_t size) {
    size_t page = (size_t) sysconf(_SC_PAGESIZE);
    return aligned(page, (size + page - 1) & ~(page - 1));
}
