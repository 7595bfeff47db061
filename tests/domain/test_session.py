"""The session core the CLI and the wizard share: one clock, a plan cached until something changes,
reads that never write, Bundle SIDs decoded in one place."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from kwc_desktop.domain.answers import AccountEntry, Answers, ConsentPrep, DoneScope
from kwc_desktop.domain.checklist import State
from kwc_desktop.domain.detection import Detected
from kwc_desktop.domain.session import Session, decode_bundles, encode_bundles
from kwc_desktop.domain.sid import parse_sid
from tests.conftest import jst

pytestmark = pytest.mark.windows

CARD = {"payment": "card", "hq_sms": False, "dedicated_sms_sender": False, "ported_toll_free": False,
        "editions": False, "has_bundles": False}


class MovingClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment
        self.calls = 0

    def now(self) -> datetime:
        self.calls += 1
        return self.moment


def one_account(**facts: object) -> Answers:
    return Answers(accounts=[AccountEntry("Prod", "it@example.com", "standard", {**CARD, **facts})])


def consent_state(session: Session) -> State:
    return next(s for s in session.plan().statuses() if s.procedure.id == "consent").steps[0].state


def test_the_chosen_moment_is_the_only_now_and_survives_the_progress_file(program):
    clock = MovingClock(jst(program, "2023-04-30T12:00"))
    session = Session(program, one_account(), clock)
    assert session.now() == clock.moment and session.as_of is None
    chosen = jst(program, "2023-04-21T23:59")
    assert session.set_as_of(chosen) is True
    assert session.set_as_of(chosen) is False  # nothing changed
    assert session.now() == chosen and session.plan().as_of == chosen
    assert session.wall_time() == clock.moment  # "generated at" stays the clock's
    again = Session(program, Answers.from_json(session.answers.to_json(program), program)[0], clock)
    assert again.as_of == chosen
    session.set_as_of(None)
    assert session.now() == clock.moment and session.answers.as_of == ""
    with pytest.raises(ValueError):
        session.set_as_of(datetime(2023, 4, 21, 12, 0))  # a moment without a zone means nothing


def test_the_plan_is_cached_until_answers_or_the_minute_change(program):
    clock = MovingClock(jst(program, "2023-04-21T23:58:10"))
    session = Session(program, one_account(), clock)
    first = session.plan()
    assert session.plan() is first
    clock.moment += timedelta(seconds=30)  # 23:58:40: the same minute, the same plan
    assert session.plan() is first
    clock.moment = jst(program, "2023-04-22T00:00:05")  # a new minute: the consent deadline has passed
    later = session.plan()
    assert later is not first and consent_state(session) is State.MISSED
    session.answers.accounts[0].facts["payment"] = "paypal"
    assert session.plan() is later  # not told yet
    session.changed()
    assert "paypal-card" in session.plan().procedure_ids()


def test_reading_changes_nothing(program):
    answers = one_account()
    answers.consent["other@example.com"] = ConsentPrep(company="X")
    session = Session(program, answers, MovingClock(jst(program, "2023-04-10T10:00")))
    before = copy.deepcopy(answers.to_json(program))
    session.plan()
    answers.owners(program)
    answers.consent_for("nobody@example.com")
    answers.done_for(DoneScope.owner("it@example.com"))
    assert answers.to_json(program) == before
    assert answers.done == {} and set(answers.consent) == {"other@example.com"}


def test_a_consent_date_completes_the_programs_consent_step(program):
    answers = one_account()
    session = Session(program, answers, MovingClock(jst(program, "2023-04-25T10:00")))
    assert consent_state(session) is State.MISSED
    answers.set_consent_submitted(program, "IT@example.com", True, jst(program, "2023-04-20T10:00").date())
    session.changed()
    assert consent_state(session) is State.DONE


def test_done_scopes_are_typed_and_round_trip(program):
    answers = one_account()
    answers.set_done(DoneScope.owner("IT@Example.com"), "consent/check-ready-mail", True)
    answers.set_done(DoneScope.documents("Prod"), "application-form", True)
    data = answers.to_json(program)
    assert data["done"] == {"documents:Prod": ["application-form"], "owner:it@example.com": ["consent/check-ready-mail"]}
    read, problems = Answers.from_json(data, program)
    assert problems == () and read.done == answers.done
    answers.set_done(DoneScope.documents("Prod"), "application-form", False)
    assert DoneScope.documents("Prod") not in answers.done  # an empty scope is not kept
    answers.rename_account("Prod", "Main")
    assert set(answers.done) == {DoneScope.owner("it@example.com")}
    bad, problems = Answers.from_json({**data, "done": {"someone:x": ["a"]}}, program)
    assert bad.done == {} and problems == ("done.<scope>",)


def test_the_users_answer_wins_over_a_detected_fact(program):
    answers = Answers(accounts=[AccountEntry("Prod", "it@example.com", "standard", {})])
    session = Session(program, answers, MovingClock(jst(program, "2023-04-10T10:00")))
    session.set_detected("Prod", {"payment": Detected("paypal"), "has_bundles": Detected(True)})
    assert {"paypal-card", "bundle-reverification"} <= session.plan().procedure_ids()
    answers.accounts[0].facts["payment"] = "card"
    session.changed()
    assert "paypal-card" not in session.plan().procedure_ids()


def test_bundle_sids_are_one_list_and_a_damaged_part_costs_only_itself():
    one, two = parse_sid("BU" + "0" * 31 + "1", "BU"), parse_sid("BU" + "0" * 31 + "2", "BU")
    assert encode_bundles([one, two]) == f"{one.value},{two.value}"
    assert encode_bundles([]) is None
    assert decode_bundles(f"{one.value},not-a-sid,{two.value},{one.value}") == ([one, two], 1)
    assert decode_bundles("") == ([], 0)


def test_the_system_clock_is_the_default(program):
    session = Session(program, Answers())
    assert abs(session.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_every_accounts_kind_at_once_is_each_ones_kind(program):
    answers = Answers(accounts=[AccountEntry("Prod", "it@example.com"), AccountEntry("Trial", "it@example.com"),
                                AccountEntry("Chosen", "it@example.com", kind="trial", kind_overridden=True)])
    session = Session(program, answers)
    session.set_detected("Trial", {"kind": Detected("trial")})
    session.set_detected("Chosen", {"kind": Detected("standard")})
    assert session.kinds() == {label: session.kind(label) for label in ("Prod", "Trial", "Chosen")}
    assert session.kinds() == {"Prod": "standard", "Trial": "trial", "Chosen": "trial"}
