/*
 * How fast processes can append one record per write(2) to one file, against each to a file of its own: the ceiling
 * of any writer that makes one system call per record, without rotation, locks or the JVM.
 *
 *   gcc -O2 -o /tmp/append-ceiling append-ceiling.c
 *   /tmp/append-ceiling PROCESSES WRITES_PER_PROCESS DIR [BYTES_PER_WRITE [WORK_NS]]
 *
 * BYTES_PER_WRITE (190 by default: one record) is what each write(2) appends; WORK_NS (0 by default) is how long each
 * process fills its buffer and spins before each write, as a process that formats its records would.
 * Prints writes/s and MB/s for both layouts, and how many writes took over 1 ms.
 */
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long record = 190;
static long workNanos = 0;

static long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void run(int processes, long records, const char *dir, int shared) {
    _Atomic long *slowWrites = mmap(NULL, sizeof *slowWrites, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
            -1, 0);
    fflush(stdout);
    long start = now();
    for (int p = 0; p < processes; p++) {
        if (fork() == 0) {
            char name[4096];
            snprintf(name, sizeof name, "%s/ceiling-%d.log", dir, shared ? 0 : p);
            int fd = open(name, O_WRONLY | O_APPEND | O_CREAT, 0644);
            char *data = malloc(record);
            memset(data, 'a' + p % 26, record - 1);
            data[record - 1] = '\n';
            long slow = 0;
            for (long i = 0; i < records; i++) {
                if (workNanos > 0) {
                    long made = now();
                    do {
                        memset(data, 'a' + (p + i) % 26, record - 1); // the next records, made again
                    } while (now() - made < workNanos);
                }
                long before = now();
                if (write(fd, data, record) != record) {
                    perror("write");
                    _exit(1);
                }
                slow += now() - before > 1000000;
            }
            atomic_fetch_add(slowWrites, slow);
            _exit(0);
        }
    }
    for (int p = 0; p < processes; p++) {
        wait(NULL);
    }
    double seconds = (now() - start) / 1e9;
    printf("%s: %.0f writes/s, %.1f MB/s, %ld writes over 1 ms\n", shared ? "one file" : "a file each",
            processes * records / seconds, processes * records * record / seconds / (1024 * 1024), atomic_load(slowWrites));
    for (int p = 0; p < processes; p++) {
        char name[4096];
        snprintf(name, sizeof name, "%s/ceiling-%d.log", dir, p);
        unlink(name);
    }
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 6) {
        fprintf(stderr, "usage: %s PROCESSES WRITES_PER_PROCESS DIR [BYTES_PER_WRITE [WORK_NS]]\n", argv[0]);
        return 2;
    }
    if (argc > 4) {
        record = atol(argv[4]);
    }
    if (argc > 5) {
        workNanos = atol(argv[5]);
    }
    int processes = atoi(argv[1]);
    long records = atol(argv[2]);
    run(processes, records, argv[3], 1);
    run(processes, records, argv[3], 0);
    return 0;
}
