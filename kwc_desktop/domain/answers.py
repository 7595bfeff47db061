"""Everything the user told the wizard: one state object, saved as progress (never a secret in it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kwc_desktop.domain.accounts import Account, Owner, group_by_owner, normalise_email
from kwc_desktop.domain.program import FactValue, Program

if TYPE_CHECKING:
    from kwc_desktop.domain.profile import Profile
    from kwc_desktop.domain.sid import Sid

BILLING_FIELDS = ("company-name-ja", "company-name-en", "billing-address-en", "billing-email",
                  "billing-contact-ja", "billing-contact-en")


@dataclass
class AccountEntry:
    """One account as entered in the wizard. Its SID, token and Bundle SIDs are in the keyring."""

    label: str
    owner_email: str
    kind: str = "standard"
    facts: dict[str, FactValue] = field(default_factory=dict)
    transferred_on: date | None = None
    bundle_count: int = 0  # how many Bundle SIDs the keyring holds for it (they are not kept here)


@dataclass
class ConsentPrep:
    """What one owner prepared for the consent form, and when it was submitted."""

    company: str = ""
    signer_title: str = ""
    signer_name: str = ""
    acknowledged: set[str] = field(default_factory=set)
    submitted_on: date | None = None


@dataclass
class Answers:
    accounts: list[AccountEntry] = field(default_factory=list)
    owner_facts: dict[str, dict[str, FactValue]] = field(default_factory=dict)
    consent: dict[str, ConsentPrep] = field(default_factory=dict)
    billing: dict[str, str] = field(default_factory=dict)  # item id -> text (the six non-SID items)
    billing_account: str = ""  # label of the account the mail is about
    done: dict[str, set[str]] = field(default_factory=dict)  # "owner:<email>" / "account:<label>" -> keys
    page: str = ""
    as_of: str = ""  # ISO moment the user chose to view the plan at; "" = now

    # --- lookups ---------------------------------------------------------------------------------

    def account(self, label: str) -> AccountEntry | None:
        return next((a for a in self.accounts if a.label == label), None)

    def owner_emails(self) -> list[str]:
        seen: list[str] = []
        for account in self.accounts:
            email = normalise_email(account.owner_email)
            if email not in seen:
                seen.append(email)
        return seen

    def consent_for(self, email: str) -> ConsentPrep:
        return self.consent.setdefault(normalise_email(email), ConsentPrep())

    def done_for(self, scope: str) -> set[str]:
        return self.done.setdefault(scope, set())

    def set_done(self, scope: str, key: str, value: bool) -> None:
        keys = self.done_for(scope)
        if value:
            keys.add(key)
        else:
            keys.discard(key)

    def rename_account(self, old: str, new: str) -> None:
        entry = self.account(old)
        if entry is None or old == new:
            return
        entry.label = new
        if f"account:{old}" in self.done:
            self.done[f"account:{new}"] = self.done.pop(f"account:{old}")
        if self.billing_account == old:
            self.billing_account = new

    def remove_account(self, label: str) -> None:
        self.accounts = [a for a in self.accounts if a.label != label]
        self.done.pop(f"account:{label}", None)
        if self.billing_account == label:
            self.billing_account = ""

    # --- to the domain -----------------------------------------------------------------------------

    def owners(self) -> tuple[Owner, ...]:
        """The accounts as the rules see them, grouped by owner email."""
        accounts = [
            Account(a.label, a.owner_email, a.kind, None, dict(a.facts), a.transferred_on,
                    done=frozenset(self.done.get(f"account:{a.label}", set())))
            for a in self.accounts
        ]
        owner_done = {}
        for email in self.owner_emails():
            keys = set(self.done.get(f"owner:{email}", set()))
            if self.consent_for(email).submitted_on is not None:
                keys.add("consent/submit-form")
            owner_done[email] = frozenset(keys)
        return group_by_owner(accounts, self.owner_facts, owner_done)

    # --- progress file ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "accounts": [
                {"label": a.label, "owner_email": a.owner_email, "kind": a.kind,
                 "facts": {k: _fact_to_json(v) for k, v in a.facts.items()},
                 "transferred_on": a.transferred_on.isoformat() if a.transferred_on else None,
                 "bundle_count": a.bundle_count}
                for a in self.accounts
            ],
            "owner_facts": {e: {k: _fact_to_json(v) for k, v in f.items()} for e, f in self.owner_facts.items()},
            "consent": {
                e: {"company": c.company, "signer_title": c.signer_title, "signer_name": c.signer_name,
                    "acknowledged": sorted(c.acknowledged),
                    "submitted_on": c.submitted_on.isoformat() if c.submitted_on else None}
                for e, c in self.consent.items()
            },
            "billing": dict(self.billing),
            "billing_account": self.billing_account,
            "done": {k: sorted(v) for k, v in self.done.items() if v},
            "page": self.page,
            "as_of": self.as_of,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], program: Program) -> Answers:
        """Rebuild from a progress file; anything unreadable in it is dropped field by field."""
        answers = cls()
        fact_types = {f.id: f for f in program.facts}
        kinds = {k.id for k in program.account_kinds}

        def facts(raw: Any) -> dict[str, FactValue]:
            result: dict[str, FactValue] = {}
            for key, value in (raw if isinstance(raw, dict) else {}).items():
                fact = fact_types.get(key)
                if fact is None or value is None:
                    continue
                if fact.type == "bool" and isinstance(value, bool):
                    result[key] = value
                elif fact.type == "choice" and value in fact.choices:
                    result[key] = value
                elif fact.type == "decimal" and isinstance(value, str):
                    try:
                        result[key] = Decimal(value)
                    except ArithmeticError:
                        pass
            return result

        for raw in data.get("accounts", []) if isinstance(data.get("accounts"), list) else []:
            if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
                continue
            answers.accounts.append(AccountEntry(
                label=raw["label"], owner_email=str(raw.get("owner_email", "")),
                kind=str(raw["kind"]) if raw.get("kind") in kinds else "standard",
                facts=facts(raw.get("facts")), transferred_on=_date(raw.get("transferred_on")),
                bundle_count=int(raw["bundle_count"]) if isinstance(raw.get("bundle_count"), int) else 0,
            ))
        owner_facts = data.get("owner_facts")
        if isinstance(owner_facts, dict):
            answers.owner_facts = {str(e): facts(f) for e, f in owner_facts.items()}
        consent = data.get("consent")
        if isinstance(consent, dict):
            for email, raw in consent.items():
                if isinstance(raw, dict):
                    answers.consent[str(email)] = ConsentPrep(
                        str(raw.get("company", "")), str(raw.get("signer_title", "")),
                        str(raw.get("signer_name", "")),
                        {a for a in raw.get("acknowledged", []) if isinstance(a, str)},
                        _date(raw.get("submitted_on")),
                    )
        billing = data.get("billing")
        if isinstance(billing, dict):
            answers.billing = {k: v for k, v in billing.items() if k in BILLING_FIELDS and isinstance(v, str)}
        answers.billing_account = str(data.get("billing_account", ""))
        done = data.get("done")
        if isinstance(done, dict):
            answers.done = {
                str(k): {x for x in v if isinstance(x, str)} for k, v in done.items() if isinstance(v, list)
            }
        answers.page = str(data.get("page", ""))
        answers.as_of = str(data.get("as_of", ""))
        return answers


def answers_from_profile(profile: Profile) -> tuple[Answers, dict[str, Sid], dict[str, list[Sid]]]:
    """A profile as wizard answers, plus the SIDs and Bundle SIDs it names (for the keyring only)."""
    answers = Answers()
    sids: dict[str, Sid] = {}
    bundles: dict[str, list[Sid]] = {}
    for owner in profile.owners:
        # Each fact where the wizard asks it: owner-scope ones on the owner, the rest on each account
        # (a profile may write either at either level; the account's own value wins).
        owner_scope = set(profile.owner_scope_facts)
        owner_facts = {k: v for k, v in owner.facts.items() if k in owner_scope}
        for account in owner.accounts:
            for key in owner_scope & set(account.facts):
                owner_facts.setdefault(key, account.facts[key])
        answers.owner_facts[owner.email] = owner_facts
        answers.done[f"owner:{owner.email}"] = set(owner.done)
        for account in owner.accounts:
            facts = {k: v for k, v in owner.facts.items() if k not in owner_scope}
            facts.update({k: v for k, v in account.facts.items() if k not in owner_scope})
            answers.accounts.append(AccountEntry(account.label, account.owner_email, account.kind, facts,
                                                 account.transferred_on, len(account.bundle_sids)))
            if account.done:
                answers.done[f"account:{account.label}"] = set(account.done)
            if account.sid is not None:
                sids[account.label] = account.sid
            if account.bundle_sids:
                bundles[account.label] = list(account.bundle_sids)
    return answers, sids, bundles


def _fact_to_json(value: FactValue) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
