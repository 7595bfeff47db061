"""docs/program-sources.md has a row for every milestone, consequence and contact of the program file:
a new date or consequence without its source fails here."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.windows

DOC = REPO / "docs" / "program-sources.md"


def rows(heading: str) -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE))


def test_every_milestone_has_its_source(program):
    assert rows("Milestones") == {m.id for m in program.milestones}


def test_every_consequence_has_its_source(program):
    assert rows("Consequences") == {p.id for p in program.procedures if p.when_missed is not None}


def test_every_conflict_and_contact_has_its_source(program):
    assert rows("Conflicts") == {p.id for p in program.procedures if p.conflicts}
    assert rows("Contacts") == {c.id for c in program.contacts}


def test_every_step_deadline_is_a_sourced_milestone(program):
    """A step's deadline is one of the milestones above, and never one the doc says is not a deadline."""
    not_deadlines = {"kwc-service-end", "bundle-usable-until", "account-transferred", "no-consent-cutoff"}
    for procedure in program.procedures:
        for step in procedure.steps:
            assert step.deadline is None or step.deadline not in not_deadlines, f"{procedure.id}/{step.id}"
            assert step.available_from is None or step.available_from in rows("Milestones")

