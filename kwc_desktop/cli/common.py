"""What the commands share: the session a profile gives, SIDs from the keyring, an output path checked
before the work, a label as typed."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kwc_desktop.console import fail
from kwc_desktop.domain.text import Lang, UserError, messages
from kwc_desktop.environment import environment_lang
from kwc_desktop.services.files import OutputFile, check_output

if TYPE_CHECKING:
    from kwc_desktop.domain.session import Session


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
        for label in labels:
            secrets.know_sid(label, None, "keyring-unavailable")
        return
    for label in labels:
        try:
            stored = store.get(label, "sid")
        except SecretStoreError:
            secrets.know_sid(label, None, "keyring-unavailable")
            continue
        try:
            secrets.know_sid(label, parse_sid(stored) if stored else None, "keyring" if stored else "keyring-missing")
        except SidError:
            secrets.know_sid(label, None, "keyring-invalid")


def session_for(args: argparse.Namespace) -> tuple[Lang, Session]:
    """The session the command works on: the profile's answers and SIDs, judged at --as-of or now."""
    from kwc_desktop.domain.clock import parse_as_of
    from kwc_desktop.domain.program import ProgramError
    from kwc_desktop.domain.session import Session
    from kwc_desktop.services.profiles import open_profile
    from kwc_desktop.services.program_store import load_program

    lang: Lang = args.lang or environment_lang()
    try:
        program = load_program(chosen=args.program)
    except ProgramError as e:
        fail(messages()("program.unusable", lang, detail=str(e)))
    session = Session(program)
    try:
        as_of = parse_as_of(args.as_of, program.tz) if args.as_of is not None else None
        open_profile(args.profile, session)
    except UserError as e:
        fail(e.message(lang))
    session.set_as_of(as_of)
    if args.keyring:
        read_keyring_sids(session)
    return lang, session


def writable(path: Path, lang: Lang, said: Callable[[str], str] | None = None) -> OutputFile:
    """An output path checked before the work that fills it (a detection run, a PDF's layout): a device, FIFO,
    socket, folder or a folder that takes no file is one line and exit 2 at once."""
    try:
        return check_output(path)
    except UserError as e:
        fail(said(e.message(lang)) if said is not None else f"{path}: {e.message(lang)}")


def account_label(given: str, labels: list[str], lang: Lang) -> str:
    """`--account LABEL` read as the profile's labels are (NFKC, trimmed: a full-width label matches)."""
    from kwc_desktop.domain.accounts import parse_label

    try:
        label = parse_label(given)
    except UserError:
        label = None
    if label not in labels:
        fail(messages()("detect.no_such_account", lang, label=given[:60]))
    assert label is not None
    return label
