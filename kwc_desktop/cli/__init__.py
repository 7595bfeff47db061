"""Command line: `kwc-desktop` starts the wizard; `kwc-desktop plan PROFILE` prints the checklist; one module
a command (plan, checklist, calendar, detect, charges for charges/outage/meters) and one parser.

Errors are one line on stderr and exit status 2, in the chosen language, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from kwc_desktop.console import fail, prepare_streams, run_command
from kwc_desktop.domain.text import messages
from kwc_desktop.environment import environment_lang


def main(argv: Sequence[str] | None = None, window: Callable[[str | bool], int] | None = None) -> int:
    """The commands (start.main comes here when one is named). `window` opens the window for what the parser
    reads as no command (`kwc-desktop --smoke --lang ja`): start.main gives it; without one that is an error."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    prepare_streams(for_window=False)
    # Every command's output, charges' too, goes through one check: a write error on stdout is one line
    return run_command(lambda: _run(arguments, window), arguments)


def _run(argv: Sequence[str], window: Callable[[str | bool], int] | None) -> int:
    from kwc_desktop.cli.parser import build_parser

    args = build_parser().parse_args(argv)
    args.lang = getattr(args, "lang", None) or args.top_lang
    # Each command's module is imported only when it is run: `plan` never loads Qt's PDF writer or requests.
    if args.command == "plan":
        from kwc_desktop.cli import plan

        return plan.run(args)
    if args.command == "checklist":
        from kwc_desktop.cli import checklist

        return checklist.run(args)
    if args.command == "detect":
        from kwc_desktop.cli import detect

        return detect.run(args)
    if args.command == "calendar":
        from kwc_desktop.cli import calendar

        return calendar.run(args)
    if args.command in ("charges", "outage", "meters"):
        from kwc_desktop.cli import charges

        return charges.run(args)
    if window is None:
        fail(messages()("cli.no_command", args.lang or environment_lang()))
    return window(args.smoke or False)
