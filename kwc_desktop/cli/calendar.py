"""`kwc-desktop calendar PROFILE --out FILE.ics`: every open deadline as an iCalendar file."""

from __future__ import annotations

import argparse
from pathlib import Path

from kwc_desktop.cli.common import session_for, writable
from kwc_desktop.console import fail
from kwc_desktop.domain.text import UserError, messages


def run(args: argparse.Namespace) -> int:
    from kwc_desktop.services.calendar import calendar_bytes, open_deadlines
    from kwc_desktop.services.files import write_user_file

    lang, session = session_for(args)
    out: Path = args.out
    if out.suffix.lower() != ".ics":
        fail(f"{out}: {messages()('cli.not_ics', lang)}")
    writable(out, lang)
    plan = session.plan()
    if not open_deadlines(plan):  # as the window's disabled Export says: an empty calendar helps nobody
        fail(f"{out}: {messages()('a11y.no_calendar', lang)}")
    try:
        written = write_user_file(out, calendar_bytes(plan, lang, session.wall_time()))
    except UserError as e:
        fail(f"{out}: {e.message(lang)}")
    print(messages()("cli.calendar_written", lang, path=written.shown(lang), events=len(open_deadlines(plan))))
    return 0
