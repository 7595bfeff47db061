"""The moments the Welcome page shows, formatted by Qt's own locale data (CLDR, compiled into Qt) in the
patterns of domain/formatting.py.

Welcome is the first page painted, and Qt is loaded by then anyway: formatting there through Qt lets babel
(about 20 ms and 4 MiB with its locale data) load after the first paint, for the pages that need it.
tests/domain/test_dates.py holds the two to the same text, day by day and hour by hour over several years, in
both languages.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from PySide6.QtCore import QDate, QLocale, QTime

from kwc_desktop.domain.program import Moment
from kwc_desktop.domain.text import Lang

_LOCALE = {"ja": "ja_JP", "en": "en_US"}
# domain/formatting.py's "y年M月d日(E) H:mm" / "EEE, MMM d, y, h:mm a" in Qt's syntax. The date and the
# time are formatted apart: a QDateTime would be read in the machine's own zone, where a JST wall-clock
# time can fall into a daylight-saving gap and be moved.
_DATE = {"ja": "yyyy年M月d日(ddd)", "en": "ddd, MMM d, yyyy"}
_TIME = {"ja": " H:mm", "en": ", h:mm AP"}


def _qt_date(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def format_day(day: date, lang: Lang) -> str:
    return QLocale(_LOCALE[lang]).toString(_qt_date(day), _DATE[lang])


def format_instant(moment: datetime, tz: tzinfo, lang: Lang) -> str:
    """A moment shown in the program's zone (JST), whatever zone it was made in."""
    local = moment.astimezone(tz)
    locale = QLocale(_LOCALE[lang])
    return (locale.toString(_qt_date(local.date()), _DATE[lang])
            + locale.toString(QTime(local.hour, local.minute), _TIME[lang]))


def format_moment(moment: Moment, lang: Lang) -> str:
    if moment.at is not None:
        return format_instant(moment.at, moment.tz, lang)
    assert moment.day is not None
    return format_day(moment.day, lang)
