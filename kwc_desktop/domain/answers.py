"""Everything the user told the wizard: one state object, saved as progress (never a secret in it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from kwc_desktop.domain.accounts import (
    MAX_EMAIL_LENGTH,
    MAX_LABEL_LENGTH,
    Account,
    Owner,
    group_by_owner,
    normalise_email,
    parse_email,
    parse_label,
)
from kwc_desktop.domain.clock import parse_as_of
from kwc_desktop.domain.limits import MAX_ACCOUNTS, MAX_TEXT, check_date, parse_amount_text, parse_date
from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.program import KIND_FACT, FactValue, Program
from kwc_desktop.domain.reader import Reader
from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.secret_shape import looks_like_secret
from kwc_desktop.domain.text import UserError

if TYPE_CHECKING:
    from kwc_desktop.domain.profile import Profile
    from kwc_desktop.domain.sid import Sid

MAX_KEY = 128  # a done key: "procedure/step", a document id
_PAGE = Pattern(r"[a-z]{0,40}")
ScopeKind = Literal["owner", "account", "documents"]
_SCOPE_KINDS: tuple[ScopeKind, ...] = ("owner", "account", "documents")


@record(order=True)
class DoneScope:
    """Whose ticks: an owner's (owner-scope steps), an account's steps, or an account's Bundle documents."""

    kind: ScopeKind
    name: str  # the owner's email (normalised) or the account's label

    @classmethod
    def owner(cls, email: str) -> DoneScope:
        return cls("owner", normalise_email(email))

    @classmethod
    def account(cls, label: str) -> DoneScope:
        return cls("account", label)

    @classmethod
    def documents(cls, label: str) -> DoneScope:
        return cls("documents", label)

    def key(self) -> str:
        """As the progress file writes it: "owner:<email>", "account:<label>", "documents:<label>"."""
        return f"{self.kind}:{self.name}"

    @classmethod
    def parse(cls, key: str) -> DoneScope | None:
        kind, _, name = key.partition(":")
        for known in _SCOPE_KINDS:
            if kind == known and name:
                return cls(known, name)
        return None


@record(frozen=False)
class AccountEntry:
    """One account as entered in the wizard. Its SID, token and Bundle SIDs are in the keyring."""

    label: str
    owner_email: str
    kind: str = "standard"
    facts: dict[str, FactValue] = field(default_factory=dict)
    transferred_on: date | None = None
    bundle_count: int = 0  # how many Bundle SIDs the keyring holds for it (they are not kept here)
    parent: str = ""  # a sub-account found under another account: that account's label (its credentials read it)
    kind_overridden: bool = False  # the user chose `kind` against what Twilio said: it wins over detection


@record
class TakenAccount:
    """An account removed from the answers, with what went with it: where it stood, the sub-accounts that
    were under it, its ticks (by scope kind), and whether the billing mail was about it."""

    entry: AccountEntry
    position: int
    children: tuple[str, ...]
    done: dict[ScopeKind, set[str]]
    billing: bool


@record(frozen=False)
class ConsentPrep:
    """What one owner prepared for the consent form, and when it was submitted."""

    company: str = ""
    signer_title: str = ""
    signer_name: str = ""
    acknowledged: set[str] = field(default_factory=set)
    submitted_on: date | None = None


@record(frozen=False)
class Answers:
    accounts: list[AccountEntry] = field(default_factory=list)
    owner_facts: dict[str, dict[str, FactValue]] = field(default_factory=dict)
    consent: dict[str, ConsentPrep] = field(default_factory=dict)
    billing: dict[str, str] = field(default_factory=dict)  # item id -> text (the six non-SID items)
    billing_account: str = ""  # label of the account the mail is about
    done: dict[DoneScope, set[str]] = field(default_factory=dict)  # -> "procedure/step" keys, document ids
    page: str = ""
    as_of: str = ""  # ISO moment the user chose to view the plan at; "" = now (Session owns its meaning)

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
        """What the owner prepared (an empty one if nothing yet). Reading it changes nothing."""
        return self.consent.get(normalise_email(email)) or ConsentPrep()

    def edit_consent(self, email: str) -> ConsentPrep:
        """The owner's preparation, to change (made when missing)."""
        return self.consent.setdefault(normalise_email(email), ConsentPrep())

    def done_for(self, scope: DoneScope) -> frozenset[str]:
        """What is ticked in `scope`. Reading it changes nothing."""
        return frozenset(self.done.get(scope, ()))

    def set_done(self, scope: DoneScope, key: str, value: bool) -> None:
        keys = self.done.setdefault(scope, set())
        if value:
            keys.add(key)
        else:
            keys.discard(key)
            if not keys:
                del self.done[scope]

    def consent_submitted(self, program: Program, email: str) -> bool:
        """Whether the owner's consent form is submitted: the one truth the Summary tick and the Consent
        page both show and change."""
        key = program.consent_step_key()
        return key is not None and key in self.done_for(DoneScope.owner(email))

    def set_consent_submitted(self, program: Program, email: str, submitted: bool, on: date | None = None) -> None:
        """Record (or take back) the submission. Submitting the form meant acknowledging everything it
        asks to acknowledge, so those are ticked too; taking it back keeps them."""
        key, page = program.consent_step_key(), program.pages.consent
        if key is None or page is None:
            return
        self.set_done(DoneScope.owner(email), key, submitted)
        prep = self.edit_consent(email)
        prep.submitted_on = on if submitted else None
        if submitted:
            prep.acknowledged = {a.id for a in program.procedure(page.procedure).acknowledgements}

    def rename_account(self, old: str, new: str) -> None:
        entry = self.account(old)
        if entry is None or old == new:
            return
        entry.label = new
        for child in self.accounts:
            if child.parent == old:
                child.parent = new
        for scope in (DoneScope.account(old), DoneScope.documents(old)):
            if scope in self.done:
                self.done[DoneScope(scope.kind, new)] = self.done.pop(scope)
        if self.billing_account == old:
            self.billing_account = new

    def remove_account(self, label: str) -> TakenAccount | None:
        """The account goes, with what is ticked for it; its sub-accounts stay (their own credentials are
        needed from now on). What went, to put back with `restore_account`."""
        entry = self.account(label)
        if entry is None:
            return None
        position = self.accounts.index(entry)
        self.accounts.remove(entry)
        children = []
        for child in self.accounts:
            if child.parent == label:
                child.parent = ""
                children.append(child.label)
        done = {}
        for scope in (DoneScope.account(label), DoneScope.documents(label)):
            if scope in self.done:
                done[scope.kind] = self.done.pop(scope)
        billing = self.billing_account == label
        if billing:
            self.billing_account = ""
        return TakenAccount(entry, position, tuple(children), done, billing)

    def restore_account(self, taken: TakenAccount, label: str) -> None:
        """Put a removed account back, called `label` (its own, unless another account took it since), where
        it was, with its ticks; its sub-accounts and the billing mail are its again unless they changed since."""
        entry = taken.entry
        entry.label = label
        self.accounts.insert(min(taken.position, len(self.accounts)), entry)
        for child in self.accounts:
            if child.label in taken.children and not child.parent:
                child.parent = label
        for kind, keys in taken.done.items():
            self.done.setdefault(DoneScope(kind, label), set()).update(keys)
        if taken.billing and not self.billing_account:
            self.billing_account = label

    # --- to the domain -----------------------------------------------------------------------------

    @staticmethod
    def kind_of(entry: AccountEntry, program: Program, detected: Mapping[str, FactValue]) -> str:
        """The account's kind: what Twilio said (status, type), unless the user chose another one."""
        found = detected.get(KIND_FACT)
        if entry.kind not in program.detection.kinds.values():
            return entry.kind  # a kind Twilio never reports (declined, invited, …): only the user can have said it
        if not entry.kind_overridden and isinstance(found, str) and found in {k.id for k in program.account_kinds}:
            return found
        return entry.kind

    def owners(self, program: Program,
               detected: Mapping[str, Mapping[str, FactValue]] | None = None) -> tuple[Owner, ...]:
        """The accounts as the rules see them, grouped by owner email. A fact the user answered wins
        over the same fact detected from the account. Computing this changes nothing here."""
        detected = detected or {}
        accounts = [
            Account(a.label, a.owner_email, self.kind_of(a, program, detected.get(a.label, {})), None,
                    {**detected.get(a.label, {}), **a.facts}, a.transferred_on,
                    done=self.done_for(DoneScope.account(a.label)))
            for a in self.accounts
        ]
        owner_done = {email: self.done_for(DoneScope.owner(email)) for email in self.owner_emails()}
        return group_by_owner(accounts, self.owner_facts, owner_done)

    # --- progress file ---------------------------------------------------------------------------

    def to_json(self, program: Program) -> dict[str, Any]:
        return {
            "program": program.id,
            "accounts": [
                {"label": a.label, "owner_email": a.owner_email, "kind": a.kind,
                 "facts": {k: _fact_to_json(v) for k, v in a.facts.items()},
                 "transferred_on": a.transferred_on.isoformat() if a.transferred_on else None,
                 "bundle_count": a.bundle_count, **({"parent": a.parent} if a.parent else {}),
                 **({"kind_overridden": True} if a.kind_overridden else {})}
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
            "done": {k.key(): sorted(v) for k, v in sorted(self.done.items()) if v},
            "page": self.page,
            "as_of": self.as_of,
        }

    @classmethod
    def from_json(cls, data: Any, program: Program) -> tuple[Answers, tuple[str, ...]]:
        """Rebuild from a progress file. Every value is checked for type and range; what does not pass is
        left out, and its place in the file (never its value) is listed in the second result."""
        reader = ProgressReader(program)
        return reader.answers(data), tuple(reader.problems)


class ProgressReader(Reader):
    """Reads a progress document value by value, leniently: each value it has to leave out is noted by its place
    (never its value) in `problems`, and the default is used."""

    problems: list[str]

    def __init__(self, program: Program) -> None:
        super().__init__({}, "", problems=[])
        self.program = program
        self.facts = {f.id: f for f in program.facts}
        self.kinds = {k.id for k in program.account_kinds}

    def bad(self, where: str) -> None:
        self.note(where)

    def text(self, value: Any, where: str, limit: int = MAX_TEXT) -> str:
        if value is None:
            return ""
        if not isinstance(value, str) or len(value) > limit or looks_like_secret(value):
            self.bad(where)
            return ""
        return value

    def day(self, value: Any, where: str) -> date | None:
        if value is None:
            return None
        try:
            return parse_date(value)
        except UserError:
            self.bad(where)
            return None

    def keys(self, value: Any, where: str) -> set[str]:
        if value is None:
            return set()
        if not isinstance(value, list):
            self.bad(where)
            return set()
        keys = {v for v in value if isinstance(v, str) and 0 < len(v) <= MAX_KEY and not looks_like_secret(v)}
        if len(keys) != len(value):
            self.bad(where)
        return keys

    def detected_value(self, key: Any, value: Any, where: str) -> FactValue:
        """One detected fact's value (the kind too, which the user answers elsewhere); None: left out."""
        if key == KIND_FACT:
            if isinstance(value, str) and value in self.kinds:
                return value
            self.bad(f"{where}.{KIND_FACT}")
            return None
        return self.fact_values({key: value}, where).get(key) if isinstance(key, str) else None

    def fact_values(self, raw: Any, where: str) -> dict[str, FactValue]:
        result: dict[str, FactValue] = {}
        for key, value in self.mapping(raw, where).items():
            fact = self.facts.get(key)
            if value is None:
                continue
            if fact is None or fact.id == KIND_FACT:
                self.bad(f"{where}.{str(key)[:40]}")
            elif fact.type == "bool" and isinstance(value, bool):
                result[key] = value
            elif fact.type == "choice" and isinstance(value, str) and value in fact.choices:
                result[key] = value
            elif fact.type == "decimal" and isinstance(value, str):
                try:
                    result[key] = parse_amount_text(value, value)
                except UserError:
                    self.bad(f"{where}.{key}")
            else:
                self.bad(f"{where}.{key}")
        return result

    def answers(self, data: Any) -> Answers:
        answers = Answers()
        data = self.mapping(data, "state")
        written_for = data.get("program", self.program.id)
        if written_for != self.program.id:
            # Progress of another program: its ids mean other things here. Nothing of it is used.
            self.bad("program")
            return answers
        raw_accounts = data.get("accounts", [])
        if not isinstance(raw_accounts, list):
            self.bad("accounts")
            raw_accounts = []
        if len(raw_accounts) > MAX_ACCOUNTS:
            self.bad("accounts")
            raw_accounts = raw_accounts[:MAX_ACCOUNTS]
        labels: set[str] = set()
        for n, raw in enumerate(raw_accounts):
            where = f"accounts[{n}]"
            entry = self.account(raw, where, labels)
            if entry is not None:
                labels.add(entry.label)
                answers.accounts.append(entry)
        for n, entry in enumerate(answers.accounts):
            if entry.parent and (entry.parent not in labels or entry.parent == entry.label):
                self.bad(f"accounts[{n}].parent")
                entry.parent = ""
        for email, facts in self.mapping(data.get("owner_facts"), "owner_facts").items():
            if self.email(email, "owner_facts"):
                answers.owner_facts[normalise_email(email)] = self.fact_values(facts, "owner_facts.<owner>")
        for email, raw in self.mapping(data.get("consent"), "consent").items():
            if self.email(email, "consent"):
                answers.consent[normalise_email(email)] = self.consent(raw, "consent.<owner>")
        mail_items = {item.id for item in self.program.mail_items()}
        for key, value in self.mapping(data.get("billing"), "billing").items():
            if key in mail_items:
                answers.billing[key] = self.text(value, f"billing.{key}")
            else:
                self.bad("billing.<unknown>")
        answers.billing_account = self.text(data.get("billing_account"), "billing_account", MAX_LABEL_LENGTH)
        for key, keys in self.mapping(data.get("done"), "done").items():
            scope = DoneScope.parse(key) if isinstance(key, str) and len(key) <= MAX_KEY + MAX_EMAIL_LENGTH \
                and not looks_like_secret(key) else None
            if scope is not None:
                found = self.keys(keys, "done.<scope>")
                if found:
                    answers.done[scope] = found
            else:
                self.bad("done.<scope>")
        page = self.text(data.get("page"), "page", 40)
        answers.page = page if _PAGE.fullmatch(page) else ""
        if page and not answers.page:
            self.bad("page")
        answers.as_of = self.as_of(data.get("as_of"))
        # Files written before the submission was one truth: a submission date means submitted.
        consent_key = self.program.consent_step_key()
        for email, prep in answers.consent.items():
            if consent_key is not None and prep.submitted_on is not None:
                answers.done.setdefault(DoneScope.owner(email), set()).add(consent_key)
        return answers

    def email(self, value: Any, where: str) -> bool:
        try:
            parse_email(value if isinstance(value, str) else "")
        except UserError:
            self.bad(f"{where}.<owner>")
            return False
        return True

    def account(self, raw: Any, where: str, labels: set[str]) -> AccountEntry | None:
        if not isinstance(raw, dict):
            self.bad(where)
            return None
        raw_label, raw_email = raw.get("label"), raw.get("owner_email")
        try:
            label = parse_label(raw_label if isinstance(raw_label, str) else "")
            email = parse_email(raw_email if isinstance(raw_email, str) else "")
        except UserError:
            self.bad(where)
            return None
        if label in labels:
            self.bad(f"{where}.label")
            return None
        kind = raw.get("kind", self.program.default_kind)
        if not (isinstance(kind, str) and kind in self.kinds):
            self.bad(f"{where}.kind")
            kind = self.program.default_kind
        count = raw.get("bundle_count", 0)
        if type(count) is not int or not 0 <= count <= MAX_ACCOUNTS:
            self.bad(f"{where}.bundle_count")
            count = 0
        parent = self.text(raw.get("parent"), f"{where}.parent", MAX_LABEL_LENGTH)
        overridden = raw.get("kind_overridden", False)
        if not isinstance(overridden, bool):
            self.bad(f"{where}.kind_overridden")
            overridden = False
        return AccountEntry(label, email, kind, self.fact_values(raw.get("facts"), f"{where}.facts"),
                            self.day(raw.get("transferred_on"), f"{where}.transferred_on"), count, parent,
                            overridden)

    def consent(self, raw: Any, where: str) -> ConsentPrep:
        raw = self.mapping(raw, where)
        return ConsentPrep(self.text(raw.get("company"), f"{where}.company"),
                           self.text(raw.get("signer_title"), f"{where}.signer_title"),
                           self.text(raw.get("signer_name"), f"{where}.signer_name"),
                           self.keys(raw.get("acknowledged"), f"{where}.acknowledged"),
                           self.day(raw.get("submitted_on"), f"{where}.submitted_on"))

    def as_of(self, value: Any) -> str:
        if value is None or value == "":
            return ""
        try:
            if not isinstance(value, str) or len(value) > 40:
                raise UserError("clock.bad_as_of", value="")
            check_date(parse_as_of(value, self.program.tz).date())
        except UserError:
            self.bad("as_of")
            return ""
        return value


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
        if owner.done:
            answers.done[DoneScope.owner(owner.email)] = set(owner.done)
        for account in owner.accounts:
            facts = {k: v for k, v in owner.facts.items() if k not in owner_scope}
            facts.update({k: v for k, v in account.facts.items() if k not in owner_scope})
            answers.accounts.append(AccountEntry(account.label, account.owner_email, account.kind, facts,
                                                 account.transferred_on, len(account.bundle_sids)))
            if account.done:
                answers.done[DoneScope.account(account.label)] = set(account.done)
            if account.sid is not None:
                sids[account.label] = account.sid
            if account.bundle_sids:
                bundles[account.label] = list(account.bundle_sids)
    return answers, sids, bundles


def _fact_to_json(value: FactValue) -> Any:
    return str(value) if isinstance(value, Decimal) else value
