"""The migration program's loader: the parsed TOML file checked, entry by entry, and built into the typed
Program (kwc_desktop/domain/program.py). Every complaint is a ProgramError naming the entry and the field."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from kwc_desktop.domain.limits import MAX_AMOUNT, MAX_DATE, MIN_DATE
from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.program import (
    KIND_FACT,
    MAIN_SOURCE,
    MAX_TRANSFER_DAYS,
    AccountKind,
    BillingSpec,
    BundlesSpec,
    CardBrand,
    Condition,
    Conflict,
    ConsentSpec,
    Contact,
    DetectionSpec,
    Entry,
    Fact,
    FaqEntry,
    FaqSection,
    Item,
    Milestone,
    Moment,
    Note,
    Pages,
    PaymentSpec,
    PrefixRange,
    Procedure,
    Program,
    ProgramError,
    Rule,
    Source,
    Step,
)
from kwc_desktop.domain.reader import Reader, Said
from kwc_desktop.domain.records import replace
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

_ID = Pattern(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FACT_ID = Pattern(r"^[a-z0-9]+(_[a-z0-9]+)*$")

__all__ = ["ProgramError", "ProgramReader", "parse_program"]


class ProgramReader(Reader):
    """Reads one table of the program file; every complaint names where it is (`procedures[2] 'hq-sms'`)."""

    error = ProgramError

    def fail(self, key: str, problem: str) -> ProgramError:
        return ProgramError(self.where, Said(f"field '{key}' {problem}"))

    def inner(self, data: Mapping[str, Any], where: str) -> ProgramReader:
        return ProgramReader(data, where)  # strict, "."-separated: nothing else to carry

    def table(self, key: str) -> ProgramReader:
        """A table inside this one; its complaints name it with a trailing dot (`pages.bundles.: field …`), as the
        program file's tests and docs quote them."""
        inner = super().table(key)
        inner.where += "."
        return inner

    def tables(self, key: str, label: Any = None) -> list[ProgramReader]:
        """The entries of `key`, each named by its id where it has one (`procedures[2] 'hq-sms'`)."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "must be a list of tables ([[...]])")
        at = self.place(key)
        return [ProgramReader(table, f"{at}[{n}]{(label or _label)(table)}") for n, table in enumerate(value)]

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


def _label(table: Mapping[str, Any]) -> str:
    """How a complaint names an entry beside its place: its id, cut short and escaped (`procedures[2] 'hq-sms'`)."""
    return f" '{_cut(printable(table['id'], keep=''))}'" if isinstance(table.get("id"), str) else ""


class _Known:
    """What the entries read so far declare, for the entries after them to name: facts, sources, milestones."""

    def __init__(self, facts: Mapping[str, Fact]) -> None:
        self.facts = facts
        self.sources: set[str] = set()
        self.milestones: set[str] = set()

    def source_of(self, r: ProgramReader) -> str:
        value = r.string("source", default=MAIN_SOURCE)
        if value not in self.sources:
            raise r.fail("source", f"'{value}' is not in [[sources]]")
        return value

    def milestone_ref(self, r: ProgramReader, key: str) -> str | None:
        value = r.opt_str(key)
        if value is not None and value not in self.milestones:
            raise r.fail(key, f"names unknown milestone '{value}'")
        return value


def parse_program(data: Mapping[str, Any]) -> Program:
    """Check the parsed file and build the typed program; raises ProgramError naming the field."""
    top = ProgramReader(data)
    if top.whole("schema") != 1:
        raise top.fail("schema", "must be 1 (this app reads version 1 files)")
    timezone = top.string("timezone")
    try:
        tz = ZoneInfo(timezone)
    except (KeyError, ValueError):
        raise top.fail("timezone", f"'{timezone}' is not a known time zone") from None
    facts = _facts(top)
    known = _Known({f.id: f for f in facts})
    kinds = _account_kinds(top, known)
    sources = tuple(Source(r.string("id", pattern=_ID), r.text("label"), _url(r, "url"))
                    for r in top.tables("sources"))
    _unique(sources, "sources")
    known.sources = {s.id for s in sources}
    milestones = _milestones(top, known, tz)
    contacts = tuple(
        Contact(r.string("id", pattern=_ID), r.text("name"), r.text("channel"), r.opt_str("email"), _url(r, "url"))
        for r in top.tables("contacts")
    )
    _unique(contacts, "contacts")
    items = _items(top)
    procedures = _procedures(top, known, contacts, items)
    brands = []
    for r in top.tables("card_brands"):
        lengths = r.raw("lengths")
        if not isinstance(lengths, list) or not all(isinstance(n, int) and 12 <= n <= 19 for n in lengths):
            raise r.fail("lengths", "must list card lengths between 12 and 19")
        brands.append(CardBrand(r.string("id", pattern=_ID), r.text("name"), _prefixes(r), tuple(lengths),
                                r.flag("luhn", True), known.milestone_ref(r, "accepted_from")))
    _unique(brands, "card_brands")
    paypal = top.table("paypal_invoice") if top.has("paypal_invoice") else None
    unchanged, changed = _entries(top, "unchanged"), _entries(top, "changed")
    sections, faq = _faq(top, sources, contacts)
    transfer = top.string("transfer_milestone")
    if transfer not in known.milestones or next(m for m in milestones if m.id == transfer).moment is None:
        raise top.fail("transfer_milestone", f"'{transfer}' is not a fixed milestone")
    bundles = top.table("bundles")
    documents = _entries(bundles, "documents", "bundles.documents")
    usable = bundles.string("usable_until")
    if usable not in known.milestones or next(m for m in milestones if m.id == usable).from_transfer_days is None:
        raise bundles.fail("usable_until", f"'{usable}' is not a milestone relative to the transfer")
    docs_source = bundles.string("documents_source", default=MAIN_SOURCE)
    if docs_source not in known.sources:
        raise bundles.fail("documents_source", f"'{docs_source}' is not in [[sources]]")
    pages = _pages(top, {p.id: p for p in procedures}, known.facts)
    if pages.payment is not None and pages.payment.amount_fact is not None and paypal is None:
        raise top.fail("paypal_invoice", "is needed when [pages.payment] asks for an amount")
    return Program(
        id=_program_id(top), title=top.text("title"), source=top.text("source"), timezone=timezone,
        inquiry_marker=top.string("inquiry_marker"), transfer_milestone=transfer, facts=tuple(known.facts.values()),
        account_kinds=kinds, milestones=milestones, sources=sources, contacts=contacts,
        items=items, procedures=procedures, card_brands=tuple(brands),
        paypal_invoice_threshold_usd=paypal.decimal("threshold_usd") if paypal else None,
        paypal_invoice_year=paypal.whole("year") if paypal else None,
        bundle_usable_milestone=usable, bundle_documents=documents,
        bundle_documents_source=docs_source, unchanged=unchanged, changed=changed,
        faq_sections=sections, faq=faq, version=top.string("version", default="-"),
        zone_label=top.text("zone_label") if top.has("zone_label") else Text(timezone, timezone), pages=pages,
        mail_greeting=_optional_text(top, "mail_greeting", set()),
        mail_intro=_optional_text(top, "mail_intro", {"procedure"}),
        inquiry_rule=_optional_text(top, "inquiry_rule", {"marker"}), source_url=_url(top, "source_url"),
        detection=_detection(top, {k.id for k in kinds}, known.facts),
    )


def _optional_text(top: ProgramReader, key: str, allowed: set[str]) -> Text | None:
    return top.text(key, allowed) if top.has(key) else None


def _facts(top: ProgramReader) -> list[Fact]:
    """The [[facts]]: first each on its own, then their `ask_if` (which may name any of them)."""
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
    if KIND_FACT not in fact_map:
        raise top.fail("facts", f"must declare the '{KIND_FACT}' fact")
    return facts


def _account_kinds(top: ProgramReader, known: _Known) -> tuple[AccountKind, ...]:
    kinds = tuple(
        AccountKind(r.string("id", pattern=_ID), r.flag("transfers", False), r.text("label"), r.text("note"))
        for r in top.tables("account_kinds")
    )
    _unique(kinds, "account_kinds")
    if {k.id for k in kinds} != set(known.facts[KIND_FACT].choices):
        raise top.fail("account_kinds", "must match the choices of the 'kind' fact")
    return kinds


def _milestones(top: ProgramReader, known: _Known, tz: tzinfo) -> tuple[Milestone, ...]:
    milestones = []
    for r in top.tables("milestones"):
        if r.has("at") == r.has("from_transfer_days"):
            raise r.fail("at", "is needed (or from_transfer_days), not both")
        moment = _moment(r, "at", tz) if r.has("at") else None
        days = r.whole("from_transfer_days") if r.has("from_transfer_days") else None
        if days is not None and days > MAX_TRANSFER_DAYS:
            raise r.fail("from_transfer_days", f"must be at most {MAX_TRANSFER_DAYS}")
        milestones.append(Milestone(r.string("id", pattern=_ID), r.text("label"), moment, days, known.source_of(r)))
    _unique(milestones, "milestones")
    known.milestones = {m.id for m in milestones}
    return tuple(milestones)


def _items(top: ProgramReader) -> tuple[Item, ...]:
    items = []
    for r in top.tables("items"):
        kind = r.string("kind")
        if kind not in ("sid", "text-ja", "text-en", "email"):
            raise r.fail("kind", "must be sid, text-ja, text-en or email")
        items.append(Item(r.string("id", pattern=_ID), kind, r.text("label")))  # type: ignore[arg-type]
    _unique(items, "items")
    return tuple(items)


def _entries(r: ProgramReader, key: str, what: str | None = None) -> tuple[Entry, ...]:
    entries = tuple(Entry(e.string("id", pattern=_ID), e.text("text")) for e in r.tables(key))
    _unique(entries, what or key)
    return entries


def _procedures(top: ProgramReader, known: _Known, contacts: Sequence[Contact],
                items: Sequence[Item]) -> tuple[Procedure, ...]:
    """The [[procedures]], each checked against the contacts and items (sets built once: checking every procedure
    against the lists made loading quadratic), then their `after` and notes against each other."""
    contact_ids = {c.id for c in contacts}
    mail_contacts = {c.id for c in contacts if c.email}
    known_items = {x.id for x in items}
    procedures = tuple(_procedure(r, known, contact_ids, mail_contacts, known_items) for r in top.tables("procedures"))
    _unique(procedures, "procedures")
    procedure_ids = {q.id for q in procedures}
    step_keys = {f"{q.id}/{s.id}" for q in procedures for s in q.steps} | procedure_ids
    for p in procedures:
        if missing := [a for a in p.after if a not in procedure_ids]:
            raise ProgramError(f"procedures '{p.id}'", Said(f"field 'after' names unknown procedures {missing}"))
        for note in p.notes:
            if unknown := [k for k in (*note.if_done, *note.unless_done) if k not in step_keys]:
                raise ProgramError(f"procedures '{p.id}'.notes '{note.id}'",
                                   Said(f"field 'if_done' names unknown procedures or steps {unknown}"))
    return procedures


def _procedure(r: ProgramReader, known: _Known, contact_ids: set[str], mail_contacts: set[str],
               known_items: set[str]) -> Procedure:
    scope = r.string("scope")
    if scope not in ("owner", "account"):
        raise r.fail("scope", "must be owner or account")
    rules = []
    for rr in r.tables("applies_if"):
        conditions = _conditions(rr, rr.data, known.facts, {"reason"})
        # A reason may quote the facts its rule tests: they are the values it is filled with.
        rules.append(Rule(conditions, rr.text("reason", {c.fact for c in conditions})))
    if not rules:
        raise r.fail("applies_if", "needs at least one entry")
    steps = _steps(r, known)
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
        if newer not in (known.source_of(cr), known.source_of(r)):
            raise cr.fail("newer", "must be the procedure's source or this entry's")
        conflicts.append(Conflict(known.source_of(cr), cr.text("says"), newer))
    return Procedure(
        r.string("id", pattern=_ID), scope, r.text("title"), r.text("summary"), tuple(rules),  # type: ignore[arg-type]
        steps, contact, r.texts("facts"), item_ids, mail_to, r.str_list("after"), known.source_of(r),
        tuple(Entry(a.string("id", pattern=_ID), a.text("text")) for a in r.tables("acknowledgements")),
        missed.text("text") if missed else None, known.source_of(missed) if missed else MAIN_SOURCE,
        tuple(conflicts), _notes(r, known),
    )


def _fact_table(r: ProgramReader, key: str, known: _Known) -> tuple[Condition, ...]:
    """An optional table of facts (`only_if`, `skip_if`, `if_facts`) as conditions; () when there is none."""
    table = r.raw(key) if r.has(key) else {}
    if not isinstance(table, dict):
        raise r.fail(key, "must be a table of facts")
    return _conditions(r, table, known.facts, set()) if table else ()


def _steps(r: ProgramReader, known: _Known) -> tuple[Step, ...]:
    steps: list[Step] = []
    earlier: set[str] = set()  # the ids of the steps before this one (a set: a long procedure stays linear)
    for sr in r.tables("steps"):
        after = sr.string("after_deadline", default="overdue")
        if after not in ("missed", "overdue"):
            raise sr.fail("after_deadline", "must be missed or overdue")
        only_if, skip_if = _fact_table(sr, "only_if", known), _fact_table(sr, "skip_if", known)
        step = Step(
            sr.string("id", pattern=_ID), sr.text("text"), known.milestone_ref(sr, "deadline"), after,  # type: ignore[arg-type]
            known.milestone_ref(sr, "from"), only_if, sr.str_list("requires"), skip_if,
            sr.opt_str("instead"), known.milestone_ref(sr, "ends"),
            sr.text("when_ended") if sr.has("when_ended") else None, sr.flag("optional", False),
        )
        if step.instead is not None and step.deadline is None:
            raise sr.fail("instead", "needs a deadline (it takes over when the deadline passes)")
        if (step.ends is None) != (step.when_ended is None):
            raise sr.fail("ends", "and 'when_ended' go together (the day things change, and what is left then)")
        if step.ends is not None and step.deadline is not None:
            raise sr.fail("ends", "is for a step without a deadline (a deadline already ends it)")
        if missing := [x for x in step.requires if x not in earlier]:
            raise sr.fail("requires", f"names steps that do not come before it: {missing}")
        steps.append(step)
        earlier.add(step.id)
    _unique(steps, f"{r.where}.steps")
    if not steps:
        raise r.fail("steps", "needs at least one step")
    for step in steps:
        if step.instead is not None and (step.instead == step.id or step.instead not in earlier):  # all ids now
            raise r.fail("steps", f"'{step.id}': 'instead' names no other step of this procedure")
    return tuple(steps)


def _notes(r: ProgramReader, known: _Known) -> tuple[Note, ...]:
    notes = []
    for nr in r.tables("notes"):
        day = known.milestone_ref(nr, "day")
        if_facts = _fact_table(nr, "if_facts", known)
        notes.append(Note(
            nr.string("id", pattern=_ID), nr.text("text", {"day"} if day else ()), nr.str_list("if_done"),
            nr.str_list("unless_done"), if_facts, day, nr.flag("warning", False), known.source_of(nr),
        ))
    _unique(notes, f"{r.where}.notes")
    return tuple(notes)


def _faq(top: ProgramReader, sources: Sequence[Source],
         contacts: Sequence[Contact]) -> tuple[tuple[FaqSection, ...], tuple[FaqEntry, ...]]:
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
                _url(r.inner({"see": reference}, r.where), "see")
            elif name not in targets.get(kind, set()):
                raise r.fail("see", f"'{reference}' leads nowhere (faq:, page:, source: or contact: with an "
                                    "address, or https://…)")
    if not faq:
        raise top.fail("faq", "is missing")
    return sections, tuple(faq)


def _cut(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _unique(readers: Sequence[Any], what: str) -> None:
    seen: set[str] = set()
    for item in readers:
        if item.id in seen:
            raise ProgramError(what, Said(f"id '{item.id}' appears twice"))
        seen.add(item.id)


MAX_PROGRAM_ID = 64


def _program_id(top: ProgramReader) -> str:
    """The program's id, which every saved progress file records: a lowercase id, short, and not shaped like
    a SID (the progress file refuses anything that is, and could then never be saved)."""
    value = top.string("id", pattern=_ID)
    if len(value) > MAX_PROGRAM_ID:
        raise top.fail("id", f"is longer than {MAX_PROGRAM_ID} characters")
    if looks_like_secret(value):
        raise top.fail("id", "looks like a SID or token")
    return value


def _moment(reader: ProgramReader, key: str, tz: tzinfo) -> Moment:
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
    reader: ProgramReader, table: Mapping[str, Any], facts: Mapping[str, Fact], skip: set[str]
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
            conditions.append(Condition(key, at_least=reader.inner(value, reader.where).decimal("at_least")))
        else:
            raise reader.fail(key, "must be true/false, a list of choices or {at_least = \"N\"}")
    if not conditions:
        raise reader.fail("applies_if", "names no fact")
    return tuple(conditions)


def _prefixes(reader: ProgramReader) -> tuple[PrefixRange, ...]:
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


def _detection(top: ProgramReader, kinds: set[str], facts: Mapping[str, Fact]) -> DetectionSpec:
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


def _url(reader: ProgramReader, key: str) -> str | None:
    """An https address (the only kind the app opens), or None when the entry has none."""
    value = reader.opt_str(key)
    if value is not None and not re.fullmatch(r"https://[^\s]+", value):
        raise reader.fail(key, f"'{value[:60]}' is not an https address")
    return value


def _pages(top: ProgramReader, procedures: Mapping[str, Procedure], facts: Mapping[str, Fact]) -> Pages:
    """The [pages.*] tables: each names procedures, steps and facts that must exist and fit."""
    if not top.has("pages"):
        return Pages()
    pages = top.table("pages")
    unknown = set(pages.data) - {"consent", "billing", "payment", "bundles"}
    if unknown:
        raise pages.fail(sorted(unknown)[0], "is not a page (consent, billing, payment, bundles)")

    def procedure(r: ProgramReader, key: str, value: str | None = None) -> str:
        name = value if value is not None else r.string(key)
        if name not in procedures:
            raise r.fail(key, f"names unknown procedure '{name}'")
        return name

    def procedure_list(r: ProgramReader, key: str, within: Sequence[str] | None = None) -> tuple[str, ...]:
        names = tuple(procedure(r, key, n) for n in r.str_list(key))
        if within is not None and (outside := [n for n in names if n not in within]):
            raise r.fail(key, f"names procedures not in 'procedures': {outside}")
        return names

    def fact(r: ProgramReader, key: str, kind: str) -> str | None:
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
