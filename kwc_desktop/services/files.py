"""Reading the files a user points the app at (profiles, CSV imports): bounded, and never blocking; and
writing the files a user asks for (reports, calendars, PDFs, exports): whole or not at all, never over a device.

A FIFO would block `open()` until someone writes to it, /dev/zero would fill the memory, a 13 MB
profile would take a minute: so only regular files are read, and never more than the limit.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kwc_desktop.domain.records import record
from kwc_desktop.domain.text import Lang, UserError, messages


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


STDIN_NAME = "-"


def read_user_input(path: Path, max_bytes: int) -> bytes:
    """read_user_file, or standard input when the name is `-` (as Unix tools read it), with the same limit:
    at most `max_bytes` + 1 bytes are read from it. A FIFO given by its name is still refused."""
    if str(path) != STDIN_NAME:
        return read_user_file(path, max_bytes)
    import sys

    stream = getattr(sys.stdin, "buffer", None)  # None: a windowed program has no standard input
    if stream is None:
        raise UserError("file.stdin_closed")
    try:
        data: bytes = stream.read(max_bytes + 1)
    except (OSError, ValueError) as e:  # ValueError: stdin was closed
        raise UserError("file.unreadable", reason=getattr(e, "strerror", None) or type(e).__name__) from None
    if len(data) > max_bytes:
        raise UserError("file.too_large", max=_size(max_bytes))
    return data


@record(frozen=True)
class OutputFile:
    """Where a file the user asked for (a report, a calendar, a PDF, an export) goes: the name they gave, and
    the regular file that is replaced (or made) — the same, or the file a symbolic link of that name points to."""

    named: Path
    target: Path
    mode: int | None  # the permission bits of the file there now (kept), None when there is none yet

    @property
    def via_link(self) -> bool:
        return self.named != self.target

    def shown(self, lang: Lang) -> str:
        """The name to tell the user: the file written, and the link it was reached by."""
        if not self.via_link:
            return str(self.named)
        return messages()("file.via_link", lang, target=str(self.target), link=str(self.named))


def output_file(path: Path) -> OutputFile:
    """Check the path the user gave for a file to write (nothing is written): a regular file or nothing there
    yet, in a folder that exists. A symbolic link is followed to the file it points to, which is the one
    replaced: the link stays a link (replacing it by a file would quietly cut whatever it stood for), and the
    messages name both. A device, FIFO, socket or folder is a UserError: /dev/null replaced by a regular file
    (as root), or a FIFO that blocks the writer, is never what was meant."""
    try:
        target = Path(os.path.realpath(path)) if os.path.islink(path) else path
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            info = None
        if info is None:
            folder = target.parent
            if not is_folder(folder):
                raise UserError("file.no_folder", folder=str(folder))
            return OutputFile(path, target, None)
    except (OSError, ValueError) as e:  # ValueError: a NUL in the name; OSError: a name too long, a loop…
        raise UserError("file.unwritable", reason=getattr(e, "strerror", None) or type(e).__name__) from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError("file.is_directory")
    if not stat.S_ISREG(info.st_mode):  # a device, FIFO, socket (or a link loop realpath gave up on)
        raise UserError("file.not_regular_output")
    return OutputFile(path, target, stat.S_IMODE(info.st_mode))


def check_output(path: Path) -> OutputFile:
    """output_file, and proof that its folder takes a new file (one is made there and removed): before any
    long work (a detection run, a PDF's layout), a bad output path is found in milliseconds."""
    out = output_file(path)
    import tempfile

    try:
        fd, probe = tempfile.mkstemp(prefix=".kwc-", suffix=".tmp", dir=out.target.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise UserError("file.unwritable", reason=e.strerror or type(e).__name__) from None
    return out


T = TypeVar("T")


def replace_output(path: Path, fill: Callable[[Path], T], verify: Callable[[Path], None] | None = None,
                   prefix: str = ".kwc-") -> tuple[T, OutputFile]:
    """Every file the user asks the app to write goes through here. `fill` writes a temporary file beside the
    target (it is given its path) and `verify` may refuse what was written (a UserError); the file is then
    flushed to disk, given the permission bits of the file it replaces, and renamed over it. On any failure
    (a full disk, a read-only folder, no permission) the temporary file is removed and the file that was
    there is untouched: a UserError says why."""
    import tempfile

    out = output_file(path)
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=out.target.parent)
        os.close(fd)
    except OSError as e:
        raise UserError("file.unwritable", reason=e.strerror or type(e).__name__) from None
    temp = Path(name)
    try:
        result = fill(temp)
        if verify is not None:
            verify(temp)
        _settle(temp, out)
        output_file(path)  # still a regular file (or nothing) there, just before it is replaced
        os.replace(temp, out.target)
    except OSError as e:
        temp.unlink(missing_ok=True)
        raise UserError("file.unwritable", reason=e.strerror or type(e).__name__) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(out.target.parent)
    return result, out


def write_user_file(path: Path, data: bytes) -> OutputFile:
    """Write a file the user named (a report, a calendar, an export) whole or not at all (replace_output).
    A UserError saying why it could not be written."""

    def fill(temp: Path) -> None:
        fd = os.open(temp, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            view = memoryview(data)
            while view:
                count = os.write(fd, view[:1 << 20])
                if count <= 0:
                    raise OSError(errno.EIO, os.strerror(errno.EIO))
                view = view[count:]
        finally:
            os.close(fd)

    return replace_output(path, fill)[1]


def _settle(temp: Path, out: OutputFile) -> None:
    """The temporary file on disk, with the replaced file's permission bits (a new file: what the umask
    gives, as any program's new file) and, for root, its owner."""
    fd = os.open(temp, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        if os.name == "posix":
            os.fchmod(fd, out.mode if out.mode is not None else 0o666 & ~_umask())
            if out.mode is not None and os.geteuid() == 0:
                info = os.stat(out.target)
                os.fchown(fd, info.st_uid, info.st_gid)
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """The rename on disk too (POSIX; Windows has no folder handles to sync)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    try:  # Linux: read without changing it (os.umask sets it, which another thread could see)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
