"""What's next at a glance: one row per procedure and account (per owner for an owner's procedures) with
its next step, that step's deadline, the days left and the state — sorted by date, filterable, and the
one thing to do next. Read from a plan; no Qt, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kwc_desktop.domain.checklist import Plan, ProcedureStatus, State, StepStatus
from kwc_desktop.domain.program import Moment, Procedure
from kwc_desktop.domain.records import record

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
    earliest deadline still ahead, then anything due with no deadline."""
    candidates = [r for r in found if r.state in (State.OVERDUE, State.DUE)]
    overdue = [r for r in candidates if r.state is State.OVERDUE]
    if overdue:
        return overdue[0]
    dated = [r for r in candidates if r.deadline is not None]
    return dated[0] if dated else (candidates[0] if candidates else None)


def next_deadline_of(found: Iterable[Row], label: str) -> Row | None:
    """An account's next open deadline (its own procedures and its owner's)."""
    return next((r for r in found if label in r.accounts and r.state in _DOABLE and r.deadline is not None), None)
