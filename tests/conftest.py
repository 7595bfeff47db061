"""Shared fixtures. Qt runs offscreen; app data goes to a temporary folder; the clock is injected."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kwc_desktop.domain.clock import FixedClock  # noqa: E402
from kwc_desktop.domain.program import Program  # noqa: E402
from kwc_desktop.services.program_store import load_program  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.toml"))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("appdata")
    monkeypatch.setenv("KWC_DESKTOP_DATA_DIR", str(folder))
    return folder


WINE_INTERNAL_ERROR = 1359  # ERROR_INTERNAL_ERROR: Wine's CreateProcess now and then, under load


@pytest.fixture(autouse=True)
def _wine_starts_processes_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under Wine (scripts/test-windows.sh) starting a process sometimes fails with WinError 1359, an
    internal error of Wine's, not of the app: the start is tried again (twice at most). On Linux nothing
    changes (a real Windows would retry the same genuinely rare error)."""
    import subprocess
    import sys

    if sys.platform != "win32":
        return
    original = subprocess.Popen.__init__

    def started(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        for attempt in range(3):
            try:
                return original(self, *args, **kwargs)
            except OSError as error:
                if getattr(error, "winerror", None) != WINE_INTERNAL_ERROR or attempt == 2:
                    raise
        return None

    monkeypatch.setattr(subprocess.Popen, "__init__", started)


@pytest.fixture(scope="session")
def program() -> Program:
    return load_program()


def jst(program: Program, text: str) -> datetime:
    """A moment written in JST, e.g. jst(p, "2023-04-21T23:59")."""
    return datetime.fromisoformat(text).replace(tzinfo=program.tz)


def clock_at(program: Program, text: str) -> FixedClock:
    return FixedClock(jst(program, text))
