"""Dates, moments and amounts in the user's language, through babel (never hand-formatted).

babel is imported on the first call, not with this module: with its locale data it is about 20 ms and
4 MiB, and the first page painted (Welcome) formats through Qt instead (ui/dates.py, same patterns)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal

from kwc_desktop.domain.program import Moment
from kwc_desktop.domain.text import Lang

_LOCALE = {"ja": "ja_JP", "en": "en_US"}
# 2023年4月21日(金) 23:59 / Fri, Apr 21, 2023, 11:59 PM
_DATETIME = {"ja": "y年M月d日(E) H:mm", "en": "EEE, MMM d, y, h:mm a"}
_DATE = {"ja": "y年M月d日(E)", "en": "EEE, MMM d, y"}


def format_day(day: date, lang: Lang) -> str:
    from babel.dates import format_date

    return format_date(day, _DATE[lang], locale=_LOCALE[lang])


def format_instant(moment: datetime, tz: tzinfo, lang: Lang) -> str:
    """A moment shown in the program's zone (JST), whatever zone it was made in."""
    from babel.dates import format_datetime

    return format_datetime(moment.astimezone(tz), _DATETIME[lang], tzinfo=tz, locale=_LOCALE[lang])


def format_moment(moment: Moment, lang: Lang) -> str:
    if moment.at is not None:
        return format_instant(moment.at, moment.tz, lang)
    assert moment.day is not None
    return format_day(moment.day, lang)


def format_amount(amount: Decimal, lang: Lang) -> str:
    """50000 → 50,000; 12345.5 → 12,345.5 (no currency sign: the unit is said beside it)."""
    from babel.numbers import format_decimal

    return format_decimal(amount, "#,##0.##", locale=_LOCALE[lang])
