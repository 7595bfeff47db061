"""The user's progress (answers and check marks, never secrets), autosaved as versioned JSON.

Written atomically: a temp file in the same folder, fsync, then os.replace, so a crash at any point
leaves either the old file or the new one. A damaged file, or one from a newer version of the app,
is moved aside and reported, never silently dropped. When it cannot be moved aside (a read-only
folder), it is left where it is and never overwritten.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kwc_desktop.domain.limits import MAX_PROGRESS_BYTES
from kwc_desktop.domain.records import record
from kwc_desktop.domain.secret_shape import looks_like_secret
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.files import read_user_file

logger = logging.getLogger(__name__)

PROGRESS_VERSION = 1
PROGRESS_FILE = "progress.json"
TEMP_PREFIX = ".progress-"
STALE_AFTER_S = 60  # a younger temp file may belong to a save under way in another process


class ProgressWriteFailed(UserError):
    def __init__(self, reason: str) -> None:
        super().__init__("progress.write_failed", reason=reason)


class ProgressRefused(UserError):
    """The state holds something shaped like a SID or token: it is not written (a bug, not the user's)."""

    def __init__(self) -> None:
        super().__init__("progress.refused_secret")


@record
class LoadedProgress:
    state: dict[str, Any]
    notice: UserError | None = None  # what to tell the user (a file moved aside, or left in place)


class ProgressStore:
    """progress.json in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / PROGRESS_FILE
        self._protected: str | None = None  # a damaged file that could not be moved aside: never overwrite it

    def load(self, read_only: bool = False) -> LoadedProgress:
        """The saved state. A damaged or newer file is moved aside (read_only: only reported)."""
        try:
            raw = read_user_file(self.path, MAX_PROGRESS_BYTES)
        except UserError as e:
            if e.key == "file.not_found":
                return LoadedProgress({})
            if e.key == "file.unreadable":  # no permission, I/O error: leave it, never overwrite it
                self._protected = "unreadable"
                return LoadedProgress({}, UserError("progress.unreadable", path=str(self.path),
                                                    reason=str(e.params.get("reason", ""))))
            return self._set_aside("corrupt", read_only)
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
                raise ValueError("not a progress document")
            version = data.get("version")
            if type(version) is not int or version < 1:
                raise ValueError("no version")
        except (ValueError, UnicodeDecodeError, RecursionError):
            return self._set_aside("corrupt", read_only)
        if version > PROGRESS_VERSION:
            return self._set_aside(f"v{min(version, 10**6)}", read_only)
        return LoadedProgress(data["state"])

    def keep_copy(self, why: str) -> UserError:
        """Copy the file as it is beside it (some of its values could not be used), and say where.
        Until the copy exists, the file is never overwritten."""
        target = self._side_name(why)
        try:
            raw = self.path.read_bytes()
            self._write_atomically(target, raw)
        except OSError as e:
            self._protected = why
            logger.warning("could not keep a copy of the progress file: %s", type(e).__name__)
            return UserError("progress.partly_kept_in_place", path=str(self.path))
        return UserError("progress.partly_read", path=str(target))

    def _set_aside(self, why: str, read_only: bool) -> LoadedProgress:
        if read_only:
            self._protected = why
            return LoadedProgress({}, UserError("progress.damaged_left", path=str(self.path)))
        try:
            target = self._side_name(why)
            os.replace(self.path, target)
        except OSError as e:
            self._protected = why
            logger.warning("could not move the damaged progress file aside: %s", type(e).__name__)
            return LoadedProgress({}, UserError("progress.damaged_left", path=str(self.path)))
        logger.warning("progress file moved aside (%s)", why)
        key = "progress.moved_corrupt" if why == "corrupt" else "progress.moved_newer"
        return LoadedProgress({}, UserError(key, path=str(target)))

    def _side_name(self, why: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        return self.folder / f"progress.{why}-{stamp}.json"

    def save(self, state: dict[str, Any]) -> None:
        document = {"version": PROGRESS_VERSION, "saved_at": datetime.now(UTC).isoformat(), "state": state}
        text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
        if looks_like_secret(text):
            raise ProgressRefused()
        if self._protected is not None:
            # The damaged file is still where it was: try once more to move it aside before writing.
            try:
                if self.path.exists():
                    os.replace(self.path, self._side_name(self._protected))
                self._protected = None
            except OSError as e:
                raise ProgressWriteFailed(e.strerror or type(e).__name__) from None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write_atomically(self.path, text.encode("utf-8"))
        except OSError as e:
            raise ProgressWriteFailed(e.strerror or type(e).__name__) from None

    def _write_atomically(self, target: Path, data: bytes) -> None:
        from kwc_desktop.services.files import replace_atomically

        replace_atomically(target, data, TEMP_PREFIX)
        self._sync_folder()

    def _sync_folder(self) -> None:
        # Make the rename itself durable (POSIX); Windows has no directory handles for this.
        if os.name != "posix":
            return
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def remove_temp_files(self, every_one: bool = False) -> int:
        """Delete temp files left by a save that was killed. `every_one`: the caller holds the instance
        lock, so no other process can be writing one; otherwise only those older than a minute."""
        cutoff = datetime.now(UTC).timestamp() - STALE_AFTER_S
        removed = 0
        try:
            leftovers = list(self.folder.glob(f"{TEMP_PREFIX}*.tmp"))
        except OSError:
            return 0
        for leftover in leftovers:
            try:
                if every_one or leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
                    removed += 1
            except OSError:
                pass
        return removed
