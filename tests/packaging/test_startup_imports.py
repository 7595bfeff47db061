"""The start-up regression check (issue «Start-up at Qt's own floor»), with no timing: the modules the first
paint needs — ours, and the third-party packages — are compared with a committed list. A new import on the
start path fails here until tests/data/startup_modules.txt is updated on purpose (and the first paint
measured again with bench/startup.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import REPO
from tests.reliability.conftest import installed_app

LISTED = REPO / "tests" / "data" / "startup_modules.txt"


def first_paint_modules(tmp_path: Path, **extra_env: str) -> tuple[set[str], set[str]]:
    """The installed app's --smoke, on the user's start path: (the list it writes, every module loaded)."""
    listing = tmp_path / "modules.txt"
    env = {**os.environ, "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "KWC_DESKTOP_LIST_IMPORTS": str(listing),
           **extra_env}
    env.pop("KWC_DESKTOP_DATA_DIR", None)  # the user's start path: the data folder from platformdirs
    env.pop("XDG_DATA_HOME", None)
    result = subprocess.run([str(installed_app()), "--smoke"], env=env, capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    every = Path(f"{listing}.all").read_text(encoding="utf-8").split()
    return set(listing.read_text(encoding="utf-8").split()), set(every)


def test_the_first_paint_imports_only_what_it_did(tmp_path):
    now, _ = first_paint_modules(tmp_path)
    before = set(LISTED.read_text(encoding="utf-8").split())
    added, gone = sorted(now - before), sorted(before - now)
    assert not added, f"new on the start path: {added} (measure bench/startup.py, then update {LISTED.name})"
    assert not gone, f"no longer on the start path: {gone} (update {LISTED.name})"


def test_what_the_interpreter_loads_before_the_app_is_not_on_the_list(tmp_path):
    # Debian's python3 imports a sitecustomize before the app's first line (Ubuntu's imports apport's hook
    # from it): that is the interpreter's start, not the app's, and the list must not depend on it.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text("import interpreter_hook\n", encoding="utf-8")
    (hooks / "interpreter_hook.py").write_text("", encoding="utf-8")
    now, every = first_paint_modules(tmp_path, PYTHONPATH=str(hooks))
    assert {"sitecustomize", "interpreter_hook"} <= every  # the hooks did run first
    assert now == set(LISTED.read_text(encoding="utf-8").split())
