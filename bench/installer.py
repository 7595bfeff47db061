"""Installer benchmark: the frozen app against its start-up floor (bench/welcome_widgets.py, the first
paint's widgets in plain PySide6) and a bare 8-page QWizard, both frozen by the same spec, in one run
(bundle size on disk; spawn to first paint, and to exit, alternating, median of N — see bench/measure.py;
peak RSS), in Japanese.
Targets: size ≤ 1.3× the bare QWizard (issue #5); first paint ≤ 1.15× and peak memory ≤ 1.10× the floor
(issue «Start-up at Qt's own floor»).
With valgrind installed (apt-get install valgrind), it also counts the instructions app and floor execute,
spawn to exit: a ratio that does not move with the machine's load, as the times do (bench/measure.py).
Usage: python bench/installer.py [RUNS]   (needs the build extra: pip install -e ".[build]")
       python bench/installer.py --windows [RUNS]   the Windows bundles, built by PyInstaller for Windows
       under Wine in the prefix scripts/test-windows.sh made (size targeted ≤ 1.3×; start-up under Wine
       printed, spawn to exit, not targeted: Wine is not Windows)
       python bench/installer.py --windows-setup [RUNS]   the setup.exe (installer/windows/kwc-desktop.iss,
       Inno Setup from the cache scripts/test-windows.sh filled) of the app against the same setup of the bare
       QWizard: setup size against the one-folder build (target ≤ 0.45× with lzma2), and
       silent install and uninstall times under Wine, alternating, median of RUNS (target ≤ 1.3×)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import instructions, median, run  # type: ignore[import-not-found]

REPO = Path(__file__).resolve().parent.parent


FROZEN = {"0": "kwc-desktop", "1": "baseline-wizard", "welcome": "welcome-widgets"}  # KWC_BUILD_BASELINE -> name


def build(work: Path, baseline: bool | str) -> Path:
    which = baseline if isinstance(baseline, str) else ("1" if baseline else "0")
    env = {**os.environ, "KWC_BUILD_BASELINE": which}
    pyinstaller = os.path.join(os.path.dirname(sys.executable), "pyinstaller")
    subprocess.run([pyinstaller, "--noconfirm", "--log-level", "ERROR", "--distpath", str(work / "dist"),
                    "--workpath", str(work / f"build-{FROZEN[which]}"),
                    str(REPO / "build_installer.spec")], check=True, cwd=REPO, env=env, capture_output=True)
    return work / "dist" / FROZEN[which]


WINE_PREFIX = REPO / ".wine-test" / "prefix"
WINE_PYTHON = WINE_PREFIX / "drive_c" / "Python311" / "python.exe"


def wine_env() -> dict[str, str]:
    return {**os.environ, "WINEPREFIX": str(WINE_PREFIX), "WINEDEBUG": "-all", "LC_ALL": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": "Z:" + str(REPO).replace("/", "\\")}


def windows_path(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")


def wine_build(work: Path, baseline: bool) -> Path:
    env = {**wine_env(), "KWC_BUILD_BASELINE": "1" if baseline else "0"}
    # Python under Wine cannot write to a file handle: its output goes through a pipe.
    subprocess.run(["wine", str(WINE_PYTHON), "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", windows_path(work / "dist"),
                    "--workpath", windows_path(work / ("build-base" if baseline else "build-app")),
                    "build_installer.spec"], check=True, cwd=REPO, env=env, stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT)
    return work / "dist" / ("baseline-wizard" if baseline else "kwc-desktop")


def windows(runs: int) -> int:
    import statistics
    import time

    if not WINE_PYTHON.exists():
        raise SystemExit("run scripts/test-windows.sh first: it makes the Wine prefix")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        app, base = wine_build(work, baseline=False), wine_build(work, baseline=True)
        app_size, base_size = size(app), size(base)
        print(f"Windows bundle size:  kwc-desktop {app_size / 2**20:.0f} MiB, bare QWizard {base_size / 2**20:.0f} "
              f"MiB, ratio {app_size / base_size:.2f} (target ≤ 1.30)")
        env = wine_env()
        times: dict[str, list[float]] = {"kwc-desktop": [], "bare QWizard": []}
        commands = {"kwc-desktop": [str(app / "kwc-desktop.exe"), "--smoke"],
                    "bare QWizard": [str(base / "baseline-wizard.exe")]}
        for _ in range(runs):
            for name, command in commands.items():
                start = time.monotonic()
                subprocess.run(["xvfb-run", "-a", "wine", *command], env=env, check=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=120)
                times[name].append((time.monotonic() - start) * 1000)
        a, b = statistics.median(times["kwc-desktop"]), statistics.median(times["bare QWizard"])
        print(f"under Wine, spawn to exit (Wine and Xvfb start included): kwc-desktop {a:.0f} ms, bare QWizard "
              f"{b:.0f} ms, ratio {a / b:.2f} (not a target: Wine is not Windows; {runs} runs each, median)")
    return 0


def wine_setup(work: Path, bundle: Path, version: str) -> Path:
    """The .iss around `bundle`, compiled by the cached Inno Setup 6.2.0 compiler."""
    iscc = next((REPO / ".wine-test" / "cache").glob("innosetup-compiler-*/bin/ISCC.exe"), None)
    if iscc is None:
        raise SystemExit("run scripts/test-windows.sh first: it fetches Inno Setup")
    subprocess.run(["wine", str(iscc), "/Q", f"/DAppVersion={version}", f"/DSourceDir={windows_path(bundle)}",
                    f"/DOutputDir={windows_path(work)}", windows_path(REPO / "installer/windows/kwc-desktop.iss")],
                   check=True, env=wine_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return work / f"kwc-desktop-setup-{version}.exe"


def windows_setup(runs: int) -> int:
    import shutil
    import statistics
    import time

    if not WINE_PYTHON.exists() or not shutil.which("xvfb-run"):
        raise SystemExit("run scripts/test-windows.sh first: it makes the Wine prefix")
    env = {**wine_env(), "LC_ALL": "ja_JP.UTF-8"}
    user = next(p.name for p in (WINE_PREFIX / "drive_c" / "users").iterdir() if p.name not in ("Public", "root"))
    installed = WINE_PREFIX / "drive_c" / "users" / user / "AppData" / "Local" / "Programs" / "kwc-desktop"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        app, base = wine_build(work, baseline=False), wine_build(work, baseline=True)
        setups = {"kwc-desktop": wine_setup(work, app, "1.0.0"), "bare QWizard": wine_setup(work, base, "0.0.1")}
        print(f"setup.exe {size_of(setups['kwc-desktop']) / 2**20:.1f} MiB vs its one-folder build "
              f"{size(app) / 2**20:.1f} MiB: {size_of(setups['kwc-desktop']) / size(app):.2f}× (target ≤ 0.45×, lzma2)")
        times: dict[str, dict[str, list[float]]] = {name: {"install": [], "uninstall": []} for name in setups}
        for _ in range(runs):
            for name, setup in setups.items():
                start = time.monotonic()
                subprocess.run(["xvfb-run", "-a", "wine", str(setup), "/VERYSILENT", "/SUPPRESSMSGBOXES",
                                "/CURRENTUSER", "/NORESTART"], env=env, check=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=600)
                times[name]["install"].append(time.monotonic() - start)
                start = time.monotonic()
                subprocess.run(["xvfb-run", "-a", "wine", str(installed / "unins000.exe"), "/VERYSILENT",
                                "/SUPPRESSMSGBOXES", "/NORESTART"], env=env, check=False, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=600)
                # The uninstaller copies itself to %TEMP% and goes on from there: its exit status is the
                # copy's start (53 under xvfb-run), not the removal. Done is when the folder is gone.
                while installed.exists() and time.monotonic() - start < 300:
                    time.sleep(0.1)
                if installed.exists():
                    raise SystemExit(f"{name}: the uninstaller left {installed}")
                times[name]["uninstall"].append(time.monotonic() - start)
        for step in ("install", "uninstall"):
            a, b = (statistics.median(times[name][step]) for name in setups)
            print(f"silent {step} under Wine: kwc-desktop {a:.1f} s, bare QWizard {b:.1f} s, ratio {a / b:.2f} "
                  f"(target ≤ 1.30; {runs} runs each, alternating, median)")
    return 0


def size_of(path: Path) -> int:
    return path.stat().st_size


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    if sys.argv[1:2] == ["--windows-setup"]:
        return windows_setup(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    if sys.argv[1:2] == ["--windows"]:
        return windows(int(sys.argv[2]) if len(sys.argv) > 2 else 5)
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        app, base, floor = build(work, baseline=False), build(work, baseline=True), build(work, baseline="welcome")
        # A home of its own, not KWC_DESKTOP_DATA_DIR: the user's start path asks platformdirs for the folder.
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "HOME": str(work / "home"), "LANG": "ja_JP.UTF-8", "LANGUAGE": "ja"}
        for name in ("LC_ALL", "LC_MESSAGES", "KWC_DESKTOP_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
            env.pop(name, None)
        commands = {"app": [str(app / "kwc-desktop"), "--smoke"], "base": [str(base / "baseline-wizard")],
                    "floor": [str(floor / "welcome-widgets")]}
        for command in commands.values():
            run(command, env)  # warm the file cache; the app builds its program cache
        results: dict[str, list] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                results[name].append(run(command, env))
        app_size, base_size = size(app), size(base)
        counted = {name: instructions(command, env) for name, command in commands.items() if name != "base"}
    print(f"bundle size:  kwc-desktop {app_size / 2**20:.0f} MiB, bare QWizard {base_size / 2**20:.0f} MiB, "
          f"ratio {app_size / base_size:.2f} (target ≤ 1.30)")
    for label, field, unit, target in (("first paint:", "first_paint_ms", "ms", " (target ≤ 1.15)"),
                                       ("paint + exit:", "exit_ms", "ms", ""),
                                       ("peak RSS:", "peak_mib", "MiB", " (target ≤ 1.10)")):
        a, b, w = (median(results[name], field) for name in ("app", "base", "floor"))
        print(f"{label:14s}kwc-desktop {a:.0f} {unit}, its floor (frozen bench/welcome_widgets.py) {w:.0f} {unit}: "
              f"ratio {a / w:.2f}{target}; bare QWizard {b:.0f} {unit}: {a / b:.2f}×")
    print(f"({runs} runs each, alternating, median)")
    if counted["app"] is not None and counted["floor"] is not None:
        print(f"instructions, spawn to exit (valgrind): kwc-desktop {counted['app'] / 1e6:.0f} M, its floor "
              f"{counted['floor'] / 1e6:.0f} M: ratio {counted['app'] / counted['floor']:.3f} (median of 3; the same "
              f"in every run, unlike the times above)")
    else:
        print("instructions: not counted (install valgrind for a count that does not move with the machine's load)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
