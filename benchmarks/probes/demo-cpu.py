#!/usr/bin/env python3
"""
Where the processors go in each measured load of ./demo.sh: runs the demo from the project's root and prints, for each
load, how long it took, the processor time of the two servers (all their threads), how much of it their JIT compiler
threads took, and how busy the machine was. A diagnostic for issue 13, not part of the tests.

    cd <project root> && python3 benchmarks/probes/demo-cpu.py

It reads /proc every 20 ms (Linux only). A load's window is the time it reported for itself, ending when it printed its
line; the demo's own output goes to target/demo-cpu.txt.
"""
import os
import re
import subprocess
import threading
import time

HZ = os.sysconf('SC_CLK_TCK')
RECORDS = 2 * int(os.environ.get('DEMO_THREADS', '4')) * int(os.environ.get('DEMO_RECORDS', '40000'))
LOADS = [('==> A: both servers', 'A (this handler)'), ('==> B: the same load', 'B (built-in)'),
         ('==> B again', 'B again'), ('==> A again', 'A again')]


def server_pids():
    pids = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as f:
                if b'[Server:server-' in f.read():
                    pids.append(pid)
        except OSError:
            pass
    return pids


def ticks(stat):
    fields = stat.rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def server_cpu(pids):
    """Processor seconds of the servers, and of their compiler threads."""
    total = jit = 0
    for pid in pids:
        try:
            with open('/proc/%s/stat' % pid) as f:
                total += ticks(f.read())
            for task in os.listdir('/proc/%s/task' % pid):
                with open('/proc/%s/task/%s/stat' % (pid, task)) as f:
                    stat = f.read()
                name = stat[stat.index('(') + 1:stat.rindex(')')]
                if name.startswith(('C1 Comp', 'C2 Comp')):
                    jit += ticks(stat)
        except OSError:
            pass  # a thread or process that ended meanwhile
    return total / HZ, jit / HZ


def machine_cpu():
    with open('/proc/stat') as f:
        values = list(map(int, f.readline().split()[1:]))
    idle = values[3] + values[4]
    return (sum(values) - idle) / HZ, sum(values) / HZ


samples = []  # (time, servers, jit, machine busy, machine total)
done = threading.Event()


def sample():
    while not done.is_set():
        servers, jit = server_cpu(server_pids())
        busy, total = machine_cpu()
        samples.append((time.time(), servers, jit, busy, total))
        time.sleep(0.02)


sampler = threading.Thread(target=sample)
sampler.start()
lines = []
demo = subprocess.Popen(['./demo.sh'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
for line in demo.stdout:
    lines.append((time.time(), line.rstrip()))
demo.wait()
done.set()
sampler.join()
os.makedirs('target', exist_ok=True)
with open('target/demo-cpu.txt', 'w') as out:
    out.write('\n'.join(line for _, line in lines) + '\n')


def nearest(t):
    return min(samples, key=lambda s: abs(s[0] - t))


print('%-17s %8s %7s %12s %8s %14s %12s' % ('load', 'records/s', 'wall s', 'servers cpu s', 'jit s',
                                           'machine busy', 'cpu us/record'))
for marker, name in LOADS:
    start = next((i for i, (_, line) in enumerate(lines) if line.startswith(marker)), None)
    if start is None:
        continue
    end = next(j for j in range(start + 1, len(lines)) if 'records/s' in lines[j][1])
    rate = int(re.search(r'\((\d+) records/s\)', lines[end][1]).group(1))
    t1 = lines[end][0]
    a, b = nearest(t1 - RECORDS / rate), nearest(t1)
    cpu, jit = b[1] - a[1], b[2] - a[2]
    print('%-17s %8d %7.2f %12.2f %8.2f %13.0f%% %12.2f' % (name, rate, RECORDS / rate, cpu, jit,
                                                            100 * (b[3] - a[3]) / max(b[4] - a[4], 1e-9),
                                                            cpu / RECORDS * 1e6))
print(lines[-1][1])
