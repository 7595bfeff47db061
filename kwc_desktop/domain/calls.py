"""A call log, row by row, into what the tariff prices: per billing month (JST) and terms, the units of
completed calls by direction and the numbers in use. Rows come in as lists of strings (a CSV reader's);
nothing is kept per call, so a log of any length takes the same memory. No Qt, no I/O.

Columns: ours — `start` (ISO 8601; no offset means JST), `direction` (`outbound` | `inbound`), `from`, `to`,
`duration` (whole seconds), optional `status` (only `completed` is billed) — or Twilio's Calls fields
(`start_time` as RFC 2822 or ISO 8601, `direction` `outbound-api` / `outbound-dial` / `inbound`,
`duration`, `status`). Other columns are ignored. A bad row is kept as (line, reason), never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from kwc_desktop.domain.tariff import JST, NEW_TERMS_DAY, NEW_TERMS_FROM, MonthUsage, Terms, units
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Rejected:
    line: int
    key: str  # a message key (calls.*)
    value: str = ""


@dataclass
class CallLog:
    """The aggregate of a log (or of a part of one: `merge` adds another part)."""

    # (month, terms at the call's start) -> units of completed outbound calls
    outbound_units: dict[tuple[str, Terms], int] = field(default_factory=dict)
    # (month, terms, called number) -> units of completed inbound calls
    inbound_units: dict[tuple[str, Terms, str], int] = field(default_factory=dict)
    outbound_numbers: dict[str, set[str]] = field(default_factory=dict)  # month -> `from` of outbound calls
    inbound_numbers: dict[str, set[str]] = field(default_factory=dict)  # month -> `to` of inbound calls
    rows: int = 0
    billed: int = 0
    not_completed: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    rejected_count: int = 0

    def merge(self, other: CallLog) -> None:
        for key, value in other.outbound_units.items():
            self.outbound_units[key] = self.outbound_units.get(key, 0) + value
        for ikey, value in other.inbound_units.items():
            self.inbound_units[ikey] = self.inbound_units.get(ikey, 0) + value
        for month, numbers in other.outbound_numbers.items():
            self.outbound_numbers.setdefault(month, set()).update(numbers)
        for month, numbers in other.inbound_numbers.items():
            self.inbound_numbers.setdefault(month, set()).update(numbers)
        self.rows += other.rows
        self.billed += other.billed
        self.not_completed += other.not_completed
        room = MAX_REJECTED - len(self.rejected)
        self.rejected += other.rejected[:max(room, 0)]
        self.rejected_count += other.rejected_count

    def months(self) -> list[str]:
        found = {m for m, _ in self.outbound_units} | {m for m, _, _ in self.inbound_units}
        return sorted(found | set(self.outbound_numbers) | set(self.inbound_numbers))


class CallReader:
    """Adds rows to a CallLog. `add(rows)` takes (line number, fields) pairs; call it as often as needed."""

    def __init__(self, columns: Columns, log: CallLog | None = None, months: frozenset[str] | None = None) -> None:
        self.columns = columns
        self.log = log or CallLog()
        self.months = months  # only these billing months are kept (None: every month)
        self._days: dict[str, bool] = {}  # "YYYY-MM-DD" -> a real day in range
        self._times: dict[str, bool] = {}  # "HH:MM:SS" (and fractions) -> a real time

    def reject(self, line: int, key: str, value: str = "") -> None:
        log = self.log
        log.rejected_count += 1
        if len(log.rejected) < MAX_REJECTED:
            log.rejected.append(Rejected(line, key, value[:40]))

    def add(self, rows: Iterable[tuple[int, list[str]]]) -> None:
        c, log = self.columns, self.log
        i_start, i_dir, i_from, i_to, i_dur, i_status, width = (c.start, c.direction, c.from_, c.to, c.duration,
                                                                c.status, c.width)
        outbound_units, inbound_units = log.outbound_units, log.inbound_units
        outbound_numbers, inbound_numbers = log.outbound_numbers, log.inbound_numbers
        days, times, chosen = self._days, self._times, self.months
        directions = DIRECTIONS
        new_day = NEW_TERMS_DAY
        count = billed = not_completed = 0
        for line, row in rows:
            count += 1
            if len(row) < width:
                if not any(field.strip() for field in row):
                    count -= 1  # an empty line: nothing to price, nothing wrong
                    continue
                self.reject(line, "calls.too_few_fields", str(len(row)))
                continue
            start = row[i_start]
            # The common shapes, "2021-08-01T10:00:00+09:00" or without the offset (JST): the month and
            # the terms are read off the text, the day and the time checked once per distinct value.
            size = len(start)
            if (size == 25 and start.endswith("+09:00")) or size == 19:
                day_text = start[:10]
                ok_day = days.get(day_text)
                if ok_day is None:
                    ok_day = days[day_text] = _real_day(day_text)
                time_text = start[11:19]
                ok_time = times.get(time_text)
                if ok_time is None:
                    ok_time = times[time_text] = _real_time(time_text)
                if not (ok_day and ok_time and start[10] in "T "):
                    self.reject(line, "calls.bad_start", start)
                    continue
                month = start[:7]
                terms: Terms = "new" if day_text >= new_day else "old"
            else:
                moment = _moment(start)
                if moment is None:
                    self.reject(line, "calls.bad_start", start)
                    continue
                month = moment.strftime("%Y-%m")
                terms = "new" if moment >= NEW_TERMS_FROM else "old"
            if chosen is not None and month not in chosen:
                continue
            direction = directions.get(row[i_dir].strip().lower())
            if direction is None:
                self.reject(line, "calls.bad_direction", row[i_dir])
                continue
            number = row[i_from] if direction is OUTBOUND else row[i_to]
            number = number.strip()
            if not number or len(number) > MAX_NUMBER_LENGTH:
                self.reject(line, "calls.bad_number", number)
                continue
            status = row[i_status].strip().lower() if i_status is not None else "completed"
            if status != "completed" and status != "":
                not_completed += 1
                (outbound_numbers if direction is OUTBOUND else inbound_numbers).setdefault(month, set()).add(number)
                continue
            text = row[i_dur]
            try:
                seconds = int(text)
            except ValueError:
                seconds = -1
            if not 0 <= seconds <= MAX_DURATION_S:
                self.reject(line, "calls.bad_duration", text)
                continue
            used = units(seconds)
            billed += 1
            if direction is OUTBOUND:
                key = (month, terms)
                outbound_units[key] = outbound_units.get(key, 0) + used
                month_numbers = outbound_numbers.get(month)
                if month_numbers is None:
                    month_numbers = outbound_numbers[month] = set()
                month_numbers.add(number)
            else:
                ikey = (month, terms, number)
                inbound_units[ikey] = inbound_units.get(ikey, 0) + used
                month_numbers = inbound_numbers.get(month)
                if month_numbers is None:
                    month_numbers = inbound_numbers[month] = set()
                month_numbers.add(number)
        log.rows += count
        log.billed += billed
        log.not_completed += not_completed


def _real_day(text: str) -> bool:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return False
    return 2000 <= day.year <= 2099 and len(text) == 10


def _real_time(text: str) -> bool:
    try:
        time.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 8


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


@dataclass(frozen=True)
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
    every_outbound = set(numbers.outbound).union(*log.outbound_numbers.values()) if log.outbound_numbers \
        else set(numbers.outbound)
    start_month = numbers.service_start.strftime("%Y-%m") if numbers.service_start else None
    found: list[MonthUsage] = []
    for month in log.months():
        out_numbers = set(numbers.outbound) | log.outbound_numbers.get(month, set())
        in_numbers = (set(numbers.inbound) | log.inbound_numbers.get(month, set())) - every_outbound
        charged = month != start_month
        parts: list[tuple[Terms, tuple[Terms, ...]]]
        if mode == "auto":
            present = [t for t in ("old", "new") if _has(log, month, t)] or ["new" if month >= "2021-07" else "old"]
            parts = [(t, (t,)) for t in present]  # type: ignore[misc]
        elif mode == "both":
            parts = [("old", ("old", "new")), ("new", ("old", "new"))]
        else:
            parts = [(mode, ("old", "new"))]  # type: ignore[list-item]
        for terms, sources in parts:
            out_units = sum(log.outbound_units.get((month, t), 0) for t in sources)
            free = paid = 0
            for (m, t, called), value in log.inbound_units.items():
                if m == month and t in sources:
                    if called in every_outbound:
                        free += value
                    else:
                        paid += value
            if terms == "old":  # the old terms know no free calls: every inbound unit is charged
                paid, free = paid + free, 0
            numbers_here = charged and (mode != "auto" or len(parts) == 1 or terms == changeover)
            found.append(MonthUsage(month, terms, len(out_numbers), len(in_numbers), out_units, paid, free,
                                    charge_numbers=numbers_here))
    return found


def _has(log: CallLog, month: str, terms: Terms) -> bool:
    return (month, terms) in log.outbound_units or any(m == month and t == terms for m, t, _ in log.inbound_units)

