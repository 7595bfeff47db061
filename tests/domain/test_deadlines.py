"""Every deadline one minute before and after, in JST — whatever zone the machine's clock is in."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kwc_desktop.domain.accounts import Account, group_by_owner
from kwc_desktop.domain.checklist import State, build_plan, bundle_usable_until
from kwc_desktop.domain.clock import FixedClock, parse_as_of
from kwc_desktop.domain.text import UserError

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


EVERYTHING = {
    "payment": "paypal", "paypal_2022_usd": None, "hq_sms": True, "dedicated_sms_sender": False,
    "ported_toll_free": True, "editions": True, "editions_new_options": True, "has_bundles": True,
    "owner_change_planned": True,
}

# (procedure/step, the last moment it is still due in JST, what it becomes a minute later): every
# deadline the notice (or the cited Twilio article, billing-setup) gives, and only those.
DEADLINES = [
    ("consent/submit-form", "2023-04-21T23:59", State.MISSED),  # 2023年4月21日(金)23:59まで
    ("owner-change/tell-kwc", "2023-04-14T23:59", State.CLOSED),  # 4月14日(金)まで; after: with Twilio
    ("editions/apply-options", "2023-04-14T18:00", State.MISSED),  # 申込期限:2023年4月14日(金)18:00まで
    ("paypal-card/top-up-paypal", "2023-04-30T23:59", State.OVERDUE),  # 4月末までに予めチャージ
    ("billing-setup/re-add-cards", "2023-05-22T23:59", State.OVERDUE),  # Twilio's help article
]
# Steps the notice gives no deadline for (the app must not invent one), and when they open.
NO_DEADLINE = ["paypal-card/register-card", "bundle-reverification/reverify", "owner-change/change-with-twilio",
               "bundle-reverification/apply-new-bundle-twilio"]
# Steps without a deadline whose world changes on a day (KWC's service, its relay and the shared sender ID end
# on May 1): due through that day, over (closed) after it — never a deadline, never missed.
ENDS = [("support-switch/save-ticket-history", "2023-05-01T23:59"), ("hq-sms/tell-sender-id-change", "2023-05-01T23:59")]
OPENS = [  # (step, its first moment in JST): "not yet" one minute before, "due" from then on
    ("paypal-card/register-card", "2023-05-02T00:00"),  # 【対応可能時期】2023年5月2日(火)以降
    ("owner-change/change-with-twilio", "2023-04-22T00:00"),  # 契約移管後(4月22日以降)
    ("consent/confirm-switch", "2023-04-25T00:00"),  # 4月25日以降、Twilio Japanよりメール
    ("bundle-reverification/reverify", "2023-04-22T00:00"),  # after the transfer (default: 「4月22日以降」)
]


def states_at(program, moment: datetime, done: frozenset[str] = frozenset({"consent"})) -> dict[str, State]:
    account = Account("A", "o@example.com", facts=EVERYTHING, done=done)
    owners = group_by_owner([account], owner_done={"o@example.com": done})
    plan = build_plan(program, owners, FixedClock(moment))
    return {step.key: step.state for status in plan.statuses() for step in status.steps}


@pytest.mark.parametrize(("key", "last_minute", "after"), DEADLINES)
@pytest.mark.parametrize("view_zone", ["Asia/Tokyo", "UTC", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_deadline_one_minute_before_and_after(program, key, last_minute, after, view_zone):
    last = datetime.fromisoformat(last_minute).replace(tzinfo=program.tz)
    zone = ZoneInfo(view_zone)  # the same instants, expressed as another machine's clock would
    done = frozenset() if key.startswith("consent/") else frozenset({"consent"})
    assert states_at(program, (last - timedelta(minutes=1)).astimezone(zone), done)[key] is State.DUE
    assert states_at(program, last.astimezone(zone), done)[key] is State.DUE
    assert states_at(program, (last + timedelta(minutes=1)).astimezone(zone), done)[key] is after


@pytest.mark.parametrize("key", NO_DEADLINE)
def test_no_deadline_is_invented_where_the_notice_gives_none(program, key):
    for moment in ("2023-05-02T00:00", "2026-12-01T09:00"):
        states = states_at(program, datetime.fromisoformat(moment).replace(tzinfo=program.tz))
        assert states[key] is State.DUE, (key, moment)


@pytest.mark.parametrize(("key", "last_minute"), ENDS)
def test_a_step_whose_world_changes_is_over_after_that_day_not_missed(program, key, last_minute):
    last = datetime.fromisoformat(last_minute).replace(tzinfo=program.tz)
    assert states_at(program, last)[key] is State.DUE
    for moment in (last + timedelta(minutes=1), datetime(2026, 12, 1, 9, tzinfo=program.tz)):
        assert states_at(program, moment)[key] is State.CLOSED


@pytest.mark.parametrize(("key", "first_moment"), OPENS)
def test_a_window_that_opens_is_not_yet_until_it_does(program, key, first_moment):
    first = datetime.fromisoformat(first_moment).replace(tzinfo=program.tz)
    done = frozenset({"consent/submit-form"}) if key.startswith("consent/") else frozenset({"consent"})
    assert states_at(program, first - timedelta(minutes=1), done)[key] is State.NOT_YET
    assert states_at(program, first, done)[key] is State.DUE


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="Windows cannot switch the process's zone (no tzset)")
def test_machine_time_zone_does_not_move_deadlines(program, monkeypatch):
    """--as-of without an offset is JST even when the process runs in New York time."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        before = parse_as_of("2023-04-21T23:59", program.tz)
        after = parse_as_of("2023-04-22T00:00", program.tz)
        assert states_at(program, before, frozenset())["consent/submit-form"] is State.DUE
        assert states_at(program, after, frozenset())["consent/submit-form"] is State.MISSED
        assert time.localtime().tm_gmtoff != 9 * 3600
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert os.environ.get("TZ") is None


def test_as_of_with_an_offset_is_converted(program):
    # 15:00 UTC is 00:00 JST the next day: the consent deadline has just passed.
    moment = parse_as_of("2023-04-21T15:00:00Z", program.tz)
    assert states_at(program, moment, frozenset())["consent/submit-form"] is State.MISSED
    moment = parse_as_of("2023-04-21T14:59:00+00:00", program.tz)
    assert states_at(program, moment, frozenset())["consent/submit-form"] is State.DUE


@pytest.mark.parametrize("text", ["yesterday", "2023-13-01", "", "2023/04/21"])
def test_bad_as_of_is_a_user_error(program, text):
    with pytest.raises(UserError) as error:
        parse_as_of(text, program.tz)
    assert "2023-04-21" in error.value.message("en")
    assert "日時" in error.value.message("ja")


def test_full_width_as_of_is_accepted(program):
    assert parse_as_of("２０２３－０４－２１", program.tz) == datetime(2023, 4, 21, tzinfo=program.tz)


def test_missed_consent_makes_the_rest_missed(program):
    states = states_at(program, datetime(2026, 11, 23, tzinfo=program.tz), frozenset())
    assert states["consent/submit-form"] is State.MISSED
    assert states["consent/check-ready-mail"] is State.MISSED  # requires submit-form
    assert states["hq-sms/send-items"] is State.MISSED  # comes after consent, which was missed
    assert states["bundle-reverification/prepare-documents"] is State.MISSED


def test_in_2026_with_consent_done_late_steps_are_overdue_not_missed(program):
    states = states_at(program, datetime(2026, 11, 23, tzinfo=program.tz))
    assert states["consent/submit-form"] is State.DONE
    assert states["billing-setup/re-add-cards"] is State.OVERDUE
    assert states["editions/apply-options"] is State.MISSED
    assert states["hq-sms/send-items"] is State.DUE  # no deadline in the notice


def test_owner_change_has_a_path_after_the_kwc_deadline(program):
    """FAQ: before the transfer, tell KWC by April 14; from April 15, change it with Twilio after the
    transfer (from April 22). On April 16 nothing is missed: the second way has not opened yet."""
    def owner_change(moment: datetime) -> tuple[State, State, State]:
        account = Account("A", "o@example.com", facts=EVERYTHING, done=frozenset({"consent"}))
        owners = group_by_owner([account], owner_done={"o@example.com": frozenset({"consent"})})
        status = next(s for s in build_plan(program, owners, FixedClock(moment)).statuses()
                      if s.procedure.id == "owner-change")
        return status.state, status.steps[0].state, status.steps[1].state

    assert owner_change(datetime(2023, 4, 14, 12, tzinfo=program.tz)) == (State.DUE, State.DUE, State.NOT_YET)
    assert owner_change(datetime(2023, 4, 16, tzinfo=program.tz)) == (State.NOT_YET, State.CLOSED, State.NOT_YET)
    assert owner_change(datetime(2023, 4, 22, tzinfo=program.tz)) == (State.DUE, State.CLOSED, State.DUE)


def test_bundle_timeline_is_transfer_plus_90_days(program):
    from datetime import date

    assert bundle_usable_until(program) == date(2023, 7, 21)  # the earliest transfer day, 04-22, + 90 days
    assert bundle_usable_until(program, date(2023, 4, 20)) == date(2023, 7, 19)
    account = Account("B", "o@example.com", facts={**EVERYTHING}, transferred_on=date(2023, 4, 20),
                      done=frozenset({"consent"}))
    plan = build_plan(program, group_by_owner([account]), FixedClock(datetime(2023, 7, 20, tzinfo=program.tz)))
    reverify = next(s for p in plan.statuses() for s in p.steps if s.key == "bundle-reverification/reverify")
    # The 90 days are how long the Bundles stay usable at least, not a deadline (Twilio Japan gives that
    # after the transfer): the step opens on the account's own transfer day and has no deadline.
    assert reverify.deadline is None and reverify.state is State.DUE
    assert reverify.available_from.local_date() == date(2023, 4, 20)


@pytest.mark.parametrize(("text", "in_range"), [
    ("2099-12-31T23:59:59-12:00", False),  # 2100-01-01 in JST
    ("2000-01-01T00:00+14:00", False),  # 1999-12-31 in JST
    ("1999-12-31T23:59:59-12:00", True),  # 2000-01-01 in JST
    ("2099-12-31T23:59", True),
    ("0001-01-01T00:00+14:00", False),  # the conversion would overflow: refused, not raised
    ("9999-12-31T23:59-12:00", False),
])
def test_the_as_of_range_is_the_program_zones(program, text, in_range):
    from kwc_desktop.domain.text import UserError

    if in_range:
        assert parse_as_of(text, program.tz).astimezone(program.tz).year in (2000, 2099)
    else:
        with pytest.raises(UserError) as caught:
            parse_as_of(text, program.tz)
        assert caught.value.key == "date.out_of_range"
