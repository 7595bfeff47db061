"""`kwc-desktop charges | outage | meters`: the charges check of the COTOHA Voice DX Basic tariff on the
command line (format: docs/cli.md, the readings taken: docs/charges.md)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from kwc_desktop.console import fail
from kwc_desktop.domain.calls import CallLog, Numbers
from kwc_desktop.domain.tariff import Readings, meter_failure_estimate
from kwc_desktop.domain.text import Lang, UserError, json_text
from kwc_desktop.environment import environment_lang


def run(args: argparse.Namespace) -> int:
    lang: Lang = args.lang or environment_lang()
    try:
        if args.command == "charges":
            return _charges(args, lang)
        if args.command == "outage":
            return _outage(args, lang)
        return _meters(args, lang)
    except UserError as e:
        where = getattr(args, "calls", None)
        fail(f"{where}: {e.message(lang)}" if isinstance(where, Path) and e.key.startswith(("file.", "calls."))
             else e.message(lang))


def _read(path: Path, months: frozenset[str] | None = None) -> CallLog:
    """The call log named, or standard input for `-` (one process; a FIFO given by name is still refused)."""
    from kwc_desktop.services.charges import read_log, read_stream

    if str(path) == "-":
        stdin = getattr(sys.stdin, "buffer", None)  # None: a windowed program has no standard input
        if stdin is None:
            raise UserError("file.unreadable", reason="stdin")
        return read_stream(stdin, months)
    return read_log(path, months)


def _numbers(given: list[str]) -> frozenset[str]:
    """The numbers given with --outbound-number / --inbound-number, in E.164; a UserError naming one that is not."""
    from kwc_desktop.domain.calls import e164

    found = set()
    for text in given:
        number = e164(text)
        if number is None:
            raise UserError("charges.bad_number", value=text.strip()[:40])
        found.add(number)
    return frozenset(found)


def _charges(args: argparse.Namespace, lang: Lang) -> int:
    from kwc_desktop.services.charges import charges_json, charges_text, priced

    numbers = Numbers(_numbers(args.outbound_number), _numbers(args.inbound_number), args.service_start)
    log = _read(args.calls, frozenset(args.month) if args.month else None)
    bills = priced(log, args.terms, numbers, Readings(rounding=args.rounding))
    if args.json:
        sys.stdout.write(json_text(charges_json(bills, log, lang)) + "\n")
    else:
        sys.stdout.write(charges_text(bills, log, lang))
    return 0


def _usage(args: argparse.Namespace) -> dict[str, Decimal]:
    from kwc_desktop.services.charges import usage_by_month

    found = usage_by_month(_read(args.calls)) if args.calls is not None else {}
    found.update(dict(args.usage))
    return found


def _moment(text: str) -> datetime:
    from kwc_desktop.domain.clock import parse_as_of
    from kwc_desktop.domain.tariff import JST

    return parse_as_of(text, JST)


def _print(result: dict[str, Any], lang: Lang) -> None:
    from kwc_desktop.services.charges import computations_text

    sys.stdout.write(computations_text(result, lang))


def _outage(args: argparse.Namespace, lang: Lang) -> int:
    from kwc_desktop.services.charges import computation_json, monthly_fees, outage, outage_window

    known, restored = _moment(args.known), _moment(args.restored)
    outage_window(known, restored)  # before a call log is read for the usage fees
    monthly = args.monthly if args.monthly is not None else monthly_fees(args.numbers)
    computations = outage(known, restored, monthly, _usage(args), args.paid_12_months, wilful=args.wilful)
    result = {name: computation_json(c, lang) for name, c in computations.items()}
    if args.json:
        sys.stdout.write(json_text(result) + "\n")
    else:
        _print(result, lang)
    return 0


def _meters(args: argparse.Namespace, lang: Lang) -> int:
    from kwc_desktop.services.charges import computation_json

    if not 0 < args.days <= 366:
        raise UserError("charges.bad_days")
    result = {"meters": computation_json(meter_failure_estimate(_usage(args), args.failed_on, args.days,
                                                                args.after_recovery_7_days), lang)}
    if args.json:
        sys.stdout.write(json_text(result) + "\n")
    else:
        _print(result, lang)
    return 0
