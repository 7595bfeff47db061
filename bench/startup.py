"""Start-up benchmark: `kwc-desktop --smoke` against its floor — bench/welcome_widgets.py, the same widgets
as the first paint in plain PySide6 with no app code — and against a bare PySide6 QWizard with as many
empty pages (bench/baseline_wizard.py), in one run (alternating, median of N), plus the median page-switch
time over 50 switches.

First paint is the time from spawn until the window has painted once (each process reports it, see
bench/measure.py); exit is the time until the process has ended. Memory is the peak RSS of each process.
All three run in Japanese (the app's Japanese catalogues and Qt's are loaded, as for most users).
Targets (issue «Start-up at Qt's own floor»): first paint ≤ 1.15× the floor, peak memory ≤ 1.10× the
floor, page switch < 16 ms.
With valgrind installed (apt-get install valgrind), it also counts the instructions app and floor execute,
spawn to exit: a ratio that does not move with the machine's load, as the times do (bench/measure.py).
Usage: QT_QPA_PLATFORM=offscreen python bench/startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from measure import instructions, median, run  # type: ignore[import-not-found]

HERE = os.path.dirname(os.path.abspath(__file__))
PAGES = 8  # as bench/baseline_wizard.py
JAPANESE = {"LANG": "ja_JP.UTF-8", "LANGUAGE": "ja"}  # what the app and Qt read for the user's language


def page_switch_ms(switches: int = 50) -> float:
    """Median time for Next/Back plus the repaint of the new page, in the real window with demo data."""
    sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
    from datetime import datetime

    from PySide6.QtWidgets import QApplication
    from screenshots import demo_secrets, fill  # type: ignore[import-not-found]

    from kwc_desktop.app import build_window
    from kwc_desktop.domain.clock import FixedClock
    from kwc_desktop.services.program_store import load_program

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
    # A home of its own, not KWC_DESKTOP_DATA_DIR: the user's start path asks platformdirs for the folder.
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "HOME": tempfile.mkdtemp(prefix="kwc-bench-"), **JAPANESE}
    for name in ("LC_ALL", "LC_MESSAGES", "KWC_DESKTOP_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        env.pop(name, None)
    # Installed apps run from bytecode (pip compiles it at install time): do the same for both sides.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # The real path, as pip compiles it: bytecode compiled as …/bench/../kwc_desktop/… records that other
    # file name, and Python fixes every code object up at each start (measured: 1.40× instead of 1.17×).
    package = os.path.normpath(os.path.join(HERE, "..", "kwc_desktop"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", package, HERE], check=True, env=env)
    # The baselines run as modules from their folder too: a script named on the command line is compiled
    # from source at every start (5 ms of the floor, measured), a module is read from its bytecode.
    commands = {"kwc-desktop": ([sys.executable, "-m", "kwc_desktop", "--smoke"], None),
                "bare QWizard": ([sys.executable, "-m", "baseline_wizard"], HERE),
                "same widgets": ([sys.executable, "-m", "welcome_widgets"], HERE)}
    for command, folder in commands.values():
        run(command, env, folder)  # warm the file cache; the app builds its caches (translations, program)
    results: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, folder) in commands.items():
            results[name].append(run(command, env, folder))
    app, base, floor = results["kwc-desktop"], results["bare QWizard"], results["same widgets"]
    for label, field, unit, target in (("first paint", "first_paint_ms", "ms", 1.15),
                                       ("paint + exit", "exit_ms", "ms", None),
                                       ("peak RSS", "peak_mib", "MiB", 1.10)):
        a, b, w = median(app, field), median(base, field), median(floor, field)
        goal = f" (target ≤ {target:.2f})" if target else ""
        print(f"{label + ':':14s}kwc-desktop {a:6.1f} {unit}, its floor (bench/welcome_widgets.py) {w:6.1f} {unit}: "
              f"ratio {a / w:.2f}{goal}")
        print(f"{'':14s}bare QWizard ({PAGES} pages) {b:6.1f} {unit}: kwc-desktop is {a / b:.2f}× that, the floor "
              f"{w / b:.2f}×")
    print(f"page switch:  median {page_switch_ms():.1f} ms over 50 switches (target < 16 ms)")
    print(f"({runs} runs each, alternating, median)")
    app_count, floor_count = (instructions(commands[name][0], env, commands[name][1])
                              for name in ("kwc-desktop", "same widgets"))
    if app_count is not None and floor_count is not None:
        print(f"instructions, spawn to exit (valgrind): kwc-desktop {app_count / 1e6:.0f} M, its floor "
              f"{floor_count / 1e6:.0f} M: ratio {app_count / floor_count:.3f} (median of 3; the same in every run)")
    else:
        print("instructions: not counted (install valgrind for a count that does not move with the machine's load)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
