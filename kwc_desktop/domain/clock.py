"""Time as the app sees it: always from a clock that can be set, never a hard-coded today."""

from __future__ import annotations

from datetime import UTC, datetime, time, tzinfo
from typing import Protocol

from kwc_desktop.domain.limits import MAX_DATE, MIN_DATE
from kwc_desktop.domain.text import UserError


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, time-zone aware."""
        ...


class SystemClock:
    """The machine's clock (in UTC, so the machine's own zone never matters)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock stopped at one moment: the "as of" date, and every test."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def parse_as_of(text: str, tz: tzinfo) -> datetime:
    """An ISO-8601 date or date-time; without an offset it is read in the program's zone (JST)."""
    if len(text) > 64:
        raise UserError("clock.bad_as_of", value=text[:32] + "…")
    import unicodedata  # on first use, as in domain/sid.py

    cleaned = unicodedata.normalize("NFKC", text).strip()
    try:
        if len(cleaned) == 10:
            moment = datetime.combine(datetime.fromisoformat(cleaned).date(), time(0, 0))
        else:
            moment = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise UserError("clock.bad_as_of", value=text) from None
    moment = moment.replace(tzinfo=tz) if moment.tzinfo is None else moment
    # The range is the program zone's: 2099-12-31T23:59-12:00 is already 2100 in JST, and
    # 1999-12-31T23:59-12:00 is 2000. Year 1 or 9999 with an offset can overflow in the conversion.
    try:
        day = moment.astimezone(tz).date()
    except OverflowError:
        day = moment.date()
    if not MIN_DATE <= day <= MAX_DATE:  # far dates overflow once a zone or a day is added
        raise UserError("date.out_of_range", value=day.isoformat(), min=MIN_DATE.isoformat(),
                        max=MAX_DATE.isoformat())
    return moment
