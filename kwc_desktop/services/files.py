"""Reading the files a user points the app at (profiles, CSV imports): bounded, and never blocking.

A FIFO would block `open()` until someone writes to it, /dev/zero would fill the memory, a 13 MB
profile would take a minute: so only regular files are read, and never more than the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kwc_desktop.domain.text import UserError


def read_user_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, or a UserError saying why not."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UserError("file.not_found") from None
    except (OSError, ValueError) as e:  # ValueError: a NUL in the path
        raise UserError("file.unreadable", reason=getattr(e, "strerror", None) or type(e).__name__) from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError("file.is_directory")
    if not stat.S_ISREG(info.st_mode):
        raise UserError("file.not_regular")
    if info.st_size > max_bytes:
        raise UserError("file.too_large", max=_size(max_bytes))
    try:
        # O_NONBLOCK: should the path have become a FIFO since the stat, open() still returns at once.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UserError("file.not_found") from None
    except OSError as e:
        raise UserError("file.unreadable", reason=e.strerror or type(e).__name__) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UserError("file.not_regular")
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise UserError("file.unreadable", reason=e.strerror or type(e).__name__) from None
    finally:
        os.close(fd)
    if size > max_bytes:  # it grew since the stat
        raise UserError("file.too_large", max=_size(max_bytes))
    return b"".join(chunks)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count >= 1024 * 1024 else f"{count // 1024} KiB"


def replace_atomically(target: Path, data: bytes, prefix: str = ".kwc-") -> None:
    """`data` into `target`, whole or not at all: a temp file beside it (flushed to disk), then renamed over
    it. OSError when it cannot be; the temp file never stays behind."""
    import tempfile

    fd, temp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def is_folder(path: Path) -> bool:
    """Path.is_dir() for a path the user typed: a name too long for the file system (or another OSError it
    does not swallow) is not a folder, and writing there says why in a message rather than a traceback."""
    try:
        return path.is_dir()
    except OSError:
        return False


def write_user_file(path: Path, data: bytes) -> None:
    """Write a file the user named (a report, a calendar, an export) whole or not at all. A UserError saying
    why it could not be written."""
    if is_folder(path):
        raise UserError("file.is_directory")
    try:
        replace_atomically(path, data)
    except OSError as e:
        raise UserError("file.unwritable", reason=e.strerror or type(e).__name__) from None
