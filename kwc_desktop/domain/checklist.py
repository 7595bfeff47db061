"""The checklist: every applicable step with its deadline and its state at the clock's moment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum

from kwc_desktop.domain.accounts import Account, Owner
from kwc_desktop.domain.clock import Clock
from kwc_desktop.domain.formatting import format_moment
from kwc_desktop.domain.program import AccountKind, FactValue, Moment, Note, Procedure, Program, Step
from kwc_desktop.domain.records import record, replace
from kwc_desktop.domain.rules import Reason, effective_facts, open_questions, reasons_for
from kwc_desktop.domain.text import Lang, Text, fill


class State(StrEnum):
    DONE = "done"  # ticked by the user
    NOT_YET = "not-yet"  # opens later (its `from` has not come): nothing to do yet
    DUE = "due"  # still to do, deadline not passed (or none)
    OVERDUE = "overdue"  # deadline passed, but it can and should still be done
    MISSED = "missed"  # deadline passed and it can no longer be done
    # Its window closed: another step of the procedure takes over (`instead`), or the day its world changed
    # has passed (`ends`) and its `when_ended` says what is left.
    CLOSED = "closed"


_SEVERITY = [State.DONE, State.CLOSED, State.NOT_YET, State.DUE, State.OVERDUE, State.MISSED]
_DOABLE = (State.NOT_YET, State.DUE, State.OVERDUE)


def step_key(procedure_id: str, step_id: str) -> str:
    return f"{procedure_id}/{step_id}"


@record
class StepStatus:
    procedure_id: str
    step: Step
    deadline: Moment | None
    available_from: Moment | None
    state: State
    blocked_by: str | None = None  # a prerequisite procedure that was missed
    until: Moment | None = None  # the step's `ends`: the day its world changes (not a deadline)

    @property
    def key(self) -> str:
        return step_key(self.procedure_id, self.step.id)

    @property
    def ended(self) -> bool:
        """Closed because the day its world changed has passed (not because another step took over)."""
        return self.state is State.CLOSED and self.until is not None

    @property
    def state_key(self) -> str:
        """The message key of its state as shown: an ended step is over, not "closed (see the other step)"."""
        return "state.ended" if self.ended else f"state.{self.state.value}"

    @property
    def what_is_left(self) -> Text | None:
        """For an ended step: what is left now, in the program's words."""
        return self.step.when_ended if self.ended else None


@record
class NoteStatus:
    """A note of the program shown under its procedure, with the day it quotes (if any) for this account."""

    note: Note
    day: Moment | None = None

    def render(self, lang: Lang) -> str:
        if self.note.day is None:
            return self.note.text(lang)
        return fill(self.note.text(lang), {"day": format_moment(self.day, lang) if self.day else ""})


@record
class ProcedureStatus:
    procedure: Procedure
    reasons: tuple[Reason, ...]
    steps: tuple[StepStatus, ...]
    accounts: tuple[str, ...]  # labels of the accounts it covers
    notes: tuple[NoteStatus, ...] = ()  # the program's notes whose conditions hold

    @property
    def state(self) -> State:
        """Done when every step is (or closed); missed only when none of the remaining steps can still be
        done; otherwise the most pressing state of the ones that can."""
        remaining = [s.state for s in self.steps if s.state not in (State.DONE, State.CLOSED)]
        if not remaining:
            return State.DONE
        doable = [s for s in remaining if s in _DOABLE]
        return max(doable, key=_SEVERITY.index) if doable else State.MISSED

    @property
    def next_deadline(self) -> Moment | None:
        pending = [s.deadline for s in self.steps if s.state in _DOABLE and s.deadline]
        return min(pending, key=lambda m: m.ends(), default=None)


@record
class AccountPlan:
    account: Account
    kind: AccountKind
    procedures: tuple[ProcedureStatus, ...]
    open_questions: tuple[str, ...]


@record
class OwnerPlan:
    owner: Owner
    procedures: tuple[ProcedureStatus, ...]  # owner-scope: once for all its accounts
    accounts: tuple[AccountPlan, ...]


@record
class Plan:
    program: Program
    as_of: datetime
    owners: tuple[OwnerPlan, ...]

    def statuses(self) -> Iterator[ProcedureStatus]:
        for owner in self.owners:
            yield from owner.procedures
            for account in owner.accounts:
                yield from account.procedures

    def procedure_ids(self) -> set[str]:
        return {s.procedure.id for s in self.statuses()}

    def count(self, state: State) -> int:
        return sum(1 for p in self.statuses() for s in p.steps if s.state is state)


def _step_state(step: Step, deadline: Moment | None, start: Moment | None, until: Moment | None, done: bool,
                now: datetime) -> State:
    if done:
        return State.DONE
    if deadline is not None and now >= deadline.ends():
        if step.instead is not None:
            return State.CLOSED
        return State.MISSED if step.after_deadline == "missed" else State.OVERDUE
    if until is not None and now >= until.ends():
        return State.CLOSED
    if start is not None and now < start.starts():
        return State.NOT_YET
    return State.DUE


def _is_done(key: str, done: frozenset[str]) -> bool:
    return key in done or key.split("/", 1)[0] in done


def _one_way(steps: list[StepStatus]) -> None:
    """Two ways, one closing (`instead`): the way that takes over is not yet while the first one is still
    open, and not needed (closed) once the first one was done."""
    index = {s.step.id: n for n, s in enumerate(steps)}
    for first in list(steps):
        n = index.get(first.step.instead or "")
        if n is None:
            continue
        other = steps[n]
        if first.state is State.DONE and other.state in (State.NOT_YET, State.DUE, State.OVERDUE):
            steps[n] = replace(other, state=State.CLOSED)
        elif first.state in (State.DUE, State.OVERDUE) and other.state is State.DUE:
            steps[n] = replace(other, state=State.NOT_YET)


def _statuses(
    program: Program, procedure: Procedure, facts: dict, done: frozenset[str],  # type: ignore[type-arg]
    transfer_day: date, now: datetime, missed: set[str],
) -> tuple[StepStatus, ...]:
    blocked_by = next((p for p in procedure.after if p in missed), None)
    result: list[StepStatus] = []
    missed_steps: set[str] = set()  # (a set: a procedure of many steps stays linear)
    for step in procedure.steps:
        if step.only_if and not all(c.holds(facts.get(c.fact)) for c in step.only_if):
            continue
        if step.skip_if and all(c.holds(facts.get(c.fact)) for c in step.skip_if):
            continue
        deadline = program.milestone(step.deadline).moment_for(transfer_day, program.tz) if step.deadline else None
        start = (
            program.milestone(step.available_from).moment_for(transfer_day, program.tz)
            if step.available_from else None
        )
        until = program.milestone(step.ends).moment_for(transfer_day, program.tz) if step.ends else None
        is_done = step_key(procedure.id, step.id) in done or procedure.id in done
        state = _step_state(step, deadline, start, until, is_done, now)
        if state is not State.DONE and (blocked_by or not missed_steps.isdisjoint(step.requires)):
            state = State.MISSED
        if state is State.MISSED:
            missed_steps.add(step.id)
        result.append(StepStatus(procedure.id, step, deadline, start, state, blocked_by if not is_done else None,
                                 until))
    _one_way(result)
    return tuple(result)


def _notes(program: Program, procedure: Procedure, steps: tuple[StepStatus, ...], facts: dict[str, FactValue],
           done: frozenset[str], transfer_day: date) -> tuple[NoteStatus, ...]:
    """The procedure's notes whose conditions hold. None on a procedure blocked by a missed prerequisite: that
    one says what it means, once."""
    if any(s.blocked_by for s in steps):
        return ()
    return tuple(
        NoteStatus(note, program.milestone(note.day).moment_for(transfer_day, program.tz) if note.day else None)
        for note in procedure.notes
        if all(_is_done(k, done) for k in note.if_done) and not any(_is_done(k, done) for k in note.unless_done)
        and all(c.holds(facts.get(c.fact)) for c in note.if_facts)
    )


def _merge_reasons(groups: list[tuple[Reason, ...]]) -> tuple[Reason, ...]:
    """One line per distinct sentence, in first-seen order."""
    merged: dict[str, Reason] = {}
    for group in groups:
        for reason in group:
            merged.setdefault(reason.render("en"), reason)
    return tuple(merged.values())


def build_owner_plan(program: Program, owner: Owner, now: datetime) -> OwnerPlan:
    default_transfer = program.transfer_day()
    facts_by_account = {a.label: effective_facts(program, owner.account_facts(a)) for a in owner.accounts}
    missed: set[str] = set()

    owner_statuses = []
    for procedure in program.procedures:
        if procedure.scope != "owner":
            continue
        per_account = [(a, reasons_for(procedure, facts_by_account[a.label], program)) for a in owner.accounts]
        covered = [(a, r) for a, r in per_account if r]
        if not covered:
            continue
        facts = facts_by_account[covered[0][0].label]
        done = owner.done.union(*(a.done for a, _ in covered))
        steps = _statuses(program, procedure, facts, done, default_transfer, now, missed)
        status = ProcedureStatus(procedure, _merge_reasons([r for _, r in covered]), steps,
                                 tuple(a.label for a, _ in covered),
                                 _notes(program, procedure, steps, facts, done, default_transfer))
        if status.state is State.MISSED and not status.steps[0].blocked_by:
            missed.add(procedure.id)
        owner_statuses.append(status)

    account_plans = []
    for account in owner.accounts:
        facts = facts_by_account[account.label]
        transfer_day = account.transferred_on or default_transfer
        statuses = []
        for procedure in program.procedures:
            if procedure.scope != "account":
                continue
            reasons = reasons_for(procedure, facts, program)
            if reasons:
                steps = _statuses(program, procedure, facts, account.done, transfer_day, now, missed)
                notes = _notes(program, procedure, steps, facts, owner.done | account.done, transfer_day)
                statuses.append(ProcedureStatus(procedure, reasons, steps, (account.label,), notes))
        account_plans.append(AccountPlan(account, program.kind(account.kind), tuple(statuses),
                                         open_questions(facts, program)))
    return OwnerPlan(owner, tuple(owner_statuses), tuple(account_plans))


def build_plan(program: Program, owners: tuple[Owner, ...], clock: Clock) -> Plan:
    """The whole checklist at the clock's moment."""
    now = clock.now()
    return Plan(program, now, tuple(build_owner_plan(program, owner, now) for owner in owners))


def what_now(program: Program, status: ProcedureStatus) -> tuple[Text, str] | None:
    """For a procedure with a missed or overdue step: what it means and what can be done now, in the
    program's words, with their source id. None otherwise, and for a procedure missed only because
    another one was (its steps name that one, which says it once)."""
    late = [s for s in status.steps if s.state in (State.MISSED, State.OVERDUE)]
    if not late or any(s.blocked_by for s in late):
        return None
    procedure = status.procedure
    return (procedure.when_missed, procedure.when_missed_source) if procedure.when_missed else None


def _dated(plan: Plan) -> list[Moment]:
    """Every fixed milestone and every open step deadline of this plan (Bundles: per account)."""
    moments = [m.moment for m in plan.program.milestones if m.moment is not None]
    moments += [s.deadline for p in plan.statuses() for s in p.steps
                if s.deadline is not None and s.state is not State.DONE]
    return moments


def all_deadlines_passed(plan: Plan) -> bool:
    """Every fixed milestone and every open step deadline of this plan (Bundles: per account) is behind us."""
    return all(plan.as_of >= m.ends() for m in _dated(plan))


def last_date(plan: Plan) -> Moment | None:
    """The latest of those moments: the day the program's last deadline passed (None: it has no dates)."""
    return max(_dated(plan), key=lambda m: m.ends(), default=None)


def bundle_usable_until(program: Program, transfer_day: date | None = None) -> date:
    """The day until which existing Bundle SIDs stay usable at least: transfer + 90 days."""
    start = transfer_day or program.transfer_day()
    return program.milestone(program.bundle_usable_milestone).moment_for(start, program.tz).local_date()
