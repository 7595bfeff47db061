"""What bench/startup.py and bench/installer.py measure of one process: time from spawn to its first paint,
time from spawn to exit, and peak RSS.

Both the app (`--smoke`) and the baseline print `first-paint-monotonic-ns N` right after the window's first
paint; the parent takes the spawn time on the same clock (CLOCK_MONOTONIC is system-wide on Linux, as
QueryPerformanceCounter and mach_absolute_time are on Windows and macOS).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass

MARK = "first-paint-monotonic-ns"


@dataclass(frozen=True)
class Run:
    first_paint_ms: float
    exit_ms: float
    peak_mib: float


def run(command: list[str], env: dict[str, str], cwd: str | None = None) -> Run:
    start = time.monotonic_ns()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    ended = time.monotonic_ns()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed with {status}")
    painted = next((int(line.split()[1]) for line in output.splitlines() if line.startswith(MARK)), None)
    if painted is None:
        raise SystemExit(f"{command[0]} did not report its first paint")
    return Run((painted - start) / 1e6, (ended - start) / 1e6, usage.ru_maxrss / 1024)


def median(runs: list[Run], field: str) -> float:
    values = sorted(getattr(r, field) for r in runs)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def instructions(command: list[str], env: dict[str, str], cwd: str | None = None, runs: int = 3) -> float | None:
    """Median count of the instructions the process (and any it starts: PyInstaller's bootloader starts the app
    again) executes from spawn to exit, by valgrind's callgrind; None without valgrind. The count is the same
    for the same binary and input whatever else the machine is doing (within 0.05% here), so a difference of
    a few percent between app and floor shows in one run, where wall-clock medians on a shared VM move by
    10%. It is not time (no waits, no cache misses), but it follows the first paint's ratio closely."""
    if shutil.which("valgrind") is None:
        return None
    counts = []
    for _ in range(runs):
        valgrind = ["valgrind", "--tool=callgrind", "--trace-children=yes", "--callgrind-out-file=/dev/null"]
        result = subprocess.run([*valgrind, *command], env=env, cwd=cwd, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{command[0]} failed under valgrind with {result.returncode}")
        counts.append(sum(int(n) for n in re.findall(r"Collected : (\d+)", result.stderr)))
    return statistics.median(counts)
