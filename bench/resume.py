"""Resuming a saved state with many accounts: `kwc-desktop --smoke=resume` (the whole start path: progress
file, keyring pass, the other pages built, the saved page shown) against `--smoke` on the same state (the
first paint only), for 100, 1,000 and 5,000 accounts (PRODUCT: up to 5,000), without a keyring, in one run.
The ratio says what the accounts cost beyond the first paint, so a pass that grows with the square of
the accounts (one redraw of an n-row table per entry read) shows at once.
With a real Secret Service (scripts/test.sh starts one) the pass reads four entries per account, ~1.5 ms
each here, in the background after the first paint: run this inside `dbus-run-session` to see that too.
Usage: python bench/resume.py [RUNS]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (100, 1000, 5000)


def saved_state(folder: Path, accounts: int) -> None:
    state = {"program": "kwc-twilio-japan-2023", "page": "options",
             "accounts": [{"label": f"Account {n}", "owner_email": f"owner{n % 50}@example.com", "kind": "standard",
                           "facts": {"payment": "card"}} for n in range(accounts)]}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "progress.json").write_text(json.dumps({"version": 1, "state": state}), encoding="utf-8")


def seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - start


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    app = [sys.executable, "-m", "kwc_desktop"]
    with tempfile.TemporaryDirectory() as work:
        for size in SIZES:
            data = Path(work) / str(size)
            saved_state(data, size)
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KWC_DESKTOP_DATA_DIR": str(data),
                   "HOME": str(Path(work) / "home")}
            if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
                env["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"  # no keyring: the GUI's own cost
            seconds([*app, "--smoke"], env)  # warm: caches, bytecode
            paint, resume = [], []
            for _ in range(runs):
                paint.append(seconds([*app, "--smoke"], env))
                resume.append(seconds([*app, "--smoke=resume"], env))
            a, b = statistics.median(resume), statistics.median(paint)
            print(f"{size:5d} accounts: resume {a:6.2f} s, first paint only {b:5.2f} s: ratio {a / b:5.2f} "
                  f"({runs} runs each, median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
