"""Overview benchmark: what's next for 1,000 accounts in 50 owners — every procedure's next step, sorted by
date — built from the plan, median of 7. Target (the issue): < 200 ms. Baseline in the same run: the plan
itself (which the overview reads), so the ratio says what the overview adds.
Usage: python bench/overview.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from bench.pdf import accounts  # noqa: E402  (the PDF benchmark's own mix of accounts)
from kwc_desktop.domain.accounts import group_by_owner  # noqa: E402
from kwc_desktop.domain.checklist import build_plan  # noqa: E402
from kwc_desktop.domain.clock import FixedClock  # noqa: E402
from kwc_desktop.domain.overview import do_next, filtered, rows  # noqa: E402
from kwc_desktop.services.program_store import load_program  # noqa: E402

RUNS = 7


def timed(work) -> float:  # noqa: ANN001
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    program = load_program()
    owners = group_by_owner(accounts(50, 20), {}, {})
    clock = FixedClock(datetime(2023, 4, 10, 10, 0, tzinfo=program.tz))
    plan = build_plan(program, owners, clock)
    found = rows(plan)
    planning = timed(lambda: build_plan(program, owners, clock))
    overview = timed(lambda: (lambda r: (filtered(r, "open"), do_next(r)))(rows(plan)))
    print(f"Overview: 1,000 accounts in 50 owners, {len(found):,} rows, median of {RUNS}")
    print(f"  the plan it reads (baseline)   {planning * 1000:7.1f} ms")
    print(f"  the overview, sorted, filtered {overview * 1000:7.1f} ms  ({overview / planning:.2f}× the plan)")
    ok = overview < 0.2
    print(f"  target < 200 ms: {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
