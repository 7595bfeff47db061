"""Every open deadline as an iCalendar file (RFC 5545, through `icalendar`): one event per deadline per
owner or account, in Asia/Tokyo time with its VTIMEZONE, a reminder 3 days and 1 day before, the step, the
account's label (never its SID), the contact. RFC 5545 allows no control character in a text but the tab (a line
break is written as \\n): any other is written as its escape (\\x1b), whatever the program or the profile holds."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from kwc_desktop.domain.checklist import Plan, State
from kwc_desktop.domain.overview import Row, rows
from kwc_desktop.domain.text import Lang, messages, printable

PRODID = "-//kwc-desktop//transfer deadlines//JA"
REMINDERS = (timedelta(days=3), timedelta(days=1))


def open_deadlines(plan: Plan) -> list[Row]:
    """The rows whose next step can still be done and whose deadline is still ahead."""
    return [r for r in rows(plan) if r.state in (State.DUE, State.NOT_YET) and r.deadline is not None
            and r.deadline.ends() > plan.as_of]


def calendar_bytes(plan: Plan, lang: Lang, made_at: datetime) -> bytes:
    """The .ics file's bytes (CRLF lines, folded at 75 octets, as the RFC wants)."""
    from icalendar import Alarm, Calendar, Event, Timezone

    program = plan.program
    m = messages()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", printable(program.title(lang)))
    calendar.add("x-wr-timezone", str(program.tz))
    calendar.add_component(Timezone.from_tzinfo(program.tz))
    for row in open_deadlines(plan):
        deadline = row.deadline
        assert deadline is not None
        contact = program.contact(row.procedure.contact)
        title = f"{program.inquiry_marker} {row.procedure.title(lang)}: {', '.join(row.accounts)}"
        lines = [row.step.step.text(lang), f"{m('cli.owner', lang)}: {row.owner}",
                 f"{m('cli.account', lang)}: {', '.join(row.accounts)}",
                 f"{m('pdf.contacts', lang)}: {contact.name(lang)}" + (f" <{contact.email}>" if contact.email else "")
                 + (f" {contact.url}" if contact.url else "")]
        event = Event()
        identity = f"{program.id}|{row.owner}|{'|'.join(row.accounts)}|{row.step.key}"
        event.add("uid", hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32] + "@kwc-desktop")
        event.add("dtstamp", made_at)
        title = printable(title)
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
        for before in REMINDERS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title)
            alarm.add("trigger", -before)
            event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
