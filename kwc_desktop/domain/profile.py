"""Profiles: a TOML file describing a user's owners and accounts, for the CLI and for import.
The format is documented in docs/profile-format.md."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from datetime import date
from typing import Any

from kwc_desktop.domain.accounts import Account, Owner, group_by_owner, parse_email, parse_label
from kwc_desktop.domain.limits import MAX_ACCOUNTS, MAX_AMOUNT_TEXT, check_date, parse_amount_text
from kwc_desktop.domain.program import KIND_FACT, FactValue, Program
from kwc_desktop.domain.reader import Reader, ReadError
from kwc_desktop.domain.records import record
from kwc_desktop.domain.sid import Sid, parse_sid
from kwc_desktop.domain.text import UserError

PROFILE_VERSION = 1
_TOP_FIELDS = {"profile", "name", "owners"}
_OWNER_FIELDS = {"email", "done", "accounts"}
_ACCOUNT_FIELDS = {"label", "sid", "kind", "bundles", "transferred_on", "done"}


class ProfileError(ReadError):
    """A profile that cannot be used: names the file, the entry and the field."""


@record
class Profile:
    name: str
    owners: tuple[Owner, ...]
    owner_scope_facts: tuple[str, ...] = ()  # facts the wizard asks once per owner

    def accounts(self) -> list[Account]:
        return [a for o in self.owners for a in o.accounts]


def _fact_value(program: Program, key: str, value: Any) -> FactValue:
    fact = program.fact(key)
    if fact.type == "bool":
        if not isinstance(value, bool):
            raise UserError("profile.want_bool", field=key)
        return value
    if fact.type == "choice":
        if value not in fact.choices:
            raise UserError("profile.want_choice", field=key, choices=", ".join(fact.choices))
        return str(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise UserError("profile.want_number", field=key)
    text = str(value).replace(",", "").strip()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    try:
        return parse_amount_text(text, str(value)[:MAX_AMOUNT_TEXT])
    except UserError as e:
        if e.key == "money.too_large":
            raise
        raise UserError("profile.want_number", field=key) from None


def _facts(program: Program, table: Mapping[str, Any], known: set[str]) -> dict[str, FactValue]:
    facts: dict[str, FactValue] = {}
    fact_ids = {f.id for f in program.facts}
    for key, value in table.items():
        if key in known:
            continue
        if key not in fact_ids:
            raise UserError("profile.unknown_fact_field", field=key, allowed=", ".join(sorted(known)))
        facts[key] = _fact_value(program, key, value)
    return facts


def _done(program: Program, value: Any, scope: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError("profile.want_list", field="done")
    procedures = {p.id: p for p in program.procedures}
    for key in value:
        procedure = procedures.get(key.split("/")[0])
        if procedure is None or ("/" in key and key.split("/", 1)[1] not in {s.id for s in procedure.steps}):
            raise UserError("profile.unknown_step", value=key)
        if procedure.scope != scope:
            raise UserError(f"profile.done_in_{procedure.scope}", value=key)
    return frozenset(value)


def _sid(value: Any, field: str, kind: str = "AC") -> Sid:
    if not isinstance(value, str):
        raise UserError("profile.want_text", field=field)
    return parse_sid(value, kind)  # type: ignore[arg-type]


class _ProfileReader(Reader):
    """A profile's tables, read strictly; places are written `owners[0] <a@example.com> accounts[1] 'Main'`."""

    error = ProfileError


def parse_profile(data: Mapping[str, Any], program: Program, name: str = "") -> Profile:
    """Build the profile from parsed TOML; `name` (a file name) starts every error's location."""
    top = _ProfileReader(data, name, sep=" ")
    version = data.get("profile")
    if version is None:
        raise top.error_at(name, UserError("profile.missing_version", expected=PROFILE_VERSION))
    if type(version) is not int or version != PROFILE_VERSION:
        try:  # true, "1", 1.0: as written in TOML
            shown = json.dumps(version, ensure_ascii=False, default=str)[:40]
        except (ValueError, RecursionError):
            shown = type(version).__name__
        raise top.error_at(name, UserError("profile.bad_version", value=shown, expected=PROFILE_VERSION))
    if unknown := sorted(set(data) - _TOP_FIELDS):
        raise top.error_at(name, UserError("profile.unknown_field", field=unknown[0],
                                           allowed=", ".join(sorted(_TOP_FIELDS))))
    owners_data = data.get("owners")
    if not isinstance(owners_data, list) or not owners_data:
        raise top.error_at(name, UserError("profile.no_owners"))
    seen = _Seen()
    prefix = f"{name}: " if name else ""
    for n, owner in enumerate(owners_data):
        _owner(top.inner(owner if isinstance(owner, dict) else {}, f"{prefix}owners[{n}]"), owner, program, seen)
    description = data.get("name", "")
    return Profile(str(description) if isinstance(description, str) else "",
                   group_by_owner(seen.accounts, seen.owner_facts, seen.owner_done),
                   tuple(f.id for f in program.facts if f.scope == "owner"))


class _Seen:
    """What the entries read so far hold: each owner, label and SID is allowed once."""

    def __init__(self) -> None:
        self.accounts: list[Account] = []
        self.owner_facts: dict[str, dict[str, FactValue]] = {}
        self.owner_done: dict[str, frozenset[str]] = {}
        self.labels: set[str] = set()
        self.sids: set[Sid] = set()


def _owner(r: Reader, owner: Any, program: Program, seen: _Seen) -> None:
    """One [[owners]] entry and its accounts; every complaint names the owner (by email once it is known)."""
    try:
        if not isinstance(owner, dict):
            raise UserError("profile.want_table")
        email = parse_email(owner["email"] if isinstance(owner.get("email"), str) else "")
        if email in seen.owner_facts:
            raise UserError("profile.duplicate_owner", value=email)
        r = r.inner(owner, f"{r.where} <{email}>")
        if "kind" in owner:
            raise UserError("profile.kind_on_owner")
        seen.owner_facts[email] = _facts(program, owner, _OWNER_FIELDS)
        seen.owner_done[email] = _done(program, owner.get("done", []), "owner")
        entries = owner.get("accounts")
        if not isinstance(entries, list) or not entries:
            raise UserError("profile.no_accounts")
    except (UserError, KeyError) as e:
        cause = e if isinstance(e, UserError) else UserError("profile.want_table")
        raise r.error_at(r.where, cause) from None
    if len(seen.accounts) + len(entries) > MAX_ACCOUNTS:
        raise r.error_at(r.where, UserError("profile.too_many_accounts", max=MAX_ACCOUNTS))
    for m, entry in enumerate(entries):
        account = r.inner(entry if isinstance(entry, dict) else {}, r.entry("accounts", m))
        try:
            seen.accounts.append(_account(account, entry, email, program, seen))
        except UserError as e:
            raise account.error_at(account.where, e) from None


def _account(r: Reader, entry: Any, email: str, program: Program, seen: _Seen) -> Account:
    """One [[owners.accounts]] entry; once its label is known, `r.where` names it too."""
    if not isinstance(entry, dict):
        raise UserError("profile.want_table")
    label = parse_label(entry["label"]) if isinstance(entry.get("label"), str) else ""
    if not label:
        raise UserError("label.empty")
    r.where += f" '{label}'"
    if label in seen.labels:
        raise UserError("profile.duplicate_label", value=label)
    seen.labels.add(label)
    kind = entry.get(KIND_FACT, program.default_kind)
    _fact_value(program, KIND_FACT, kind)
    sid = _sid(entry["sid"], "sid") if "sid" in entry else None
    if sid is not None:
        if sid in seen.sids:
            raise UserError("profile.duplicate_sid", value=sid.masked())
        seen.sids.add(sid)
    bundles = entry.get("bundles", [])
    if not isinstance(bundles, list):
        raise UserError("profile.want_list", field="bundles")
    bundle_sids = tuple(_sid(b, "bundles", "BU") for b in bundles)
    transferred_on = entry.get("transferred_on")
    if transferred_on is not None and (not isinstance(transferred_on, date) or hasattr(transferred_on, "hour")):
        raise UserError("profile.want_date", field="transferred_on")
    if transferred_on is not None:
        check_date(transferred_on)
    facts = _facts(program, entry, _ACCOUNT_FIELDS)
    if bundle_sids and facts.get("has_bundles") is None:
        facts["has_bundles"] = True
    return Account(label, email, str(kind), sid, facts, transferred_on, bundle_sids,
                   _done(program, entry.get("done", []), "account"))


def read_profile(raw: bytes, program: Program, name: str = "") -> Profile:
    """A profile from the bytes of its file; every problem is one ProfileError naming file, entry and field.
    The caller bounds the size (MAX_PROFILE_BYTES): parsing is then bounded in time and memory."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError(name, UserError("file.not_utf8")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(name, UserError("profile.bad_toml", detail=str(e)[:200])) from None
    except RecursionError:  # arrays or tables nested hundreds deep
        raise ProfileError(name, UserError("profile.too_deep")) from None
    try:
        return parse_profile(data, program)
    except ProfileError as e:
        raise e.within(name) from None
    except RecursionError:
        raise ProfileError(name, UserError("profile.too_deep")) from None
