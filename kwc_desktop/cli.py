"""Command line: `kwc-desktop` starts the wizard; `kwc-desktop plan PROFILE` prints the checklist.

Errors are one line on stderr and exit status 2, in the chosen language, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from kwc_desktop import __version__
from kwc_desktop.console import EXIT_USAGE, prepare_streams, run_command
from kwc_desktop.console import fail as _fail
from kwc_desktop.domain.text import Lang, UserError, json_text, messages, shown
from kwc_desktop.environment import environment_lang
from kwc_desktop.services.files import OutputFile, check_output

if TYPE_CHECKING:
    from kwc_desktop.domain.session import Session
    from kwc_desktop.domain.sid import Sid

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
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    plan = commands.add_parser("plan", help="print the procedures, deadlines and states for a profile")
    plan.add_argument("profile", type=Path, help=PROFILE_HELP)
    plan.add_argument("--as-of", metavar="ISO-8601", help="moment to judge states at (default: now; no offset = JST)")
    plan.add_argument("--lang", type=_lang_arg, help="ja or en (default: from the environment)")
    plan.add_argument("--json", action="store_true", help="print JSON (format: docs/cli.md)")
    plan.add_argument("--next", action="store_true",
                      help="what's next at a glance: every procedure's next step by date, and what to do first")
    plan.add_argument("--show", choices=["all", "open", "due", "overdue", "missed", "done"], default="all",
                      help="with --next: only these rows (default: all)")
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
    from kwc_desktop.domain.limits import parse_amount_text

    cleaned = value.replace(",", "").strip()
    if cleaned.startswith("-"):
        raise argparse.ArgumentTypeError(f"'{value[:20]}' must be from 0 to 10^12 yen")
    try:  # a plain decimal, as every amount the app reads: no exponent ('1e3'), NaN or infinity
        return parse_amount_text(cleaned, value)
    except UserError as e:
        if e.key == "money.too_large":
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


def read_keyring_sids(session: Session) -> None:
    """The SIDs of accounts the profile gives only by label, from the OS keyring (or why not)."""
    from kwc_desktop.domain.sid import SidError, parse_sid
    from kwc_desktop.services.secrets import SecretStoreError, open_keyring

    secrets = session.secrets
    labels = [a.label for a in session.answers.accounts if a.label not in secrets.sids]
    if not labels:
        return
    try:
        store = open_keyring()
    except SecretStoreError:
        secrets.sid_sources.update(dict.fromkeys(labels, "keyring-unavailable"))
        return
    for label in labels:
        try:
            stored = store.get(label, "sid")
        except SecretStoreError:
            secrets.sid_sources[label] = "keyring-unavailable"
            continue
        try:
            if stored:
                secrets.sids[label] = parse_sid(stored)
            secrets.sid_sources[label] = "keyring" if stored else "keyring-missing"
        except SidError:
            secrets.sid_sources[label] = "keyring-invalid"


def _session(args: argparse.Namespace) -> tuple[Lang, Session]:
    """The session the command works on: the profile's answers and SIDs, judged at --as-of or now."""
    from kwc_desktop.domain.answers import answers_from_profile
    from kwc_desktop.domain.clock import parse_as_of
    from kwc_desktop.domain.program import ProgramError
    from kwc_desktop.domain.session import Session
    from kwc_desktop.services.profiles import load_profile
    from kwc_desktop.services.program_store import load_program

    lang: Lang = args.lang or environment_lang()
    try:
        program = load_program(chosen=args.program)
    except ProgramError as e:
        _fail(messages()("program.unusable", lang, detail=str(e)))
    try:
        as_of = parse_as_of(args.as_of, program.tz) if args.as_of is not None else None
        profile = load_profile(args.profile, program)
    except UserError as e:
        _fail(e.message(lang))
    answers, sids, bundles = answers_from_profile(profile)
    session = Session(program, answers)
    session.set_as_of(as_of)
    session.secrets.sids.update(sids)
    session.secrets.sid_sources.update(dict.fromkeys(sids, "profile"))
    session.secrets.bundles.update(bundles)
    if args.keyring:
        read_keyring_sids(session)
    return lang, session


def run_plan(args: argparse.Namespace) -> int:
    from kwc_desktop.services.reports import plan_json, plan_text

    lang, session = _session(args)
    if args.next:
        from kwc_desktop.services.reports import overview_json, overview_text

        if args.json:
            sys.stdout.write(json_text(overview_json(session, lang, args.show)) + "\n")
        else:
            sys.stdout.write(overview_text(session, lang, args.show))
        return 0
    if args.json:
        sys.stdout.write(json_text(plan_json(session, lang)) + "\n")
    else:
        sys.stdout.write(plan_text(session, lang))
    return 0


def run_checklist(args: argparse.Namespace) -> int:
    lang, session = _session(args)
    out: Path = args.out
    if out.suffix.lower() != ".pdf":
        _fail(messages()("pdf.write_failed", lang, path=str(out), reason=messages()("pdf.not_pdf", lang)))
    _writable(out, lang, lambda reason: messages()("pdf.write_failed", lang, path=str(out), reason=reason))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs fonts, not a screen
    from PySide6.QtGui import QGuiApplication

    from kwc_desktop.services.checklist_pdf import checklist_input, lacking_characters, write_checklist_pdf

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if args.show_sids and args.mask_sids:
        _fail(messages()("cli.mask_or_show", lang))
    data = checklist_input(session, lang, mask_sids=not args.show_sids)
    try:
        pages, written = write_checklist_pdf(out, data)
    except UserError as e:
        _fail(e.message(lang))
    print(messages()("pdf.written", lang, path=written.shown(lang), pages=pages))
    lacking = lacking_characters(data)
    if lacking:  # written, and said: the page shows these as [U+XXXX]
        print(f"kwc-desktop: {messages()('pdf.missing_glyphs', lang, chars=shown(lacking))}", file=sys.stderr)
    return 0


def _writable(path: Path, lang: Lang, said: Callable[[str], str] | None = None) -> OutputFile:
    """An output path checked before the work that fills it (a detection run, a PDF's layout): a device, FIFO,
    socket, folder or a folder that takes no file is one line and exit 2 at once."""
    try:
        return check_output(path)
    except UserError as e:
        _fail(said(e.message(lang)) if said is not None else f"{path}: {e.message(lang)}")


def run_calendar(args: argparse.Namespace) -> int:
    from kwc_desktop.services.calendar import calendar_bytes, open_deadlines
    from kwc_desktop.services.files import write_user_file

    lang, session = _session(args)
    out: Path = args.out
    if out.suffix.lower() != ".ics":
        _fail(f"{out}: {messages()('cli.not_ics', lang)}")
    _writable(out, lang)
    plan = session.plan()
    try:
        written = write_user_file(out, calendar_bytes(plan, lang, session.wall_time()))
    except UserError as e:
        _fail(f"{out}: {e.message(lang)}")
    print(messages()("cli.calendar_written", lang, path=written.shown(lang), events=len(open_deadlines(plan))))
    return 0


EXIT_SOME_FAILED = 1


def run_detect(args: argparse.Namespace) -> int:
    """Each account's findings (and its sub-accounts'), its errors and the plan's procedures after
    detection. Exit 1 when an account could not be read in full (the others are still reported)."""
    from kwc_desktop.services.detect import AccountRead, Target, read_accounts, record, target_for
    from kwc_desktop.services.reports import detection_report
    from kwc_desktop.services.secrets import SecretKind, SecretStore, SecretStoreError, open_keyring
    from kwc_desktop.services.twilio import BaseUrls, Credentials, TwilioError, check_secret

    lang, session = _session(args)
    if args.report is not None:  # before any request: a mistyped path must not cost a whole detection run
        _writable(args.report, lang)
    try:
        urls = BaseUrls.from_environment()
    except TwilioError as e:
        _fail(e.message(lang))
    labels = [a.label for a in session.answers.accounts]
    if args.account is not None:
        labels = [_account_label(args.account, labels, lang)]
    env = os.environ
    key, key_secret, token = env.get("KWC_TWILIO_API_KEY"), env.get("KWC_TWILIO_API_SECRET"), \
        env.get("KWC_TWILIO_AUTH_TOKEN")
    if bool(key) != bool(key_secret):
        _fail(messages()("detect.key_needs_secret", lang))
    if key:
        from kwc_desktop.domain.sid import parse_sid

        try:
            parse_sid(key, "SK")
        except UserError as e:
            _fail(f"KWC_TWILIO_API_KEY: {e.message(lang)}")
    for name, value in (("KWC_TWILIO_API_SECRET", key_secret), ("KWC_TWILIO_AUTH_TOKEN", token)):
        if value:  # before any request, as the key: a secret that cannot be one is the run's error
            try:
                check_secret(name, value)
            except TwilioError as e:
                _fail(e.message(lang))
    store: SecretStore | None = None
    if args.keyring:
        try:
            store = open_keyring()
        except SecretStoreError as e:
            _fail(e.message(lang))

    def secret_for(label: str, kind: SecretKind) -> str | None:
        if store is None or (key and key_secret):  # an API Key given for this run is used for every account
            return None
        return store.get(label, kind)

    def from_environment(sid: Sid) -> Credentials | None:
        if key and key_secret:
            return Credentials(sid, key, key_secret)
        return Credentials(sid, sid.value, token) if token else None

    targets: list[Target] = [target_for(session, label, secret_for, from_environment) for label in labels]
    reads: list[AccountRead] = []

    def arrived(read: AccountRead) -> None:
        record(session, read)
        reads.append(read)

    made = read_accounts(targets, session.program, arrived, lambda: False, urls,
                         taken_labels=[a.label for a in session.answers.accounts],
                         known_sids=list(session.secrets.sids.values()))
    order = {label: n for n, label in enumerate(labels)}
    reads.sort(key=lambda r: (order.get(r.parent or r.label, len(order)), r.parent is not None, r.label))
    report = detection_report(session, [r.label for r in reads], lang)
    accounts = []
    for read, entry in zip(reads, report["accounts"], strict=True):
        found = read.findings
        accounts.append({
            "label": read.label, **({"parent": read.parent} if read.parent else {}),
            "facts": {k: (str(v.value) if v.value is not None and not isinstance(v.value, (bool, str)) else v.value)
                      for k, v in found.facts.items()},
            "evidence": [{"fact": fact, "text": text} for fact, text in found.evidence(lang)],
            "errors": [{"kind": kind, "message": text(lang)} for kind, text in found.errors],
            "procedures": entry["procedures"],
            "read": [text(lang) for text in found.overview()],
        })
    if args.report is not None:
        from kwc_desktop.services.files import write_user_file

        try:
            write_user_file(args.report, (json_text(report) + "\n").encode("utf-8"))
        except UserError as e:
            _fail(f"{args.report}: {e.message(lang)}")
    if args.json:
        sys.stdout.write(json_text({"accounts": accounts, "requests": made}) + "\n")
    else:
        sys.stdout.write(_detect_text(accounts, lang))
    failed = any(a["errors"] for a in accounts)
    return EXIT_SOME_FAILED if failed else 0


def _account_label(given: str, labels: list[str], lang: Lang) -> str:
    """`--account LABEL` read as the profile's labels are (NFKC, trimmed: a full-width label matches)."""
    from kwc_desktop.domain.accounts import parse_label

    try:
        label = parse_label(given)
    except UserError:
        label = None
    if label not in labels:
        _fail(messages()("detect.no_such_account", lang, label=given[:60]))
    assert label is not None
    return label


def _detect_text(reports: list[dict[str, object]], lang: Lang) -> str:
    m = messages()
    lines = []
    for report in reports:
        lines.append(f"● {m('cli.account', lang)}: {report['label']}")
        for item in report["evidence"]:  # type: ignore[attr-defined]
            lines.append(f"    {item['fact']}: {item['text']}")
        for text in report.get("read", []):  # type: ignore[attr-defined]
            lines.append(f"    {text}")
        for error in report["errors"]:  # type: ignore[attr-defined]
            lines.append(f"    {m('detect.error', lang)}: {error['message']}")
        procedures = ", ".join(report["procedures"]) or "-"  # type: ignore[arg-type]
        lines.append(f"    {m('detect.procedures', lang)}: {procedures}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None, window: Callable[[str | bool], int] | None = None) -> int:
    """The commands (start.main comes here when one is named). `window` opens the window for what the parser
    reads as no command (`kwc-desktop --smoke --lang ja`): start.main gives it; without one that is an error."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    prepare_streams(for_window=False)
    # Every command's output, charges' too, goes through one check: a write error on stdout is one line
    return run_command(lambda: _run(arguments, window), arguments)


def _run(argv: Sequence[str], window: Callable[[str | bool], int] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "plan":
        return run_plan(args)
    if args.command == "checklist":
        return run_checklist(args)
    if args.command == "detect":
        return run_detect(args)
    if args.command == "calendar":
        return run_calendar(args)
    if args.command in ("charges", "outage", "meters"):
        from kwc_desktop import charges_cli

        return charges_cli.run(args)
    if window is None:
        _fail(messages()("cli.no_command", args.lang or environment_lang()))
    return window(args.smoke or False)
