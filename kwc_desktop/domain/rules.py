"""Which procedures apply to an account, and why: the program's `applies_if` rules, evaluated."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from kwc_desktop.domain.formatting import format_amount
from kwc_desktop.domain.program import KIND_FACT, Fact, FactValue, Procedure, Program
from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.text import Lang, Text, fill


@record
class Reason:
    """Why a procedure applies: the rule's text, with the facts it quotes."""

    text: Text
    values: Mapping[str, FactValue] = field(default_factory=dict)

    def render(self, lang: Lang) -> str:
        shown = {
            k: format_amount(v, lang) if isinstance(v, Decimal) else v for k, v in self.values.items()
        }
        return fill(self.text(lang), shown)


def asked(fact: Fact, facts: Mapping[str, FactValue]) -> bool:
    """Whether the question is asked given the other answers (its `ask_if` holds)."""
    return all(c.holds(facts.get(c.fact)) for c in fact.ask_if)


def effective_facts(program: Program, facts: Mapping[str, FactValue]) -> dict[str, FactValue]:
    """The answers that count: one to a question that is not asked (any more) is kept by the caller but
    left out here, and so is what only held because of it."""
    current = dict(facts)
    while True:
        dropped = [f.id for f in program.facts if f.id in current and f.ask_if and not asked(f, current)]
        if not dropped:
            return current
        for key in dropped:
            del current[key]


def reasons_for(procedure: Procedure, facts: Mapping[str, FactValue], program: Program) -> tuple[Reason, ...]:
    """The reasons `procedure` applies to an account with these facts; empty when it does not."""
    kind = facts.get(KIND_FACT)
    if not isinstance(kind, str) or not program.kind(kind).transfers:
        return ()
    return tuple(
        Reason(rule.reason, {c.fact: facts.get(c.fact) for c in rule.conditions})
        for rule in procedure.rules
        if rule.holds(facts)
    )


def open_questions(facts: Mapping[str, FactValue], program: Program) -> tuple[str, ...]:
    """Facts still unanswered that could make another procedure apply (ids, in program order)."""
    kind = facts.get(KIND_FACT)
    if not isinstance(kind, str) or not program.kind(kind).transfers:
        return ()
    wanted: set[str] = set()
    for procedure in program.procedures:
        for rule in procedure.rules:
            unknown = {c.fact for c in rule.conditions if facts.get(c.fact) is None}
            known_hold = all(c.holds(facts.get(c.fact)) for c in rule.conditions if c.fact not in unknown)
            if unknown and known_hold:
                wanted |= unknown
    return tuple(f.id for f in program.facts if f.id in wanted and asked(f, facts))
