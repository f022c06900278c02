"""Run a command and report the peak memory and the CPU time of it and every process it starts (the preview's
workers, their fork server), summed: `/usr/bin/time -v` reports the largest single process only, and counts no CPU
time of the workers, which are the fork server's children.

    .venv/bin/python benchmarks/tree_memory.py -- .venv/bin/python manage.py import_members ...

Samples /proc four times a second: the peak of the summed resident sets (RSS; pages shared between the processes,
such as those a worker shares with the fork server it was forked from, counted in each) and of the summed
proportional sets (PSS: each shared page divided between the processes sharing it), and the largest number of
processes seen at once; and the CPU time (user and system) of the command's own process and of the others, as last
seen before each ended (so up to a quarter of a second of each is missed).
"""

import os
import subprocess
import sys
import time


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(child) for child in children.read().split()]
        except OSError:
            pass
    return found


def _tree(pid: int) -> list[int]:
    pids, index = [pid], 0
    while index < len(pids):
        pids += _children(pids[index])
        index += 1
    return pids


def _kilobytes(pid: int, path: str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    command = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    started = time.monotonic()
    process = subprocess.Popen(command)
    peak_rss = peak_pss = peak_processes = 0
    cpu = {}  # pid → CPU seconds, as last seen
    while process.poll() is None:
        pids = _tree(process.pid)
        for pid in pids:
            if (seconds := _cpu_seconds(pid)) is not None:
                cpu[pid] = seconds
        peak_rss = max(peak_rss, sum(_kilobytes(pid, "status", "VmRSS:") for pid in pids))
        peak_pss = max(peak_pss, sum(_kilobytes(pid, "smaps_rollup", "Pss:") for pid in pids))
        peak_processes = max(peak_processes, len(pids))
        time.sleep(0.25)
    print(
        f"tree_memory: {time.monotonic() - started:.1f} s; peak of the summed RSS {peak_rss / 1024:.0f} MB, of the"
        f" summed PSS {peak_pss / 1024:.0f} MB, over up to {peak_processes} processes; CPU {cpu.get(process.pid, 0):.1f} s"
        f" in the command's process, {sum(cpu.values()) - cpu.get(process.pid, 0):.1f} s in the others;"
        f" exit code {process.returncode}",
        file=sys.stderr,
    )
    sys.exit(process.returncode)


if __name__ == "__main__":
    main()
