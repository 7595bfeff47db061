"""Where the app keeps its files on each platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kwc_desktop import APP_NAME

DATA_DIR_ENV = "KWC_DESKTOP_DATA_DIR"


def app_data_dir() -> Path:
    """The platform's per-user app-data folder (or $KWC_DESKTOP_DATA_DIR, for tests and portables)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME
