"""Where the app keeps its files on each platform."""

from __future__ import annotations

import os
from pathlib import Path

from kwc_desktop import APP_NAME

DATA_DIR_ENV = "KWC_DESKTOP_DATA_DIR"


def app_data_dir() -> Path:
    """The platform's per-user app-data folder (or $KWC_DESKTOP_DATA_DIR, for tests and portables):
    %APPDATA%\\kwc-desktop on Windows (the roaming Known Folder), ~/Library/Application Support/kwc-desktop
    on macOS, $XDG_DATA_HOME/kwc-desktop (~/.local/share/kwc-desktop) elsewhere. These are the folders the
    app used before it asked platformdirs, so nothing has to move."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))
