"""A call log, row by row, into what the tariff prices: per billing month (JST) and terms, the units of
completed calls by direction and the numbers in use. Rows come in as lists of strings (a CSV reader's);
nothing is kept per call, so a log of any length takes the same memory. No Qt, no I/O.

Columns: ours — `start` (ISO 8601; no offset means JST), `direction` (`outbound` | `inbound`), `from`, `to`,
`duration` (whole seconds), optional `status` (only `completed` is billed) — or Twilio's Calls fields
(`start_time` as RFC 2822 or ISO 8601, `direction` `outbound-api` / `outbound-dial` / `inbound`,
`duration`, `status`). Other columns are ignored. A bad row is kept as (line, reason), never dropped.

Each value has one strict grammar (docs/charges.md): a start is an ISO 8601 calendar date and time to the
second, `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]`, or RFC 2822 as Twilio writes it,
`Wed, 14 Jul 2021 14:59:59 +0000` (`-0000`, `GMT`, `UT`, `UTC`: UTC; no zone or another name: refused),
landing in 2000–2099 JST; a number is E.164 (`+81 3-1234-5678` and its other spellings are one number; a
national `03-…` is Japanese); a duration is ASCII digits. Spaces and tabs around a field are not part of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from operator import itemgetter

from kwc_desktop.domain.limits import MAX_DATE, MIN_DATE
from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.tariff import JST, NEW_TERMS_DAY, NEW_TERMS_FROM, UNIT_SECONDS, MonthUsage, Terms
from kwc_desktop.domain.text import UserError

MAX_REJECTED = 1000  # rows kept with their reason; the rest are counted
MAX_DURATION_S = 7 * 24 * 3600  # a week: anything longer is a typo, not a call
MAX_NUMBER_LENGTH = 64
MAX_SPELLINGS = 100_000  # distinct spellings of numbers (and of durations) remembered with what they mean
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
        raise UserError("calls.missing_columns", columns=", ".join(missing), required=", ".join(REQUIRED))
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

    def merge(self, other: CallLog, lines_before: int = 0) -> None:
        """Add `other`, the aggregate of a later part whose line numbers start after `lines_before` lines."""
        for key, value in other.units.items():
            self.units[key] = self.units.get(key, 0) + value
        self.rows += other.rows
        self.billed += other.billed
        self.not_completed += other.not_completed
        room = MAX_REJECTED - len(self.rejected)
        self.rejected += [Rejected(r.line + lines_before, r.key, r.value) for r in other.rejected[:max(room, 0)]]
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
        # a number as the log spells it -> its E.164 form, or None when it is not a number
        self._numbers: dict[str, str | None] = {}
        self._durations: dict[str, int] = {}  # a duration as the log writes it -> its seconds, -1 if none

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
        hours, clock, spelled, durations = self._hours, _MINUTES_SECONDS, self._numbers, self._durations
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
            else:
                found = _other_start(start)
            if found is None:
                self.reject(line(), "calls.bad_start", start)
                continue
            month, terms = found
            if chosen is not None and month not in chosen:
                continue
            try:
                direction = directions[raw_direction]
            except KeyError:
                direction = directions.get(raw_direction.strip(" \t").lower(), "")
                if not direction:
                    self.reject(line(), "calls.bad_direction", raw_direction)
                    continue
            raw = caller if direction is OUTBOUND else called
            try:
                number = spelled[raw]
            except KeyError:
                number = self._number(raw)
            if number is None:
                self.reject(line(), "calls.bad_number", raw.strip(" \t"))
                continue
            key = (month, terms, direction, number)
            if has_status and status != "completed" and status.strip().lower() not in ("completed", ""):
                not_completed += 1
                if key not in totals:
                    totals[key] = 0  # the number is in use that month, with no call to bill
                continue
            try:  # a log has few distinct durations; int() alone would take 6_0, ' 6', ٦٠ and ６０
                seconds = durations[text]
            except KeyError:
                seconds = self._duration(text)
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

    def _number(self, raw: str) -> str | None:
        """`raw`'s E.164 form, remembered for its next row (a log has few distinct numbers of its own)."""
        if len(self._numbers) >= MAX_SPELLINGS:
            self._numbers.clear()
        found = self._numbers[raw] = e164(raw)
        return found

    def _duration(self, text: str) -> int:
        if len(self._durations) >= MAX_SPELLINGS:
            self._durations.clear()
        found = self._durations[text] = _seconds(text)
        return found


_NUMBER = Pattern(r"\(?\+[0-9][0-9 ().-]*|0[0-9 ().-]+")


def e164(text: str) -> str | None:
    """A phone number in E.164 (`+81312345678`), or None when `text` is not one: `+` and the country code, or
    a Japanese number written nationally (`03-1234-5678`), in ASCII digits with spaces, `-`, `.` or
    parentheses between them (`+81 3-1234-5678`, `(+81) 3 1234 5678`); of a length the country's numbers
    can have. No letters (`+1 800 FLOWERS`), no extension, no other digits."""
    text = text.strip(" \t")
    if not text or len(text) > MAX_NUMBER_LENGTH or not _NUMBER.fullmatch(text):
        return None
    import phonenumbers  # phonenumberslite: libphonenumber's metadata, without geocoder or carrier data

    try:
        parsed = phonenumbers.parse(text, "JP")
    except phonenumbers.NumberParseException:
        return None
    if parsed.extension or not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _seconds(text: str) -> int:
    """A duration in whole seconds written in ASCII digits (spaces and tabs around it allowed), else -1."""
    text = text.strip(" \t")
    if text.isdigit() and text.isascii() and len(text) < 12:
        return int(text)
    return -1


_MINUTES_SECONDS = frozenset(f":{m:02d}:{s:02d}" for m in range(60) for s in range(60))


def _other_start(text: str) -> tuple[str, Terms] | None:
    """A start time in a shape other than the common two: its billing month and terms; None if it is none."""
    moment = _moment(text)
    if moment is None:
        return None
    return moment.strftime("%Y-%m"), "new" if moment >= NEW_TERMS_FROM else "old"


def _hour(text: str) -> tuple[str, Terms] | None:
    """"2021-08-01T10" (or with a space): its billing month and terms; None if it is no real hour."""
    if not _HOUR.fullmatch(text) or int(text[11:13]) > 23:
        return None
    return _day(text[:10])


def _day(text: str) -> tuple[str, Terms] | None:
    """A day's billing month and terms (the day's own: the terms change at midnight), None if not real."""
    try:
        day = date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None
    if not MIN_DATE <= day <= MAX_DATE:
        return None
    return text[:7], ("new" if text >= NEW_TERMS_DAY else "old")


_HOUR = Pattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}")
_ISO = Pattern(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
               r"(Z|[+-][0-9]{2}:?[0-9]{2})?")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RFC_2822 = Pattern(rf"({'|'.join(_WEEKDAYS)}), ([0-9]{{1,2}}) ({'|'.join(_MONTHS)}) ([0-9]{{4}}) "
                    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-][0-9]{4}|GMT|UTC|UT)")
_UTC_NAMES = frozenset({"Z", "GMT", "UT", "UTC", "+0000", "-0000", "+00:00", "-00:00"})


def _moment(text: str) -> datetime | None:
    """A start as an aware JST moment, or None: ISO 8601 calendar date and time to the second (no offset:
    JST) or RFC 2822 as Twilio writes it (`Wed, 14 Jul 2021 14:59:59 +0000`, the weekday right, a zone
    always: `-0000` is UTC, RFC 5322), landing between 2000-01-01 and 2099-12-31 JST. Nothing else: no week
    or ordinal dates, no basic format, no hour 24, no missing seconds, no other digits than ASCII."""
    text = text.strip(" \t")
    found = _ISO.fullmatch(text)
    weekday = None
    if found is not None:
        year, month, day, hour, minute, second, fraction, zone = found.groups()
        micro = int((fraction or "0")[:6].ljust(6, "0"))
    else:
        found = _RFC_2822.fullmatch(text)
        if found is None:
            return None
        name, day, month_name, year, hour, minute, second, zone = found.groups()
        weekday, month, micro = _WEEKDAYS.index(name), str(_MONTHS.index(month_name) + 1), 0
    if zone is None:
        tz: tzinfo = JST
    elif zone in _UTC_NAMES:
        tz = UTC
    else:
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        if hours > 23 or minutes > 59:
            return None
        tz = timezone((-1 if zone[0] == "-" else 1) * timedelta(hours=hours, minutes=minutes))
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=tz)
    except ValueError:  # no such day, hour 24, second 60
        return None
    if weekday is not None and moment.weekday() != weekday:
        return None
    moment = moment.astimezone(JST)
    if not MIN_DATE <= moment.date() <= MAX_DATE:
        return None
    return moment


# --- from the log to the months the tariff prices -------------------------------------------------------

TermsMode = str  # "auto" | "old" | "new" | "both"


@record
class Numbers:
    """The numbers given by the user (available in every month of the log) and the service start date."""

    outbound: frozenset[str] = frozenset()
    inbound: frozenset[str] = frozenset()
    service_start: date | None = None  # its billing month has no monthly fees (Article 21-1)


def number_roles(log: CallLog, numbers: Numbers = Numbers()) -> frozenset[str]:
    """The outbound numbers (発信用) of the log and of those given; every other number is inbound (着信用).

    料金表 2-1-2 備考1: 「当社は、発信用と着信用にそれぞれ電話番号を付与します。」 — a number has the role it
    was assigned. Given with `outbound` / `inbound`, it keeps that role whatever the log shows: an inbound
    number that also calls out stays inbound (its outbound calls still cost 発信利用料, calls to it 着信利用料;
    only a call to an outbound number is free, 備考4). A number not given is outbound when it is the caller
    of an outbound call in the log, else inbound. The role decides no number fee (300円 each, either role).
    A number given as both: a UserError naming it."""
    given_out = {e164(n) or n for n in numbers.outbound}  # the log's numbers are E.164: so are the given
    given_in = {e164(n) or n for n in numbers.inbound}
    both = given_out & given_in
    if both:
        raise UserError("charges.number_both_roles", number=min(both))
    return frozenset(given_out | (log.numbers(OUTBOUND) - given_in))


def usages(log: CallLog, mode: TermsMode = "auto", numbers: Numbers = Numbers(),
           changeover: Terms = "new") -> list[MonthUsage]:
    """Each month of the log as the tariff prices it. `auto`: each call by the terms in force when it
    started (附則第1項, 第2項), so the changeover month is two parts with its number fee once (in `changeover`'s
    part); `old` / `new`: every call under those terms; `both`: each month once under each. Numbers have
    the roles of `number_roles`."""
    outbound = number_roles(log, numbers)
    given = {e164(n) or n for n in numbers.outbound | numbers.inbound}  # available in every month
    start_month = numbers.service_start.strftime("%Y-%m") if numbers.service_start else None
    by_month: dict[str, list[tuple[Terms, str, str, int]]] = {}
    for (month, terms, direction, number), value in log.units.items():
        by_month.setdefault(month, []).append((terms, direction, number, value))
    found: list[MonthUsage] = []
    for month in sorted(by_month):
        entries = by_month[month]
        available = given | {n for _t, _d, n, _v in entries}
        out_numbers = available & outbound
        in_numbers = available - outbound
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
                elif number in outbound:
                    free += value
                else:
                    paid += value
            if terms == "old":  # the old terms know no free calls: every inbound unit is charged
                paid, free = paid + free, 0
            numbers_here = charged and (mode != "auto" or len(parts) == 1 or terms == changeover)
            found.append(MonthUsage(month, terms, len(out_numbers), len(in_numbers), out_units, paid, free,
                                    charge_numbers=numbers_here))
    return found
