"""A session's plan as the CLI prints it: readable text, or JSON for scripts (format: docs/cli.md).
SIDs are always shown masked here."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwc_desktop.domain.checklist import (
    AccountPlan,
    ProcedureStatus,
    State,
    StepStatus,
    all_deadlines_passed,
    bundle_usable_until,
    what_now,
)
from kwc_desktop.domain.formatting import format_day, format_instant, format_moment
from kwc_desktop.domain.overview import AllPassed, Row, do_next, filtered, headline
from kwc_desktop.domain.overview import rows as overview_rows
from kwc_desktop.domain.program import KIND_FACT, MAIN_SOURCE, Conflict, Moment, Program
from kwc_desktop.domain.session import Session
from kwc_desktop.domain.sid import Sid
from kwc_desktop.domain.text import Lang, messages, printable

if TYPE_CHECKING:
    from kwc_desktop.services.files import OutputFile

PLAN_FORMAT = "kwc-desktop/plan"
PLAN_FORMAT_VERSION = 1

# How each account's SID is known: from the profile, from the keyring, or not at all.
SidInfo = Mapping[str, tuple[str | None, str | None]]  # label -> (masked SID, source)


def sid_info(session: Session) -> SidInfo:
    """Each account's masked SID (or None) and where it came from, as the session knows them."""
    secrets = session.secrets
    return {a.label: (secrets.sids[a.label].masked() if a.label in secrets.sids else None,
                      secrets.sid_sources.get(a.label)) for a in session.answers.accounts}


def _moment_json(moment: Moment | None, lang: Lang) -> dict[str, str] | None:
    if moment is None:
        return None
    if moment.at is not None:
        return {"at": moment.at.isoformat(), "precision": "minute", "display": format_moment(moment, lang)}
    assert moment.day is not None
    return {"at": moment.day.isoformat(), "precision": "day", "display": format_moment(moment, lang)}


def _step_json(step: StepStatus, lang: Lang) -> dict[str, Any]:
    left = step.what_is_left
    return {
        "id": step.step.id, "key": step.key, "text": step.step.text(lang), "state": step.state.value,
        "deadline": _moment_json(step.deadline, lang), "from": _moment_json(step.available_from, lang),
        "until": _moment_json(step.until, lang), "what_is_left": left(lang) if left else None,
        "blocked_by": step.blocked_by,
    }


def _procedure_json(program: Program, status: ProcedureStatus, lang: Lang) -> dict[str, Any]:
    p = status.procedure
    now = what_now(program, status)
    return {
        "id": p.id, "title": p.title(lang), "scope": p.scope, "state": status.state.value, "source": p.source,
        "reasons": [r.render(lang) for r in status.reasons], "accounts": list(status.accounts),
        "next_deadline": _moment_json(status.next_deadline, lang),
        "what_now": {"text": now[0](lang), "source": now[1]} if now else None,
        "conflicts": [{"source": c.source, "says": c.says(lang), "newer": c.newer} for c in p.conflicts],
        "notes": [{"id": n.note.id, "text": n.render(lang), "warning": n.note.warning, "source": n.note.source}
                  for n in status.notes],
        "steps": [_step_json(s, lang) for s in status.steps],
    }


def conflict_line(program: Program, conflict: Conflict, lang: Lang) -> str:
    """'KWC's notice says otherwise: … (the newer one: Twilio help article …)'."""
    return messages()("cli.conflict", lang, source=program.source_label(conflict.source)(lang),
                      says=conflict.says(lang), newer=program.source_label(conflict.newer)(lang))


def note_lines(program: Program, status: ProcedureStatus, lang: Lang) -> list[str]:
    """The program's notes for this procedure as they are printed: 'Caution: …' or 'Note: …' (with their
    source when it is not the program's own document)."""
    m = messages()
    lines = []
    for shown in status.notes:
        note = shown.note
        suffix = f" ({program.source_label(note.source)(lang)})" if note.source != MAIN_SOURCE else ""
        lines.append(f"{m('cli.caution' if note.warning else 'cli.note', lang)}: {shown.render(lang)}{suffix}")
    return lines


def step_state_text(program: Program, step: StepStatus, lang: Lang) -> str:
    """The step's state as shown, with why it cannot be done when a prerequisite was missed."""
    m = messages()
    state = m(step.state_key, lang)
    if step.blocked_by:
        state += " — " + m("cli.blocked", lang, procedure=program.procedure(step.blocked_by).title(lang))
    return state


def step_when(step: StepStatus, lang: Lang) -> list[str]:
    """When the step opens, until when its world lasts and its deadline (that none is given only when it
    has no end date either: "until May 1 / no deadline given" read as a contradiction)."""
    m = messages()
    when = []
    if step.available_from is not None:
        when.append(f"{m('cli.from', lang)} {format_moment(step.available_from, lang)}")
    if step.until is not None:
        when.append(m("cli.until", lang, day=format_moment(step.until, lang)))
    if step.deadline is not None:
        when.append(f"{m('cli.deadline', lang)} {format_moment(step.deadline, lang)}")
    elif step.until is None:
        when.append(m("cli.no_deadline", lang))
    return when


def deadline_cell(step: StepStatus, lang: Lang) -> str:
    """The step's deadline column: its deadline, else the end of what it is about ("until May 1"), else
    that none is given."""
    if step.deadline is not None:
        return format_moment(step.deadline, lang)
    if step.until is not None:
        return messages()("cli.until", lang, day=format_moment(step.until, lang))
    return messages()("cli.no_deadline", lang)


def what_is_left_line(step: StepStatus, lang: Lang) -> str | None:
    left = step.what_is_left
    return f"{messages()('cli.what_is_left', lang)}: {left(lang)}" if left else None


def what_now_line(program: Program, status: ProcedureStatus, lang: Lang) -> str | None:
    now = what_now(program, status)
    if now is None:
        return None
    text, source = now
    suffix = f" ({program.source_label(source)(lang)})" if source != MAIN_SOURCE else ""
    return f"{messages()('cli.what_now', lang)}: {text(lang)}{suffix}"


def _account_json(program: Program, plan: AccountPlan, lang: Lang, sids: SidInfo,
                  bundles: Mapping[str, list[Sid]]) -> dict[str, Any]:
    account = plan.account
    sid, source = sids.get(account.label, (None, None))
    transfer_day = account.transferred_on or program.transfer_day()
    page = program.pages.bundles
    has_bundles = page is not None and any(s.procedure.id == page.procedure for s in plan.procedures)
    return {
        "label": account.label, KIND_FACT: account.kind, "kind_label": plan.kind.label(lang),
        "transfers": plan.kind.transfers, "note": plan.kind.note(lang), "sid": sid, "sid_source": source,
        "transferred_on": transfer_day.isoformat() if plan.kind.transfers else None,
        "bundles": [b.masked() for b in bundles.get(account.label, [])],
        "bundle_usable_until": (
            bundle_usable_until(program, transfer_day).isoformat() if has_bundles else None
        ),
        "open_questions": [{"id": f, "question": program.fact(f).question(lang)} for f in plan.open_questions],
        "procedures": [_procedure_json(program, s, lang) for s in plan.procedures],
    }


def plan_json(session: Session, lang: Lang) -> dict[str, Any]:
    plan, sids, bundles = session.plan(), sid_info(session), session.secrets.bundles
    program = plan.program
    applying = plan.procedure_ids()  # once: asked per procedure, it made a big program's plan quadratic
    return {
        "format": PLAN_FORMAT, "version": PLAN_FORMAT_VERSION, "program": program.id,
        "program_version": program.version, "lang": lang,
        "as_of": plan.as_of.astimezone(program.tz).isoformat(),
        "all_deadlines_passed": all_deadlines_passed(plan),
        "counts": {state.value: plan.count(state) for state in State},
        "procedure_ids": [p.id for p in program.procedures if p.id in applying],
        "owners": [
            {
                "email": owner.owner.email,
                "procedures": [_procedure_json(program, s, lang) for s in owner.procedures],
                "accounts": [_account_json(program, a, lang, sids, bundles) for a in owner.accounts],
            }
            for owner in plan.owners
        ],
    }


def _step_line(step: StepStatus, lang: Lang, program: Program) -> str:
    box = "[x]" if step.state is State.DONE else "[ ]"
    parts = [f"    {box} {step.step.text(lang)}",
             f"        {' / '.join(step_when(step, lang))} — {step_state_text(program, step, lang)}"]
    if (left := what_is_left_line(step, lang)) is not None:
        parts.append(f"        {left}")
    return "\n".join(parts)


def _procedure_lines(status: ProcedureStatus, lang: Lang, program: Program) -> list[str]:
    m = messages()
    p = status.procedure
    lines = [f"  {p.id}: {p.title(lang)} — {m(f'state.{status.state.value}', lang)}"]
    for reason in status.reasons:
        lines.append(f"    {m('cli.reason', lang)}: {reason.render(lang)}")
    if p.source != MAIN_SOURCE:
        lines.append(f"    {m('cli.source', lang)}: {program.source_label(p.source)(lang)}")
    lines.extend(f"    {conflict_line(program, c, lang)}" for c in p.conflicts)
    if (now := what_now_line(program, status, lang)) is not None:
        lines.append(f"    {now}")
    lines.extend(f"    {note}" for note in note_lines(program, status, lang))
    lines.extend(_step_line(s, lang, program) for s in status.steps)
    return lines


def plan_text(session: Session, lang: Lang) -> str:
    m = messages()
    plan, sids = session.plan(), sid_info(session)
    program = plan.program
    as_of = format_instant(plan.as_of, program.tz, lang)
    lines = [program.title(lang), f"{m('cli.as_of', lang)}: {as_of} ({program.zone_label(lang)})"]
    if all_deadlines_passed(plan):
        lines.append(m("cli.all_passed", lang))
    lines.append(m("cli.summary", lang, **{s.value: plan.count(s) for s in State}))
    for owner in plan.owners:
        lines += ["", f"■ {m('cli.owner', lang)}: {owner.owner.email}"]
        for status in owner.procedures:
            lines.extend(_procedure_lines(status, lang, program))
        for account in owner.accounts:
            sid, source = sids.get(account.account.label, (None, None))
            shown = sid or m({"keyring-unavailable": "cli.sid_keyring_unavailable",
                              "keyring-missing": "cli.sid_keyring_missing",
                              "keyring-invalid": "cli.sid_keyring_invalid"}.get(source or "", "cli.sid_none"), lang)
            heading = f"{m('cli.account', lang)}: {account.account.label} ({shown})"
            lines += ["", f" ● {heading} — {account.kind.label(lang)}"]
            if account.account.transferred_on and account.kind.transfers:
                day = format_day(account.account.transferred_on, lang)
                lines.append(f"   {m('cli.transferred_on', lang)}: {day}")
            if not account.procedures:
                nothing = m("cli.no_procedures", lang) if account.kind.transfers else account.kind.note(lang)
                lines.append(f"  {nothing}")
            for status in account.procedures:
                lines.extend(_procedure_lines(status, lang, program))
            if account.open_questions:
                questions = "; ".join(program.fact(f).question(lang) for f in account.open_questions)
                lines.append(f"  {m('cli.open_questions', lang)}: {questions}")
    return printable("\n".join(lines) + "\n")  # for a terminal: no control character raw, whatever a text holds


DETECTION_FORMAT = "kwc-desktop/detection"
DETECTION_FORMAT_VERSION = 1


def detection_report(session: Session, labels: list[str] | None, lang: Lang) -> dict[str, Any]:
    """What was read from each account (`labels`; None: every account read), for a colleague or support:
    facts with their evidence and whether the user's own answer overrides them, numbers by kind, Bundles,
    balance, errors and the procedures that apply. SIDs masked; no secret in it (format: docs/cli.md)."""
    plan = session.plan()
    program = session.program
    order = {p.id: n for n, p in enumerate(program.procedures)}
    applying: dict[str, set[str]] = {}  # label -> the procedures that cover it, read off the plan once
    for status in plan.statuses():
        for covered in status.accounts:
            applying.setdefault(covered, set()).add(status.procedure.id)
    chosen = labels if labels is not None else [a.label for a in session.answers.accounts
                                                if a.label in session.findings]
    accounts = []
    entries = {a.label: a for a in session.answers.accounts}
    kinds = session.kinds()
    for label in chosen:
        entry = entries.get(label)
        found = session.findings.get(label)
        if entry is None or found is None:
            continue
        sid = session.secrets.sids.get(label)
        kind = kinds.get(label) or entry.kind
        facts = {}
        for fact_id, detected in found.facts.items():
            answer = entry.kind if fact_id == KIND_FACT and entry.kind_overridden else \
                entry.facts.get(fact_id) if fact_id != KIND_FACT else None
            facts[fact_id] = {"value": _json_value(detected.value),
                              "evidence": [t(lang) for t in detected.evidence],
                              "your_answer": _json_value(answer) if answer is not None else None}
        accounts.append({
            "label": label, "parent": entry.parent or None, "sid": sid.masked() if sid else None,
            "owner_email": entry.owner_email, KIND_FACT: kind, "kind_label": program.kind(kind).label(lang),
            "read_at": found.read_at or None, "facts": facts,
            "numbers": None if found.numbers is None else {
                "by_kind": dict(found.numbers.counts),
                "toll_free_not_bought": list(found.numbers.toll_free_not_bought)},
            "bundles": [{"sid": _mask(b.sid), "friendly_name": b.friendly_name if b.friendly_name != b.sid
                         else _mask(b.sid), "status": b.status, "valid_until": b.valid_until,
                         "numbers": list(b.numbers)} for b in found.bundles],
            "balance": {"amount": found.balance[0], "currency": found.balance[1]} if found.balance else None,
            "subaccounts": len(found.subaccounts),
            "errors": [{"kind": kind_, "message": text(lang)} for kind_, text in found.errors],
            "procedures": sorted(applying.get(label, set()), key=order.__getitem__),
        })
    return {"format": DETECTION_FORMAT, "version": DETECTION_FORMAT_VERSION, "program": program.id,
            "generated_at": session.wall_time().isoformat(timespec="seconds"),
            "as_of": session.now().astimezone(session.program.tz).isoformat(), "lang": lang, "accounts": accounts}


def _mask(sid: str) -> str:
    """A SID as the report shows it ('BU3c…1a2b'); one already masked stays as it is."""
    return f"{sid[:4]}…{sid[-4:]}" if len(sid) > 10 else sid


def _json_value(value: object) -> object:
    return value if value is None or isinstance(value, (bool, str, int)) else str(value)


# --- what's next at a glance (plan --next; the wizard's overview reads the same rows) -----------------------


def overview_row_json(row: Row, lang: Lang) -> dict[str, Any]:
    return {"owner": row.owner, "accounts": list(row.accounts), "procedure": row.procedure.id,
            "title": row.procedure.title(lang), "scope": row.procedure.scope,
            "step": {"id": row.step.step.id, "key": row.step.key, "text": row.step.step.text(lang)},
            "state": row.state.value, "deadline": _moment_json(row.deadline, lang), "days_left": row.days_left}


def overview_json(session: Session, lang: Lang, shown: str = "all") -> dict[str, Any]:
    found = overview_rows(session.plan())
    chosen = filtered(found, shown)
    after = do_next(found)
    return {"format": "kwc-desktop/overview", "version": 1,
            "as_of": session.now().astimezone(session.program.tz).isoformat(),
            "filter": shown, "do_next": overview_row_json(after, lang) if after else None,
            "rows": [overview_row_json(r, lang) for r in chosen]}


def days_text(row: Row, lang: Lang) -> str:
    m = messages()
    if row.days_left is None:
        return m("cli.no_deadline", lang)
    if row.days_left < 0:
        return m("cli.days_ago", lang, days=-row.days_left)
    return m("cli.days_left", lang, days=row.days_left)


def overview_text(session: Session, lang: Lang, shown: str = "all") -> str:
    m = messages()
    plan = session.plan()
    program = plan.program
    found = overview_rows(plan)
    lines = [f"{m('cli.as_of', lang)}: {format_instant(plan.as_of, program.tz, lang)} ({program.zone_label(lang)})"]
    after = headline(plan, found)
    if isinstance(after, AllPassed):  # the window's overview says the same (domain/overview.headline)
        lines += after.lines(lang)
    elif after is not None:
        by = format_moment(after.deadline, lang) if after.deadline else m("cli.no_deadline", lang)
        lines.append(m("cli.do_next", lang, title=after.procedure.title(lang), step=after.step.step.text(lang),
                       accounts=", ".join(after.accounts), by=by, days=days_text(after, lang)))
    else:
        lines.append(m("cli.nothing_next", lang))
    for row in filtered(found, shown):
        by = format_moment(row.deadline, lang) if row.deadline else "—"
        lines.append(f"{by} | {days_text(row, lang)} | {m('state.' + row.state.value, lang)} | {row.owner} | "
                     f"{', '.join(row.accounts)} | {row.procedure.title(lang)}: {row.step.step.text(lang)}")
    return printable("\n".join(lines) + "\n")


def save_detection_report(report: Mapping[str, Any], path: Path) -> OutputFile:
    """The detection report as `detect --report` and the Accounts page's Save report write it: JSON, whole
    or not at all (services/files.write_user_file); where it went."""
    from kwc_desktop.domain.text import json_text
    from kwc_desktop.services.files import write_user_file

    return write_user_file(path, (json_text(report) + "\n").encode("utf-8"))
