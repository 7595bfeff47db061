"""Every open deadline as an iCalendar file (RFC 5545, through `icalendar`): one event per owner, step and
deadline listing the accounts it is for, in Asia/Tokyo time with its VTIMEZONE, reminders at 09:00 on the
third and the last working day before it, the step, the accounts' labels (never a SID), the contact. RFC 5545
allows no control character in a text but the tab (a line break is written as \\n): any other is written as
its escape (\\x1b), whatever the program or the profile holds.

An event's UID is made from what the event is about, never from what it lists: the program's id, the owner's
address, the step's key and the deadline. Adding or removing an account of the owner, another
moment, another language or a new run keeps it, so importing the file again updates the same events."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from kwc_desktop.domain.checklist import Plan, State
from kwc_desktop.domain.overview import Row, rows
from kwc_desktop.domain.program import Moment
from kwc_desktop.domain.records import replace
from kwc_desktop.domain.text import Lang, messages, printable

PRODID = {"ja": "-//kwc-desktop//transfer deadlines//JA", "en": "-//kwc-desktop//transfer deadlines//EN"}
# Reminders on these working days before the deadline's day, at the start of an office's day: a reminder
# at 23:59 (the time of a minute deadline) or at midnight (an all-day one) reaches nobody at work. Weekends
# are skipped; public holidays are not known here.
REMINDER_WORKING_DAYS = (3, 1)
REMINDER_AT = time(9, 0)


def _moment_key(moment: Moment) -> tuple[datetime | None, date | None]:
    return moment.at, moment.day


def open_deadlines(plan: Plan) -> list[Row]:
    """The calendar's events: the rows whose next step can still be done and whose deadline is still ahead,
    one per owner, step and deadline — the accounts of an owner that share them in one row (three accounts'
    billing setup on May 22 is one event listing the three), in the overview's order."""
    merged: dict[tuple[str, str, tuple[datetime | None, date | None]], Row] = {}
    for row in rows(plan):
        if row.state not in (State.DUE, State.NOT_YET) or row.deadline is None or row.deadline.ends() <= plan.as_of:
            continue
        key = (row.owner, row.step.key, _moment_key(row.deadline))
        found = merged.get(key)
        if found is None:
            merged[key] = row
        else:
            accounts = found.accounts + tuple(a for a in row.accounts if a not in found.accounts)
            merged[key] = replace(found, accounts=accounts)
    return list(merged.values())


def event_uid(program_id: str, row: Row) -> str:
    """The event's identity (see the module's text): the same owner, step and deadline give the same UID."""
    assert row.deadline is not None
    at, day = _moment_key(row.deadline)
    when = at.isoformat() if at is not None else str(day)
    identity = f"{program_id}|{row.owner}|{row.step.key}|{when}"
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32] + "@kwc-desktop"


def _working_day_before(day: date, count: int) -> date:
    while count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def reminder_times(deadline: Moment, tz: tzinfo) -> list[datetime]:
    """When to remind of a deadline: 09:00 local time on each of REMINDER_WORKING_DAYS before its day."""
    day = deadline.local_date()
    return [datetime.combine(_working_day_before(day, n), REMINDER_AT, tzinfo=tz) for n in REMINDER_WORKING_DAYS]


def event_summary(plan: Plan, row: Row, lang: Lang) -> str:
    """The event's title: the procedure and the accounts. In Japanese it starts with the program's inquiry
    marker (【KWC移行】, the notice's own words, which files the events together); an English title stays
    English."""
    program = plan.program
    title = f"{row.procedure.title(lang)}: {', '.join(row.accounts)}"
    return printable(f"{program.inquiry_marker} {title}" if lang == "ja" and program.inquiry_marker else title)


def calendar_bytes(plan: Plan, lang: Lang, made_at: datetime) -> bytes:
    """The .ics file's bytes (CRLF lines, folded at 75 octets, as the RFC wants)."""
    from icalendar import Alarm, Calendar, Event, Timezone

    program = plan.program
    m = messages()
    calendar = Calendar()
    calendar.add("prodid", PRODID[lang])
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", printable(program.title(lang)))
    calendar.add("x-wr-timezone", str(program.tz))
    calendar.add_component(Timezone.from_tzinfo(program.tz))
    for row in open_deadlines(plan):
        deadline = row.deadline
        assert deadline is not None
        contact = program.contact(row.procedure.contact)
        lines = [row.step.step.text(lang), f"{m('cli.owner', lang)}: {row.owner}",
                 f"{m('cli.account', lang)}: {', '.join(row.accounts)}",
                 f"{m('pdf.contacts', lang)}: {contact.name(lang)}" + (f" <{contact.email}>" if contact.email else "")
                 + (f" {contact.url}" if contact.url else "")]
        event = Event()
        event.add("uid", event_uid(program.id, row))
        event.add("dtstamp", made_at)
        title = event_summary(plan, row, lang)
        event.add("summary", title)
        event.add("description", printable("\n".join(lines)))
        if deadline.at is not None:
            at = deadline.at.astimezone(program.tz)
            event.add("dtstart", at)
            event.add("dtend", at + timedelta(minutes=1))
        else:
            assert deadline.day is not None
            event.add("dtstart", deadline.day)
            event.add("dtend", deadline.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        if contact.url:
            event.add("url", printable(contact.url, keep=""))
        for when in reminder_times(deadline, program.tz):
            if when <= plan.as_of:
                continue  # a reminder already past at the plan's moment would only go off on import
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title)
            # An absolute trigger: in UTC, and named a DATE-TIME (a TRIGGER is a duration unless it says so).
            alarm.add("trigger", when.astimezone(UTC), parameters={"VALUE": "DATE-TIME"})
            event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
