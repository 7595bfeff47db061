"""What's next at a glance and the calendar: the overview's rows against the checklist, `plan --next`
against the overview, and the .ics file parsed back event by event."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from kwc_desktop.domain.checklist import State
from kwc_desktop.domain.overview import FILTERS, do_next, filtered, next_deadline_of, rows
from tests.conftest import REPO

EXAMPLES = REPO / "examples"

pytestmark = pytest.mark.windows
TZ_NAME = "Asia/Tokyo"


def session_for(name: str, at: str):  # noqa: ANN201
    from kwc_desktop.domain.answers import answers_from_profile
    from kwc_desktop.domain.clock import parse_as_of
    from kwc_desktop.domain.session import Session
    from kwc_desktop.services.profiles import load_profile
    from kwc_desktop.services.program_store import load_program

    program = load_program()
    answers, sids, _bundles = answers_from_profile(load_profile(EXAMPLES / name, program))
    session = Session(program, answers)
    session.set_as_of(parse_as_of(at, program.tz))
    session.secrets.sids.update(sids)
    return session


def test_one_row_per_procedure_and_account_sorted_by_date():
    session = session_for("03-paypal.toml", "2023-04-10T10:00")
    plan = session.plan()
    found = rows(plan)
    expected = sum(len(o.procedures) + sum(len(a.procedures) for a in o.accounts) for o in plan.owners)
    assert len(found) == expected
    deadlines = [r.deadline.ends() for r in found if r.deadline is not None]
    assert deadlines == sorted(deadlines) and all(r.deadline is None for r in found[len(deadlines):])
    first = found[0]
    assert first.procedure.id == "consent" and first.days_left == 11 and first.state is State.DUE
    assert first.accounts == ("Call center", "Staging")  # an owner's procedure: once, for its accounts
    assert do_next(found) is first
    staging = next_deadline_of(found, "Staging")
    assert staging is first
    for name, states in FILTERS.items():
        assert all(r.state in states for r in filtered(found, name))
    assert len(filtered(found, "all")) == len(found)


def test_in_2026_everything_has_passed_and_nothing_is_next():
    found = rows(session_for("03-paypal.toml", "2026-12-02T10:00").plan())
    assert do_next(found) is None
    assert {r.state for r in found} <= {State.MISSED, State.OVERDUE, State.DONE}
    assert all(r.days_left is None or r.days_left < 0 for r in found)


def test_plan_next_is_the_overview():
    result = subprocess.run([sys.executable, "-m", "kwc_desktop", "plan", str(EXAMPLES / "03-paypal.toml"), "--next",
                             "--json", "--as-of", "2023-04-10T10:00", "--show", "due"], capture_output=True, text=True,
                            cwd=REPO, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    found = filtered(rows(session_for("03-paypal.toml", "2023-04-10T10:00").plan()), "due")
    assert [(r["procedure"], r["accounts"], r["step"]["key"], r["days_left"]) for r in report["rows"]] == [
        (r.procedure.id, list(r.accounts), r.step.key, r.days_left) for r in found]
    assert report["do_next"]["procedure"] == "consent"
    text = subprocess.run([sys.executable, "-m", "kwc_desktop", "plan", str(EXAMPLES / "03-paypal.toml"), "--next",
                           "--as-of", "2023-04-10T10:00", "--lang", "ja"], capture_output=True, text=True, cwd=REPO,
                          encoding="utf-8")
    assert text.returncode == 0 and "次にすること" in text.stdout and "あと11日" in text.stdout


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_calendar_parses_back_event_by_event(tmp_path, lang):
    from icalendar import Calendar

    out = tmp_path / "deadlines.ics"
    result = subprocess.run([sys.executable, "-m", "kwc_desktop", "calendar", str(EXAMPLES / "03-paypal.toml"),
                             "--out", str(out), "--as-of", "2023-04-10T10:00", "--lang", lang],
                            capture_output=True, text=True, cwd=REPO, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    lines = data.split(b"\r\n")
    assert data.endswith(b"\r\n") and all(len(line) <= 75 for line in lines)  # RFC 5545 3.1: CRLF, folded
    calendar = Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [TZ_NAME]
    events = calendar.walk("VEVENT")
    session = session_for("03-paypal.toml", "2023-04-10T10:00")
    from kwc_desktop.services.calendar import open_deadlines

    expected = open_deadlines(session.plan())  # one event per owner, step and deadline, with its accounts
    assert len(events) == len(expected) == 3
    uids = set()
    for event, row in zip(events, expected, strict=True):
        uids.add(str(event["UID"]))
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
            assert prop in event, prop
        start = event.decoded("DTSTART")
        if row.deadline.at is not None:
            assert start == row.deadline.at and str(start.tzinfo) == TZ_NAME
        else:
            assert start == row.deadline.day and event.decoded("DTEND") == row.deadline.day + timedelta(days=1)
        assert ", ".join(row.accounts).replace(",", "\\,") in event.to_ical().decode() or \
            ", ".join(row.accounts) in str(event["SUMMARY"])
        assert "AC" not in str(event["DESCRIPTION"]).replace("ACCOUNT", "")  # labels, never SIDs
        alarms = event.walk("VALARM")
        assert len(alarms) == 2  # at 09:00 on working days before (tests/services/test_calendar_events.py)
        assert all(a["ACTION"] == "DISPLAY" and a["DESCRIPTION"] for a in alarms)
    assert len(uids) == len(events)  # unique, and stable (the same input gives the same UIDs)
    again = tmp_path / "again.ics"
    subprocess.run([sys.executable, "-m", "kwc_desktop", "calendar", str(EXAMPLES / "03-paypal.toml"), "--out",
                    str(again), "--as-of", "2023-04-10T10:00", "--lang", lang], check=True, cwd=REPO)
    assert {str(e["UID"]) for e in Calendar.from_ical(again.read_bytes()).walk("VEVENT")} == uids
    bad = subprocess.run([sys.executable, "-m", "kwc_desktop", "calendar", str(EXAMPLES / "03-paypal.toml"), "--out",
                          str(tmp_path / "x.txt")], capture_output=True, text=True, cwd=REPO, encoding="utf-8")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_overview_window_sorts_filters_and_exports_the_calendar(qtbot, tmp_path, lang):
    from icalendar import Calendar

    from tests.wizard_helpers import open_window, settle

    window = open_window(qtbot, lang, at="2023-04-10T10:00")
    window.open_profile_file(EXAMPLES / "03-paypal.toml")
    settle(qtbot, window)
    window.overview_action.trigger()
    dialog = window.overview
    assert dialog is not None and dialog.isVisible()
    assert {"en": "Do this next:", "ja": "次にすること:"}[lang] in dialog.panel.next.text()
    table = dialog.panel.table
    assert table.rowCount() == len(filtered(dialog.panel.rows, "open")) > 0
    assert {"en": "11 days left", "ja": "あと11日"}[lang] == table.item(0, 1).text()
    panel = dialog.panel
    panel.filter.setCurrentIndex(panel.filter.findData("done"))
    assert table.rowCount() == 0
    panel.filter.setCurrentIndex(panel.filter.findData("all"))
    assert table.rowCount() == len(panel.rows)
    out = tmp_path / "deadlines.ics"
    assert panel.export_calendar_to(out)
    assert len(Calendar.from_ical(out.read_bytes()).walk("VEVENT")) == 3
    window.close()


def test_whats_next_is_the_page_after_welcome_once_there_are_accounts(qtbot):
    from kwc_desktop.ui.wizard import Page
    from tests.wizard_helpers import open_window, settle

    window = open_window(qtbot, "en", at="2023-04-10T10:00")
    wizard = window.wizard
    assert Page.OVERVIEW not in wizard.applicable_pages()  # nothing to show yet
    window.open_profile_file(EXAMPLES / "03-paypal.toml")
    settle(qtbot, window)
    wizard.restart()
    wizard.next()
    assert wizard.currentId() == Page.OVERVIEW
    page = wizard.currentPage()
    assert page.title() == "What's next" and page.panel.table.rowCount() > 0
    wizard.next()
    assert wizard.currentId() == Page.ACCOUNTS
    window.close()


def test_once_every_deadline_has_passed_the_headline_is_what_can_still_be_done():
    from kwc_desktop.domain.overview import AllPassed, headline

    before = session_for("03-paypal.toml", "2023-04-10T10:00").plan()
    assert headline(before, rows(before)) == do_next(rows(before))  # while the program runs: the next step
    plan = session_for("02-invoice-hq-sms.toml", "2026-12-02T10:00").plan()
    found = rows(plan)
    assert do_next(found) is not None and do_next(found).days_left < -1000  # what the overview used to push
    after = headline(plan, found)
    assert isinstance(after, AllPassed) and after.last.local_date().isoformat() == "2023-05-22"
    billing = plan.program.procedure("billing-setup")
    assert [(s.procedure.id, s.accounts, s.text) for s in after.still] == [
        ("billing-setup", ("Notifications", "Sender-number SMS"), billing.when_missed)]
    assert after.undated == sum(1 for r in found if r.state is State.DUE and r.deadline is None) > 0
    missed = session_for("03-paypal.toml", "2026-12-02T10:00").plan()
    consent = missed.program.procedure("consent")  # missed: the procedures it blocked are not repeated
    assert [(s.procedure.id, s.text) for s in headline(missed, rows(missed)).still] == [("consent", consent.when_missed)]


DO_NEXT_2023 = {
    "en": "Do this next: Transfer consent (every customer) — Fill in and submit the transfer consent form (once per "
          "owner email address) (Call center, Staging), by Fri, Apr 21, 2023, 11:59 PM.",
    "ja": "次にすること: アカウント/契約移管への同意(全お客様必須) — アカウント移管同意フォームに必要事項を記入して提出する"
          "(オーナーメールアドレスごとに1回)(Call center, Staging)。期限は2023年4月21日(金) 23:59です。",
}
ALL_PASSED = {"en": ("Every deadline of the migration program has passed (its last date: Mon, May 22, 2023).",
                     "What this means now, and what can still be done:"),
              "ja": ("移管プログラムの期限はすべて過ぎました(最後の日付: 2023年5月22日(月))。", "どうなったか・今からできること:")}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_after_2023_the_overview_says_every_deadline_passed_and_what_can_still_be_done(qtbot, lang):
    from tests.wizard_helpers import open_window, settle

    window = open_window(qtbot, lang, at="2023-04-10T10:00")
    window.open_profile_file(EXAMPLES / "03-paypal.toml")
    settle(qtbot, window)
    window.overview_action.trigger()
    assert window.overview.panel.next.text() == DO_NEXT_2023[lang]  # before the deadlines: as it was
    window.close()
    for profile, procedure in (("02-invoice-hq-sms.toml", "billing-setup"), ("03-paypal.toml", "consent")):
        window = open_window(qtbot, lang, at="2026-12-02T10:00")
        window.open_profile_file(EXAMPLES / profile)
        settle(qtbot, window)
        window.overview_action.trigger()
        text = window.overview.panel.next.text()
        program = window.context.session.program
        assert text.splitlines()[:2] == list(ALL_PASSED[lang]), text
        assert program.procedure(procedure).when_missed(lang) in text.splitlines()[2]  # in the program's words
        assert not any(word in text for word in ("Do this next", "次にすること", "ago", "日前"))  # nothing "late"
        window.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_do_this_next_is_never_a_step_only_for_who_wants_it(qtbot, lang):
    """A new Bundle through KWC (until 2023-04-21 18:00) is the earliest deadline, but only for who wants
    one: "Do this next" names a step every such account needs; the optional one stays in the list."""
    from kwc_desktop.ui.wizard import Page
    from tests.wizard_helpers import go_to, open_window, settle

    window = open_window(qtbot, lang)
    window.open_profile_file(REPO / "examples" / "05-bundles.toml")
    settle(qtbot, window)
    go_to(qtbot, window, Page.OVERVIEW)
    panel = window.wizard.page(Page.OVERVIEW).panel
    headline = panel.next.text()
    new_bundle = {"en": "If you want a new Bundle", "ja": "新しいBundleを申請する場合は"}[lang]
    assert new_bundle not in headline and headline, headline  # a later step that every such account needs
    steps = [panel.table.item(r, 5).text() for r in range(panel.table.rowCount())]
    assert any(new_bundle in s for s in steps)


def test_with_the_consent_missed_no_owner_change_after_the_transfer_is_offered():
    """2026, an owner whose consent was never given (its accounts were deleted): "make the owner change with
    Twilio after the transfer" cannot be done — there was no transfer — so it is not a step still possible."""
    from kwc_desktop.domain.overview import headline

    plan = session_for("06-trial-suspended-owner-change.toml", "2026-12-02T10:00").plan()
    found = rows(plan)
    owner_change = [r for r in found if r.procedure.id == "owner-change"]
    consent = [r for r in found if r.procedure.id == "consent"]
    assert consent and all(r.state is State.MISSED for r in consent)
    assert owner_change and all(r.state is State.MISSED for r in owner_change), [r.state for r in owner_change]
    assert headline(plan, found).undated == 0  # no "step with no deadline can still be done"
