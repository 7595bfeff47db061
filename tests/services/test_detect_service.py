"""Reading many accounts at once (services/detect.py) against a real, threaded HTTP server on 127.0.0.1:
50 accounts with bounded parallelism, Stop in the middle, sub-accounts read with their owner's credentials,
API Keys from the keyring, what is kept in the progress file and the report a colleague can read."""

from __future__ import annotations

import json
import re
import threading
import time

import pytest
from pytest_httpserver import HTTPServer

from kwc_desktop.domain.answers import AccountEntry, Answers
from kwc_desktop.domain.detection import findings_from_json, findings_to_json
from kwc_desktop.domain.session import Session, encode_api_key
from kwc_desktop.domain.sid import parse_sid
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.detect import PARALLEL_ACCOUNTS, AccountRead, Target, read_accounts, record, target_for
from kwc_desktop.services.reports import detection_report
from kwc_desktop.services.twilio import BaseUrls, Credentials
from tests.fake_twilio import FakeAccount, FakeTwilio, company, numbers_for, sid

pytestmark = pytest.mark.windows


@pytest.fixture
def twilio():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    fake = FakeTwilio(server.url_for("/"))
    server.expect_request(re.compile(".*")).respond_with_handler(fake)
    fake.urls = BaseUrls(fake.base, fake.base, fake.base)  # type: ignore[attr-defined]
    yield fake
    server.clear()
    if server.is_running():
        server.stop()


def targets_of(accounts: list[FakeAccount]) -> list[Target]:
    return [Target(f"A{n}", parse_sid(a.sid), Credentials(parse_sid(a.sid), a.sid, a.token))
            for n, a in enumerate(accounts)]


def read_main(program, twilio, numbers: int, bundles: int) -> tuple[Session, FakeAccount]:  # noqa: ANN001
    """One account "Main" served, read with its token and recorded in a new session."""
    (account,) = company(twilio, 1, numbers=numbers, bundles=bundles)
    session = Session(program, Answers([AccountEntry("Main", "it@example.com")]))
    sid = parse_sid(account.sid)
    session.secrets.sids["Main"] = sid
    reads: list[AccountRead] = []
    read_accounts([Target("Main", sid, Credentials(sid, account.sid, account.token))], program, reads.append,
                  lambda: False, twilio.urls)
    record(session, reads[0])
    return session, account


def test_fifty_accounts_are_read_a_few_at_a_time(program, twilio):
    twilio.delay_s = 0.01
    accounts = company(twilio, 50, numbers=3, bundles=1)
    reads: list[AccountRead] = []
    made = read_accounts(targets_of(accounts), program, reads.append, lambda: False, twilio.urls)
    assert sorted(r.label for r in reads) == sorted(f"A{n}" for n in range(50))
    assert all(not r.findings.errors for r in reads)
    # Five requests an account (account, numbers, Bundles, balance, sub-accounts): none repeated.
    assert made == twilio.requests == 50 * 5
    assert 2 <= twilio.most_in_flight <= PARALLEL_ACCOUNTS  # in parallel, and bounded
    first = next(r for r in reads if r.label == "A0")
    assert first.findings.facts["ported_toll_free"].value is True  # a hosted 0120 number
    assert first.findings.facts["has_bundles"].value is True
    assert next(r for r in reads if r.label == "A1").findings.facts["ported_toll_free"].value is False


def test_stop_in_the_middle_ends_soon_and_keeps_what_was_read(program, twilio):
    twilio.delay_s = 0.15
    accounts = company(twilio, 20)
    stop = threading.Event()
    reads: list[AccountRead] = []

    def arrived(read: AccountRead) -> None:
        reads.append(read)
        stop.set()  # the user presses Stop as the first account arrives

    started = time.monotonic()
    made = read_accounts(targets_of(accounts), program, arrived, stop.is_set, twilio.urls)
    took = time.monotonic() - started
    assert took < 3.0  # 20 accounts would take 20 × 5 × 0.15 / 4 ≈ 3.8 s
    assert 1 <= len(reads) < 20 and made < 20 * 5
    complete = [r for r in reads if not r.findings.errors]
    assert complete and all("kind" in r.findings.facts for r in complete)
    # An account stopped between two lists keeps what it had, and says it was stopped.
    assert all(kind == "cancelled" for r in reads for kind, _text in r.findings.errors)


def test_subaccounts_are_added_under_their_owner_and_read_with_its_credentials(program, twilio):
    (parent,) = company(twilio, 1, numbers=2, bundles=1)
    child_sid = sid("AC", 7, 9)
    bundle = sid("BU", 3, 9)
    twilio.add(FakeAccount(child_sid, "c" * 32, owner=parent.sid, status="suspended", friendly_name="EU project",
                           numbers=numbers_for(child_sid, 2, toll_free_hosted=0, bundle=bundle)))
    session = Session(program, Answers([AccountEntry("Main", "it@example.com")]))
    session.secrets.sids["Main"] = parse_sid(parent.sid)
    secrets = {("Main", "token"): parent.token}
    target = target_for(session, "Main", lambda label, kind: secrets.get((label, kind)))
    reads: list[AccountRead] = []
    read_accounts([target], program, reads.append, lambda: False, twilio.urls,
                  taken_labels=["Main"], known_sids=[parse_sid(parent.sid)])
    main, child = reads
    assert (child.label, child.parent) == ("EU project", "Main")
    assert child.findings.facts["kind"].value == "suspended"
    assert child.findings.facts["has_bundles"].value is True  # from its numbers' bundle_sid
    assert child.findings.bundles[0].sid == bundle and child.findings.bundles[0].status == "?"
    # The child was read with the owner's credentials, its SID in the path; its Bundles list was not asked.
    child_paths = [(path, user) for path, user in twilio.seen if child_sid in path]
    assert child_paths and all(user == parent.sid for _path, user in child_paths)
    assert sum(1 for path, _ in twilio.seen if path.startswith("/v2/")) == 1
    for read in reads:
        record(session, read)
    entry = session.answers.account("EU project")
    assert entry is not None and entry.parent == "Main" and entry.owner_email == "it@example.com"
    assert session.secrets.sids["EU project"].value == child_sid
    assert session.kind("EU project") == "suspended"
    # Read again: the known child is read as itself (with the owner's credentials), not added twice.
    again = target_for(session, "EU project", lambda label, kind: secrets.get((label, kind)))
    assert again.credentials is not None and again.credentials.username == parent.sid and again.parent == "Main"


def test_an_api_key_is_preferred_and_a_keyring_problem_is_said(program):
    session = Session(program, Answers([AccountEntry("Main", "it@example.com"), AccountEntry("Other", "x@y.jp")]))
    account = parse_sid(sid("AC", 1))
    key = parse_sid(sid("SK", 1), "SK")
    session.secrets.sids.update({"Main": account, "Other": parse_sid(sid("AC", 2))})
    stored = {("Main", "api_key"): encode_api_key(key, "s" * 32), ("Main", "token"): "t" * 32}
    target = target_for(session, "Main", lambda label, kind: stored.get((label, kind)))
    assert target.credentials == Credentials(account, key.value, "s" * 32)
    assert "s" * 32 not in repr(target)

    def locked(_label: str, _kind: str) -> str | None:
        raise UserError("secrets.locked", name="login")

    refused = target_for(session, "Other", locked)
    assert refused.credentials is None and refused.problem is not None and refused.problem.key == "secrets.locked"
    from_env = target_for(session, "Other", locked, lambda s: Credentials(s, s.value, "e" * 32))
    assert from_env.credentials is not None


def test_what_was_read_is_kept_in_progress_without_a_sid_and_checked_when_read_back(program, twilio):
    session, account = read_main(program, twilio, numbers=4, bundles=2)
    state = session.progress_state()
    text = json.dumps(state, ensure_ascii=False)
    assert account.sid not in text and account.token not in text
    assert all(b["sid"] not in text for b in account.bundles)
    again = Session(program, Answers.from_json(json.loads(text), program)[0])
    assert again.restore_detections(json.loads(text)) == []
    assert again.detected_values() == session.detected_values()
    assert again.findings["Main"].numbers.counts == session.findings["Main"].numbers.counts
    assert [b.friendly_name for b in again.findings["Main"].bundles] == ["Bundle 0", "Bundle 1"]
    # A hand-edited or damaged file: every bad value is left out and named, nothing raises.
    hostile = findings_to_json(session.findings["Main"])
    hostile["facts"]["ported_toll_free"]["value"] = "yes"
    hostile["facts"]["kind"]["value"] = "emperor"
    hostile["facts"]["has_bundles"]["evidence"] = [{"ja": "AC" + "0" * 32, "en": "x"}, "text", None]
    hostile["numbers"]["counts"]["toll-free"] = 10**30
    hostile["bundles"] = [{"sid": "B" * 5000}, None, 7]
    hostile["errors"] = [{"kind": None}]
    found, problems = findings_from_json(hostile, program)
    assert found is not None and problems
    assert set(found.facts) == {"has_bundles"} and found.facts["has_bundles"].evidence == ()
    assert found.numbers.counts["toll-free"] == 0 and found.bundles == [] and found.errors == []
    assert findings_from_json("not a table", program)[0] is None


def test_the_detection_report_masks_every_sid_and_says_what_the_user_overrode(program, twilio):
    session, account = read_main(program, twilio, numbers=3, bundles=1)
    session.answers.account("Main").facts["ported_toll_free"] = False  # the user knows better
    session.changed()
    for lang in ("ja", "en"):
        report = detection_report(session, None, lang)
        text = json.dumps(report, ensure_ascii=False)
        assert account.sid not in text and account.token not in text and account.bundles[0]["sid"] not in text
        (main,) = report["accounts"]
        assert main["sid"] == parse_sid(account.sid).masked()
        assert main["facts"]["ported_toll_free"] == {**main["facts"]["ported_toll_free"], "value": True,
                                                    "your_answer": False}
        assert "toll-free-porting" not in main["procedures"]  # the user's answer wins
        assert main["numbers"]["by_kind"]["toll-free"] == 1 and main["balance"]["currency"] == "USD"
        assert main["bundles"][0]["sid"].startswith("BU") and "…" in main["bundles"][0]["sid"]
