"""Start-up benchmark: `kwc-desktop --smoke` against a bare PySide6 QWizard with as many empty pages,
in one run (alternating, median of N), plus the median page-switch time over 50 switches.

Time is the whole process, from spawn to exit right after the first paint (both sides pay the same
interpreter start and exit). Memory is the peak RSS of each process (wait4's rusage).
Targets (issue #3): ≤ 1.3× time, ≤ 1.2× memory, page switch < 16 ms.
Usage: QT_QPA_PLATFORM=offscreen python bench/startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

PAGES = 8
BASELINE = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage
app = QApplication(sys.argv[:1])
wizard = QWizard()
for n in range({PAGES}):
    page = QWizardPage(); page.setTitle(f"Page {{n}}"); wizard.addPage(page)
wizard.show()
QTimer.singleShot(0, lambda: (app.processEvents(), wizard.close(), app.quit()))
sys.exit(app.exec())
"""


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[-1]} failed with {status}")
    return elapsed, usage.ru_maxrss / 1024  # ms later; KiB -> MiB


def page_switch_ms(switches: int = 50) -> float:
    """Median time for Next/Back plus the repaint of the new page, in the real window with demo data."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts"))
    from datetime import datetime

    from PySide6.QtWidgets import QApplication
    from screenshots import demo_secrets, fill  # type: ignore[import-not-found]

    from kwc_desktop.app import build_window
    from kwc_desktop.domain.clock import FixedClock
    from kwc_desktop.domain.program import load_program

    app = QApplication.instance() or QApplication([])
    clock = FixedClock(datetime(2023, 4, 10, 10, 0, tzinfo=load_program().tz))
    window = build_window(app, clock=clock, secrets=demo_secrets(), lang="ja", open_keyring=False)  # type: ignore[arg-type]
    window.show()
    fill(window)
    wizard = window.wizard
    wizard.restart()
    times = []
    forward = True
    for _ in range(switches):
        pages = wizard.applicable_pages()
        if wizard.currentId() == pages[-1]:
            forward = False
        elif wizard.currentId() == pages[0]:
            forward = True
        start = time.perf_counter()
        wizard.next() if forward else wizard.back()
        app.processEvents()
        window.repaint()
        times.append((time.perf_counter() - start) * 1000)
    window.close()
    return statistics.median(times)


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "KWC_DESKTOP_DATA_DIR": tempfile.mkdtemp(prefix="kwc-bench-")}
    # Installed apps run from bytecode (pip compiles it at install time): do the same for both sides.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(os.path.dirname(__file__), "..",
                                                                           "kwc_desktop")], check=True, env=env)
    app_cmd = [sys.executable, "-m", "kwc_desktop", "--smoke"]
    base_cmd = [sys.executable, "-c", BASELINE]
    run(app_cmd, env)  # warm the file cache and build the translation cache once
    run(base_cmd, env)
    app_runs, base_runs = [], []
    for _ in range(runs):
        app_runs.append(run(app_cmd, env))
        base_runs.append(run(base_cmd, env))
    app_time = statistics.median(t for t, _ in app_runs) * 1000
    base_time = statistics.median(t for t, _ in base_runs) * 1000
    app_mem = statistics.median(m for _, m in app_runs)
    base_mem = statistics.median(m for _, m in base_runs)
    switch = page_switch_ms()
    print(f"first paint + exit: kwc-desktop {app_time:.0f} ms, bare QWizard ({PAGES} pages) {base_time:.0f} ms, "
          f"ratio {app_time / base_time:.2f} (target ≤ 1.30)")
    print(f"peak RSS:           kwc-desktop {app_mem:.1f} MiB, bare QWizard {base_mem:.1f} MiB, "
          f"ratio {app_mem / base_mem:.2f} (target ≤ 1.20)")
    print(f"page switch:        median {switch:.1f} ms over 50 switches (target < 16 ms)")
    print(f"({runs} runs each, alternating, median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
