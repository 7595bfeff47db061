"""The migration program as typed data: the model and its queries. It is read from one bilingual TOML file and
checked on load by kwc_desktop/domain/program_loader.py (`parse_program`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from kwc_desktop.domain.reader import ReadError, Said
from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.text import Text, UserError

FactValue = str | bool | Decimal | None
Scope = Literal["owner", "account"]
AfterDeadline = Literal["missed", "overdue"]

MAX_TRANSFER_DAYS = 3650  # a milestone relative to the transfer stays within ten years of it
KIND_FACT = "kind"  # the one fact every program declares: its choices are the account kinds
MAIN_SOURCE = "notice"  # the source of an entry that names none: the program's own document


class ProgramError(ReadError, ValueError):
    """The program file is broken; the message names the entry and the field (in the file's own words, for its
    author: the same in either language)."""

    def __init__(self, where: str, cause: UserError | str) -> None:
        super().__init__(where, Said(cause) if isinstance(cause, str) else cause)


@record
class Moment:
    """A point in the program's time: to the minute (`at`) or a whole day (`day`)."""

    at: datetime | None = None
    day: date | None = None
    tz: tzinfo = UTC

    def ends(self) -> datetime:
        """The first instant after the moment: a deadline has passed from here on."""
        if self.at is not None:
            return self.at + timedelta(minutes=1)
        assert self.day is not None
        return datetime.combine(self.day + timedelta(days=1), time(0, 0), tzinfo=self.tz)

    def starts(self) -> datetime:
        """The first instant of the moment: something available `from` it is open from here on."""
        if self.at is not None:
            return self.at
        assert self.day is not None
        return datetime.combine(self.day, time(0, 0), tzinfo=self.tz)

    def local_date(self) -> date:
        if self.at is not None:
            return self.at.astimezone(self.tz).date()
        assert self.day is not None
        return self.day


@record
class Fact:
    id: str
    type: Literal["choice", "bool", "decimal"]
    question: Text
    choices: tuple[str, ...] = ()
    unit: str = ""
    choice_labels: tuple[Text, ...] = ()
    scope: Scope = "account"
    # Asked only while these hold (other facts' answers); otherwise the question is not shown and an
    # earlier answer is kept but does not count.
    ask_if: tuple[Condition, ...] = ()

    def choice_label(self, choice: str) -> Text:
        return self.choice_labels[self.choices.index(choice)] if self.choice_labels else Text(choice, choice)


@record
class AccountKind:
    id: str
    transfers: bool
    label: Text
    note: Text


@record
class Milestone:
    id: str
    label: Text
    moment: Moment | None  # None: relative to the account's transfer date
    from_transfer_days: int | None = None
    source: str = MAIN_SOURCE

    def moment_for(self, transfer_day: date, tz: tzinfo) -> Moment:
        if self.moment is not None:
            return self.moment
        assert self.from_transfer_days is not None
        return Moment(day=transfer_day + timedelta(days=self.from_transfer_days), tz=tz)


@record
class Condition:
    """One fact's test: one of `values`, equal to `flag`, or at least `at_least`."""

    fact: str
    values: tuple[str, ...] | None = None
    flag: bool | None = None
    at_least: Decimal | None = None

    def holds(self, value: FactValue) -> bool:
        if value is None:
            return False
        if self.values is not None:
            return isinstance(value, str) and value in self.values
        if self.flag is not None:
            return isinstance(value, bool) and value is self.flag
        assert self.at_least is not None
        return isinstance(value, Decimal) and value >= self.at_least


@record
class Rule:
    """Every condition must hold; `reason` says why the procedure then applies."""

    conditions: tuple[Condition, ...]
    reason: Text

    def holds(self, facts: Mapping[str, FactValue]) -> bool:
        return all(c.holds(facts.get(c.fact)) for c in self.conditions)


@record
class Step:
    id: str
    text: Text
    deadline: str | None = None
    after_deadline: AfterDeadline = "overdue"
    available_from: str | None = None
    only_if: tuple[Condition, ...] = ()
    requires: tuple[str, ...] = ()  # earlier steps of the same procedure; missed with them
    skip_if: tuple[Condition, ...] = ()  # left out once these are answered so (shown while unanswered)
    instead: str | None = None  # the step of the same procedure that takes over once this one's window closes
    # The milestone after which the step's world has changed (not a deadline the source gives): from then on
    # it is closed, and `when_ended` says what is left.
    ends: str | None = None
    when_ended: Text | None = None
    optional: bool = False  # only for who wants it ("if you want a new Bundle…"): never "do this next" first


@record
class Note:
    """A line the plan shows under its procedure while its conditions hold: the steps or procedures of
    `if_done` are done and those of `unless_done` are not (keys or ids, of any procedure, for the owner and
    the account), the facts of `if_facts` are so. It may quote `{day}`: the day of milestone `day` for the
    account (its transfer day counts). A `warning` is also said first, where the plan says what matters."""

    id: str
    text: Text
    if_done: tuple[str, ...] = ()
    unless_done: tuple[str, ...] = ()
    if_facts: tuple[Condition, ...] = ()
    day: str | None = None
    warning: bool = False
    source: str = MAIN_SOURCE


@record
class Procedure:
    id: str
    scope: Scope
    title: Text
    summary: Text
    rules: tuple[Rule, ...]
    steps: tuple[Step, ...]
    contact: str
    facts: tuple[Text, ...] = ()
    items: tuple[str, ...] = ()
    mail_to: str | None = None
    after: tuple[str, ...] = ()
    source: str = MAIN_SOURCE
    acknowledgements: tuple[Entry, ...] = ()
    when_missed: Text | None = None  # what a missed (or overdue) procedure means, and what to do now
    when_missed_source: str = MAIN_SOURCE
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[Note, ...] = ()

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def uses(self, fact: str) -> bool:
        """Whether one of its rules asks about `fact` (a detected fact then shows as triggering it)."""
        return any(c.fact == fact for rule in self.rules for c in rule.conditions)


@record
class Conflict:
    """Another source that says otherwise about a procedure: both are shown, and which is newer."""

    source: str
    says: Text
    newer: str  # the source id of the newer statement (the procedure's or this one)


@record
class Contact:
    id: str
    name: Text
    channel: Text
    email: str | None = None
    url: str | None = None  # the page its form is on (never a form address the source does not give)


@record
class Item:
    id: str
    kind: Literal["sid", "text-ja", "text-en", "email"]
    label: Text


@record
class PrefixRange:
    """Card numbers whose first `len(low)` digits lie between `low` and `high`."""

    low: str
    high: str

    def possible(self, digits: str) -> bool:
        """Could a number starting with `digits` fall in this range?"""
        width = len(self.low)
        if len(digits) >= width:
            return int(self.low) <= int(digits[:width]) <= int(self.high)
        scale: int = 10 ** (width - len(digits))
        first, last = int(digits) * scale, (int(digits) + 1) * scale - 1
        return first <= int(self.high) and last >= int(self.low)

    def matches(self, digits: str) -> bool:
        return len(digits) >= len(self.low) and self.possible(digits)


@record
class CardBrand:
    id: str
    name: Text
    prefixes: tuple[PrefixRange, ...]
    lengths: tuple[int, ...]
    luhn: bool = True
    accepted_from: str | None = None


@record
class Entry:
    """A bilingual line with an id: what stays, what changes, a Bundle document."""

    id: str
    text: Text


@record
class Source:
    """Where a procedure or milestone comes from, when it is not the notice itself."""

    id: str
    label: Text
    url: str | None = None


@record
class FaqSection:
    id: str
    title: Text


@record
class FaqEntry:
    id: str
    section: str
    question: Text
    answer: Text
    # Where the answer's 「こちら」 leads: "faq:<id>", "page:<consent|billing|payment|bundles>",
    # "source:<id>" or "contact:<id>" (their address), or an https address the source itself gives.
    see: tuple[str, ...] = ()


@record
class ConsentSpec:
    """The page that prepares an owner-scope form: `procedure`'s acknowledgements are its ticks, and
    its "submitted on" date completes `submitted_step`."""

    procedure: str
    submitted_step: str


@record
class BillingSpec:
    """The page that gathers the items these procedures send by email, and drafts the email."""

    procedures: tuple[str, ...]


@record
class PaymentSpec:
    """Card brands and payment notes: shown when one of `procedures` applies. `notes` are shown with
    their steps as information, `warnings` as warnings; `amount_fact` is asked for the notes' accounts."""

    procedures: tuple[str, ...]
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    amount_fact: str | None = None


@record
class BundlesSpec:
    """Bundle SIDs, their usable-until day and the documents, for the accounts `procedure` covers.
    `flag_fact` (a bool fact) is answered yes when the user adds a Bundle SID."""

    procedure: str
    flag_fact: str | None = None


@record
class Pages:
    """What each optional wizard page is about; None: the program has no such page."""

    consent: ConsentSpec | None = None
    billing: BillingSpec | None = None
    payment: PaymentSpec | None = None
    bundles: BundlesSpec | None = None

    def main_procedure(self, page: str) -> str | None:
        """The procedure a page is about (the first, for a page about several); None: no such page."""
        spec = {"consent": self.consent, "billing": self.billing, "payment": self.payment,
                "bundles": self.bundles}.get(page)
        if isinstance(spec, ConsentSpec | BundlesSpec):
            return spec.procedure
        return spec.procedures[0] if spec is not None else None


@record
class DetectionSpec:
    """Which of the program's answers an account's Twilio data can give: the account kind for each Twilio
    status/type ("closed", "suspended", "trial", "active"), and the bool facts toll-free numbers not
    bought in the Console and Bundles answer."""

    kinds: Mapping[str, str] = field(default_factory=dict)
    ported_toll_free: str | None = None
    has_bundles: str | None = None
    not_readable: Text | None = None  # why the other questions stay questions (shown beside them)

    def answers(self) -> frozenset[str]:
        """The facts a read can answer."""
        return frozenset(f for f in (KIND_FACT if self.kinds else None, self.ported_toll_free, self.has_bundles) if f)


@record
class Program:
    id: str
    title: Text
    source: Text
    timezone: str
    inquiry_marker: str
    transfer_milestone: str
    facts: tuple[Fact, ...]
    account_kinds: tuple[AccountKind, ...]
    milestones: tuple[Milestone, ...]
    sources: tuple[Source, ...]
    contacts: tuple[Contact, ...]
    items: tuple[Item, ...]
    procedures: tuple[Procedure, ...]
    card_brands: tuple[CardBrand, ...]
    paypal_invoice_threshold_usd: Decimal | None  # None: the program has no PayPal invoice rule
    paypal_invoice_year: int | None
    bundle_usable_milestone: str
    bundle_documents: tuple[Entry, ...]
    bundle_documents_source: str
    unchanged: tuple[Entry, ...]
    changed: tuple[Entry, ...]
    faq_sections: tuple[FaqSection, ...]
    faq: tuple[FaqEntry, ...]
    version: str = ""
    zone_label: Text = Text("UTC", "UTC")
    pages: Pages = Pages()
    # The program's own wording where the app's generic one would be wrong (None: the app's).
    mail_greeting: Text | None = None
    mail_intro: Text | None = None  # may quote {procedure}
    inquiry_rule: Text | None = None  # may quote {marker}
    source_url: str | None = None  # the address of the program's own document (the notice's page)
    detection: DetectionSpec = DetectionSpec()
    _index: dict[tuple[str, str], object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _get(self, kind: str, items: Sequence[Any], key: str) -> Any:
        found = self._index.get((kind, key))
        if found is None:
            found = next((x for x in items if x.id == key), None)
            if found is None:
                raise KeyError(f"no {kind} '{key}'")
            self._index[(kind, key)] = found
        return found

    def procedure(self, key: str) -> Procedure:
        return self._get("procedure", self.procedures, key)  # type: ignore[no-any-return]

    def milestone(self, key: str) -> Milestone:
        return self._get("milestone", self.milestones, key)  # type: ignore[no-any-return]

    def kind(self, key: str) -> AccountKind:
        return self._get("kind", self.account_kinds, key)  # type: ignore[no-any-return]

    def fact(self, key: str) -> Fact:
        return self._get("fact", self.facts, key)  # type: ignore[no-any-return]

    def contact(self, key: str) -> Contact:
        return self._get("contact", self.contacts, key)  # type: ignore[no-any-return]

    def item(self, key: str) -> Item:
        return self._get("item", self.items, key)  # type: ignore[no-any-return]

    def source_label(self, key: str) -> Text:
        return self._get("source", self.sources, key).label  # type: ignore[no-any-return]

    def card_brand(self, key: str) -> CardBrand:
        return self._get("card brand", self.card_brands, key)  # type: ignore[no-any-return]

    @property
    def default_kind(self) -> str:
        """The kind of an account whose kind is not given: the first one the file lists."""
        return self.account_kinds[0].id

    def mail_items(self) -> tuple[Item, ...]:
        """The items the billing page asks for (its procedures' items, except the SID the keyring holds)."""
        if self.pages.billing is None:
            return ()
        ids = [i for p in self.pages.billing.procedures for i in self.procedure(p).items]
        return tuple(item for item in self.items if item.id in ids and item.kind != "sid")

    def consent_step_key(self) -> str | None:
        """The done key ("procedure/step") the consent page's submission date stands for."""
        page = self.pages.consent
        return f"{page.procedure}/{page.submitted_step}" if page is not None else None

    def transfer_day(self) -> date:
        moment = self.milestone(self.transfer_milestone).moment
        assert moment is not None
        return moment.local_date()
