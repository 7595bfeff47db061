"""The one place that knows where bundled files live, installed with pip or frozen by PyInstaller."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resource_root() -> Path:
    """Folder holding `resources/` and `i18n/` (the spec's datas mirror these names)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "kwc_desktop"
    package_dir = Path(__file__).resolve().parent
    # Source checkout and editable install: the folders sit beside the package.
    checkout = package_dir.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "resources" / "messages.toml").is_file():
        return checkout
    # Wheel install: pyproject.toml maps them into the package as `_data`.
    return package_dir / "_data"


def resource_path(*parts: str) -> Path:
    """Path of a file under `resources/`."""
    return resource_root().joinpath("resources", *parts)


def i18n_path(*parts: str) -> Path:
    """Path of a file under `i18n/`."""
    return resource_root().joinpath("i18n", *parts)
