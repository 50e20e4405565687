/*
 * Direction 2 of issue 13, as a sketch: processes put their records into a ring in shared memory and whoever holds the
 * combiner flag writes every record ready in one writev(2); a publisher returns once its record is written. Fixed-size
 * records, no rotation and no crash handling: it measures only what combining could gain over one write per record
 * (compare append-ceiling.c on the same machine).
 *
 *   gcc -O2 -o /tmp/combine combine.c
 *   /tmp/combine PROCESSES RECORDS_PER_PROCESS SPINS FILE
 *
 * SPINS: how often a waiting publisher looks before it yields the processor.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RECORD 192
#define SLOTS 4096

struct shared {
    _Atomic long reserved;
    char pad1[56];
    _Atomic long written;
    char pad2[56];
    _Atomic int combining;
    char pad3[60];
    _Atomic long writes;
    char pad4[56];
    _Atomic int ready[SLOTS];
    char ring[SLOTS * RECORD];
};

static long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Writes every record ready from the first unwritten one on, in one call; the caller holds the combiner flag. */
static long combine(struct shared *s, int fd) {
    long from = atomic_load(&s->written);
    long to = from;
    while (to - from < SLOTS && atomic_load(&s->ready[to % SLOTS])) {
        to++;
    }
    if (to == from) {
        return 0;
    }
    long first = from % SLOTS;
    long end = to % SLOTS;
    struct iovec parts[2];
    int count = 1;
    parts[0].iov_base = s->ring + first * RECORD;
    if (end > first || end == 0) {
        parts[0].iov_len = ((end == 0 ? SLOTS : end) - first) * RECORD;
    } else {
        parts[0].iov_len = (SLOTS - first) * RECORD;
        parts[1].iov_base = s->ring;
        parts[1].iov_len = end * RECORD;
        count = 2;
    }
    if (writev(fd, parts, count) < 0) {
        perror("writev");
        _exit(1);
    }
    for (long i = from; i < to; i++) {
        atomic_store(&s->ready[i % SLOTS], 0);
    }
    atomic_store(&s->written, to);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s PROCESSES RECORDS_PER_PROCESS SPINS FILE\n", argv[0]);
        return 2;
    }
    int processes = atoi(argv[1]);
    long records = atol(argv[2]);
    int spins = atoi(argv[3]);
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int fd = open(argv[4], O_WRONLY | O_APPEND | O_CREAT | O_TRUNC, 0644);
    fflush(stdout);
    long start = now();
    for (int p = 0; p < processes; p++) {
        if (fork() == 0) {
            char record[RECORD];
            memset(record, 'a' + p % 26, RECORD - 1);
            record[RECORD - 1] = '\n';
            for (long i = 0; i < records; i++) {
                long mine = atomic_fetch_add(&s->reserved, 1);
                while (mine - atomic_load(&s->written) >= SLOTS) {
                    sched_yield(); /* the ring is full */
                }
                memcpy(s->ring + (mine % SLOTS) * RECORD, record, RECORD);
                atomic_store(&s->ready[mine % SLOTS], 1);
                for (int looked = 0; atomic_load(&s->written) <= mine;) {
                    int free = 0;
                    if (atomic_compare_exchange_strong(&s->combining, &free, 1)) {
                        atomic_fetch_add(&s->writes, combine(s, fd));
                        atomic_store(&s->combining, 0);
                    } else if (++looked > spins) {
                        sched_yield();
                    }
                }
            }
            _exit(0);
        }
    }
    for (int p = 0; p < processes; p++) {
        wait(NULL);
    }
    double seconds = (now() - start) / 1e9;
    printf("combined: %.0f records/s, %.2f records per write\n", processes * records / seconds,
            (double) (processes * records) / atomic_load(&s->writes));
    return 0;
}
