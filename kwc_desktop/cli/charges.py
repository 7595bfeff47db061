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
from kwc_desktop.domain.formatting import format_amount
from kwc_desktop.domain.tariff import (
    NUMBER_FEE,
    READINGS,
    Computation,
    Readings,
    damages,
    meter_failure_estimate,
    outage_credit,
    to_yen,
    with_tax,
)
from kwc_desktop.domain.text import Lang, UserError, json_text, messages
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


def computation_json(computation: Computation, lang: Lang, readings: Readings = READINGS) -> dict[str, Any]:
    m = messages()
    return {"terms": computation.terms, "excl": str(to_yen(computation.amount, readings)),
            "incl": str(with_tax(computation.amount, readings)), "exact": str(computation.amount),
            "steps": [{"text": m(line.key, lang, **{k: format_amount(v, lang) if isinstance(v, Decimal) else str(v)
                                                    for k, v in line.values.items()}),
                       "amount": str(line.amount.quantize(Decimal("0.01"))) if line.amount is not None else None}
                      for line in computation.lines]}


def _print(result: dict[str, Any], lang: Lang) -> None:
    m = messages()
    for name, part in result.items():
        if not isinstance(part, dict):
            continue
        sys.stdout.write(f"● {m(f'charges.title_{name}', lang)} ({m('charges.terms_' + part['terms'], lang)})\n")
        for step in part["steps"]:
            amount = f"  = {step['amount']}" if step["amount"] is not None else ""
            sys.stdout.write(f"    {step['text']}{amount}\n")
        sys.stdout.write("    " + m("charges.result_line", lang, excl=part["excl"], incl=part["incl"]) + "\n")


def _outage(args: argparse.Namespace, lang: Lang) -> int:
    known, restored = _moment(args.known), _moment(args.restored)
    if restored <= known:
        raise UserError("charges.restored_first")
    monthly = args.monthly if args.monthly is not None else NUMBER_FEE * args.numbers
    result = {
        "credit": computation_json(outage_credit(known, restored, monthly, wilful=args.wilful), lang),
        "damages": computation_json(damages(known, restored, monthly, _usage(args), args.paid_12_months), lang),
    }
    if args.json:
        sys.stdout.write(json_text(result) + "\n")
    else:
        _print(result, lang)
    return 0


def _meters(args: argparse.Namespace, lang: Lang) -> int:
    if not 0 < args.days <= 366:
        raise UserError("charges.bad_days")
    result = {"meters": computation_json(meter_failure_estimate(_usage(args), args.failed_on, args.days,
                                                                args.after_recovery_7_days), lang)}
    if args.json:
        sys.stdout.write(json_text(result) + "\n")
    else:
        _print(result, lang)
    return 0
