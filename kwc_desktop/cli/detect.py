"""`kwc-desktop detect PROFILE`: each account read from Twilio, what it answers, and the plan after it."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from kwc_desktop.cli.common import account_label, session_for, writable
from kwc_desktop.console import fail
from kwc_desktop.domain.text import Lang, UserError, json_text, messages

if TYPE_CHECKING:
    from kwc_desktop.domain.sid import Sid

EXIT_SOME_FAILED = 1


def run(args: argparse.Namespace) -> int:
    """Each account's findings (and its sub-accounts'), its errors and the plan's procedures after
    detection. Exit 1 when an account could not be read in full (the others are still reported)."""
    from kwc_desktop.services.detect import AccountRead, Target, read_accounts, record, target_for
    from kwc_desktop.services.reports import detection_report
    from kwc_desktop.services.secrets import SecretKind, SecretStore, SecretStoreError, open_keyring
    from kwc_desktop.services.twilio import BaseUrls, Credentials, TwilioError, check_secret

    lang, session = session_for(args)
    if args.report is not None:  # before any request: a mistyped path must not cost a whole detection run
        writable(args.report, lang)
    try:
        urls = BaseUrls.from_environment()
    except TwilioError as e:
        fail(e.message(lang))
    labels = [a.label for a in session.answers.accounts]
    if args.account is not None:
        labels = [account_label(args.account, labels, lang)]
    env = os.environ
    key, key_secret, token = env.get("KWC_TWILIO_API_KEY"), env.get("KWC_TWILIO_API_SECRET"), \
        env.get("KWC_TWILIO_AUTH_TOKEN")
    if bool(key) != bool(key_secret):
        fail(messages()("detect.key_needs_secret", lang))
    if key:
        from kwc_desktop.domain.sid import parse_sid

        try:
            parse_sid(key, "SK")
        except UserError as e:
            fail(f"KWC_TWILIO_API_KEY: {e.message(lang)}")
    for name, value in (("KWC_TWILIO_API_SECRET", key_secret), ("KWC_TWILIO_AUTH_TOKEN", token)):
        if value:  # before any request, as the key: a secret that cannot be one is the run's error
            try:
                check_secret(name, value)
            except TwilioError as e:
                fail(e.message(lang))
    store: SecretStore | None = None
    if args.keyring:
        try:
            store = open_keyring()
        except SecretStoreError as e:
            fail(e.message(lang))

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
        from kwc_desktop.services.reports import save_detection_report

        try:
            save_detection_report(report, args.report)
        except UserError as e:
            fail(f"{args.report}: {e.message(lang)}")
    if args.json:
        sys.stdout.write(json_text({"accounts": accounts, "requests": made}) + "\n")
    else:
        sys.stdout.write(_detect_text(accounts, lang))
    failed = any(a["errors"] for a in accounts)
    return EXIT_SOME_FAILED if failed else 0


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
