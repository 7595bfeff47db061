"""Removing an account can be undone until the removal is final (a profile saved or opened, the window
closed): the account comes back where it stood, with its ticks, its sub-accounts, the billing mail, what was
known of its secrets, what was read for it — and, by the listening keeper, its keyring entries."""

from __future__ import annotations

import pytest

from kwc_desktop.domain.answers import AccountEntry, DoneScope
from kwc_desktop.domain.detection import Detected, Findings
from kwc_desktop.domain.program import KIND_FACT
from kwc_desktop.domain.session import Session
from kwc_desktop.domain.sid import parse_sid
from tests.domain.test_account_life import REAL, labels_in_plan
from tests.services.test_secret_keeper import at_once

SID = "AC" + "7a" * 16
TOKEN = "e" * 32
API_KEY = "SK" + "1" * 32 + ":" + "s" * 32
BUNDLE = "BU" + "0" * 31 + "2"
KINDS = ("sid", "token", "api_key", "bundles")


def three_accounts(program) -> Session:  # noqa: ANN001
    session = Session(program)
    session.add_account(AccountEntry("First", "a@example.com"))
    session.add_account(AccountEntry("Prod", "it@example.com"), parse_sid(SID), source="keyring")
    session.add_account(AccountEntry("Child", "it@example.com", parent="Prod"))
    session.secrets.tokens.add("Prod")
    session.set_findings("Prod", Findings(facts={KIND_FACT: Detected("trial")}))
    session.answers.done[DoneScope.account("Prod")] = {"consent/submit"}
    session.answers.done[DoneScope.documents("Prod")] = {"doc-1"}
    session.answers.billing_account = "Prod"
    return session


def test_undo_brings_back_everything_a_removal_took(program):
    session = three_accounts(program)
    before = session.progress_state()
    session.remove_account("Prod", undoable=True)
    assert session.last_removed() == "Prod"
    assert [a.label for a in session.answers.accounts] == ["First", "Child"]
    assert session.answers.account("Child").parent == "" and session.answers.billing_account == ""
    assert "Prod" not in labels_in_plan(session)

    assert session.undo_remove() == "Prod"
    assert session.progress_state() == before  # order, parent, ticks, billing mail, what was read
    assert session.secrets.sids["Prod"].value == SID and session.secrets.sid_sources["Prod"] == "keyring"
    assert session.secrets.tokens == {"Prod"}
    assert session.plan().owners[-1].accounts[0].kind.id == "trial"
    assert session.last_removed() is None and session.undo_remove() is None


def test_undo_goes_back_one_removal_at_a_time_and_keeps_what_changed_since(program):
    session = three_accounts(program)
    session.remove_account("Prod", undoable=True)
    session.remove_account("First", undoable=True)
    session.answers.account("Child").parent = "First"  # changed since: not undone
    session.add_account(AccountEntry("Prod", "new@example.com"))  # the label was taken again
    assert session.undo_remove() == "First"
    assert session.undo_remove() == "Prod (2)"
    assert [a.label for a in session.answers.accounts] == ["First", "Prod (2)", "Child", "Prod"]
    assert session.answers.account("Child").parent == "First"
    assert session.answers.done[DoneScope.account("Prod (2)")] == {"consent/submit"}
    assert session.answers.billing_account == "Prod (2)"
    assert session.secrets.sids["Prod (2)"].value == SID and "Prod" not in session.secrets.sids


def test_a_removal_is_final_after_forget_a_profile_or_a_plain_remove(program):
    from kwc_desktop.services.profiles import open_profile
    from tests.conftest import REPO

    session = three_accounts(program)
    session.remove_account("First")  # not asked for an undo (a profile dropping it, a command)
    assert session.last_removed() is None
    session.remove_account("Prod", undoable=True)
    session.forget_removed()
    assert session.undo_remove() is None
    session.remove_account("Child", undoable=True)
    open_profile(REPO / "examples" / "02-invoice-hq-sms.toml", session)
    assert session.undo_remove() is None and session.answers.account("Child") is None


def test_the_keeper_writes_a_removed_accounts_secrets_back_on_undo(program):
    """Plain Python, the keyring a fake one (the real Secret Service is below)."""
    from kwc_desktop.services.secret_keeper import SecretKeeper
    from kwc_desktop.services.secrets import KeyringSecrets
    from tests.reliability.fake_keyrings import SlowKeyring

    store = KeyringSecrets(SlowKeyring(0))
    session = Session(program)
    keeper = SecretKeeper(session, store, at_once, lambda: None)
    session.listeners.append(keeper)
    session.add_account(AccountEntry("Prod", "it@example.com"))
    for kind, value in zip(KINDS, (SID, TOKEN, API_KEY, BUNDLE), strict=True):
        keeper.write_secret("Prod", kind, value)
    session.remove_account("Prod", undoable=True)
    assert [store.get("Prod", k) for k in KINDS] == [None] * 4
    session.undo_remove()
    assert [store.get("Prod", k) for k in KINDS] == [SID, TOKEN, API_KEY, BUNDLE]
    assert session.secrets.api_keys["Prod"].value == API_KEY[:34] and session.secrets.tokens == {"Prod"}

    session.remove_account("Prod", undoable=True)
    session.forget_removed()
    assert keeper.trash == [] and [store.get("Prod", k) for k in KINDS] == [None] * 4


@pytest.mark.skipif(not REAL, reason="needs scripts/test.sh's keyring (or Windows' Credential Manager)")
def test_remove_and_undo_in_the_window_delete_and_rewrite_the_real_keyring_entries(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from kwc_desktop.services.secrets import open_keyring
    from kwc_desktop.ui.wizard import Page
    from tests.wizard_helpers import go_to, open_window, settle, with_modal

    store = open_keyring()
    try:
        window = open_window(qtbot, "en", secrets=store)
        session, keeper = window.context.session, window.context.keeper
        session.add_account(AccountEntry("Undo me", "it@example.com"))
        for kind, value in zip(KINDS, (SID, TOKEN, API_KEY, BUNDLE), strict=True):
            keeper.write_secret("Undo me", kind, value)
        window.context.touch()
        settle(qtbot, window)
        go_to(qtbot, window, Page.ACCOUNTS)
        page = window.wizard.page(Page.ACCOUNTS)
        assert page.undo_button.isHidden()  # nothing removed: nothing offered
        page.table.selectRow(0)
        page.table.setFocus()
        asked: list[str] = []
        with_modal(lambda box: (asked.append(box.text()), box.button(QMessageBox.StandardButton.Yes).click()))
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
        settle(qtbot, window)
        assert "deleted from the keyring too" in asked[0]  # a real keyring: its entries are named
        assert session.answers.account("Undo me") is None
        assert [store.get("Undo me", k) for k in KINDS] == [None] * 4
        assert page.undo_button.isVisible() and "“Undo me”" in page.removed_note.text()
        assert "“Undo me”" in page.undo_button.toolTip()

        window.activateWindow()  # a shortcut reaches the active window only
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot, window)
        assert [store.get("Undo me", k) for k in KINDS] == [SID, TOKEN, API_KEY, BUNDLE]
        assert page.table.item(0, 0).text() == "Undo me" and page.table.currentRow() == 0
        assert page.undo_button.isHidden() and page.removed_note.isHidden()
    finally:
        for kind in KINDS:
            store.delete("Undo me", kind)


def test_saving_a_profile_makes_the_removal_final_in_the_window(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from kwc_desktop.ui.wizard import Page
    from tests.wizard_helpers import go_to, open_window, with_modal

    window = open_window(qtbot, "ja")
    window.context.session.add_account(AccountEntry("Gone", "it@example.com"))
    window.context.session.add_account(AccountEntry("Kept", "it@example.com"))
    window.context.touch()
    go_to(qtbot, window, Page.ACCOUNTS)
    page = window.wizard.page(Page.ACCOUNTS)
    page.table.selectRow(0)
    with_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    page.remove_button.click()
    assert page.undo_button.isVisible() and "「Gone」を削除しました" in page.removed_note.text()
    assert "「Gone」を" in page.undo_button.toolTip()
    assert window.save_profile_file(tmp_path / "after.toml") is None
    assert page.undo_button.isHidden() and page.removed_note.isHidden()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing to bring back
    assert [a.label for a in window.context.session.answers.accounts] == ["Kept"]


class Later:
    """A job runner that keeps jobs until `run()`: in order, as the real one, but while the user goes on."""

    def __init__(self) -> None:
        self.jobs: list = []

    def __call__(self, work, done=None, progress=None) -> None:  # noqa: ANN001
        self.jobs.append((work, done, progress))

    def run(self) -> None:
        while self.jobs:
            at_once(*self.jobs.pop(0))


def slow_keeper(program, values: dict[str, str]):  # noqa: ANN001, ANN201
    from kwc_desktop.services.secret_keeper import SecretKeeper
    from kwc_desktop.services.secrets import KeyringSecrets
    from tests.reliability.fake_keyrings import SlowKeyring

    store = KeyringSecrets(SlowKeyring(0))
    session, runner = Session(program), Later()
    keeper = SecretKeeper(session, store, runner, lambda: None)
    session.listeners.append(keeper)
    session.add_account(AccountEntry("Prod", "it@example.com"))
    for kind, value in values.items():
        keeper.write_secret("Prod", kind, value)
    runner.run()
    return session, keeper, store, runner


def test_an_undo_while_the_keyring_is_read_waits_and_follows_a_rename(program):
    """Undone, then renamed, before the removed account's keyring read came back: its secrets end up under
    the new name (they once went back under the old one, and the renamed account had none)."""
    session, keeper, store, runner = slow_keeper(program, {"sid": SID, "token": TOKEN})
    session.remove_account("Prod", undoable=True)
    assert not keeper.restorable("Prod")  # what the keyring held is still being read
    session.undo_remove()
    session.rename_account("Prod", "Renamed")
    runner.run()
    assert [store.get("Renamed", k) for k in ("sid", "token")] == [SID, TOKEN]
    assert [store.get("Prod", k) for k in ("sid", "token")] == [None, None]
    assert set(session.secrets.sids) == {"Renamed"} and session.secrets.tokens == {"Renamed"}


def test_removed_again_before_the_read_came_back_stays_removed_and_can_still_be_undone(program):
    session, keeper, store, runner = slow_keeper(program, {"sid": SID, "token": TOKEN})
    session.remove_account("Prod", undoable=True)
    session.undo_remove()
    session.remove_account("Prod", undoable=True)
    runner.run()
    assert [store.get("Prod", k) for k in ("sid", "token")] == [None, None]  # removed: nothing came back
    assert session.answers.accounts == [] and session.secrets.sids == {}
    assert keeper.restorable("Prod")
    session.undo_remove()
    runner.run()
    assert [store.get("Prod", k) for k in ("sid", "token")] == [SID, TOKEN]


def test_a_token_the_keyring_could_not_give_back_is_not_shown_as_there(program):
    from kwc_desktop.services.secrets import SecretReadFailed

    session, keeper, store, runner = slow_keeper(program, {"sid": SID, "token": TOKEN})
    real_get = store.get

    def failing_get(label: str, kind: str) -> str | None:
        if kind == "token":
            raise SecretReadFailed("test keyring", "OSError")
        return real_get(label, kind)

    store.get = failing_get  # type: ignore[method-assign]
    session.remove_account("Prod", undoable=True)
    runner.run()
    store.get = real_get  # type: ignore[method-assign]
    session.undo_remove()
    runner.run()
    assert store.get("Prod", "sid") == SID and store.get("Prod", "token") is None
    assert "Prod" in session.secrets.sids and "Prod" not in session.secrets.tokens


def test_a_removed_sub_account_comes_back_under_its_own_parent(program):
    """P with its sub-account C; C removed, P removed, a new unrelated "P" added: undone twice, C is under
    the P that came back ("P (2)"), not under the new one."""
    session = Session(program)
    session.add_account(AccountEntry("P", "it@example.com"))
    session.add_account(AccountEntry("C", "it@example.com", parent="P"))
    session.remove_account("C", undoable=True)
    session.remove_account("P", undoable=True)
    session.add_account(AccountEntry("P", "other@example.com"))
    assert session.undo_remove() == "P (2)"
    assert session.undo_remove() == "C"
    assert session.answers.account("C").parent == "P (2)"
    session.remove_account("C", undoable=True)
    session.remove_account("P (2)")  # for good (not undoable): C comes back with its own credentials
    session.undo_remove()
    assert session.answers.account("C").parent == ""
