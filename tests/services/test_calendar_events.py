"""The calendar as an office uses it, parsed back with icalendar: one event per owner, step and deadline
listing its accounts, reminders at 09:00 on working days before the deadline (never at 23:59 or midnight),
English titles in English, and UIDs that stay when the accounts, the moment or the language change (so
importing the file again updates the same events)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import REPO
from tests.ui.test_wizard import JAPANESE

pytestmark = pytest.mark.windows
TOKYO = ZoneInfo("Asia/Tokyo")
MANY_OWNERS = REPO / "examples" / "08-many-owners-keyring.toml"
AS_OF = "2023-04-10T10:00"


def calendar(tmp_path: Path, profile: Path, lang: str, as_of: str = AS_OF):  # noqa: ANN201
    """The events of the file `kwc-desktop calendar` writes, and the line it printed."""
    from icalendar import Calendar

    out = tmp_path / f"{profile.stem}-{lang}-{as_of.replace(':', '')}.ics"
    env = {**os.environ, "LANG": "en_US.UTF-8"}
    result = subprocess.run([sys.executable, "-m", "kwc_desktop", "calendar", str(profile), "--out", str(out),
                             "--as-of", as_of, "--lang", lang], capture_output=True, text=True, cwd=REPO,
                            encoding="utf-8", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    parsed = Calendar.from_ical(out.read_bytes())
    return parsed, parsed.walk("VEVENT"), result.stdout, out.read_bytes()


def day_of(event) -> date:  # noqa: ANN001
    start = event.decoded("DTSTART")
    return start.astimezone(TOKYO).date() if isinstance(start, datetime) else start


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_one_event_per_owner_and_deadline_listing_its_accounts(tmp_path, lang):
    _calendar, events, printed, _raw = calendar(tmp_path, MANY_OWNERS, lang)
    may_22 = [e for e in events if day_of(e) == date(2023, 5, 22)]
    # Billing setup on May 22: HQ's two accounts in one event, the subsidiary's own (not three alike).
    assert len(may_22) == 2
    hq = next(e for e in may_22 if "HQ main" in str(e["SUMMARY"]))
    assert "HQ sub-account: IVR" in str(hq["SUMMARY"]) and "HQ sub-account: IVR" in str(hq["DESCRIPTION"])
    assert "hq-it@example.com" in str(hq["DESCRIPTION"])
    assert "Subsidiary app" in str(next(e for e in may_22 if e is not hq)["SUMMARY"])
    # No two events share an owner, a step and a deadline.
    seen = [(str(e["DESCRIPTION"]).split("\n")[0], str(e["DESCRIPTION"]).split("\n")[1], e.decoded("DTSTART"))
            for e in events]
    assert len(seen) == len(set(seen)) == 7
    assert f"{len(events)}" in printed  # the command counts the events it wrote


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_reminders_come_at_nine_on_working_days_before_the_deadline(tmp_path, lang):
    _calendar, events, _printed, raw = calendar(tmp_path, MANY_OWNERS, lang)
    expected = {  # the deadline's day: the reminders' days (3 working days and 1 before, weekends skipped)
        date(2023, 4, 14): [date(2023, 4, 11), date(2023, 4, 13)],  # Friday
        date(2023, 4, 21): [date(2023, 4, 18), date(2023, 4, 20)],  # Friday, 18:00 and 23:59
        date(2023, 4, 30): [date(2023, 4, 26), date(2023, 4, 28)],  # Sunday: Saturday is no working day
        date(2023, 5, 22): [date(2023, 5, 17), date(2023, 5, 19)],  # Monday: not on the Sunday before
    }
    for event in events:
        alarms = event.walk("VALARM")
        triggers = [a.decoded("TRIGGER") for a in alarms]
        assert all(isinstance(t, datetime) for t in triggers), triggers  # a moment, not "3 days before"
        local = [t.astimezone(TOKYO) for t in triggers]
        assert [t.time() for t in local] == [time(9, 0)] * 2
        assert [t.date() for t in local] == expected[day_of(event)], str(event["SUMMARY"])
        assert all(a["ACTION"] == "DISPLAY" and str(a["DESCRIPTION"]) == str(event["SUMMARY"]) for a in alarms)
    assert raw.count(b"TRIGGER;VALUE=DATE-TIME:") == 2 * len(events)  # RFC 5545: an absolute trigger says so


def test_reminders_already_past_are_left_out(tmp_path):
    _calendar, events, _printed, _raw = calendar(tmp_path, MANY_OWNERS, "en", as_of="2023-05-18T12:00")
    assert events and {day_of(e) for e in events} == {date(2023, 5, 22)}
    for event in events:
        [trigger] = [a.decoded("TRIGGER") for a in event.walk("VALARM")]
        assert trigger.astimezone(TOKYO) == datetime(2023, 5, 19, 9, 0, tzinfo=TOKYO)


def test_english_titles_are_english_and_japanese_ones_carry_the_marker(tmp_path):
    english, en_events, _printed, _raw = calendar(tmp_path, MANY_OWNERS, "en")
    japanese, ja_events, _printed, _raw = calendar(tmp_path, MANY_OWNERS, "ja")
    assert str(english["PRODID"]).endswith("//EN") and str(japanese["PRODID"]).endswith("//JA")
    for event in en_events:
        texts = [str(event["SUMMARY"]), str(event["DESCRIPTION"])] + [str(a["DESCRIPTION"])
                                                                      for a in event.walk("VALARM")]
        assert not [t for t in texts if JAPANESE.search(t)], texts
    assert all(str(e["SUMMARY"]).startswith("【KWC移行】 ") for e in ja_events)
    assert [str(e["UID"]) for e in en_events] == [str(e["UID"]) for e in ja_events]  # one event, two languages


def test_uids_stay_when_an_account_is_added_or_the_moment_changes(tmp_path):
    _calendar, before, _printed, _raw = calendar(tmp_path, MANY_OWNERS, "en")
    text = MANY_OWNERS.read_text(encoding="utf-8").replace(
        '[[owners]]\nemail = "subsidiary@example.com"',
        '  [[owners.accounts]]\n  label = "HQ sub-account: SMS"\n  payment = "invoice"\n  has_bundles = false\n\n'
        '[[owners]]\nemail = "subsidiary@example.com"')
    grown = tmp_path / "grown.toml"
    grown.write_text(text, encoding="utf-8")
    _calendar, after, _printed, _raw = calendar(tmp_path, grown, "en", as_of="2023-04-12T08:30")

    def hq_billing(events):  # noqa: ANN001, ANN202
        return next(e for e in events if day_of(e) == date(2023, 5, 22) and "HQ main" in str(e["SUMMARY"]))

    assert "HQ sub-account: SMS" in str(hq_billing(after)["SUMMARY"])
    assert str(hq_billing(after)["UID"]) == str(hq_billing(before)["UID"])  # the same event, now with 3
    assert {str(e["UID"]) for e in before} <= {str(e["UID"]) for e in after}
    assert len({str(e["UID"]) for e in after}) == len(after)
