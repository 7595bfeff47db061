"""The Welcome page formats moments through Qt (ui/dates.py) so babel loads after the first paint; the
rest of the app formats through babel (domain/formatting.py). They must never disagree."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kwc_desktop.domain import formatting
from kwc_desktop.domain.program import Moment
from kwc_desktop.ui import dates

JST = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_qt_and_babel_write_every_moment_alike(lang: str) -> None:
    # Every day from 2022 to 2031 (leap years, every weekday and month) at a time that walks round the
    # clock: midnight, noon, the hours either side of them, single- and double-digit hours and minutes.
    start = datetime(2022, 1, 1, 0, 0, tzinfo=JST)
    for n in range(10 * 366):
        moment = start + timedelta(days=n, minutes=(n * 97) % (24 * 60))
        assert dates.format_instant(moment, JST, lang) == formatting.format_instant(moment, JST, lang)  # type: ignore[arg-type]
        day = moment.date()
        assert dates.format_day(day, lang) == formatting.format_day(day, lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_fixed_hours_alike(lang: str) -> None:
    for hour in range(24):
        for minute in (0, 1, 9, 10, 59):
            moment = datetime(2023, 4, 21, hour, minute, tzinfo=JST)
            assert dates.format_instant(moment, JST, lang) == formatting.format_instant(moment, JST, lang)  # type: ignore[arg-type]


def test_moments_are_shown_in_the_programs_zone() -> None:
    made_in_utc = datetime(2023, 4, 21, 14, 59, tzinfo=UTC)  # 23:59 in Tokyo
    assert dates.format_instant(made_in_utc, JST, "ja") == "2023年4月21日(金) 23:59"
    assert dates.format_instant(made_in_utc, JST, "en") == "Fri, Apr 21, 2023, 11:59 PM"
    assert dates.format_moment(Moment(at=made_in_utc, tz=JST), "ja") == "2023年4月21日(金) 23:59"
    assert dates.format_moment(Moment(day=date(2023, 4, 14), tz=JST), "ja") == "2023年4月14日(金)"
    assert dates.format_moment(Moment(day=date(2023, 4, 14), tz=JST), "en") == "Fri, Apr 14, 2023"


def test_a_time_in_a_daylight_saving_gap_of_the_machine_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # 02:30 on 2023-03-26 does not exist in Berlin; in Tokyo it does, and is what the page must say.
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("the process zone cannot be changed on this OS")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        moment = datetime(2023, 3, 26, 2, 30, tzinfo=JST)
        assert dates.format_instant(moment, JST, "ja") == "2023年3月26日(日) 2:30"
    finally:
        monkeypatch.undo()
        time.tzset()
