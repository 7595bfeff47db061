"""PDF export benchmark: the checklist for 1 account, 200 accounts (10 owners) and 1,000 accounts (50 owners),
in one run.

Measured after start-up (Qt, fonts and the program already loaded), median of 5 for 1 account, of 3 for
200, 1 run for 1,000 (with its peak memory). Targets: < 0.3 s and < 1 MB for 1 account, < 3 s for 200,
< 5 s and < 400 MB for 1,000.
Usage: python bench/pdf.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication  # noqa: E402

from kwc_desktop.domain.accounts import Account, group_by_owner  # noqa: E402
from kwc_desktop.domain.checklist import build_plan  # noqa: E402
from kwc_desktop.domain.clock import FixedClock  # noqa: E402
from kwc_desktop.domain.sid import Sid  # noqa: E402
from kwc_desktop.services.checklist_pdf import (  # noqa: E402
    ChecklistInput,
    checklist_font_family,
    lacking_characters,
    write_checklist_pdf,
)
from kwc_desktop.services.program_store import load_program  # noqa: E402

FACTS = [
    {"payment": "invoice", "hq_sms": True, "has_bundles": True},
    {"payment": "paypal", "paypal_2022_usd": 60000, "editions": True},
    {"payment": "card", "ported_toll_free": True},
    {"payment": "card"},
]


def accounts(owners: int, per_owner: int) -> list[Account]:
    from decimal import Decimal

    result = []
    for o in range(owners):
        for a in range(per_owner):
            facts = {k: Decimal(v) if isinstance(v, int) else v for k, v in FACTS[(o + a) % len(FACTS)].items()}
            result.append(Account(f"Account {o:02}-{a:02}", f"owner{o}@example.com", facts=facts))
    return result


def measure(owners: int, per_owner: int, runs: int, folder: Path) -> tuple[float, int, int]:
    program = load_program()
    clock = FixedClock(datetime(2023, 4, 10, 10, 0, tzinfo=program.tz))
    items = accounts(owners, per_owner)
    sids = {a.label: Sid("AC" + f"{n:032x}") for n, a in enumerate(items)}
    times, size, pages = [], 0, 0
    for run in range(runs):
        out = folder / f"bench-{owners * per_owner}-{run}.pdf"
        start = time.perf_counter()
        plan = build_plan(program, group_by_owner(items), clock)
        data = ChecklistInput(plan, "ja", clock.now(), sids)
        pages, _written = write_checklist_pdf(out, data)
        lacking_characters(data)  # as the command line and the Summary page do after writing
        times.append(time.perf_counter() - start)
        size = out.stat().st_size
    return statistics.median(times), size, pages


def _peak_mib() -> float:
    try:
        import resource
    except ImportError:  # Windows: not measured here
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    start = time.perf_counter()
    checklist_font_family()
    load_program()
    startup = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        one = measure(1, 1, 5, Path(folder))
        many = measure(10, 20, 3, Path(folder))
        thousand = measure(50, 20, 1, Path(folder))
    print(f"start-up (font + program): {startup * 1000:.0f} ms")
    print(f"1 account:    {one[0] * 1000:.0f} ms, {one[1] / 1024:.0f} KiB, {one[2]} pages (targets < 300 ms, < 1 MB)")
    print(f"200 accounts: {many[0] * 1000:.0f} ms, {many[1] / 1024:.0f} KiB, {many[2]} pages (target < 3 s)")
    peak = _peak_mib()
    print(f"1,000 accounts: {thousand[0] * 1000:.0f} ms, {thousand[1] / 1024:.0f} KiB, {thousand[2]} pages, "
          f"peak {peak:.0f} MiB (targets < 5 s, < 400 MB)")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
