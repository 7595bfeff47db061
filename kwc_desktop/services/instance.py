"""One running app per data folder: two windows autosaving the same progress file would undo each
other's answers. The lock is an OS file lock, so it goes away with the process, even after kill -9;
a lock file left on disk means nothing by itself."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)
LOCK_FILE = "kwc-desktop.lock"
# Windows: a named mutex held while the app runs, which the installer's AppMutex looks for, so that a setup
# or an uninstall started meanwhile asks to close the app instead of replacing files it has open.
WINDOWS_MUTEX = "kwc-desktop-running"
SPARE_LOCK_FILE = "kwc-desktop.lock-file"  # when LOCK_FILE is a folder, so that the guard still holds


class InstanceLock:
    """Held while this process is the one app using `folder`."""

    def __init__(self, handle: IO[bytes], mutex: int | None = None) -> None:
        self._handle = handle
        self._mutex = mutex

    def release(self) -> None:
        try:
            self._handle.close()  # closing the file drops the OS lock
        except OSError:
            pass
        if self._mutex:
            import ctypes

            ctypes.windll.kernel32.CloseHandle(self._mutex)  # type: ignore[attr-defined]
            self._mutex = None


def _windows_mutex() -> int | None:
    """The installer's sign that the app runs (a handle, closed with the process), or None if not made."""
    import ctypes

    handle = ctypes.windll.kernel32.CreateMutexW(None, False, WINDOWS_MUTEX)  # type: ignore[attr-defined]
    return int(handle) or None


class AlreadyRunning(Exception):
    """Another process holds the lock on this data folder."""


def acquire(folder: Path) -> InstanceLock | None:
    """The lock, None when it cannot be taken here (a read-only folder: then there is nothing to guard),
    or AlreadyRunning when another app holds it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            handle = open(folder / LOCK_FILE, "a+b")  # noqa: SIM115 - held open for the life of the lock
        except IsADirectoryError:  # a folder by that name (made by hand, or by a tool): every app uses the other
            handle = open(folder / SPARE_LOCK_FILE, "a+b")  # noqa: SIM115
    except OSError as e:
        logger.info("no instance lock (%s)", type(e).__name__)
        return None
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        handle.close()
        raise AlreadyRunning() from None
    except OSError as e:
        # EACCES on Windows means held; anything else (a file system without locks) means: cannot guard.
        handle.close()
        if sys.platform == "win32" and getattr(e, "errno", None) in (13, 36):
            raise AlreadyRunning() from None
        logger.info("no instance lock (%s)", type(e).__name__)
        return None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode())
        handle.flush()
    except OSError:
        pass
    return InstanceLock(handle, _windows_mutex() if sys.platform == "win32" else None)
