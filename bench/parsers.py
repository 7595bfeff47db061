"""Parser benchmark (issue «Works on a stock machine…»): each parser against its target, and against the
plain Python it is built on, in the same run, median of 5.

  paste of 50,000 SIDs                < 0.5 s        (baseline: splitting the text into lines)
  CSV of 5,000 rows                   < 0.3 s        (baseline: csv.reader over the same text)
  rejecting a 1,000,000-row CSV       < 0.5 s, < 50 MB  (as the wizard reads it: from a file)
  a profile of 5,000 accounts planned < 1 s          (baseline: tomllib alone)

Usage: python bench/parsers.py
"""

from __future__ import annotations

import csv
import io
import statistics
import sys
import tempfile
import time
import tomllib
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kwc_desktop.domain.checklist import build_plan
from kwc_desktop.domain.clock import FixedClock
from kwc_desktop.domain.csv_import import parse_accounts_csv
from kwc_desktop.domain.limits import MAX_CSV_BYTES
from kwc_desktop.domain.profile import read_profile
from kwc_desktop.domain.sid import parse_sid_list
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.files import read_user_file
from kwc_desktop.services.program_store import load_program

RUNS = 5


def timed(action: Callable[[], Any], runs: int = RUNS) -> float:
    """Median seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mib(action: Callable[[], Any]) -> float:
    """Python memory allocated at the peak of one call, in MiB."""
    tracemalloc.start()
    try:
        action()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / (1024 * 1024)


def refused(action: Callable[[], Any]) -> Callable[[], None]:
    def run() -> None:
        try:
            action()
        except UserError:
            return
        raise SystemExit("expected a refusal")

    return run


def line(name: str, seconds: float, target: float, baseline: float | None = None, extra: str = "") -> bool:
    ok = seconds < target
    ratio = f"  {seconds / baseline:6.1f}× the baseline ({baseline * 1000:7.1f} ms)" if baseline else ""
    print(f"{name:<40} {seconds * 1000:8.1f} ms  target < {target * 1000:.0f} ms  {'ok' if ok else 'MISSED'}"
          f"{ratio}{extra}")
    return ok


def main() -> int:
    program = load_program()
    ok = True
    sids = "\n".join(f"AC{n:032x}" for n in range(50_000))
    ok &= line("paste of 50,000 SIDs", timed(lambda: parse_sid_list(sids)), 0.5,
               timed(lambda: set(sids.splitlines())))

    rows = "label,owner_email,account_sid,kind\r\n" + "".join(
        f"Account {n},owner{n % 40}@example.com,AC{n:032x},standard\r\n" for n in range(5000))
    raw = rows.encode("utf-8")
    ok &= line("CSV of 5,000 rows", timed(lambda: parse_accounts_csv(raw, program)), 0.3,
               timed(lambda: list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))))

    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "million.csv"
        row = b"Account,owner@example.com,AC" + b"0" * 32 + b"\n"
        big.write_bytes(b"label,owner_email,account_sid\n" + row * 1_000_000)
        tiny = Path(folder) / "million-tiny.csv"
        tiny.write_bytes(b"owner_email,account_sid\n" + b"a,b\n" * 1_000_000)
        for name, path in ((f"1,000,000 rows ({big.stat().st_size // 10**6} MB) refused", big),
                           (f"1,000,000 tiny rows ({tiny.stat().st_size // 10**6} MB) refused", tiny)):
            def reject(path: Path = path) -> None:
                parse_accounts_csv(read_user_file(path, MAX_CSV_BYTES), program)

            memory = peak_mib(refused(reject))
            ok &= memory < 50
            ok &= line(name, timed(refused(reject)), 0.5, extra=f"  peak {memory:.1f} MiB (< 50)")

    owners = "".join(
        f'[[owners]]\nemail = "owner{o}@example.com"\nowner_change_planned = false\n'
        + "".join(f'[[owners.accounts]]\nlabel = "Account {o}-{a}"\nsid = "AC{o * 100 + a:032x}"\n'
                  f'payment = "{("card", "invoice", "paypal")[a % 3]}"\nhq_sms = {"true" if a % 4 == 0 else "false"}\n'
                  f'has_bundles = {"true" if a % 5 == 0 else "false"}\npaypal_2022_usd = {a * 1000}\n'
                  for a in range(100))
        for o in range(50))
    profile = ("profile = 1\n" + owners).encode("utf-8")
    clock = FixedClock(datetime(2023, 4, 10, 10, 0, tzinfo=program.tz))

    def planned() -> None:
        build_plan(program, read_profile(profile, program).owners, clock)

    ok &= line(f"profile of 5,000 accounts ({len(profile) // 1024} KiB) planned", timed(planned, 3), 1.0,
               timed(lambda: tomllib.loads(profile.decode("utf-8")), 3))
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
