"""The wizard's answers written as a profile (docs/profile-format.md): the file `plan` reads and File → Open
loads, so what was entered in the window can be kept, shared with a colleague, or run on the command line.

Never a secret: no Account SID, API Key or Bundle SID goes in (they stay in the OS keyring; a profile
names accounts by label, which is how the keyring finds them again). What a profile has no field for —
the consent form's company and signer, the billing mail — stays in the window's progress only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from kwc_desktop.domain.accounts import normalise_email
from kwc_desktop.domain.answers import Answers, DoneScope
from kwc_desktop.domain.program import KIND_FACT, FactValue, Program
from kwc_desktop.domain.text import UserError

PROFILE_FORMAT = 1
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def profile_toml(answers: Answers, program: Program, name: str = "") -> str:
    """The accounts and answers as profile TOML, grouped by owner in the order the window shows them.
    Owner-scope facts go on the owner, the rest on each account; ticks only where the program has the step
    (a document tick of the Bundles page has no place in a profile). UserError when there is no account."""
    if not answers.accounts:
        raise UserError("profile.nothing_to_save")
    owner_scope = {f.id for f in program.facts if f.scope == "owner"}
    lines = ["# kwc-desktop profile (docs/profile-format.md). No SIDs or secrets: they stay in the OS keyring.",
             f"profile = {PROFILE_FORMAT}"]
    if name:
        lines.append(f"name = {_string(name)}")
    for email in answers.owner_emails():
        lines += ["", "[[owners]]", f"email = {_string(email)}"]
        lines += _facts(answers.owner_facts.get(email, {}), keep=owner_scope)
        lines += _done(answers.done.get(DoneScope.owner(email), ()), program, "owner")
        for account in answers.accounts:
            if normalise_email(account.owner_email) != email:
                continue
            lines += ["", "  [[owners.accounts]]", f"  label = {_string(account.label)}",
                      f"  kind = {_string(account.kind)}"]
            lines += ["  " + line for line in _facts(account.facts, drop=owner_scope | {KIND_FACT})]
            if account.transferred_on is not None:
                lines.append(f"  transferred_on = {account.transferred_on.isoformat()}")
            lines += ["  " + line for line in _done(answers.done.get(DoneScope.account(account.label), ()),
                                                      program, "account")]
    return "\n".join(lines) + "\n"


def _facts(facts: dict[str, FactValue], keep: set[str] | None = None,
           drop: frozenset[str] | set[str] = frozenset()) -> list[str]:
    return [f"{_key(key)} = {_value(value)}" for key, value in sorted(facts.items())
            if value is not None and key not in drop and (keep is None or key in keep)]


def _done(ticks: Iterable[str], program: Program, scope: str) -> list[str]:
    procedures = [p for p in program.procedures if p.scope == scope]  # a whole procedure, or one of its steps
    steps = {p.id for p in procedures} | {f"{p.id}/{s.id}" for p in procedures for s in p.steps}
    kept = sorted(t for t in ticks if t in steps)
    return [f"done = [{', '.join(_string(t) for t in kept)}]"] if kept else []


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: FactValue | date) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _string(format(value, "f"))  # a plain decimal, as the profile reads amounts
    if isinstance(value, date):
        return value.isoformat()
    return _string(str(value))


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (\\", \\\\, \\n, \\uXXXX), and every control character
    is escaped, so a label can never break the file's lines."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
