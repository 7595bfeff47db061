"""The window's answers written as a profile read back as the same answers: File → Save profile as… writes
what `plan` reads and File → Open loads, and never a SID."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwc_desktop.domain.answers import AccountEntry, Answers, DoneScope, answers_from_profile
from kwc_desktop.domain.profile import read_profile
from kwc_desktop.domain.profile_writer import profile_toml
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.program_store import load_program
from tests.conftest import REPO

EXAMPLES = sorted((REPO / "examples").glob("*.toml"))


@pytest.fixture(scope="module")
def program():
    return load_program()


def read_back(text: str, program) -> Answers:
    answers, sids, bundles = answers_from_profile(read_profile(text.encode("utf-8"), program, "saved.toml"))
    assert not sids and not bundles  # nothing secret was written
    return answers


def by_owner(answers: Answers) -> list[AccountEntry]:
    owners = answers.owner_emails()
    return sorted(answers.accounts, key=lambda a: owners.index(a.owner_email))


def same(a: Answers, b: Answers) -> None:
    # A profile groups the accounts by owner: the order within each owner is kept.
    assert [(x.label, x.owner_email, x.kind, x.facts, x.transferred_on) for x in by_owner(a)] == \
           [(x.label, x.owner_email, x.kind, x.facts, x.transferred_on) for x in by_owner(b)]
    assert {k: v for k, v in a.owner_facts.items() if v} == {k: v for k, v in b.owner_facts.items() if v}
    assert {k: v for k, v in a.done.items() if v} == {k: v for k, v in b.done.items() if v}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_profile_round_trips_without_its_sids(example, program):
    answers, sids, _bundles = answers_from_profile(read_profile(example.read_bytes(), program, example.name))
    text = profile_toml(answers, program)
    for sid in sids.values():
        assert sid.value not in text and sid.value[2:] not in text
    same(answers, read_back(text, program))


def test_the_plan_of_a_saved_profile_is_the_plan_of_the_window(program):
    from kwc_desktop.domain.clock import parse_as_of
    from kwc_desktop.domain.session import Session

    answers, _sids, _bundles = answers_from_profile(
        read_profile((REPO / "examples" / "06-trial-suspended-owner-change.toml").read_bytes(), program))
    answers.done[DoneScope.owner(answers.accounts[0].owner_email)] = {"consent/submit-form"}
    moment = "2023-04-10T12:00:00+09:00"
    before, after = Session(program, answers), Session(program, read_back(profile_toml(answers, program), program))
    for session in (before, after):
        session.set_as_of(parse_as_of(moment, program.tz))
    assert [(s.procedure.id, s.state) for s in before.plan().statuses()] == \
           [(s.procedure.id, s.state) for s in after.plan().statuses()]


def test_nothing_to_save_is_said(program):
    with pytest.raises(UserError) as error:
        profile_toml(Answers(), program)
    assert "add an account" in error.value.message("en") and "アカウント" in error.value.message("ja")


labels = st.text(st.characters(codec="utf-8", exclude_categories=("C", "Z")), min_size=1, max_size=20) \
    .filter(lambda s: s.strip() == s)


@settings(max_examples=60, deadline=None)
@given(names=st.lists(labels, min_size=1, max_size=4, unique=True), amount=st.decimals(0, 10**9, places=2),
       day=st.dates(date(2000, 1, 1), date(2099, 12, 31)), name=st.text(max_size=30))
def test_any_labels_amounts_and_dates_read_back_the_same(names, amount, day, name):
    from kwc_desktop.domain.accounts import parse_label

    program = load_program()

    try:
        labels_ok = [parse_label(n) for n in names]
    except UserError:
        return  # not a label the app takes: the window would not hold it either
    if len(set(labels_ok)) < len(labels_ok):
        return
    answers = Answers()
    for n, label in enumerate(labels_ok):
        facts = {"payment": "paypal", "paypal_2022_usd": Decimal(amount)} if n % 2 else {"hq_sms": True}
        answers.accounts.append(AccountEntry(label, f"o{n % 2}@example.com", "standard", facts,
                                             day if n == 0 else None))
    answers.done[DoneScope.account(labels_ok[0])] = {"paypal-card/top-up-paypal", "not-a-step"}
    back = read_back(profile_toml(answers, program, name=name.replace("\x00", "")), program)
    answers.done[DoneScope.account(labels_ok[0])] = {"paypal-card/top-up-paypal"}  # ticks the program has
    same(answers, back)
