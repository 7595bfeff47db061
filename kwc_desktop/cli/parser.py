"""The command line's parser: every command's arguments, each checked as it is read (a usage error is one
line and exit 2)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, NoReturn

from kwc_desktop import __version__
from kwc_desktop.console import EXIT_USAGE
from kwc_desktop.domain.text import Lang, UserError, shown


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line."""

    def error(self, message: str) -> NoReturn:
        # argparse quotes the argument as typed: `shown` keeps a line break or a secret in it off the screen
        self.exit(EXIT_USAGE, f"{self.prog}: {shown(message)}\n")


def _lang_arg(value: str) -> Lang:
    if value not in ("ja", "en"):
        raise argparse.ArgumentTypeError(f"must be ja or en, not '{value}'")
    return value  # type: ignore[return-value]


PROFILE_HELP = "profile file (TOML, see docs/profile-format.md); - reads it from standard input"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kwc-desktop", description="Guide for the transfer of KWC Twilio accounts to Twilio Japan.")
    parser.add_argument("--version", action="version", version=f"kwc-desktop {__version__}")
    parser.add_argument("--smoke", nargs="?", const="paint", choices=("paint", "resume"),
                        help="start without writing anything and exit 0: 'paint' (the default) after the first "
                             "paint; 'resume' once the saved page is shown and the keyring read, printing both "
                             "as one JSON line")
    # Before the command too (`kwc-desktop --lang ja plan …`): its own name, or each command's default
    # (None) would overwrite it; the command's --lang wins when both are given.
    parser.add_argument("--lang", dest="top_lang", type=_lang_arg, help="ja or en, for any command")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    plan = commands.add_parser("plan", help="print the procedures, deadlines and states for a profile")
    plan.add_argument("profile", type=Path, help=PROFILE_HELP)
    plan.add_argument("--as-of", metavar="ISO-8601", help="moment to judge states at (default: now; no offset = JST)")
    plan.add_argument("--lang", type=_lang_arg, help="ja or en (default: from the environment)")
    plan.add_argument("--json", action="store_true", help="print JSON (format: docs/cli.md)")
    plan.add_argument("--next", action="store_true",
                      help="what's next at a glance: every procedure's next step by date, and what to do first")
    plan.add_argument("--show", choices=["all", "open", "due", "overdue", "missed", "done"], default=None,
                      help="what's next (as --next), only these rows (default: all)")
    plan.add_argument("--keyring", action="store_true",
                      help="look up SIDs of accounts given only by label in the OS keyring (shown masked)")
    plan.add_argument("--program", type=Path, metavar="FILE.toml",
                      help="another migration program file (default: $KWC_DESKTOP_PROGRAM, else the built-in one)")

    checklist = commands.add_parser("checklist", help="write the checklist as an A4 PDF")
    checklist.add_argument("profile", type=Path, help=PROFILE_HELP)
    checklist.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF")
    checklist.add_argument("--as-of", metavar="ISO-8601",
                           help="moment to judge states at (default: now; no offset = JST)")
    checklist.add_argument("--lang", type=_lang_arg, help="ja or en (default: from the environment)")
    checklist.add_argument("--mask-sids", action="store_true",
                           help="show SIDs as AC12…cdef (the default; kept for scripts that say so)")
    checklist.add_argument("--show-sids", action="store_true", help="print whole SIDs (an explicit choice)")
    checklist.add_argument("--keyring", action="store_true",
                           help="take SIDs of accounts given only by label from the OS keyring")
    checklist.add_argument("--program", type=Path, metavar="FILE.toml",
                           help="another migration program file (default: $KWC_DESKTOP_PROGRAM, else the built-in one)")
    detect = commands.add_parser("detect", help="read each account from Twilio and say what it answers")
    detect.add_argument("profile", type=Path, help=PROFILE_HELP)
    detect.add_argument("--account", metavar="LABEL", help="only this account")
    detect.add_argument("--json", action="store_true", help="print JSON (format: docs/cli.md)")
    detect.add_argument("--as-of", metavar="ISO-8601", help="moment to judge the plan at (default: now)")
    detect.add_argument("--lang", type=_lang_arg, help="ja or en (default: from the environment)")
    detect.add_argument("--keyring", action="store_true",
                        help="take SIDs and Auth Tokens from the OS keyring (else: $KWC_TWILIO_AUTH_TOKEN, or "
                             "$KWC_TWILIO_API_KEY and $KWC_TWILIO_API_SECRET)")
    detect.add_argument("--report", type=Path, metavar="FILE.json",
                        help="also write a detection report (SIDs masked) for a colleague or support")
    detect.add_argument("--program", type=Path, metavar="FILE.toml",
                        help="another migration program file (default: $KWC_DESKTOP_PROGRAM, else the built-in one)")

    calendar = commands.add_parser("calendar", help="write every open deadline as an iCalendar (.ics) file")
    calendar.add_argument("profile", type=Path, help=PROFILE_HELP)
    calendar.add_argument("--out", type=Path, required=True, metavar="FILE.ics", help="the calendar file to write")
    calendar.add_argument("--as-of", metavar="ISO-8601", help="moment to judge the deadlines at (default: now)")
    calendar.add_argument("--lang", type=_lang_arg, help="ja or en (default: from the environment)")
    calendar.add_argument("--keyring", action="store_true", help="as for plan")
    calendar.add_argument("--program", type=Path, metavar="FILE.toml",
                          help="another migration program file (default: $KWC_DESKTOP_PROGRAM, else the built-in one)")

    charges = commands.add_parser("charges", help="price a call log under the COTOHA Voice DX Basic tariff")
    charges.add_argument("calls", type=Path, help="call log (CSV, see docs/charges.md)")
    charges.add_argument("--month", action="append", type=_month_arg, metavar="YYYY-MM", help="only this month "
                         "(may be repeated)")
    charges.add_argument("--terms", choices=["auto", "old", "new", "both"], default="auto",
                         help="auto (default): each call by the terms in force when it started")
    charges.add_argument("--outbound-number", action="append", default=[], metavar="E164",
                         help="an outbound number available every month (may be repeated)")
    charges.add_argument("--inbound-number", action="append", default=[], metavar="E164",
                         help="an inbound number available every month (may be repeated)")
    charges.add_argument("--service-start", type=_day_arg, metavar="YYYY-MM-DD",
                         help="the day the service started: its month has no monthly fees (Article 21)")
    charges.add_argument("--rounding", choices=["down", "half-up", "up"], default="down",
                         help="how the tax is rounded to the yen (default: down, 切り捨て)")
    charges.add_argument("--json", action="store_true", help="print JSON (format: docs/cli.md)")
    charges.add_argument("--lang", type=_lang_arg, help="ja or en (default: from the environment)")

    outage = commands.add_parser("outage", help="what an outage gives back: the credit (Article 21) and the "
                                                "damages (Article 29)")
    outage.add_argument("--known", required=True, metavar="ISO-8601", help="when the provider knew (JST)")
    outage.add_argument("--restored", required=True, metavar="ISO-8601", help="when it worked again (JST)")
    fees = outage.add_mutually_exclusive_group()  # the monthly fees: counted from the numbers, or given
    fees.add_argument("--numbers", type=_count_arg, default=1, metavar="N", help="numbers (300 yen a month each)")
    fees.add_argument("--monthly", type=_amount_arg, metavar="YEN",
                        help="monthly fees in all, before tax (default: 300 × --numbers)")
    outage.add_argument("--usage", action=_OneEachMonth, default=[], type=_usage_arg, metavar="YYYY-MM=YEN",
                        help="a billing month's usage fees before tax (may be repeated)")
    outage.add_argument("--calls", type=Path, metavar="CALLS.csv", help="take the usage fees from a call log")
    outage.add_argument("--paid-12-months", type=_amount_arg, metavar="YEN",
                        help="paid for the service in the 12 months before (new terms' cap)")
    outage.add_argument("--wilful", action="store_true", help="caused wilfully or by gross negligence")
    outage.add_argument("--json", action="store_true", help="print JSON (format: docs/cli.md)")
    outage.add_argument("--lang", type=_lang_arg, help="ja or en (default: from the environment)")

    meters = commands.add_parser("meters", help="the usage fees charged for days the meters failed (第1表 1(4))")
    meters.add_argument("--failed-on", required=True, type=_day_arg, metavar="YYYY-MM-DD")
    meters.add_argument("--days", required=True, type=int, metavar="N", help="days that could not be measured")
    meters.add_argument("--usage", action=_OneEachMonth, default=[], type=_usage_arg, metavar="YYYY-MM=YEN")
    meters.add_argument("--calls", type=Path, metavar="CALLS.csv", help="take the usage fees from a call log")
    meters.add_argument("--after-recovery-7-days", type=_amount_arg, metavar="YEN",
                        help="usage fees of the 7 days after recovery (used with less than 2 months known)")
    meters.add_argument("--json", action="store_true", help="print JSON (format: docs/cli.md)")
    meters.add_argument("--lang", type=_lang_arg, help="ja or en (default: from the environment)")
    return parser


def _month_arg(value: str) -> str:
    import re

    if not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", value):
        raise argparse.ArgumentTypeError(f"'{value[:20]}' is not a month like 2021-08")
    return value


def _day_arg(value: str) -> object:
    from datetime import date

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value[:20]}' is not a day like 2021-08-01") from None
    if not 2000 <= day.year <= 2099:
        raise argparse.ArgumentTypeError(f"'{value[:20]}' is not between 2000 and 2099")
    return day


def _amount_arg(value: str) -> object:
    from kwc_desktop.domain.limits import parse_yen

    try:  # a plain decimal, as every amount the app reads: no exponent ('1e3'), NaN or infinity
        return parse_yen(value)
    except UserError as e:
        if e.key == "money.too_large" or value.strip().startswith("-"):
            raise argparse.ArgumentTypeError(f"'{value[:20]}' must be from 0 to 10^12 yen") from None
        raise argparse.ArgumentTypeError(f"'{value[:20]}' is not an amount of yen") from None


MAX_NUMBERS = 1_000_000  # phone numbers on one contract: far above any real one, and 300 yen each stays < 10^12


def _count_arg(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value[:20]}' is not a whole number") from None
    if not 1 <= count <= MAX_NUMBERS:
        raise argparse.ArgumentTypeError(f"'{value[:20]}' must be from 1 to {MAX_NUMBERS:,}")
    return count


class _OneEachMonth(argparse.Action):
    """--usage YYYY-MM=YEN, repeated: a month given twice is a mistake to say, not one to pick from."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        given = list(getattr(namespace, self.dest) or [])
        if any(month == values[0] for month, _amount in given):
            parser.error(f"argument {option_string}: {values[0]} is given twice")
        setattr(namespace, self.dest, [*given, values])


def _usage_arg(value: str) -> tuple[str, object]:
    month, _, amount = value.partition("=")
    return _month_arg(month.strip()), _amount_arg(amount.strip())
