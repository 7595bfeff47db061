"""What's next at a glance: one row per procedure and account (per owner for an owner's procedures) with
its next step, that step's deadline, the days left and the state — sorted by date, filterable, and the
one thing to do next (or, once every deadline has passed, what can still be done). Read from a plan; no Qt,
no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kwc_desktop.domain.checklist import (
    Plan,
    ProcedureStatus,
    State,
    StepStatus,
    all_deadlines_passed,
    last_date,
    what_now,
)
from kwc_desktop.domain.formatting import format_moment
from kwc_desktop.domain.program import MAIN_SOURCE, Moment, Procedure
from kwc_desktop.domain.records import record
from kwc_desktop.domain.text import Lang, Text, messages

# The filters a user picks from, by the states they show.
FILTERS: dict[str, frozenset[State]] = {
    "open": frozenset({State.DUE, State.NOT_YET, State.OVERDUE}),
    "due": frozenset({State.DUE, State.NOT_YET}),
    "overdue": frozenset({State.OVERDUE}),
    "missed": frozenset({State.MISSED}),
    "done": frozenset({State.DONE, State.CLOSED}),
    "all": frozenset(State),
}
_URGENCY = [State.OVERDUE, State.DUE, State.NOT_YET, State.MISSED, State.DONE, State.CLOSED]
_DOABLE = (State.NOT_YET, State.DUE, State.OVERDUE)


@record
class Row:
    owner: str  # the owner's email address
    accounts: tuple[str, ...]  # the account it is for (one), or all of an owner's accounts it covers
    procedure: Procedure
    step: StepStatus  # the next step: the first that can still be done, else the one that decided the state
    state: State  # the procedure's
    deadline: Moment | None  # the next step's
    days_left: int | None  # calendar days from the plan's moment to the deadline's day (negative: passed)

    @property
    def owner_scope(self) -> bool:
        return self.procedure.scope == "owner"


def _next_step(status: ProcedureStatus) -> StepStatus:
    doable = [s for s in status.steps if s.state in _DOABLE]
    if doable:
        dated = [s for s in doable if s.deadline is not None]
        return min(dated, key=lambda s: s.deadline.ends()) if dated else doable[0]  # type: ignore[union-attr]
    missed = [s for s in status.steps if s.state is State.MISSED]
    return missed[0] if missed else status.steps[-1]


def _days_left(deadline: Moment | None, now: datetime) -> int | None:
    if deadline is None:
        return None
    return (deadline.local_date() - now.astimezone(deadline.tz).date()).days


def rows(plan: Plan) -> list[Row]:
    """Every procedure of the plan as rows: per account, or once per owner for the owner's own
    procedures. Sorted by the next deadline (none last), then the most urgent state, owner, account."""
    found: list[Row] = []
    for owner in plan.owners:
        email = owner.owner.email
        for status in owner.procedures:
            if status.steps:
                found.append(_row(email, status.accounts, status, plan.as_of))
        for account in owner.accounts:
            for status in account.procedures:
                if status.steps:
                    found.append(_row(email, (account.account.label,), status, plan.as_of))
    return sorted(found, key=_order)


def _row(email: str, accounts: tuple[str, ...], status: ProcedureStatus, now: datetime) -> Row:
    step = _next_step(status)
    deadline = step.deadline if step.state in _DOABLE else (step.deadline if step.state is State.MISSED else None)
    return Row(email, accounts, status.procedure, step, status.state, deadline, _days_left(deadline, now))


def _order(row: Row) -> tuple[int, float, int, str, tuple[str, ...]]:
    return (0 if row.deadline is not None else 1, row.deadline.ends().timestamp() if row.deadline else 0.0,
            _URGENCY.index(row.state), row.owner, row.accounts)


def filtered(found: Iterable[Row], name: str) -> list[Row]:
    states = FILTERS[name]
    return [r for r in found if r.state in states]


def do_next(found: Iterable[Row]) -> Row | None:
    """The one thing to do next: the most urgent row that can still be done — overdue first, then the
    earliest deadline still ahead, then anything due with no deadline; a step only for who wants it (a new
    Bundle) only when nothing else is left."""
    candidates = [r for r in found if r.state in (State.OVERDUE, State.DUE)]
    candidates = [r for r in candidates if not r.step.step.optional] or candidates
    overdue = [r for r in candidates if r.state is State.OVERDUE]
    if overdue:
        return overdue[0]
    dated = [r for r in candidates if r.deadline is not None]
    return dated[0] if dated else (candidates[0] if candidates else None)


def next_deadline_of(found: Iterable[Row], label: str) -> Row | None:
    """An account's next open deadline (its own procedures and its owner's)."""
    return next((r for r in found if label in r.accounts and r.state in _DOABLE and r.deadline is not None), None)


@record
class StillPossible:
    """After every deadline: what one late or missed procedure means now and what can still be done, in the
    program's words (its what-now text, or the late step itself when the program gives none)."""

    procedure: Procedure
    accounts: tuple[str, ...]  # the accounts it concerns, as the rows name them
    text: Text
    source: str  # the id of the text's source


@record
class AllPassed:
    """Every deadline of the program has passed: no step is "next" any more (one years late is not an
    errand); instead, what can still be done."""

    last: Moment  # the program's last date
    still: tuple[StillPossible, ...]  # per late or missed procedure, in the plan's order
    undated: int  # steps with no deadline that can still be done (they are in the rows)

    def lines(self, lang: Lang) -> list[str]:
        """The overview's first words: that every deadline has passed, then what each late or missed procedure
        means now and what can still be done (the program's texts name their sources themselves)."""
        m = messages()
        lines = [m("cli.all_passed_on", lang, last=format_moment(self.last, lang))]
        if not self.still and not self.undated:
            return [*lines, m("cli.nothing_left", lang)]
        lines.append(m("cli.still_possible", lang))
        lines += [m("cli.still_item", lang, title=item.procedure.title(lang), accounts=", ".join(item.accounts),
                    text=item.text(lang)) for item in self.still]
        if self.undated:
            lines.append(m("cli.still_undated", lang, count=self.undated))
        return lines


def headline(plan: Plan, found: Iterable[Row]) -> Row | AllPassed | None:
    """What the overview says first: the one thing to do next while the program runs; once every one of
    its deadlines has passed, that they all have and what can still be done; None when nothing is left."""
    found = list(found)
    last = last_date(plan)
    if last is None or not all_deadlines_passed(plan):
        return do_next(found)
    still: dict[tuple[str, Text], StillPossible] = {}
    for status in plan.statuses():
        if status.state not in (State.MISSED, State.OVERDUE):
            continue
        now = what_now(plan.program, status)
        if now is not None:
            _add(still, status.procedure, status.accounts, now[0], now[1])
        elif status.state is State.OVERDUE:  # late, and the program says nothing more: the late steps
            for step in status.steps:
                if step.state is State.OVERDUE:
                    _add(still, status.procedure, status.accounts, step.step.text, MAIN_SOURCE)
    undated = sum(1 for r in found if r.step.state is State.DUE and r.step.deadline is None)
    return AllPassed(last, tuple(still.values()), undated)


def _add(still: dict[tuple[str, Text], StillPossible], procedure: Procedure, accounts: tuple[str, ...],
         text: Text, source: str) -> None:
    """One entry per procedure and text, naming every account it concerns once."""
    key = (procedure.id, text)
    if key in still:
        known = still[key].accounts
        accounts = known + tuple(a for a in accounts if a not in known)
    still[key] = StillPossible(procedure, accounts, text, source)
