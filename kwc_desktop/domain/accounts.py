"""Accounts and their owners: what the user told us about each account, grouped by owner email."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date

from kwc_desktop.domain.limits import refuse_secret
from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.program import KIND_FACT, FactValue
from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.sid import Sid
from kwc_desktop.domain.text import UserError

_EMAIL = Pattern(r"^[^\s@]+@[^\s@]+\.[^\s@.]+$")
MAX_LABEL_LENGTH = 64
MAX_EMAIL_LENGTH = 254  # RFC 5321's limit for a whole address


def normalise_email(text: str) -> str:
    """One spelling per owner: full-width folded, spaces trimmed, case folded."""
    import unicodedata  # on first use, as in domain/sid.py

    return unicodedata.normalize("NFKC", text).strip().casefold()


def parse_email(text: str) -> str:
    email = normalise_email(text)
    if not email:
        raise UserError("email.empty")
    # isprintable: no NUL, no control or format character (U+202E would show the address reversed), which
    # the pattern's \s lets through and which would reach the calendar and the PDF
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email) or ".." in email or not email.isprintable():
        raise UserError("email.invalid", value=text.strip()[:MAX_EMAIL_LENGTH])
    return refuse_secret(email)


def parse_label(text: str) -> str:
    import unicodedata

    label = unicodedata.normalize("NFKC", text).strip()
    if not label:
        raise UserError("label.empty")
    if len(label) > MAX_LABEL_LENGTH:
        raise UserError("label.too_long", max=MAX_LABEL_LENGTH)
    if any(unicodedata.category(c).startswith("C") for c in label):
        raise UserError("label.control_chars")
    return refuse_secret(label)


def unique_label(wanted: str, taken: Collection[str], fallback: str = "") -> str:
    """`wanted` as a label (else `fallback`, e.g. an owner account's label), made unique with " (2)", " (3)"…
    against `taken`."""
    try:
        base = parse_label(wanted)
    except UserError:
        base = parse_label(fallback) if fallback.strip() else "?"
    base = base[:MAX_LABEL_LENGTH - 6]
    label, n = base, 2
    while label in taken:
        label, n = f"{base} ({n})", n + 1
    return label


@record
class Account:
    """One Twilio account (or sub-account) as the user described it. No secrets but a SID the
    user chose to write down; Auth Tokens never live here."""

    label: str
    owner_email: str
    kind: str = "standard"
    sid: Sid | None = None
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    transferred_on: date | None = None
    bundle_sids: tuple[Sid, ...] = ()
    done: frozenset[str] = frozenset()  # "procedure/step" keys the user ticked

    def fact_values(self) -> dict[str, FactValue]:
        return {**self.facts, KIND_FACT: self.kind}


@record
class Owner:
    """Everything under one owner email address: consent is given once for all of it."""

    email: str
    accounts: tuple[Account, ...]
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    done: frozenset[str] = frozenset()

    def account_facts(self, account: Account) -> dict[str, FactValue]:
        """An account's answers, with the owner's answers filling what the account leaves open."""
        merged = dict(self.facts)
        merged.update({k: v for k, v in account.fact_values().items() if v is not None})
        return merged


def group_by_owner(
    accounts: Iterable[Account],
    owner_facts: Mapping[str, Mapping[str, FactValue]] | None = None,
    owner_done: Mapping[str, frozenset[str]] | None = None,
) -> tuple[Owner, ...]:
    """Owners in first-seen order, each with its accounts; emails compared case-insensitively."""
    groups: dict[str, list[Account]] = {}
    for account in accounts:
        groups.setdefault(normalise_email(account.owner_email), []).append(account)
    owner_facts = {normalise_email(k): v for k, v in (owner_facts or {}).items()}
    owner_done = {normalise_email(k): v for k, v in (owner_done or {}).items()}
    return tuple(
        Owner(email, tuple(items), owner_facts.get(email, {}), owner_done.get(email, frozenset()))
        for email, items in groups.items()
    )
