"""An account's life goes through the session's commands: add, rename, remove, a profile, what was read.
Each keeps the answers, the secrets known, the findings, the plan and (by the listening keeper) the keyring
in step, whichever window or command asked."""

from __future__ import annotations

import os
import sys
from argparse import Namespace

import pytest

from kwc_desktop.domain.answers import AccountEntry, DoneScope
from kwc_desktop.domain.detection import Detected, Findings
from kwc_desktop.domain.program import KIND_FACT
from kwc_desktop.domain.session import Session
from kwc_desktop.domain.sid import parse_sid
from tests.conftest import REPO
from tests.services.test_secret_keeper import at_once

SID = "AC" + "5e" * 16
TOKEN = "f" * 32
BUNDLE = "BU" + "0" * 31 + "1"
REAL = os.environ.get("KWC_TEST_REAL_KEYRING") == "1" or sys.platform == "win32"


def labels_in_plan(session: Session) -> set[str]:
    return {a.account.label for o in session.plan().owners for a in o.accounts}


def trial_findings() -> Findings:
    return Findings(facts={KIND_FACT: Detected("trial")})


def test_each_command_renews_the_plan_without_being_told(program):
    session = Session(program)
    assert labels_in_plan(session) == set()
    session.add_account(AccountEntry("Prod", "it@example.com"))
    assert labels_in_plan(session) == {"Prod"}
    session.set_findings("Prod", trial_findings())
    assert session.plan().owners[0].accounts[0].kind.id == "trial"
    session.rename_account("Prod", "Production")
    assert labels_in_plan(session) == {"Production"}
    assert session.plan().owners[0].accounts[0].kind.id == "trial"  # what was read follows the name
    session.update_account("Production", "it@example.com", "standard")
    assert session.plan().owners[0].accounts[0].kind.id == "standard"  # chosen against Twilio: it wins
    assert session.answers.account("Production").kind_overridden
    session.remove_account("Production")
    assert labels_in_plan(session) == set()


def test_a_rename_reaches_progress_findings_plan_and_what_is_done(program):
    session = Session(program)
    session.add_account(AccountEntry("Prod", "it@example.com"), parse_sid(SID), source="typed")
    session.add_account(AccountEntry("Child", "it@example.com", parent="Prod"))
    session.set_findings("Prod", Findings(facts={KIND_FACT: Detected("trial")}, bundles=[]))
    session.answers.done[DoneScope.account("Prod")] = {"a-step"}
    session.answers.billing_account = "Prod"
    session.rename_account("Prod", "Production")
    state = session.progress_state()
    assert [a["label"] for a in state["accounts"]] == ["Production", "Child"]
    assert set(state["detections"]) == {"Production"}
    assert session.answers.account("Child").parent == "Production"
    assert session.answers.billing_account == "Production"
    assert session.answers.done[DoneScope.account("Production")] == {"a-step"}
    assert session.secrets.sids["Production"].value == SID and "Prod" not in session.secrets.sids
    assert session.secrets.sid_sources["Production"] == "typed"
    assert set(session.findings) == {"Production"} and "Prod" not in labels_in_plan(session)
    with pytest.raises(ValueError):
        session.rename_account("Production", "Child")  # a label is never taken twice


def test_the_keeper_follows_a_rename_and_a_removal_into_the_keyring(program, tmp_path):
    """Plain Python: the keeper listens to the session; nobody else moves the keyring's entries."""
    from kwc_desktop.services.secret_keeper import SecretKeeper
    from kwc_desktop.services.secrets import KeyringSecrets
    from tests.reliability.fake_keyrings import SlowKeyring

    store = KeyringSecrets(SlowKeyring(0))
    session = Session(program)
    keeper = SecretKeeper(session, store, at_once, lambda: None)
    session.listeners.append(keeper)
    session.add_account(AccountEntry("Prod", "it@example.com"))
    keeper.write_secret("Prod", "sid", SID)
    keeper.write_secret("Prod", "token", TOKEN)
    session.rename_account("Prod", "Production")
    assert (store.get("Production", "sid"), store.get("Production", "token")) == (SID, TOKEN)
    assert store.get("Prod", "sid") is None and store.get("Prod", "token") is None
    assert session.secrets.tokens == {"Production"}
    session.remove_account("Production")
    assert store.get("Production", "sid") is None and store.get("Production", "token") is None
    assert session.secrets.sids == {} and session.secrets.tokens == set()


@pytest.mark.skipif(not REAL, reason="needs scripts/test.sh's keyring (or Windows' Credential Manager)")
def test_renaming_in_the_window_moves_the_real_keyring_entries(qtbot):
    from kwc_desktop.services.secrets import open_keyring
    from tests.wizard_helpers import open_window, settle

    store = open_keyring()
    try:
        window = open_window(qtbot, "en", secrets=store)
        session, keeper = window.context.session, window.context.keeper
        session.add_account(AccountEntry("Life", "it@example.com"))
        keeper.write_secret("Life", "sid", SID)
        keeper.write_secret("Life", "token", TOKEN)
        keeper.write_secret("Life", "bundles", BUNDLE)
        settle(qtbot, window)
        session.set_findings("Life", trial_findings())
        session.rename_account("Life", "Life renamed")
        window.context.touch()
        settle(qtbot, window)
        assert [store.get("Life renamed", k) for k in ("sid", "token", "bundles")] == [SID, TOKEN, BUNDLE]
        assert [store.get("Life", k) for k in ("sid", "token", "bundles")] == [None, None, None]
        assert set(session.progress_state()["detections"]) == {"Life renamed"}
        assert labels_in_plan(session) == {"Life renamed"}
        session.remove_account("Life renamed")
        settle(qtbot, window)
        assert [store.get("Life renamed", k) for k in ("sid", "token", "bundles")] == [None, None, None]
    finally:
        for label in ("Life", "Life renamed"):
            for kind in ("sid", "token", "bundles"):
                store.delete(label, kind)


def test_the_command_line_and_file_open_read_a_profile_the_same_way(qtbot, program):
    from kwc_desktop.cli.common import session_for
    from kwc_desktop.services.secrets import SessionSecrets
    from tests.wizard_helpers import open_window

    profile = REPO / "examples" / "02-invoice-hq-sms.toml"
    _lang, cli = session_for(Namespace(lang="en", program=None, as_of=None, profile=profile, keyring=False))
    window = open_window(qtbot, "en", secrets=SessionSecrets())
    assert window.open_profile_file(profile) is None
    gui = window.context.session
    cli_state, gui_state = cli.progress_state(), gui.progress_state()
    for state in (cli_state, gui_state):
        state.pop("page", None)
        state.pop("as_of", None)
    assert cli_state == gui_state
    assert cli.secrets.sids == gui.secrets.sids and cli.secrets.bundles == gui.secrets.bundles
    assert {label: cli.secrets.sid_sources[label] for label in cli.secrets.sids} == \
        dict.fromkeys(cli.secrets.sids, "profile")


def test_a_profile_removes_the_accounts_it_does_not_name_and_keeps_the_chosen_moment(program):
    from datetime import datetime

    from kwc_desktop.services.profiles import open_profile

    session = Session(program)
    moment = datetime(2023, 4, 1, 9, 0, tzinfo=program.tz)
    session.set_as_of(moment)
    session.add_account(AccountEntry("Gone", "x@example.com"), parse_sid(SID))
    session.set_findings("Gone", trial_findings())
    applied = open_profile(REPO / "examples" / "02-invoice-hq-sms.toml", session)
    assert applied.dropped == ["Gone"]
    assert session.answers.account("Gone") is None and "Gone" not in session.secrets.sids
    assert session.findings == {} and session.as_of == moment
    assert labels_in_plan(session) == {a.label for a in session.answers.accounts}
