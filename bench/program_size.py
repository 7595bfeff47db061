"""Program size benchmark: a program of 1,000 / 2,000 / 4,000 / 12,500 procedures (one contact and one milestone per
ten of them), loaded and planned for the second program's profile, as `kwc-desktop plan --json` does, median of 3.
Planning must grow with the program's size, no faster: the baseline in the same run is the smallest program, and
the ratio of time per procedure to it must stay below 1.5, so work done once per procedure for every
procedure shows at once.

Usage: python bench/program_size.py [largest]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kwc_desktop.domain.answers import answers_from_profile  # noqa: E402
from kwc_desktop.domain.profile import read_profile  # noqa: E402
from kwc_desktop.domain.session import Session  # noqa: E402
from kwc_desktop.services.calendar import calendar_bytes  # noqa: E402
from kwc_desktop.services.program_store import load_program_file  # noqa: E402
from kwc_desktop.services.reports import overview_text, plan_json, plan_text  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SECOND_PROGRAM = REPO / "tests" / "data" / "program_reseller_exit.toml"
SECOND_PROFILE = REPO / "tests" / "data" / "profile_reseller_exit.toml"
SIZES = (1_000, 2_000, 4_000, 12_500)
RUNS = 3


def program_of(procedures: int) -> str:
    """The second program (tests/data/program_reseller_exit.toml) with `procedures` more procedures, half of
    them per owner, each after the one before, with two steps (the second requires the first), a reason that
    quotes a fact, and one more contact and milestone per ten procedures."""
    base = SECOND_PROGRAM.read_text(encoding="utf-8")
    extra = []
    for n in range(procedures // 10 + 1):
        extra.append(f'[[contacts]]\nid = "desk-{n}"\nname.ja = "窓口 {n}"\nname.en = "Desk {n}"\n'
                     f'channel.ja = "フォーム"\nchannel.en = "Form"\n\n'
                     f'[[milestones]]\nid = "due-{n}"\nat = 2024-12-{1 + n % 28:02d}\n'
                     f'label.ja = "期限 {n}"\nlabel.en = "Due {n}"\n\n')
    for n in range(procedures):
        after = f'after = ["extra-{n - 1}"]\n' if n else 'after = ["opt-in"]\n'
        extra.append(
            f'[[procedures]]\nid = "extra-{n}"\nscope = "{"owner" if n % 2 else "account"}"\n'
            f'contact = "desk-{n // 10}"\n{after}'
            f'title.ja = "追加の手続き {n}"\ntitle.en = "Extra procedure {n}"\n'
            f'summary.ja = "手続き {n} の概要"\nsummary.en = "What procedure {n} is about"\n\n'
            f'  [[procedures.applies_if]]\n  has_numbers = true\n'
            f'  reason.ja = "電話番号: {{has_numbers}}"\n  reason.en = "Numbers: {{has_numbers}}"\n\n'
            f'  [[procedures.steps]]\n  id = "prepare"\n  text.ja = "準備する {n}"\n  text.en = "Prepare {n}"\n'
            f'  deadline = "due-{n // 10}"\n\n'
            f'  [[procedures.steps]]\n  id = "send"\n  text.ja = "送る {n}"\n  text.en = "Send {n}"\n'
            f'  requires = ["prepare"]\n  from = "switch-day"\n\n')
    cut = base.index("[bundles]")
    return base[:cut] + "".join(extra) + base[cut:]


def plan_everything(path: Path) -> int:
    """Load the program and produce every report of its plan (JSON, text, overview, calendar): output bytes."""
    program = load_program_file(path)
    answers, sids, _ = answers_from_profile(read_profile(SECOND_PROFILE.read_bytes(), program))
    session = Session(program, answers)
    moment = datetime(2024, 9, 1, 9, 0, tzinfo=program.tz)
    session.set_as_of(moment)
    session.secrets.sids.update(sids)
    out = json.dumps(plan_json(session, "en"), ensure_ascii=False)
    out += plan_text(session, "en") + overview_text(session, "en")
    return len(out) + len(calendar_bytes(session.plan(), "en", moment))


def main() -> int:
    largest = int(sys.argv[1]) if len(sys.argv) > 1 else SIZES[-1]
    sizes = [n for n in SIZES if n <= largest]
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        baseline: float | None = None
        print(f"Program size: loaded and planned (JSON, text, overview, calendar), median of {RUNS}")
        for size in sizes:
            path = Path(folder) / f"program-{size}.toml"
            path.write_text(program_of(size), encoding="utf-8")
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                plan_everything(path)
                times.append(time.perf_counter() - start)
            seconds = statistics.median(times)
            per_procedure = seconds / size
            baseline = baseline or per_procedure
            ratio = per_procedure / baseline
            ok &= ratio < 1.5
            print(f"  {size:>6,} procedures ({path.stat().st_size / 1e6:5.1f} MB) {seconds:7.2f} s  "
                  f"{per_procedure * 1e3:6.2f} ms each  {ratio:4.2f}× the baseline's per procedure")
    print(f"  target: per procedure < 1.5× the smallest program's: {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
