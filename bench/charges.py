"""Charges benchmark: 1,000,000 call rows priced end to end from the CSV, against the simplest honest
baseline — Python's csv module reading the same file and doing nothing else — in the same run.

Targets (the issue): < 3 s wall and < 300 MB peak memory for the whole pricing; ≤ 1.5× the baseline.
Each measurement runs in a fresh process (peak RSS is that process's, children included), median of 3,
alternating. Usage: python bench/charges.py [--rows N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

ROUNDS = 3


def make_log(path: Path, rows: int) -> None:
    """A realistic log: July–September 2021 (the terms change inside it), 5 outbound numbers, calls of
    0–10 min, a tenth inbound to an outbound number, a tenth not completed, CRLF, Japanese in one column."""
    rng = random.Random(1)
    outs = [f"+81501234{n:04d}" for n in range(5)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("start,direction,from,to,duration,status,memo\r\n")
        for n in range(rows):
            month, day = 7 + (n * 3) // rows, 1 + (n * 28 // max(rows // 3, 1)) % 28
            clock = f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
            start = f"2021-{month:02d}-{day:02d}T{clock}+09:00"
            status = "completed" if rng.random() < 0.9 else "no-answer"
            if rng.random() < 0.6:
                f.write(f"{start},outbound,{rng.choice(outs)},+819012{rng.randrange(10**6):06d},"
                        f"{rng.randrange(600)},{status},\r\n")
            else:
                to = rng.choice(outs) if rng.random() < 0.1 else "+81352000001"
                f.write(f"{start},inbound,+819012{rng.randrange(10**6):06d},{to},{rng.randrange(600)},{status},"
                        f"お問い合わせ\r\n")


def peak_mb() -> float:
    import resource  # POSIX only: the benchmark's numbers are taken on Linux

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def child(kind: str, path: str) -> dict:
    start = time.perf_counter()
    if kind == "baseline":
        import csv

        with open(path, encoding="utf-8-sig", newline="") as f:
            for _row in csv.reader(f):
                pass
        months = 0
    else:
        from kwc_desktop.services.charges import priced, read_log

        log = read_log(Path(path))
        months = len(priced(log, "auto"))
        assert log.rejected_count == 0 and log.rows > 0
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "months": months}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--one", choices=["baseline", "ours"])
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(child(args.one, args.path)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.csv"
        make_log(path, args.rows)
        size = path.stat().st_size
        runs: dict[str, list[dict]] = {"baseline": [], "ours": []}
        for _ in range(ROUNDS):
            for kind in runs:
                done = subprocess.run([sys.executable, __file__, "--one", kind, "--path", str(path)], check=True,
                                      capture_output=True, text=True)
                runs[kind].append(json.loads(done.stdout.splitlines()[-1]))
    base = statistics.median(r["seconds"] for r in runs["baseline"])
    ours = statistics.median(r["seconds"] for r in runs["ours"])
    peak = max(r["peak_mb"] for r in runs["ours"])
    print(f"Charges: {args.rows:,} call rows ({size / 1e6:.0f} MB CSV), {os.cpu_count()} CPUs, median of {ROUNDS}")
    print(f"  csv.reader alone (baseline)  {base:6.2f} s  {args.rows / base:12,.0f} rows/s  "
          f"{max(r['peak_mb'] for r in runs['baseline']):6.1f} MB")
    print(f"  priced end to end (ours)     {ours:6.2f} s  {args.rows / ours:12,.0f} rows/s  {peak:6.1f} MB  "
          f"({runs['ours'][0]['months']} month parts)")
    checks = [(f"wall time {ours:.2f} s", "< 3 s", ours < 3), (f"peak memory {peak:.0f} MB", "< 300 MB", peak < 300),
              (f"ours / baseline {ours / base:.2f}×", "≤ 1.5×", ours <= 1.5 * base)]
    for text, target, ok in checks:
        print(f"  {text:28s} target {target:9s} {'ok' if ok else 'MISSED'}")
    ok = all(met for _, _, met in checks)
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
