"""The migration program as typed data, read from one bilingual TOML file and checked on load."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from zoneinfo import ZoneInfo

from kwc_desktop.domain.limits import MAX_AMOUNT, MAX_DATE, MIN_DATE
from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.records import field, record, replace
from kwc_desktop.domain.secret_shape import looks_like_secret
from kwc_desktop.domain.text import (
    LANGS,
    TEXT_WHITESPACE,
    TemplateError,
    Text,
    control_character,
    fill,
    printable,
    template_fields,
)

FactValue = str | bool | Decimal | None
Scope = Literal["owner", "account"]
AfterDeadline = Literal["missed", "overdue"]

MAX_TRANSFER_DAYS = 3650  # a milestone relative to the transfer stays within ten years of it
_ID = Pattern(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FACT_ID = Pattern(r"^[a-z0-9]+(_[a-z0-9]+)*$")
KIND_FACT = "kind"  # the one fact every program declares: its choices are the account kinds
MAIN_SOURCE = "notice"  # the source of an entry that names none: the program's own document


class ProgramError(ValueError):
    """The program file is broken; the message names the entry and the field."""


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


# --- loading -------------------------------------------------------------------------------------


class _Reader:
    """Reads one table of the file; every complaint names where it is (`procedures[2] 'hq-sms'`)."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def fail(self, key: str, problem: str) -> ProgramError:
        return ProgramError(f"{self.where}: field '{key}' {problem}" if self.where else f"field '{key}' {problem}")

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str) -> Any:
        if key not in self.data:
            raise self.fail(key, "is missing")
        return self.data[key]

    def string(self, key: str, default: str | None = None, pattern: Pattern | None = None) -> str:
        if default is not None and key not in self.data:
            return default
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        self.plain(key, value)
        if pattern is not None and not pattern.match(value):
            raise self.fail(key, f"'{_cut(value)}' is not a lowercase id")
        return value

    def opt_str(self, key: str) -> str | None:
        return self.string(key) if key in self.data else None

    def whole(self, key: str) -> int:
        value = self.raw(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(key, "must be a whole number ≥ 0")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def decimal(self, key: str) -> Decimal:
        value = self.raw(key)
        try:
            number = Decimal(str(value)) if isinstance(value, (int, float, str)) and not isinstance(value, bool) \
                else Decimal("x")
        except InvalidOperation:
            raise self.fail(key, f"'{str(value)[:40]}' is not a number") from None
        if not number.is_finite() or not 0 <= number <= MAX_AMOUNT:
            raise self.fail(key, f"must be a number from 0 to {MAX_AMOUNT}")
        return number

    def plain(self, key: str, value: str, allowed: str = "") -> None:
        """Every string the program is built from passes here: none holds a control character (C0, DEL, C1, a
        bidi control, a line or paragraph separator, a lone surrogate) but the tab and line feed a text may hold,
        since what the file says reaches the terminal, the calendar, the PDF and the mail as it is. The complaint
        names the code point, never the character."""
        found = control_character(value, allowed)
        if found is not None:
            raise self.fail(key, f"holds a control character (U+{ord(found):04X})")

    def text(self, key: str, fields: Collection[str] = ()) -> Text:
        """A ja/en text: a template that may quote `fields` (as `{name}`), the same ones in both languages.
        A text that may quote none is kept with its `{{`/`}}` made braces; a template is kept as it is, for `fill`."""
        value = self.raw(key)
        if not isinstance(value, dict):
            raise self.fail(key, "must have 'ja' and 'en' texts")
        for lang in LANGS:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.fail(f"{key}.{lang}", "is missing or empty")
            self.plain(f"{key}.{lang}", value[lang], TEXT_WHITESPACE)
        ja, en = value["ja"], value["en"]
        if "{" not in ja and "}" not in ja and "{" not in en and "}" not in en:
            return Text(ja=ja, en=en)  # nearly every text: nothing to parse
        if self.template(f"{key}.ja", ja, fields) != self.template(f"{key}.en", en, fields):
            raise self.fail(key, "has different {fields} in 'ja' and 'en'")
        return Text(ja=ja, en=en) if fields else Text(ja=fill(ja, {}), en=fill(en, {}))

    def template(self, key: str, template: str, fields: Collection[str]) -> frozenset[str]:
        try:
            return template_fields(template, fields)
        except TemplateError as e:
            raise self.fail(key, str(e)) from None

    def texts(self, key: str) -> tuple[Text, ...]:
        if key not in self.data:
            return ()
        value = self.raw(key)
        ja, en = (value.get("ja"), value.get("en")) if isinstance(value, dict) else (None, None)
        if not (isinstance(ja, list) and isinstance(en, list) and len(ja) == len(en)):
            raise self.fail(key, "must have 'ja' and 'en' lists of the same length")
        if not all(isinstance(t, str) and t.strip() for t in [*ja, *en]):
            raise self.fail(key, "has an empty or non-text line")
        for lang, lines in (("ja", ja), ("en", en)):
            for n, line in enumerate(lines):
                self.plain(f"{key}.{lang}[{n}]", line, TEXT_WHITESPACE)
                self.template(f"{key}.{lang}[{n}]", line, ())
        return tuple(Text(ja=fill(j, {}), en=fill(e, {})) for j, e in zip(ja, en, strict=True))

    def str_list(self, key: str) -> tuple[str, ...]:
        if key not in self.data:
            return ()
        value = self.raw(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "must be a list of strings")
        for n, item in enumerate(value):
            self.plain(f"{key}[{n}]", item)
        return tuple(value)

    def tables(self, key: str) -> list[_Reader]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "must be a list of tables ([[...]])")
        return [_Reader(table, _entry(self.where, key, n, table)) for n, table in enumerate(value)]

    def table(self, key: str) -> _Reader:
        value = self.raw(key)
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return _Reader(value, f"{self.where}{key}.")


def _cut(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _entry(where: str, key: str, n: int, table: Mapping[str, Any]) -> str:
    """How a complaint names the n-th table of `key` inside `where`: `procedures[2] 'hq-sms'.steps[0] 'send'`."""
    label = f" '{_cut(printable(table['id'], keep=''))}'" if isinstance(table.get("id"), str) else ""
    return f"{where}{'.' if where and not where.endswith('.') else ''}{key}[{n}]{label}"


def _unique(readers: Sequence[Any], what: str) -> None:
    seen: set[str] = set()
    for item in readers:
        if item.id in seen:
            raise ProgramError(f"{what}: id '{item.id}' appears twice")
        seen.add(item.id)


MAX_PROGRAM_ID = 64


def _program_id(top: _Reader) -> str:
    """The program's id, which every saved progress file records: a lowercase id, short, and not shaped like
    a SID (the progress file refuses anything that is, and could then never be saved)."""
    value = top.string("id", pattern=_ID)
    if len(value) > MAX_PROGRAM_ID:
        raise top.fail("id", f"is longer than {MAX_PROGRAM_ID} characters")
    if looks_like_secret(value):
        raise top.fail("id", "looks like a SID or token")
    return value


def _moment(reader: _Reader, key: str, tz: tzinfo) -> Moment:
    value = reader.raw(key)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise reader.fail(key, "needs a UTC offset (e.g. 2023-04-21T23:59:00+09:00)")
        if not MIN_DATE <= value.date() <= MAX_DATE:
            raise reader.fail(key, f"must lie between {MIN_DATE} and {MAX_DATE}")
        return Moment(at=value.astimezone(tz), tz=tz)
    if isinstance(value, date):
        if not MIN_DATE <= value <= MAX_DATE:
            raise reader.fail(key, f"must lie between {MIN_DATE} and {MAX_DATE}")
        return Moment(day=value, tz=tz)
    raise reader.fail(key, "must be a date (2023-04-14) or a date-time with offset")


def _conditions(
    reader: _Reader, table: Mapping[str, Any], facts: Mapping[str, Fact], skip: set[str]
) -> tuple[Condition, ...]:
    conditions = []
    for key, value in table.items():
        if key in skip:
            continue
        fact = facts.get(key)
        if fact is None:
            raise reader.fail(key, "is not a known fact (see [[facts]])")
        if isinstance(value, bool):
            if fact.type != "bool":
                raise reader.fail(key, f"is a {fact.type} fact; true/false does not fit")
            conditions.append(Condition(key, flag=value))
        elif isinstance(value, list):
            if fact.type != "choice" or not all(v in fact.choices for v in value) or not value:
                raise reader.fail(key, f"must list some of {list(fact.choices) or 'its choices'}")
            conditions.append(Condition(key, values=tuple(value)))
        elif isinstance(value, dict) and set(value) == {"at_least"} and fact.type == "decimal":
            conditions.append(Condition(key, at_least=_Reader(value, reader.where).decimal("at_least")))
        else:
            raise reader.fail(key, "must be true/false, a list of choices or {at_least = \"N\"}")
    if not conditions:
        raise reader.fail("applies_if", "names no fact")
    return tuple(conditions)


def _prefixes(reader: _Reader) -> tuple[PrefixRange, ...]:
    ranges = []
    for spec in reader.str_list("prefixes"):
        low, _, high = spec.partition("-")
        high = high or low
        if not (low.isdigit() and high.isdigit() and len(low) == len(high) and int(low) <= int(high)):
            raise reader.fail("prefixes", f"'{spec}' is not a prefix or a range like '51-55'")
        ranges.append(PrefixRange(low, high))
    if not ranges:
        raise reader.fail("prefixes", "is missing")
    return tuple(ranges)


def parse_program(data: Mapping[str, Any]) -> Program:
    """Check the parsed file and build the typed program; raises ProgramError naming the field."""
    top = _Reader(data, "")
    if top.whole("schema") != 1:
        raise top.fail("schema", "must be 1 (this app reads version 1 files)")
    timezone = top.string("timezone")
    try:
        tz = ZoneInfo(timezone)
    except (KeyError, ValueError):
        raise top.fail("timezone", f"'{timezone}' is not a known time zone") from None

    facts = []
    for r in top.tables("facts"):
        kind = r.string("type")
        if kind not in ("choice", "bool", "decimal"):
            raise r.fail("type", "must be choice, bool or decimal")
        choices = r.str_list("choices")
        if (kind == "choice") != bool(choices):
            raise r.fail("choices", "belongs to choice facts, and only to them")
        labels = r.texts("choice_labels")
        if labels and len(labels) != len(choices):
            raise r.fail("choice_labels", "must have one label per choice")
        scope = r.string("scope", default="account")
        if scope not in ("owner", "account"):
            raise r.fail("scope", "must be owner or account")
        facts.append(Fact(r.string("id", pattern=_FACT_ID), kind, r.text("question"), choices,  # type: ignore[arg-type]
                          r.string("unit", default=""), labels, scope))  # type: ignore[arg-type]
    _unique(facts, "facts")
    fact_map = {f.id: f for f in facts}
    for n, r in enumerate(top.tables("facts")):
        if r.has("ask_if"):
            table = r.raw("ask_if")
            if not isinstance(table, dict) or not table:
                raise r.fail("ask_if", "must be a table of facts")
            if facts[n].id in table:
                raise r.fail("ask_if", "cannot name the fact itself")
            facts[n] = replace(facts[n], ask_if=_conditions(r, table, fact_map, set()))
    fact_map = {f.id: f for f in facts}
    if KIND_FACT not in fact_map:
        raise top.fail("facts", f"must declare the '{KIND_FACT}' fact")

    kinds = tuple(
        AccountKind(r.string("id", pattern=_ID), r.flag("transfers", False), r.text("label"), r.text("note"))
        for r in top.tables("account_kinds")
    )
    _unique(kinds, "account_kinds")
    if {k.id for k in kinds} != set(fact_map[KIND_FACT].choices):
        raise top.fail("account_kinds", "must match the choices of the 'kind' fact")

    sources = tuple(Source(r.string("id", pattern=_ID), r.text("label"), _url(r, "url"))
                    for r in top.tables("sources"))
    _unique(sources, "sources")
    source_ids = {s.id for s in sources}

    def source_of(r: _Reader) -> str:
        value = r.string("source", default=MAIN_SOURCE)
        if value not in source_ids:
            raise r.fail("source", f"'{value}' is not in [[sources]]")
        return value

    milestones = []
    for r in top.tables("milestones"):
        if r.has("at") == r.has("from_transfer_days"):
            raise r.fail("at", "is needed (or from_transfer_days), not both")
        moment = _moment(r, "at", tz) if r.has("at") else None
        days = r.whole("from_transfer_days") if r.has("from_transfer_days") else None
        if days is not None and days > MAX_TRANSFER_DAYS:
            raise r.fail("from_transfer_days", f"must be at most {MAX_TRANSFER_DAYS}")
        milestones.append(Milestone(r.string("id", pattern=_ID), r.text("label"), moment, days, source_of(r)))
    _unique(milestones, "milestones")
    milestone_ids = {m.id for m in milestones}

    def milestone_ref(r: _Reader, key: str) -> str | None:
        value = r.opt_str(key)
        if value is not None and value not in milestone_ids:
            raise r.fail(key, f"names unknown milestone '{value}'")
        return value

    contacts = tuple(
        Contact(r.string("id", pattern=_ID), r.text("name"), r.text("channel"), r.opt_str("email"), _url(r, "url"))
        for r in top.tables("contacts")
    )
    _unique(contacts, "contacts")
    items = []
    for r in top.tables("items"):
        kind = r.string("kind")
        if kind not in ("sid", "text-ja", "text-en", "email"):
            raise r.fail("kind", "must be sid, text-ja, text-en or email")
        items.append(Item(r.string("id", pattern=_ID), kind, r.text("label")))  # type: ignore[arg-type]
    _unique(items, "items")

    # Sets built once: every procedure is checked against them (once per procedure, they made loading quadratic).
    contact_ids = {c.id for c in contacts}
    mail_contacts = {c.id for c in contacts if c.email}
    known_items = {x.id for x in items}
    procedures = []
    for r in top.tables("procedures"):
        scope = r.string("scope")
        if scope not in ("owner", "account"):
            raise r.fail("scope", "must be owner or account")
        rules = []
        for rr in r.tables("applies_if"):
            conditions = _conditions(rr, rr.data, fact_map, {"reason"})
            # A reason may quote the facts its rule tests: they are the values it is filled with.
            rules.append(Rule(conditions, rr.text("reason", {c.fact for c in conditions})))
        if not rules:
            raise r.fail("applies_if", "needs at least one entry")
        steps: list[Step] = []
        earlier: set[str] = set()  # the ids of the steps before this one (a set: a long procedure stays linear)
        for sr in r.tables("steps"):
            after = sr.string("after_deadline", default="overdue")
            if after not in ("missed", "overdue"):
                raise sr.fail("after_deadline", "must be missed or overdue")
            only_if = sr.raw("only_if") if sr.has("only_if") else {}
            if not isinstance(only_if, dict):
                raise sr.fail("only_if", "must be a table of facts")
            skip_if = sr.raw("skip_if") if sr.has("skip_if") else {}
            if not isinstance(skip_if, dict):
                raise sr.fail("skip_if", "must be a table of facts")
            steps.append(Step(
                sr.string("id", pattern=_ID), sr.text("text"), milestone_ref(sr, "deadline"), after,  # type: ignore[arg-type]
                milestone_ref(sr, "from"), _conditions(sr, only_if, fact_map, set()) if only_if else (),
                sr.str_list("requires"), _conditions(sr, skip_if, fact_map, set()) if skip_if else (),
                sr.opt_str("instead"), milestone_ref(sr, "ends"),
                sr.text("when_ended") if sr.has("when_ended") else None,
            ))
            if steps[-1].instead is not None and steps[-1].deadline is None:
                raise sr.fail("instead", "needs a deadline (it takes over when the deadline passes)")
            if (steps[-1].ends is None) != (steps[-1].when_ended is None):
                raise sr.fail("ends", "and 'when_ended' go together (the day things change, and what is left then)")
            if steps[-1].ends is not None and steps[-1].deadline is not None:
                raise sr.fail("ends", "is for a step without a deadline (a deadline already ends it)")
            if missing := [x for x in steps[-1].requires if x not in earlier]:
                raise sr.fail("requires", f"names steps that do not come before it: {missing}")
            earlier.add(steps[-1].id)
        _unique(steps, f"{r.where}.steps")
        if not steps:
            raise r.fail("steps", "needs at least one step")
        for step in steps:
            if step.instead is not None and (step.instead == step.id or step.instead not in earlier):  # all ids now
                raise r.fail("steps", f"'{step.id}': 'instead' names no other step of this procedure")
        contact = r.string("contact")
        if contact not in contact_ids:
            raise r.fail("contact", f"names unknown contact '{contact}'")
        item_ids = r.str_list("items")
        if missing := [i for i in item_ids if i not in known_items]:
            raise r.fail("items", f"names unknown items {missing}")
        mail_to = r.opt_str("mail_to")
        if mail_to is not None and mail_to not in mail_contacts:
            raise r.fail("mail_to", f"'{mail_to}' is not a contact with an email")
        missed = r.table("when_missed") if r.has("when_missed") else None
        conflicts = []
        for cr in r.tables("conflicts"):
            newer = cr.string("newer")
            if newer not in (source_of(cr), source_of(r)):
                raise cr.fail("newer", "must be the procedure's source or this entry's")
            conflicts.append(Conflict(source_of(cr), cr.text("says"), newer))
        notes = []
        for nr in r.tables("notes"):
            day = milestone_ref(nr, "day")
            if_facts = nr.raw("if_facts") if nr.has("if_facts") else {}
            if not isinstance(if_facts, dict):
                raise nr.fail("if_facts", "must be a table of facts")
            notes.append(Note(
                nr.string("id", pattern=_ID), nr.text("text", {"day"} if day else ()), nr.str_list("if_done"),
                nr.str_list("unless_done"), _conditions(nr, if_facts, fact_map, set()) if if_facts else (), day,
                nr.flag("warning", False), source_of(nr),
            ))
        _unique(notes, f"{r.where}.notes")
        procedures.append(Procedure(
            r.string("id", pattern=_ID), scope, r.text("title"), r.text("summary"), tuple(rules),  # type: ignore[arg-type]
            tuple(steps), contact, r.texts("facts"), item_ids, mail_to, r.str_list("after"), source_of(r),
            tuple(Entry(a.string("id", pattern=_ID), a.text("text")) for a in r.tables("acknowledgements")),
            missed.text("text") if missed else None, source_of(missed) if missed else MAIN_SOURCE, tuple(conflicts),
            tuple(notes),
        ))
    _unique(procedures, "procedures")
    procedure_ids = {q.id for q in procedures}
    step_keys = {f"{q.id}/{s.id}" for q in procedures for s in q.steps} | procedure_ids
    for p in procedures:
        if missing := [a for a in p.after if a not in procedure_ids]:
            raise ProgramError(f"procedures '{p.id}': field 'after' names unknown procedures {missing}")
        for note in p.notes:
            if unknown := [k for k in (*note.if_done, *note.unless_done) if k not in step_keys]:
                raise ProgramError(f"procedures '{p.id}'.notes '{note.id}': field 'if_done' names unknown "
                                   f"procedures or steps {unknown}")

    brands = []
    for r in top.tables("card_brands"):
        lengths = r.raw("lengths")
        if not isinstance(lengths, list) or not all(isinstance(n, int) and 12 <= n <= 19 for n in lengths):
            raise r.fail("lengths", "must list card lengths between 12 and 19")
        brands.append(CardBrand(r.string("id", pattern=_ID), r.text("name"), _prefixes(r), tuple(lengths),
                                r.flag("luhn", True), milestone_ref(r, "accepted_from")))
    _unique(brands, "card_brands")

    paypal = top.table("paypal_invoice") if top.has("paypal_invoice") else None
    bundles = top.table("bundles")
    documents = tuple(Entry(r.string("id", pattern=_ID), r.text("text")) for r in bundles.tables("documents"))
    _unique(documents, "bundles.documents")
    unchanged = tuple(Entry(r.string("id", pattern=_ID), r.text("text")) for r in top.tables("unchanged"))
    changed = tuple(Entry(r.string("id", pattern=_ID), r.text("text")) for r in top.tables("changed"))
    _unique(unchanged, "unchanged")
    _unique(changed, "changed")
    sections = tuple(FaqSection(r.string("id", pattern=_ID), r.text("title")) for r in top.tables("faq_sections"))
    _unique(sections, "faq_sections")
    faq = []
    section_ids = {s.id for s in sections}
    for r in top.tables("faq"):
        section = r.string("section")
        if section not in section_ids:
            raise r.fail("section", f"names unknown section '{section}'")
        faq.append(FaqEntry(r.string("id", pattern=_ID), section, r.text("q"), r.text("a"), r.str_list("see")))
    _unique(faq, "faq")
    targets = {"faq": {f.id for f in faq}, "page": {"consent", "billing", "payment", "bundles"},
               "source": {s.id for s in sources if s.url}, "contact": {c.id for c in contacts if c.url}}
    for entry, r in zip(faq, top.tables("faq"), strict=True):
        for reference in entry.see:
            kind, _, name = reference.partition(":")
            if kind == "https":
                _url(_Reader({"see": reference}, r.where), "see")
            elif name not in targets.get(kind, set()):
                raise r.fail("see", f"'{reference}' leads nowhere (faq:, page:, source: or contact: with an "
                                    "address, or https://…)")
    if not faq:
        raise top.fail("faq", "is missing")

    transfer = top.string("transfer_milestone")
    if transfer not in milestone_ids or next(m for m in milestones if m.id == transfer).moment is None:
        raise top.fail("transfer_milestone", f"'{transfer}' is not a fixed milestone")

    usable = bundles.string("usable_until")
    if usable not in milestone_ids or next(m for m in milestones if m.id == usable).from_transfer_days is None:
        raise bundles.fail("usable_until", f"'{usable}' is not a milestone relative to the transfer")
    docs_source = bundles.string("documents_source", default=MAIN_SOURCE)
    if docs_source not in source_ids:
        raise bundles.fail("documents_source", f"'{docs_source}' is not in [[sources]]")

    pages = _pages(top, {p.id: p for p in procedures}, fact_map)
    if pages.payment is not None and pages.payment.amount_fact is not None and paypal is None:
        raise top.fail("paypal_invoice", "is needed when [pages.payment] asks for an amount")

    def optional_text(key: str, allowed: set[str]) -> Text | None:
        if not top.has(key):
            return None
        return top.text(key, allowed)

    return Program(
        id=_program_id(top), title=top.text("title"), source=top.text("source"), timezone=timezone,
        inquiry_marker=top.string("inquiry_marker"), transfer_milestone=transfer, facts=tuple(facts),
        account_kinds=kinds, milestones=tuple(milestones), sources=sources, contacts=contacts,
        items=tuple(items), procedures=tuple(procedures), card_brands=tuple(brands),
        paypal_invoice_threshold_usd=paypal.decimal("threshold_usd") if paypal else None,
        paypal_invoice_year=paypal.whole("year") if paypal else None,
        bundle_usable_milestone=usable, bundle_documents=documents,
        bundle_documents_source=docs_source, unchanged=unchanged, changed=changed,
        faq_sections=sections, faq=tuple(faq), version=top.string("version", default="-"),
        zone_label=top.text("zone_label") if top.has("zone_label") else Text(timezone, timezone), pages=pages,
        mail_greeting=optional_text("mail_greeting", set()), mail_intro=optional_text("mail_intro", {"procedure"}),
        inquiry_rule=optional_text("inquiry_rule", {"marker"}), source_url=_url(top, "source_url"),
        detection=_detection(top, {k.id for k in kinds}, fact_map),
    )


def _detection(top: _Reader, kinds: set[str], facts: Mapping[str, Fact]) -> DetectionSpec:
    if not top.has("detection"):
        return DetectionSpec()
    r = top.table("detection")
    mapping = r.raw("kinds") if r.has("kinds") else {}
    if not isinstance(mapping, dict) or not set(mapping) <= {"closed", "suspended", "trial", "active"} \
            or not all(isinstance(v, str) and v in kinds for v in mapping.values()):
        raise r.fail("kinds", "must map closed/suspended/trial/active to account kinds")

    def bool_fact(key: str) -> str | None:
        name = r.opt_str(key)
        if name is not None and (name not in facts or facts[name].type != "bool"):
            raise r.fail(key, f"'{name}' is not a bool fact")
        return name

    return DetectionSpec(dict(mapping), bool_fact("ported_toll_free"), bool_fact("has_bundles"),
                         r.text("not_readable") if r.has("not_readable") else None)


def _url(reader: _Reader, key: str) -> str | None:
    """An https address (the only kind the app opens), or None when the entry has none."""
    value = reader.opt_str(key)
    if value is not None and not re.fullmatch(r"https://[^\s]+", value):
        raise reader.fail(key, f"'{value[:60]}' is not an https address")
    return value


def _pages(top: _Reader, procedures: Mapping[str, Procedure], facts: Mapping[str, Fact]) -> Pages:
    """The [pages.*] tables: each names procedures, steps and facts that must exist and fit."""
    if not top.has("pages"):
        return Pages()
    pages = top.table("pages")
    unknown = set(pages.data) - {"consent", "billing", "payment", "bundles"}
    if unknown:
        raise pages.fail(sorted(unknown)[0], "is not a page (consent, billing, payment, bundles)")

    def procedure(r: _Reader, key: str, value: str | None = None) -> str:
        name = value if value is not None else r.string(key)
        if name not in procedures:
            raise r.fail(key, f"names unknown procedure '{name}'")
        return name

    def procedure_list(r: _Reader, key: str, within: Sequence[str] | None = None) -> tuple[str, ...]:
        names = tuple(procedure(r, key, n) for n in r.str_list(key))
        if within is not None and (outside := [n for n in names if n not in within]):
            raise r.fail(key, f"names procedures not in 'procedures': {outside}")
        return names

    def fact(r: _Reader, key: str, kind: str) -> str | None:
        name = r.opt_str(key)
        if name is not None and (name not in facts or facts[name].type != kind):
            raise r.fail(key, f"'{name}' is not a {kind} fact")
        return name

    consent = billing = payment = bundles = None
    if pages.has("consent"):
        r = pages.table("consent")
        name = procedure(r, "procedure")
        step = r.string("submitted_step")
        if step not in {s.id for s in procedures[name].steps}:
            raise r.fail("submitted_step", f"'{step}' is not a step of '{name}'")
        if procedures[name].scope != "owner":
            raise r.fail("procedure", f"'{name}' must be an owner-scope procedure")
        consent = ConsentSpec(name, step)
    if pages.has("billing"):
        r = pages.table("billing")
        names = procedure_list(r, "procedures")
        if not names or any(not procedures[n].items for n in names):
            raise r.fail("procedures", "must name procedures that list items")
        billing = BillingSpec(names)
    if pages.has("payment"):
        r = pages.table("payment")
        names = procedure_list(r, "procedures")
        if not names:
            raise r.fail("procedures", "is missing")
        payment = PaymentSpec(names, procedure_list(r, "notes", names), procedure_list(r, "warnings", names),
                              fact(r, "amount_fact", "decimal"))
    if pages.has("bundles"):
        r = pages.table("bundles")
        bundles = BundlesSpec(procedure(r, "procedure"), fact(r, "flag_fact", "bool"))
    return Pages(consent, billing, payment, bundles)
