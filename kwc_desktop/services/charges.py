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
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwc_desktop.domain.calls import CallLog, CallReader, Columns, Numbers, read_header, usages
from kwc_desktop.domain.records import record
from kwc_desktop.domain.tariff import READINGS, Bill, Fees, Readings, bill, number_count
from kwc_desktop.domain.text import Lang, UserError, messages

if TYPE_CHECKING:
    from kwc_desktop.domain.sid import Sid
    from kwc_desktop.services.twilio import TwilioClient

BLOCK_ROWS = 20_000  # rows between progress reports and cancel checks
PARALLEL_FROM_BYTES = 16 * 1024 * 1024  # smaller files are read by this process alone
MAX_CALL_LOG_BYTES = 4 * 1024**3
PART_OPTION = "--read-call-log-part"  # the hidden option of `python -m kwc_desktop` that serves one part
Progress = Callable[[int, int], None]  # (bytes read, bytes in all)
logger = logging.getLogger(__name__)


class Cancelled(UserError):
    def __init__(self) -> None:
        super().__init__("charges.cancelled")


@record
class LogFile:
    path: Path
    encoding: str  # "utf-8-sig" or "cp932"
    size: int


def open_log(path: Path) -> LogFile:
    """Which encoding the file is in (a UTF-8 BOM, else UTF-8 if its start decodes, else CP932), and a
    UserError for a file that cannot be a call log."""
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
            head = f.read(1024 * 1024)
    except OSError as e:
        raise UserError("file.unreadable", reason=e.strerror or type(e).__name__) from None
    if head.startswith(codecs.BOM_UTF8):
        return LogFile(path, "utf-8-sig", info.st_size)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=len(head) == info.st_size)
        return LogFile(path, "utf-8-sig", info.st_size)
    except UnicodeDecodeError:
        return LogFile(path, "cp932", info.st_size)


def _read_part(path: str, encoding: str, begin: int, lines: int | None, first_line: int, columns: Columns | None,
               months: frozenset[str] | None, progress: Progress | None = None,
               cancelled: Callable[[], bool] = lambda: False, total: int = 0) -> tuple[CallLog, Columns | None]:
    """The rows from byte `begin` (a line start), `lines` physical lines of them (None: to the end), into a
    CallLog. The part that starts the file reads the header."""
    with open(path, "rb") as raw:
        raw.seek(begin)
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text if lines is None else islice(text, lines))
        base = first_line - 1

        def line() -> int:
            return base + reader.line_num

        try:
            if columns is None:
                try:
                    header = next(reader)
                except StopIteration:
                    raise UserError("calls.empty") from None
                columns = read_header(header)
            calls = CallReader(columns, months=months)
            while True:
                before = calls.log.rows + calls.log.rejected_count
                calls.add(islice(reader, BLOCK_ROWS), line)
                if calls.log.rows + calls.log.rejected_count == before and _ended(reader, calls, line):
                    break
                if cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(raw.tell(), total)
        except UnicodeDecodeError:
            raise UserError("calls.bad_encoding", encoding=encoding) from None
        except csv.Error as e:
            raise UserError("calls.bad_csv", reason=str(e)[:80]) from None
        finally:
            text.detach()  # the raw file is closed by its own `with`
    return calls.log, columns


def _ended(reader: Any, calls: CallReader, line: Callable[[], int]) -> bool:
    """A block that added nothing: the end, or a block of empty lines (then go on)."""
    block = list(islice(reader, 1))
    if not block:
        return True
    calls.add(block, line)
    return False


def split_point(path: Path, size: int) -> tuple[int, int]:
    """Where the second half starts (a line start outside any quoted field) and its first line number."""
    middle = size // 2
    lines = quotes = 0
    with open(path, "rb") as f:
        read = 0
        while read < middle:
            block = f.read(min(1024 * 1024, middle - read))
            if not block:
                break
            lines += block.count(b"\n")
            quotes += block.count(b'"')
            read += len(block)
        position = read
        while True:  # on to the end of a line that is not inside quotes
            byte = f.read(1)
            if not byte:
                return size, lines + 1
            position += 1
            if byte == b'"':
                quotes += 1
            elif byte == b"\n":
                lines += 1
                if quotes % 2 == 0:
                    return position, lines + 1


def read_log(path: Path, months: frozenset[str] | None = None, progress: Progress | None = None,
             cancelled: Callable[[], bool] = lambda: False, parallel: bool | None = None) -> CallLog:
    """The whole file as one CallLog. `parallel` (default: for files of 16 MiB or more, when cancel and
    progress are not asked for) reads the second half in another process."""
    log_file = open_log(path)
    use_parallel = parallel if parallel is not None else (
        log_file.size >= PARALLEL_FROM_BYTES and progress is None and (os.cpu_count() or 1) > 1)
    if not use_parallel:
        log, _columns = _read_part(str(path), log_file.encoding, 0, None, 1, None, months, progress, cancelled,
                                   log_file.size)
        return log
    begin, first_line = split_point(path, log_file.size)
    # The header first (this process), then the second half there while the first is read here.
    with open(path, "rb") as f:
        header_line = f.readline()
    columns = read_header(next(csv.reader([header_line.decode(log_file.encoding, errors="replace")])))
    job = (str(path), log_file.encoding, begin, None, first_line, columns, months)
    second = start_part(job)
    try:
        log, _ = _read_part(str(path), log_file.encoding, 0, first_line - 1, 1, None, months, None, cancelled,
                            log_file.size)
        other = second.result() if second is not None else None
    finally:
        if second is not None:
            second.stop()
    if other is None:  # the other process could not be started or did not finish: its half is read here
        other, _ = _read_part(*job, None, cancelled, log_file.size)
    if any(r.line == first_line for r in other.rejected):
        # The split counts quotes, which is right for a well-formed file; a stray quote in an unquoted
        # field (which the csv module takes as a character) can put it inside a quoted line break, and the
        # second half then starts with the rest of a row, which is refused. Read the file in one pass.
        logger.info("the call log's halves did not meet at a row boundary: read again in one pass")
        log, _ = _read_part(str(path), log_file.encoding, 0, None, 1, None, months, None, cancelled, log_file.size)
        return log
    log.merge(other)
    return log


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
    """How this program starts itself to read a part (the frozen executable, or this Python with -m), the
    job in its last argument."""
    import base64
    import pickle

    encoded = base64.b64encode(pickle.dumps(job)).decode("ascii")
    if getattr(sys, "frozen", False):
        return [sys.executable, PART_OPTION, encoded]
    return [sys.executable, "-m", "kwc_desktop", PART_OPTION, encoded]


def start_part(job: PartJob) -> Part | None:
    """Another process reading `job` (the arguments of `_read_part`); None if it cannot be started."""
    import subprocess

    env = dict(os.environ)
    if not getattr(sys, "frozen", False):  # the same package as this one, wherever it was imported from
        root = str(Path(__file__).resolve().parent.parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console window flashes up
    try:
        process = subprocess.Popen(part_command(job), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=env, creationflags=flags)
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


def _amounts(fees: Fees, total: Decimal | None = None) -> dict[str, str]:
    return {"number_fee": str(fees.number_fee), "outbound": str(fees.outbound), "inbound": str(fees.inbound),
            "total": str(total if total is not None else fees.total)}


def charges_json(bills: list[Bill], log: CallLog, lang: Lang) -> dict[str, Any]:
    m = messages()
    return {
        "months": [{
            "month": b.usage.month, "terms": b.usage.terms,
            "numbers": {"outbound": b.usage.outbound_numbers, "inbound": b.usage.inbound_numbers,
                        "charged": number_count(b.usage)},
            "units": {"outbound": b.usage.units_outbound, "inbound": b.usage.units_inbound,
                      "inbound_free": b.usage.units_inbound_free},
            "excl": _amounts(b.excl), "incl": _amounts(b.incl, b.total_incl)} for b in bills],
        "rows": log.rows, "billed": log.billed, "not_completed": log.not_completed,
        "rejected": [{"line": r.line, "reason": m(r.key, lang, value=r.value)} for r in log.rejected],
        "rejected_count": log.rejected_count,
    }


def charges_text(bills: list[Bill], log: CallLog, lang: Lang) -> str:
    m = messages()
    lines = []
    for b in bills:
        u = b.usage
        lines.append(m("charges.month_line", lang, month=u.month, terms=m(f"charges.terms_{u.terms}", lang),
                       outbound=u.outbound_numbers, inbound=u.inbound_numbers, charged=number_count(u),
                       units_out=u.units_outbound, units_in=u.units_inbound, units_free=u.units_inbound_free))
        lines.append("    " + m("charges.fee_line", lang, number_fee=b.excl.number_fee, outbound=b.excl.outbound,
                                inbound=b.excl.inbound, total=b.excl.total, total_incl=b.total_incl))
    lines.append(m("charges.rows_line", lang, rows=log.rows, billed=log.billed, not_completed=log.not_completed,
                   rejected=log.rejected_count))
    for r in log.rejected[:20]:
        lines.append("    " + m("charges.rejected_line", lang, line=r.line, reason=m(r.key, lang, value=r.value)))
    if log.rejected_count > 20:
        lines.append("    " + m("charges.more_rejected", lang, count=log.rejected_count - 20))
    return "\n".join(lines) + "\n"


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
