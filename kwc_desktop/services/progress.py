"""The user's progress (answers and check marks, never secrets), autosaved as versioned JSON.

Written atomically: a temp file in the same folder, fsync, then os.replace, so a crash at any point
leaves either the old file or the new one. A damaged file, or one from a newer version of the app,
is moved aside and reported, never silently dropped.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kwc_desktop.domain.text import UserError

logger = logging.getLogger(__name__)

PROGRESS_VERSION = 1
PROGRESS_FILE = "progress.json"
_TEMP_PREFIX = ".progress-"
# Anything shaped like a Twilio SID, key or Auth Token (32 hex digits) must never reach this file.
_SECRET_SHAPE = re.compile(r"(?i)(AC|BU|PN|SK)[0-9a-f]{32}|(?<![0-9a-z])[0-9a-f]{32}(?![0-9a-z])")


class ProgressWriteFailed(UserError):
    def __init__(self, reason: str) -> None:
        super().__init__("progress.write_failed", reason=reason)


@dataclass(frozen=True)
class LoadedProgress:
    state: dict[str, Any]
    notice: UserError | None = None  # what to tell the user (a file moved aside)


class ProgressStore:
    """progress.json in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / PROGRESS_FILE

    def load(self) -> LoadedProgress:
        self._remove_stale_temp_files()
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LoadedProgress({})
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
                raise ValueError("not a progress document")
            version = data.get("version")
            if not isinstance(version, int) or version < 1:
                raise ValueError("no version")
        except (ValueError, UnicodeDecodeError):
            return LoadedProgress({}, UserError("progress.moved_corrupt", path=self._move_aside("corrupt")))
        if version > PROGRESS_VERSION:
            return LoadedProgress({}, UserError("progress.moved_newer", path=self._move_aside(f"v{version}")))
        return LoadedProgress(data["state"])

    def save(self, state: dict[str, Any]) -> None:
        document = {"version": PROGRESS_VERSION, "saved_at": datetime.now(UTC).isoformat(), "state": state}
        text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
        if _SECRET_SHAPE.search(text):
            # A programming error, not a user one: refuse rather than write a secret to disk.
            raise ValueError("progress state contains something shaped like a SID or token; refusing to save it")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(temp_name, self.path)
            except BaseException:
                Path(temp_name).unlink(missing_ok=True)
                raise
            self._sync_folder()
        except OSError as e:
            raise ProgressWriteFailed(e.strerror or type(e).__name__) from None

    def _sync_folder(self) -> None:
        # Make the rename itself durable (POSIX); Windows has no directory handles for this.
        if os.name != "posix":
            return
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _move_aside(self, why: str) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = self.folder / f"progress.{why}-{stamp}.json"
        os.replace(self.path, target)
        logger.warning("progress file moved aside to %s (%s)", target, why)
        return str(target)

    def _remove_stale_temp_files(self) -> None:
        # Left by a crash mid-write. A young one may belong to a save under way: leave it.
        cutoff = datetime.now(UTC).timestamp() - 60
        for leftover in self.folder.glob(f"{_TEMP_PREFIX}*.tmp"):
            try:
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
            except OSError:
                pass
