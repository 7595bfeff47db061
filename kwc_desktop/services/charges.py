"""Pricing a call log file: streamed (never the whole file in memory), UTF-8 with or without a BOM or CP932,
CRLF or LF; a big file is read in two halves by two processes at once (a call log of a million rows is
CPU-bound, and the machines this runs on have two cores or more). The second process is this program itself
started with a hidden option (`python -m kwc_desktop`, or the frozen executable), its job and result over
its pipes: not multiprocessing, whose start-up machinery a frozen app would otherwise load at every start.
Progress and cancel between blocks.
Also: calls read from a Twilio account through the detection client, as the same rows."""

from __future__ import annotations

import codecs
import csv
import io
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from kwc_desktop.domain.calls import CallLog, CallReader, Columns, Numbers, Rejected, read_header, usages
from kwc_desktop.domain.formatting import format_amount
from kwc_desktop.domain.records import record
from kwc_desktop.domain.tariff import (
    JST,
    NUMBER_FEE,
    READINGS,
    Bill,
    Computation,
    Fees,
    Readings,
    bill,
    damages,
    number_count,
    outage_credit,
    to_yen,
    with_tax,
)
from kwc_desktop.domain.text import Lang, UserError, messages

if TYPE_CHECKING:
    from kwc_desktop.domain.session import Session
    from kwc_desktop.domain.sid import Sid
    from kwc_desktop.services.detect import Missing, SecretFor
    from kwc_desktop.services.files import OutputFile
    from kwc_desktop.services.twilio import TwilioClient

BLOCK_ROWS = 20_000  # rows between progress reports and cancel checks
PARALLEL_FROM_BYTES = 16 * 1024 * 1024  # smaller files are read by this process alone
MAX_CALL_LOG_BYTES = 4 * 1024**3
MAX_LINE_BYTES = 1024 * 1024  # a longer line is refused as it is read (a field: csv.field_size_limit, 131,072)
ENCODING_WINDOW = 1024 * 1024  # the bytes from the first non-ASCII one on that decide the encoding
PART_OPTION = "--read-call-log-part"  # the hidden option of `python -m kwc_desktop` that serves one part
Progress = Callable[[int, int], None]  # (bytes read, bytes in all)
logger = logging.getLogger(__name__)
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_QUOTE_OR_BREAK = re.compile(rb'"|\r\n|\r|\n')  # a line ends at CR, LF or CRLF, as the csv module reads it


class Cancelled(UserError):
    def __init__(self) -> None:
        super().__init__("charges.cancelled")


@record
class LogFile:
    path: Path
    encoding: str  # "utf-8-sig" or "cp932"
    size: int


def open_log(path: Path) -> LogFile:
    """Which encoding the file is in, and a UserError for a file that cannot be a call log. A UTF-8 BOM: UTF-8;
    else the first non-ASCII byte decides, wherever it is (ASCII is the same in both): UTF-8 if the MiB from
    there decodes as UTF-8, else CP932."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UserError("file.not_found") from None
    except OSError as e:
        raise UserError("file.unreadable", reason=e.strerror or type(e).__name__) from None
    import stat

    if stat.S_ISDIR(info.st_mode):
        raise UserError("file.is_directory")
    if not stat.S_ISREG(info.st_mode):
        raise UserError("file.not_regular")
    if info.st_size > MAX_CALL_LOG_BYTES:
        raise UserError("file.too_large", max="4 GiB")
    try:
        with open(path, "rb") as f:
            return LogFile(path, _encoding_of(f), info.st_size)
    except OSError as e:
        raise UserError("file.unreadable", reason=e.strerror or type(e).__name__) from None


def _encoding_of(f: BinaryIO) -> str:
    """The encoding of the stream `f` is in (open_log's rule), read up to its first non-ASCII byte and a
    window after it: an ASCII file is read to its end once (bytes.isascii, at the speed of the disk)."""
    block = f.read(ENCODING_WINDOW)
    if block.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    while block.isascii():
        if not block:
            return "utf-8-sig"  # ASCII all along: either reads it
        block = f.read(ENCODING_WINDOW)
    first = _NON_ASCII.search(block)
    assert first is not None
    window = block[first.start():]
    rest = f.read(ENCODING_WINDOW - len(window)) if len(window) < ENCODING_WINDOW else b""
    window += rest
    return _guess(window, final=len(window) < ENCODING_WINDOW)


def _guess(window: bytes, final: bool) -> str:
    """UTF-8 if `window` (from a first non-ASCII byte on) decodes as UTF-8, else CP932."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(window, final=final)
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8-sig"


class _Utf8OrCp932(codecs.IncrementalDecoder):
    """A stream that cannot be read twice (standard input): ASCII as it comes, then UTF-8 or CP932 by the rule
    of open_log, decided when the window after the first non-ASCII byte is in (or the stream ends)."""

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self.pending = b""
        self.chosen: codecs.IncrementalDecoder | None = None

    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        if self.chosen is not None:
            return self.chosen.decode(data, final)
        data = self.pending + bytes(data)
        self.pending = b""
        if data.startswith(codecs.BOM_UTF8) or (not final and data and codecs.BOM_UTF8.startswith(data)):
            if len(data) < len(codecs.BOM_UTF8):
                self.pending = data
                return ""
            self.chosen = codecs.getincrementaldecoder("utf-8-sig")(self.errors)
            return self.chosen.decode(data, final)
        found = _NON_ASCII.search(data)
        if found is None:
            return data.decode("ascii")
        first = found.start()
        if len(data) - first < ENCODING_WINDOW and not final:
            self.pending = data[first:]
            return data[:first].decode("ascii")
        window = data[first:first + ENCODING_WINDOW]
        encoding = _guess(window, final=final and len(data) - first <= ENCODING_WINDOW)
        self.chosen = codecs.getincrementaldecoder(encoding)(self.errors)
        return data[:first].decode("ascii") + self.chosen.decode(data[first:], final)

    def reset(self) -> None:
        self.pending, self.chosen = b"", None

    def getstate(self) -> tuple[bytes, int]:
        return (self.pending, 0) if self.chosen is None else self.chosen.getstate()

    def setstate(self, state: tuple[bytes, int]) -> None:
        if self.chosen is None:
            self.pending = state[0]
        else:
            self.chosen.setstate(state)


STREAM_ENCODING = "kwc_call_log"  # _Utf8OrCp932, registered when first used
_registered: list[bool] = []


def _stream_codec(name: str) -> codecs.CodecInfo | None:
    if name != STREAM_ENCODING:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(utf8.encode, utf8.decode, name=STREAM_ENCODING, incrementaldecoder=_Utf8OrCp932)


class _LineTooLong(Exception):
    """A line longer than MAX_LINE_BYTES (the reader turns it into a UserError with the line number)."""


class _Range(io.RawIOBase):
    """The bytes [begin, end) of a binary stream (end None: to its end), read once: what the csv module of
    one part sees, exactly. As they are read, a line (from CR, LF or CRLF to the next) longer than
    MAX_LINE_BYTES and more than MAX_CALL_LOG_BYTES in all are refused — before the line is in memory."""

    def __init__(self, source: Any, begin: int = 0, end: int | None = None) -> None:
        super().__init__()
        self.read_from = getattr(source, "read1", source.read)
        self.left = None if end is None else max(end - begin, 0)
        self.position = begin
        self.count = 0
        self.since = 0  # bytes since the last line break

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), MAX_LINE_BYTES)  # a gap inside one block is shorter than the limit
        if self.left is not None:
            size = min(size, self.left)
        if size <= 0:
            return 0
        data = self.read_from(size)
        n = len(data)
        buffer[:n] = data
        self.position += n
        self.count += n
        if self.left is not None:
            self.left -= n
        if self.count > MAX_CALL_LOG_BYTES:
            raise UserError("file.too_large", max="4 GiB")
        last = max(data.rfind(b"\n"), data.rfind(b"\r"))
        if last < 0:
            self.since += n
        else:
            lf, cr = data.find(b"\n"), data.find(b"\r")
            first = min(lf, cr) if lf >= 0 and cr >= 0 else max(lf, cr)
            if self.since + first > MAX_LINE_BYTES:
                raise _LineTooLong()
            self.since = n - 1 - last
        if self.since > MAX_LINE_BYTES:
            raise _LineTooLong()
        return n


class _Part:
    """The rows of one part of a log: a csv reader over exactly the bytes [begin, end) of `source`, its line
    numbers from `first_line`. With `boundary`, two lines of its own follow the part's bytes: whether they
    come back as rows of their own says whether the part ended at a row boundary (not inside quotes)."""

    def __init__(self, source: Any, encoding: str, begin: int = 0, end: int | None = None, first_line: int = 1,
                 boundary: bool = False) -> None:
        self.encoding = encoding
        self.range = _Range(source, begin, end)
        self.text = io.TextIOWrapper(io.BufferedReader(self.range, 64 * 1024), encoding=encoding, errors="strict",
                                     newline="")
        self.base = first_line - 1
        self.boundary = boundary
        if boundary:
            self.mark = f"kwc-desktop-part-end-{os.urandom(8).hex()}"
            self.reader = csv.reader(chain(self.text, (self.mark + "\n", "end\n")))
            self.rows: Iterator[list[str]] = iter(self.reader.__next__, [self.mark])
        else:
            self.reader = csv.reader(self.text)
            self.rows = self.reader

    def line(self) -> int:
        return self.base + self.reader.line_num

    def ended_at_a_row(self) -> bool:
        """After the rows (a `boundary` part): whether the part's bytes ended between rows, not inside quotes
        (then its two lines came back as rows of their own; its own lines are `reader.line_num - 2`)."""
        return next(self.reader, None) == ["end"]

    def close(self) -> None:
        self.text.detach()  # the source is closed by its owner

    @contextmanager
    def reading(self) -> Iterator[None]:
        """The errors of reading, as the user is told them."""
        try:
            yield
        except UnicodeDecodeError:
            shown = "UTF-8 / CP932" if self.encoding == STREAM_ENCODING else self.encoding
            raise UserError("calls.bad_encoding", encoding=shown) from None
        except _LineTooLong:
            raise UserError("calls.too_long", line=self.line() + 1, max="1 MiB") from None
        except csv.Error as e:
            if "field limit" in str(e):
                raise UserError("calls.too_long", line=self.line(), max=f"{csv.field_size_limit():,}") from None
            raise UserError("calls.bad_csv", reason=str(e)[:80]) from None

    def header(self) -> Columns:
        with self.reading():
            try:
                header = next(self.rows)
            except StopIteration:
                raise UserError("calls.empty") from None
        return read_header(header)

    def price(self, calls: CallReader, progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False,
              total: int = 0) -> CallLog:
        rows, line = self.rows, self.line
        with self.reading():
            while True:
                before = calls.log.rows + calls.log.rejected_count
                calls.add(islice(rows, BLOCK_ROWS), line)
                if calls.log.rows + calls.log.rejected_count == before and _ended(rows, calls, line):
                    break
                if cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(self.range.position, total)
        return calls.log


def _read_part(path: str, encoding: str, begin: int, end: int | None, first_line: int, columns: Columns | None,
               months: frozenset[str] | None, progress: Progress | None = None,
               cancelled: Callable[[], bool] = lambda: False, total: int = 0) -> tuple[CallLog, Columns | None]:
    """The rows of the bytes [begin, end) of the file (end None: to its end; begin a row start) into a
    CallLog. The part that starts the file reads the header."""
    with open(path, "rb", buffering=0) as raw:
        raw.seek(begin)
        part = _Part(raw, encoding if begin == 0 else _without_bom(encoding), begin, end, first_line)
        try:
            if columns is None:
                columns = part.header()
            log = part.price(CallReader(columns, months=months), progress, cancelled, total)
        finally:
            part.close()
    return log, columns


def _without_bom(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding  # a part after the first: no BOM is stripped


def _ended(rows: Iterator[list[str]], calls: CallReader, line: Callable[[], int]) -> bool:
    """A block that added nothing: the end, or a block of empty lines (then go on)."""
    block = list(islice(rows, 1))
    if not block:
        return True
    calls.add(block, line)
    return False


def split_point(path: Path, size: int, count_lines: bool = True) -> tuple[int, int]:
    """Where the second half is best started — after a line break (CR, LF or CRLF, never between the two of
    a CRLF) past the middle, with an even count of quotes before it — and its first line number (0 unless
    `count_lines`). A stray quote can fool the count: the reader of the first half then finds that it did
    not end at a row (read_log)."""
    middle = size // 2
    lines = quotes = 0
    with open(path, "rb") as f:
        read = 0
        while read < middle:
            block = _whole_breaks(f, f.read(min(1024 * 1024, middle - read)))
            if not block:
                return size, lines + 1 if count_lines else 0
            if count_lines:
                lines += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
            quotes += block.count(b'"')
            read += len(block)
        while True:  # on to the end of a line that is not inside quotes
            block = _whole_breaks(f, f.read(1024 * 1024))
            if not block:
                return size, lines + 1 if count_lines else 0
            for found in _QUOTE_OR_BREAK.finditer(block):
                if found.group() == b'"':
                    quotes += 1
                    continue
                lines += 1
                if quotes % 2 == 0:
                    return read + found.end(), lines + 1 if count_lines else 0
            read += len(block)


def _whole_breaks(f: BinaryIO, block: bytes) -> bytes:
    """`block`, and the next byte too while it ends with a CR (a CRLF is never cut in two)."""
    while block.endswith(b"\r"):
        more = f.read(1)
        if not more:
            break
        block += more
    return block


def read_log(path: Path, months: frozenset[str] | None = None, progress: Progress | None = None,
             cancelled: Callable[[], bool] = lambda: False, parallel: bool | None = None) -> CallLog:
    """The whole file as one CallLog. `parallel` (default: for files of 16 MiB or more, when cancel and
    progress are not asked for) reads the second half in another process."""
    log_file = open_log(path)
    where = os.path.abspath(path)
    use_parallel = parallel if parallel is not None else (
        log_file.size >= PARALLEL_FROM_BYTES and progress is None and (os.cpu_count() or 1) > 1)
    begin = split_point(path, log_file.size, count_lines=False)[0] if use_parallel else log_file.size
    if begin >= log_file.size:
        log, _columns = _read_part(where, log_file.encoding, 0, None, 1, None, months, progress, cancelled,
                                   log_file.size)
        return log
    try:
        with open(where, "rb", buffering=0) as raw:
            first = _Part(raw, log_file.encoding, 0, begin, boundary=True)
            try:
                # The header first (this process), then the second half there while the first is read here.
                columns = first.header()
                # Its line numbers from 1: moved once this half's lines are counted (by its own reader).
                job = (where, _without_bom(log_file.encoding), begin, None, 1, columns, months)
                second = start_part(job)
                try:
                    log = first.price(CallReader(columns, months=months), None, cancelled, log_file.size)
                    met = first.ended_at_a_row()
                    lines = first.reader.line_num - 2
                    other = _moved(second.result, lines) if second is not None and met else None
                finally:
                    if second is not None:
                        second.stop()
            finally:
                first.close()
    except OSError as e:
        raise UserError("file.unreadable", reason=e.strerror or type(e).__name__) from None
    if not met:
        # The split counts quotes, which is right for a well-formed file; a stray quote in an unquoted field
        # (a character to the csv module) can put it inside a quoted line break. Read the file in one pass.
        logger.info("the call log's halves did not meet at a row boundary: read again in one pass")
        log, _ = _read_part(where, log_file.encoding, 0, None, 1, None, months, None, cancelled, log_file.size)
        return log
    if other is None:  # the other process could not be started or did not finish: its half is read here
        other, _ = _moved(lambda: _read_part(*job, None, cancelled, log_file.size), lines)
    log.merge(other, lines)
    return log


def read_log_per_mille(path: Path, report: Callable[[int], None],
                       cancelled: Callable[[], bool] = lambda: False) -> CallLog:
    """read_log with its progress in thousandths of the file, for a progress bar of 0 … 1000: progress is
    asked, so the file is read by this process alone and `cancelled` can stop it between blocks."""
    return read_log(path, progress=lambda done, total: report(int(done * 1000 / max(total, 1))),
                    cancelled=cancelled)


R = TypeVar("R")


def _moved(read: Callable[[], R], lines: int) -> R:
    """`read()` of a part after the first `lines` lines; the line of an error it meets is the whole file's."""
    try:
        return read()
    except UserError as e:
        line = e.params.get("line")
        if isinstance(line, int) and e.key.startswith("calls."):
            raise UserError(e.key, **{**e.params, "line": line + lines}) from None
        raise


def read_stream(source: BinaryIO, months: frozenset[str] | None = None) -> CallLog:
    """A log from a stream read once (standard input): one process, the encoding decided as it comes."""
    if not _registered:
        codecs.register(_stream_codec)
        _registered.append(True)
    part = _Part(source, STREAM_ENCODING)
    try:
        columns = part.header()
        return part.price(CallReader(columns, months=months))
    except OSError as e:
        raise UserError("file.unreadable", reason=e.strerror or type(e).__name__) from None
    finally:
        part.close()


# --- the second process ----------------------------------------------------------------------------------

PartJob = tuple[str, str, int, "int | None", int, "Columns | None", "frozenset[str] | None"]


class Part:
    """One part of a log read by another process (`start_part`): its result, or None when that process
    failed in a way that is not the log's fault (then the caller reads the part itself)."""

    def __init__(self, process: Any) -> None:
        self.process = process

    def result(self) -> CallLog | None:
        import pickle

        out, err = self.process.communicate()
        if self.process.returncode != 0:  # the kind of error only: its text could quote the log's numbers
            last = (err.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
            logger.warning("the process reading half of the call log ended with %s (%s)", self.process.returncode,
                           last.split(":")[0][:80])
            return None
        try:
            outcome = pickle.loads(out)  # our own process's answer, over our own pipe
        except Exception:  # noqa: BLE001 - a truncated answer: read the part here instead
            logger.warning("the process reading half of the call log gave no readable answer")
            return None
        if outcome[0] == "error":
            raise UserError(outcome[1], **outcome[2])  # the log's own fault, as one process would say it
        log: CallLog = outcome[1]
        return log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def part_command(job: PartJob) -> list[str]:
    """How this program starts itself to read a part, the job in its last argument: the frozen executable, or
    this Python isolated (-I: no PYTHON* variables, no user site, nothing from the current folder) importing
    this package from the folder it was imported from here."""
    import base64
    import pickle

    encoded = base64.b64encode(pickle.dumps(job)).decode("ascii")
    if getattr(sys, "frozen", False):
        return [os.path.abspath(sys.executable), PART_OPTION, encoded]
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from kwc_desktop.services.charges import serve_part; "
            "sys.exit(serve_part(sys.argv[3:]))")
    return [os.path.abspath(sys.executable), "-I", "-c", code, _package_root(), PART_OPTION, encoded]


def _package_root() -> str:
    return str(Path(__file__).resolve().parent.parent.parent)  # the folder that holds kwc_desktop/


def start_part(job: PartJob) -> Part | None:
    """Another process reading `job` (the arguments of `_read_part`, its path absolute); None if it cannot be
    started. It starts in a folder of this program's own, not the user's."""
    import subprocess

    folder = os.path.dirname(os.path.abspath(sys.executable)) if getattr(sys, "frozen", False) else _package_root()
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console window flashes up
    try:
        process = subprocess.Popen(part_command(job), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, cwd=folder, creationflags=flags)
    except OSError as e:
        logger.warning("could not start a second process for the call log: %s", e.strerror or type(e).__name__)
        return None
    return Part(process)


def serve_part(argv: list[str], answer: Any = None) -> int:
    """The other process's side: the job in `argv` (part_command's last argument), its CallLog (or the
    UserError it met) to stdout."""
    import base64
    import pickle

    answer = answer if answer is not None else getattr(sys.stdout, "buffer", None)
    if answer is None or len(argv) != 1:  # a windowed executable has no pipes
        return 2
    job = pickle.loads(base64.b64decode(argv[0]))  # from our own process (part_command)
    try:
        log, _ = _read_part(*job)
        outcome: tuple[Any, ...] = ("ok", log)
    except UserError as e:
        outcome = ("error", e.key, e.params)
    answer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    answer.flush()
    return 0


# --- the report: months priced, as JSON (docs/cli.md) and as lines of text --------------------------------


def priced(log: CallLog, mode: str = "auto", numbers: Numbers | None = None,
           readings: Readings = READINGS) -> list[Bill]:
    return [bill(u, readings) for u in usages(log, mode, numbers or Numbers(), readings.changeover_number_fee)]


def usage_by_month(log: CallLog) -> dict[str, Decimal]:
    """Each billing month's usage fees before tax (calls only: 通話料, or 発信利用料 + 着信利用料): the months
    the log covers, from its first month to its last — a month between them without a call is known, 0 yen.
    The months before and after are not in it: unknown, as `tariff.known_months` takes them (the outage's
    damages and the meters' estimate alike)."""
    found: dict[str, Decimal] = {}
    for b in priced(log, "auto"):
        found[b.usage.month] = found.get(b.usage.month, Decimal(0)) + b.excl.outbound + b.excl.inbound
    if found:
        month, last = min(found), max(found)
        while month < last:
            month = next_month(month)
            found.setdefault(month, Decimal(0))
    return dict(sorted(found.items()))


def next_month(month: str) -> str:
    """The billing month after `month` (YYYY-MM): 2021-12 → 2022-01."""
    year, number = int(month[:4]), int(month[5:7])
    year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return f"{year:04d}-{number:02d}"


def _amounts(fees: Fees, total: Decimal | None = None) -> dict[str, str]:
    return {"number_fee": str(fees.number_fee), "outbound": str(fees.outbound), "inbound": str(fees.inbound),
            "total": str(total if total is not None else fees.total)}


def rejected_reason(row: Rejected, lang: Lang) -> str:
    """Why a row of the log could not be read, in the user's language."""
    return messages()(row.key, lang, value=row.value)


def rejected_line(row: Rejected, lang: Lang) -> str:
    """A row that could not be read, with its line: what the command line lists and the window summarises."""
    return messages()("charges.rejected_line", lang, line=row.line, reason=rejected_reason(row, lang))


def terms_name(terms: str, lang: Lang) -> str:
    """The old or the new terms, by their name in the user's language."""
    return messages()(f"charges.terms_{terms}", lang)


def charges_json(bills: list[Bill], log: CallLog, lang: Lang) -> dict[str, Any]:
    return {
        "months": [{
            "month": b.usage.month, "terms": b.usage.terms,
            "numbers": {"outbound": b.usage.outbound_numbers, "inbound": b.usage.inbound_numbers,
                        "charged": number_count(b.usage)},
            "units": {"outbound": b.usage.units_outbound, "inbound": b.usage.units_inbound,
                      "inbound_free": b.usage.units_inbound_free},
            "excl": _amounts(b.excl), "incl": _amounts(b.incl, b.total_incl)} for b in bills],
        "rows": log.rows, "billed": log.billed, "not_completed": log.not_completed,
        "rejected": [{"line": r.line, "reason": rejected_reason(r, lang)} for r in log.rejected],
        "rejected_count": log.rejected_count,
    }


def charges_text(bills: list[Bill], log: CallLog, lang: Lang) -> str:
    m = messages()
    lines = []
    for b in bills:
        u = b.usage
        lines.append(m("charges.month_line", lang, month=u.month, terms=terms_name(u.terms, lang),
                       outbound=u.outbound_numbers, inbound=u.inbound_numbers, charged=number_count(u),
                       units_out=u.units_outbound, units_in=u.units_inbound, units_free=u.units_inbound_free))
        lines.append("    " + m("charges.fee_line", lang, number_fee=b.excl.number_fee, outbound=b.excl.outbound,
                                inbound=b.excl.inbound, total=b.excl.total, total_incl=b.total_incl))
    lines.append(m("charges.rows_line", lang, rows=log.rows, billed=log.billed, not_completed=log.not_completed,
                   rejected=log.rejected_count))
    for r in log.rejected[:20]:
        lines.append("    " + rejected_line(r, lang))
    if log.rejected_count > 20:
        lines.append("    " + m("charges.more_rejected", lang, count=log.rejected_count - 20))
    return "\n".join(lines) + "\n"


# --- the charges window's views: a row a month under both terms, the chart's axis, the export --------------


@record
class MonthPair:
    """One month of a log priced under both terms (`priced(log, "both")`): a row of the window's table and
    two bars of its chart."""

    month: str
    old: Bill
    new: Bill


def month_pairs(bills: list[Bill]) -> list[MonthPair]:
    """The bills of `priced(log, "both")` a month at a time, in the order of the months."""
    by_month: dict[str, dict[str, Bill]] = {}
    for b in bills:
        by_month.setdefault(b.usage.month, {})[b.usage.terms] = b
    return [MonthPair(month, pair["old"], pair["new"]) for month, pair in sorted(by_month.items())]


def whole_yen(amount: Decimal, lang: Lang) -> str:
    """An amount rounded to the yen, with its thousands separators (1,300): the window's totals."""
    return format_amount(amount.quantize(Decimal(1)), lang)


def month_row(pair: MonthPair, lang: Lang) -> list[str]:
    """The table's cells for one month: the month, the numbers out / in, the units out, in and free in, the
    old and the new terms before and with tax, and new − old before tax."""
    old, new = pair.old, pair.new
    u = new.usage
    return [pair.month, f"{u.outbound_numbers} / {u.inbound_numbers}", str(u.units_outbound),
            str(u.units_inbound), str(u.units_inbound_free), whole_yen(old.excl.total, lang),
            whole_yen(old.total_incl, lang), whole_yen(new.excl.total, lang), whole_yen(new.total_incl, lang),
            whole_yen(new.excl.total - old.excl.total, lang)]


Series = list[tuple[str, Decimal, Decimal]]  # (month, old terms, new terms), before tax


def chart_series(pairs: list[MonthPair]) -> Series:
    """What the chart draws: each month's total before tax under the old and the new terms."""
    return [(p.month, p.old.excl.total, p.new.excl.total) for p in pairs]


def nice_step(top: Decimal, ticks: int = 4) -> Decimal:
    """A round step (1, 2 or 5 × 10ⁿ yen) that divides 0 … `top` into about `ticks` parts."""
    rough = max(top / ticks, Decimal(1))
    power = Decimal(10) ** (len(str(int(rough))) - 1)
    for factor in (1, 2, 5, 10):
        if power * factor >= rough:
            return power * factor
    return power * 10


def axis_ticks(series: Series) -> list[Decimal]:
    """The amounts the chart's axis marks: 0 and round steps up to the first past the highest bar (only 0
    when there is none)."""
    top = max((max(old, new) for _month, old, new in series), default=Decimal(0))
    if top <= 0:
        return [Decimal(0)]
    step = nice_step(top)
    return [step * n for n in range(int(top / step) + 2)]


def rejected_summary(log: CallLog, lang: Lang, first: int = 5) -> str:
    """The first rows that could not be read, one after another, and … when there are more."""
    shown = "; ".join(rejected_line(r, lang) for r in log.rejected[:first])
    return shown + ("…" if log.rejected_count > first else "")


def typed_numbers(text: str) -> frozenset[str]:
    """The numbers typed in one field, separated by commas (, or 、), each as typed: the tariff takes each in
    E.164 where it can be read so (calls.number_roles)."""
    return frozenset(part.strip() for part in text.replace("、", ",").split(",") if part.strip())


CSV_COLUMNS = ("month", "terms", "outbound_numbers", "inbound_numbers", "units_outbound", "units_inbound",
               "units_inbound_free", "number_fee", "outbound", "inbound", "total_excl", "total_incl")


def charges_csv(bills: list[Bill]) -> bytes:
    """The bills as CSV, a row a month and terms: UTF-8 with a BOM (so Excel opens it in Japanese too), CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for b in bills:
        u = b.usage
        writer.writerow([u.month, u.terms, u.outbound_numbers, u.inbound_numbers, u.units_outbound,
                         u.units_inbound, u.units_inbound_free, b.excl.number_fee, b.excl.outbound,
                         b.excl.inbound, b.excl.total, b.total_incl])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_charges(path: Path, bills: list[Bill]) -> OutputFile:
    """charges_csv written to the file the user named, whole or not at all (a UserError saying why not)."""
    from kwc_desktop.services.files import write_user_file

    return write_user_file(path, charges_csv(bills))


# --- an outage: the credit and the damages, each step as the window and the command line show it ----------


def outage_window(known: datetime, restored: datetime) -> None:
    """A UserError unless the service was restored after the provider knew of the outage."""
    if restored <= known:
        raise UserError("charges.restored_first")


def monthly_fees(numbers: int) -> Decimal:
    """The monthly fees before tax of `numbers` numbers (300 yen each)."""
    return NUMBER_FEE * numbers


def typed_yen(text: str) -> Decimal | None:
    """An amount that may be left empty (None), else by the command line's rule (limits.parse_yen)."""
    from kwc_desktop.domain.limits import parse_yen

    return parse_yen(text) if text.strip() else None


def outage(known: datetime, restored: datetime, monthly: Decimal, usage: Mapping[str, Decimal],
           paid: Decimal | None = None, wilful: bool = False) -> dict[str, Computation]:
    """The outage's credit of the monthly fees (Article 21 ②) and the damages (Article 29), by name: the
    usage fees of the months before, by month; `paid`, the 12 months before (the new terms' cap)."""
    outage_window(known, restored)
    return {"credit": outage_credit(known, restored, monthly, wilful=wilful),
            "damages": damages(known, restored, monthly, usage, paid)}


def outage_start_after(months: Iterable[str]) -> datetime | None:
    """Where the outage calculator starts once a log is read: 09:00 JST on the 1st of the month after the
    log's last month (its months are then the months before the outage, whose usage fees its damages
    average); None for no month."""
    last = max(months, default=None)
    if last is None:
        return None
    month = next_month(last)
    return datetime(int(month[:4]), int(month[5:7]), 1, 9, 0, tzinfo=JST)


def step_value(value: object, lang: Lang) -> str:
    """A step's value: an amount with its thousands separators (29,675.54), anything else as it is."""
    return format_amount(value, lang) if isinstance(value, Decimal) else str(value)


@record
class Step:
    text: str  # in the user's language, its amounts with their separators
    amount: Decimal | None  # to the sen (0.01), or none for a step without one


@record
class ShownComputation:
    """A computation as it is shown: its steps, its total before tax and with tax (rounded as `readings`
    says) and the exact amount."""

    terms: str
    steps: tuple[Step, ...]
    excl: Decimal
    incl: Decimal
    exact: Decimal


def shown_computation(computation: Computation, lang: Lang, readings: Readings = READINGS) -> ShownComputation:
    m = messages()
    steps = tuple(Step(m(line.key, lang, **{k: step_value(v, lang) for k, v in line.values.items()}),
                       line.amount.quantize(Decimal("0.01")) if line.amount is not None else None)
                  for line in computation.lines)
    return ShownComputation(computation.terms, steps, to_yen(computation.amount, readings),
                            with_tax(computation.amount, readings), computation.amount)


def computation_json(computation: Computation, lang: Lang, readings: Readings = READINGS) -> dict[str, Any]:
    """A computation for `--json` (docs/cli.md): amounts as plain decimals, each step's text and amount."""
    shown = shown_computation(computation, lang, readings)
    return {"terms": shown.terms, "excl": str(shown.excl), "incl": str(shown.incl), "exact": str(shown.exact),
            "steps": [{"text": step.text, "amount": str(step.amount) if step.amount is not None else None}
                      for step in shown.steps]}


def computations_text(result: Mapping[str, Any], lang: Lang) -> str:
    """computation_json's results by name (credit, damages, meters) as the command line prints them."""
    m = messages()
    lines = []
    for name, part in result.items():
        if not isinstance(part, dict):
            continue
        lines.append(f"● {m(f'charges.title_{name}', lang)} ({terms_name(part['terms'], lang)})")
        for step in part["steps"]:
            amount = f"  = {step['amount']}" if step["amount"] is not None else ""
            lines.append(f"    {step['text']}{amount}")
        lines.append("    " + m("charges.result_line", lang, excl=part["excl"], incl=part["incl"]))
    return "".join(line + "\n" for line in lines)


def computations_html(computations: Mapping[str, Computation], lang: Lang) -> str:
    """The computations by name (credit, damages) as the window shows them: a heading with the terms, the
    steps (amounts to the sen, with separators), the result before and with tax."""
    from html import escape

    m = messages()
    parts = []
    for name, computation in computations.items():
        shown = shown_computation(computation, lang)
        rows = "".join(
            f"<li>{escape(step.text)}"
            f"{escape(f' = {step_value(step.amount, lang)}' if step.amount is not None else '')}</li>"
            for step in shown.steps)
        total = m("charges.result_line", lang, excl=whole_yen(shown.excl, lang), incl=whole_yen(shown.incl, lang))
        parts.append(f"<h3>{escape(m(f'charges.title_{name}', lang))} <small>({escape(terms_name(shown.terms, lang))})"
                     f"</small></h3><ul>{rows}</ul><p><b>{escape(total)}</b></p>")
    return "".join(parts)


# --- calls read from a Twilio account (the detection client) -----------------------------------------------

TWILIO_COLUMNS = Columns(start=0, direction=1, from_=2, to=3, duration=4, status=5, width=6)


def read_account_calls(client: TwilioClient, sid: Sid, months: frozenset[str] | None = None,
                       progress: Callable[[int], None] | None = None) -> CallLog:
    """Every call of the account (Twilio's Calls list, PageSize=1000), priced as a log of Twilio's fields.
    Its `line` is the call's position in the list (a list has no lines)."""
    calls = CallReader(TWILIO_COLUMNS, months=months)
    position = 0

    def rows() -> Iterator[list[str]]:
        nonlocal position
        for call in client.pages(client.urls.api, f"/2010-04-01/Accounts/{sid.value}/Calls.json", "calls"):
            position += 1
            if progress is not None and position % 1000 == 0:
                progress(position)
            if not isinstance(call, dict):
                yield ["?"]  # not an object: reported as a row that cannot be read
                continue
            yield [str(call.get(k) or "") for k in ("start_time", "direction", "from", "to", "duration", "status")]

    calls.add(rows(), lambda: position)
    return calls.log


def read_calls_of(session: Session, label: str, secret_for: SecretFor, settings: Mapping[str, str],
                  cancelled: Callable[[], bool] = lambda: False, missing: Missing | None = None) -> CallLog:
    """Every call of the account `label`, read with its credentials (detect.target_for: the keyring is asked,
    so call it off the GUI thread); `settings`, the settings file's [twilio] base URLs. `missing`: the message
    when the account has no credentials."""
    from kwc_desktop.services.detect import FOR_CLI, target_for
    from kwc_desktop.services.twilio import BaseUrls, TwilioClient

    missing = missing or FOR_CLI
    target = target_for(session, label, secret_for, missing=missing)
    if target.credentials is None or target.sid is None:
        raise target.problem or UserError(missing.secret)
    client = TwilioClient(target.credentials, BaseUrls.from_environment(settings=settings), cancelled=cancelled)
    try:
        return read_account_calls(client, target.sid)
    finally:
        client.close()
