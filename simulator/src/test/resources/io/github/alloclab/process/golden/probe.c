/*
 * alloclab's golden-file probe. It grows the heap by argv[1] bytes with sbrk(2), then writes its own
 * /proc/self/maps to stdout, and to stderr the kernel's start_brk (field 47 of /proc/self/stat) and the
 * break. It uses no stdio, so nothing calls malloc: the heap holds only what sbrk asked for, plus, in a
 * static binary, what libc's startup put there (the TLS block).
 *
 * The globals are the classic size(1) lesson: text, data, bss and rodata.
 */
#include <fcntl.h>
#include <unistd.h>

int counter, table[3];            /* bss: uninitialised */
static char buffer[1 << 16];      /* bss: 64 KiB, more than the last file page can hold */
double ratio = 0.5;               /* data: initialised */
char tag = 'a';                   /* data */
const char banner[] = "alloclab"; /* rodata */

static unsigned long parse(const char *s) {
    unsigned long n = 0;
    while (*s >= '0' && *s <= '9') {
        n = n * 10 + (unsigned long) (*s++ - '0');
    }
    return n;
}

static char *hex(char *out, unsigned long v) {
    char digits[32];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    *out++ = '0';
    *out++ = 'x';
    while (n) {
        *out++ = digits[--n];
    }
    return out;
}

static long slurp(const char *path, char *into, long room) {
    int fd = open(path, O_RDONLY);
    long total = 0, got;
    if (fd < 0) {
        return 0;
    }
    while ((got = read(fd, into + total, room - total)) > 0) {
        total += got;
    }
    close(fd);
    return total;
}

int main(int argc, char **argv) {
    unsigned long grow = argc > 1 ? parse(argv[1]) : 0;
    if (grow) {
        sbrk((long) grow);
    }
    unsigned long now = (unsigned long) sbrk(0);

    /* start_brk: field 47 of /proc/self/stat, counting from 1; the name in field 2 may hold spaces */
    long n = slurp("/proc/self/stat", buffer, sizeof buffer - 1);
    buffer[n] = 0;
    char *p = buffer + n;
    while (p > buffer && *p != ')') {
        p--;
    }
    for (int field = 2; field < 47 && *p; p++) {
        if (*p == ' ') {
            field++;
        }
    }
    unsigned long start_brk = parse(p);

    char line[128], *out = line;
    const char *a = "start_brk=", *b = " brk=";
    while (*a) *out++ = *a++;
    out = hex(out, start_brk);
    while (*b) *out++ = *b++;
    out = hex(out, now);
    *out++ = '\n';
    write(2, line, (unsigned long) (out - line));

    n = slurp("/proc/self/maps", buffer, sizeof buffer);
    write(1, buffer, (unsigned long) n);
    return tag + counter + table[0] + (int) ratio + banner[0] == 0;
}
