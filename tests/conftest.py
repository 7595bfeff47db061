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


@pytest.fixture(scope="session")
def program() -> Program:
    return load_program()


def jst(program: Program, text: str) -> datetime:
    """A moment written in JST, e.g. jst(p, "2023-04-21T23:59")."""
    return datetime.fromisoformat(text).replace(tzinfo=program.tz)


def clock_at(program: Program, text: str) -> FixedClock:
    return FixedClock(jst(program, text))
