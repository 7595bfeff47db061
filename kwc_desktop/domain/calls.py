"""A call log, row by row, into what the tariff prices: per billing month (JST) and terms, the units of
completed calls by direction and the numbers in use. Rows come in as lists of strings (a CSV reader's);
nothing is kept per call, so a log of any length takes the same memory. No Qt, no I/O.

Columns: ours — `start` (ISO 8601; no offset means JST), `direction` (`outbound` | `inbound`), `from`, `to`,
`duration` (whole seconds), optional `status` (only `completed` is billed) — or Twilio's Calls fields
(`start_time` as RFC 2822 or ISO 8601, `direction` `outbound-api` / `outbound-dial` / `inbound`,
`duration`, `status`). Other columns are ignored. A bad row is kept as (line, reason), never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from operator import itemgetter

from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.tariff import JST, NEW_TERMS_DAY, NEW_TERMS_FROM, UNIT_SECONDS, MonthUsage, Terms
from kwc_desktop.domain.text import UserError

MAX_REJECTED = 1000  # rows kept with their reason; the rest are counted
MAX_DURATION_S = 7 * 24 * 3600  # a week: anything longer is a typo, not a call
MAX_NUMBER_LENGTH = 64
OUTBOUND, INBOUND = "outbound", "inbound"
DIRECTIONS = {"outbound": OUTBOUND, "outbound-api": OUTBOUND, "outbound-dial": OUTBOUND, "inbound": INBOUND}
COLUMN_NAMES = {  # a header's name (case and spaces ignored) -> the column it is
    "start": "start", "start_time": "start", "starttime": "start", "start time": "start",
    "direction": "direction", "from": "from", "to": "to", "duration": "duration", "status": "status",
}
REQUIRED = ("start", "direction", "from", "to", "duration")


@record
class Columns:
    start: int
    direction: int
    from_: int
    to: int
    duration: int
    status: int | None
    width: int  # the fewest fields a row needs


def read_header(row: list[str]) -> Columns:
    """Which column is which; a UserError naming the columns that are missing."""
    found: dict[str, int] = {}
    for index, name in enumerate(row):
        key = COLUMN_NAMES.get(name.strip().lstrip("\ufeff").lower())
        if key is not None and key not in found:
            found[key] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise UserError("calls.missing_columns", columns=", ".join(missing))
    width = max(found.values()) + 1
    return Columns(found["start"], found["direction"], found["from"], found["to"], found["duration"],
                   found.get("status"), width)


@record
class Rejected:
    line: int
    key: str  # a message key (calls.*)
    value: str = ""


@record(frozen=False)
class CallLog:
    """The aggregate of a log (or of a part of one: `merge` adds another part): units of completed calls
    by (billing month, terms at the call's start, direction, our number — the caller of an outbound call,
    the called number of an inbound one). A number seen only in calls that did not complete has 0 units."""

    units: dict[tuple[str, Terms, str, str], int] = field(default_factory=dict)
    rows: int = 0
    billed: int = 0
    not_completed: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    rejected_count: int = 0

    def merge(self, other: CallLog) -> None:
        for key, value in other.units.items():
            self.units[key] = self.units.get(key, 0) + value
        self.rows += other.rows
        self.billed += other.billed
        self.not_completed += other.not_completed
        room = MAX_REJECTED - len(self.rejected)
        self.rejected += other.rejected[:max(room, 0)]
        self.rejected_count += other.rejected_count

    def months(self) -> list[str]:
        return sorted({month for month, _t, _d, _n in self.units})

    def numbers(self, direction: str, month: str | None = None) -> set[str]:
        return {n for m, _t, d, n in self.units if d == direction and (month is None or m == month)}


class CallReader:
    """Adds rows to a CallLog; call `add` as often as needed."""

    def __init__(self, columns: Columns, log: CallLog | None = None, months: frozenset[str] | None = None) -> None:
        self.columns = columns
        self.log = log or CallLog()
        self.months = months  # only these billing months are kept (None: every month)
        # "YYYY-MM-DDTHH" -> (month, terms), or None for an hour that is not real or not in range
        self._hours: dict[str, tuple[str, Terms] | None] = {}

    def reject(self, line: int, key: str, value: str = "") -> None:
        log = self.log
        log.rejected_count += 1
        if len(log.rejected) < MAX_REJECTED:
            log.rejected.append(Rejected(line, key, value[:40]))

    def add(self, rows: Iterable[list[str]], line: Callable[[], int]) -> None:
        """Add rows (a CSV reader's, read as they are added: `line()` says the line of the current one).

        The hot loop of a million-row log: subscripts and `in` rather than method calls, the common case
        first and every other case on its slow path (bench/charges.py measures it)."""
        c, log = self.columns, self.log
        status_column = c.status if c.status is not None else c.duration  # read twice: "completed" is assumed
        pick = itemgetter(c.start, c.direction, c.from_, c.to, c.duration, status_column)
        has_status = c.status is not None
        totals = log.units
        chosen = self.months
        hours, clock = self._hours, _MINUTES_SECONDS
        directions = DIRECTIONS
        count = billed = not_completed = 0
        month: str
        terms: Terms
        for row in rows:
            count += 1
            try:
                start, raw_direction, caller, called, text, status = pick(row)
            except IndexError:
                if not any(field.strip() for field in row):
                    count -= 1  # an empty line: nothing to price, nothing wrong
                else:
                    self.reject(line(), "calls.too_few_fields", str(len(row)))
                continue
            # The common shapes, "2021-08-01T10:00:00+09:00" or without the offset (JST): the month and
            # the terms follow from the day; the day and hour are checked once per distinct value, the
            # minutes and seconds against the 3,600 that exist.
            size = len(start)
            if ((size == 25 and start[19:] == "+09:00") or size == 19) and start[13:19] in clock:
                try:
                    found = hours[start[:13]]
                except KeyError:
                    found = hours[start[:13]] = _hour(start[:13])
                if found is None:
                    self.reject(line(), "calls.bad_start", start)
                    continue
                month, terms = found
            else:
                moment = _moment(start)
                if moment is None:
                    self.reject(line(), "calls.bad_start", start)
                    continue
                month = moment.strftime("%Y-%m")
                terms = "new" if moment >= NEW_TERMS_FROM else "old"
            if chosen is not None and month not in chosen:
                continue
            try:
                direction = directions[raw_direction]
            except KeyError:
                direction = directions.get(raw_direction.strip().lower(), "")
                if not direction:
                    self.reject(line(), "calls.bad_direction", raw_direction)
                    continue
            number = (caller if direction is OUTBOUND else called).strip()
            if not number or len(number) > MAX_NUMBER_LENGTH:
                self.reject(line(), "calls.bad_number", number)
                continue
            key = (month, terms, direction, number)
            if has_status and status != "completed" and status.strip().lower() not in ("completed", ""):
                not_completed += 1
                if key not in totals:
                    totals[key] = 0  # the number is in use that month, with no call to bill
                continue
            try:
                seconds = int(text)
            except ValueError:
                seconds = -1
            if not 0 <= seconds <= MAX_DURATION_S:
                self.reject(line(), "calls.bad_duration", text)
                continue
            billed += 1
            try:
                totals[key] -= -seconds // UNIT_SECONDS
            except KeyError:
                totals[key] = -(-seconds // UNIT_SECONDS)
        log.rows += count
        log.billed += billed
        log.not_completed += not_completed


_MINUTES_SECONDS = frozenset(f":{m:02d}:{s:02d}" for m in range(60) for s in range(60))


def _hour(text: str) -> tuple[str, Terms] | None:
    """"2021-08-01T10" (or with a space): its billing month and terms; None if it is no real hour."""
    if len(text) != 13 or text[10] not in "T " or not text[11:13].isdigit() or int(text[11:13]) > 23:
        return None
    return _day(text[:10])


def _day(text: str) -> tuple[str, Terms] | None:
    """A day's billing month and terms (the day's own: the terms change at midnight), None if not real."""
    if not _real_day(text):
        return None
    return text[:7], ("new" if text >= NEW_TERMS_DAY else "old")


def _real_day(text: str) -> bool:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return False
    return 2000 <= day.year <= 2099 and len(text) == 10


def _moment(text: str) -> datetime | None:
    """ISO 8601 (no offset: JST) or RFC 2822 (Twilio's start_time), as an aware JST moment; None if neither."""
    text = text.strip()
    if not text or len(text) > 64:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=JST)
    if not 2000 <= moment.year <= 2099:
        return None
    return moment.astimezone(JST)


# --- from the log to the months the tariff prices -------------------------------------------------------

TermsMode = str  # "auto" | "old" | "new" | "both"


@record
class Numbers:
    """The numbers given by the user (available in every month of the log) and the service start date."""

    outbound: frozenset[str] = frozenset()
    inbound: frozenset[str] = frozenset()
    service_start: date | None = None  # its billing month has no monthly fees (Article 21-1)


def usages(log: CallLog, mode: TermsMode = "auto", numbers: Numbers = Numbers(),
           changeover: Terms = "new") -> list[MonthUsage]:
    """Each month of the log as the tariff prices it. `auto`: each call by the terms in force when it
    started (附則2), so the changeover month is two parts with its number fee once (in `changeover`'s part);
    `old` / `new`: every call under those terms; `both`: each month once under each."""
    every_outbound = set(numbers.outbound) | log.numbers(OUTBOUND)
    start_month = numbers.service_start.strftime("%Y-%m") if numbers.service_start else None
    by_month: dict[str, list[tuple[Terms, str, str, int]]] = {}
    for (month, terms, direction, number), value in log.units.items():
        by_month.setdefault(month, []).append((terms, direction, number, value))
    found: list[MonthUsage] = []
    for month in sorted(by_month):
        entries = by_month[month]
        out_numbers = set(numbers.outbound) | {n for _t, d, n, _v in entries if d == OUTBOUND}
        in_numbers = (set(numbers.inbound) | {n for _t, d, n, _v in entries if d == INBOUND}) - every_outbound
        charged = month != start_month
        parts: list[tuple[Terms, tuple[Terms, ...]]]
        if mode == "auto":
            present = sorted({t for t, _d, _n, v in entries if v}, key=("old", "new").index) \
                or ["new" if month >= "2021-07" else "old"]
            parts = [(t, (t,)) for t in present]
        elif mode == "both":
            parts = [("old", ("old", "new")), ("new", ("old", "new"))]
        else:
            parts = [(mode, ("old", "new"))]  # type: ignore[list-item]
        for terms, sources in parts:
            out_units = free = paid = 0
            for t, direction, number, value in entries:
                if t not in sources:
                    continue
                if direction == OUTBOUND:
                    out_units += value
                elif number in every_outbound:
                    free += value
                else:
                    paid += value
            if terms == "old":  # the old terms know no free calls: every inbound unit is charged
                paid, free = paid + free, 0
            numbers_here = charged and (mode != "auto" or len(parts) == 1 or terms == changeover)
            found.append(MonthUsage(month, terms, len(out_numbers), len(in_numbers), out_units, paid, free,
                                    charge_numbers=numbers_here))
    return found
