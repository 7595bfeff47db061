"""Helpers for the reliability tests: the installed `kwc-desktop` started as a user starts it, offline,
offscreen, with its own data folder and HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens there: any network use would fail loudly
OFFLINE = {name: CLOSED_PORT for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                                          "all_proxy")}
IN_CI = os.environ.get("KWC_TEST_REAL_KEYRING") == "1"  # scripts/test.sh: the installed app must be there


def installed_app() -> Path:
    """The `kwc-desktop` command the install put beside this Python (scripts/test.sh: .venv/bin)."""
    found = shutil.which("kwc-desktop", path=os.path.dirname(sys.executable))
    if found is None:
        if IN_CI:
            pytest.fail("kwc-desktop is not installed beside the test Python")
        pytest.skip("kwc-desktop is not installed beside this Python (scripts/test.sh installs it)")
    return Path(found)


def app_env(data_dir: Path, home: Path | None = None, **extra: str) -> dict[str, str]:
    env = {**os.environ, **OFFLINE, "QT_QPA_PLATFORM": "offscreen", "KWC_DESKTOP_DATA_DIR": str(data_dir),
           "PYTHONPATH": str(REPO), "LANG": "en_US.UTF-8"}
    if home is not None:
        env["HOME"] = str(home)
    env.update(extra)
    return env


def run_app(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(installed_app()), *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=timeout, cwd=REPO)


def mount_tmpfs(folder: Path, size: str) -> None:
    """A small tmpfs at `folder`: a disk that really fills. It needs root: scripts/test.sh (CI) runs as root,
    so there a machine that cannot mount one fails the test instead of skipping it."""
    folder.mkdir(parents=True, exist_ok=True)
    give_up = pytest.fail if IN_CI else pytest.skip
    if os.geteuid() != 0 or shutil.which("mount") is None:
        give_up("mounting a small tmpfs needs root (scripts/test.sh runs as root)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        give_up(f"this machine does not allow mounting a tmpfs: {done.stderr.decode().strip()}")


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)
