"""The migration program file: read, parsed, checked, and cached as JSON for a faster start.

The cache (in the app's `cache/` folder) holds the parsed TOML, named by a CRC of the file's bytes, so an
edited program file is never served stale. What it holds goes through the same checks as the file; a
cache that is damaged, or fails those checks, is thrown away and the file parsed again: nothing in the
cache can stop a start.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from kwc_desktop.domain.program import Program, ProgramError
from kwc_desktop.domain.program_loader import parse_program
from kwc_desktop.domain.text import UserError
from kwc_desktop.resources import resource_path
from kwc_desktop.services.files import read_user_file

logger = logging.getLogger(__name__)

DEFAULT_PROGRAM = "program_kwc_2023.toml"
MAX_PROGRAM_BYTES = 8 * 1024 * 1024
# The cache holds parsed TOML: JSON plus the TOML types JSON lacks, tagged.
CACHE_FORMAT = b"kwc-program-cache-1\n"
_TEMP_SUFFIX = ".tmp"
_TAGS: dict[str, Any] = {"$datetime": datetime.fromisoformat, "$date": date.fromisoformat, "$time": time.fromisoformat}


def load_program_file(path: Path, cache_dir: Path | None = None) -> Program:
    """Read and check a program file; a syntax error names the line, a content error the field.

    With `cache_dir`, the parsed TOML is kept there as JSON, so the next start skips the TOML parser
    (10 ms of the first paint); the cached data is checked like the file."""
    try:
        raw = read_user_file(path, MAX_PROGRAM_BYTES)  # a regular file only: a FIFO would block the start
    except UserError as e:
        if e.key == "file.too_large":
            raise ProgramError(path.name, f"larger than {MAX_PROGRAM_BYTES // (1024 * 1024)} MiB") from None
        raise ProgramError(path.name, f"cannot be read ({e.message('en')})") from None
    key = f"{zlib.crc32(CACHE_FORMAT + raw):08x}-{len(raw)}"  # hashlib would load OpenSSL: 2.5 ms more
    cached = cache_dir / f"program-{key}.json" if cache_dir else None
    data = _read_cache(cached) if cached else None
    if data is not None:
        try:
            return parse_program(data)
        except (ProgramError, TypeError, ValueError, RecursionError):
            logger.warning("program cache failed its checks: parsing the program file again")
    import tomllib  # only without a usable cache: the first start, or an edited program file

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ProgramError(path.name, f"not valid TOML ({e})") from None
    except RecursionError:
        raise ProgramError(path.name, "nested too deeply") from None
    try:
        program = parse_program(data)
    except ProgramError as e:
        raise e.within(path.name) from None
    if cached:
        _write_cache(cached, data)
    return program


def _tag(value: object) -> dict[str, str]:
    for tag, kind in (("$datetime", datetime), ("$date", date), ("$time", time)):
        if isinstance(value, kind):
            return {tag: value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not a TOML value")


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        (key, value), = obj.items()
        if key in _TAGS and isinstance(value, str):
            return _TAGS[key](value)
    return obj


def _read_cache(path: Path) -> dict[str, Any] | None:
    try:
        raw = read_user_file(path, 4 * MAX_PROGRAM_BYTES)  # not a FIFO or a folder someone put there
        data = json.loads(raw.decode("utf-8"), object_hook=_untag)
    except (UserError, ValueError, RecursionError):
        return None  # missing or damaged: parse the TOML again and write it anew
    return data if isinstance(data, dict) else None


def _write_cache(path: Path, data: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written only costs the parse next time. A failed write
    leaves nothing behind (a full disk once collected one temp file per start)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}{_TEMP_SUFFIX}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("program-*.json"):
            old.unlink(missing_ok=True)
        temporary.write_text(json.dumps(data, default=_tag, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass


def remove_temp_files(cache_dir: Path) -> int:
    """Temp files of cache writes that were killed half-way (the caller holds the instance lock)."""
    removed = 0
    try:
        leftovers = list(cache_dir.glob(f"program-*{_TEMP_SUFFIX}"))
    except OSError:
        return 0
    for leftover in leftovers:
        try:
            leftover.unlink()
            removed += 1
        except OSError:
            pass
    return removed


PROGRAM_ENV = "KWC_DESKTOP_PROGRAM"  # another program file, for the CLI and the wizard alike


def program_path(chosen: Path | None = None) -> Path:
    """The program file to use: the one chosen (--program), else $KWC_DESKTOP_PROGRAM, else the app's own."""
    if chosen is not None:
        return chosen
    from_env = os.environ.get(PROGRAM_ENV)
    return Path(from_env) if from_env else resource_path(DEFAULT_PROGRAM)


@cache
def _load(path: Path, cache_dir: Path | None) -> Program:
    return load_program_file(path, cache_dir)


def load_program(cache_dir: Path | None = None, chosen: Path | None = None) -> Program:
    """The program (see `program_path`), loaded once per file (the app passes its cache folder)."""
    return _load(program_path(chosen), cache_dir)
