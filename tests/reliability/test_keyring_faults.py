"""The keyring misbehaving — no bus, locked, refusing writes, raising what keyring never documents,
taking seconds per call — and nothing the user typed is lost, the window stays responsive, and every
failure is one clear sentence (in the CLI too). The misbehaving backends are test stand-ins
(tests/reliability/fake_keyrings.py): a real Secret Service cannot be made to do these on demand."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kwc_desktop.domain.answers import AccountEntry
from kwc_desktop.services.secrets import KeyringSecrets
from kwc_desktop.ui.wizard import Page
from tests.conftest import REPO
from tests.reliability import fake_keyrings
from tests.reliability.conftest import app_env, run_app
from tests.wizard_helpers import open_window, settle, with_modal

SID = "AC" + "5e" * 16
TOKEN = "7c" * 16
BACKENDS = "tests.reliability.fake_keyrings."


class Unlockable(fake_keyrings.LockedKeyring):
    """Locked until the test unlocks it (as a user would, in the OS)."""

    locked = True

    def get_password(self, service: str, username: str) -> str | None:
        return super().get_password(service, username) if self.locked else self.values.get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.locked:
            super().set_password(service, username, password)
        self.values[f"{service}/{username}"] = password


def add_account(window, label: str = "Prod") -> None:  # noqa: ANN001
    """What the Add account dialog does on OK."""
    context = window.context
    context.session.add_account(AccountEntry(label, "it@example.com"))
    context.keeper.write_secret(label, "sid", SID)
    context.keeper.write_secret(label, "token", TOKEN)
    context.touch()


@pytest.mark.parametrize("backend", [Unlockable(), fake_keyrings.WriteFailsKeyring()], ids=["locked", "write-fails"])
def test_a_refused_write_keeps_what_was_typed_for_the_session_with_a_retry(qtbot, backend):
    window = open_window(qtbot, "en", secrets=KeyringSecrets(backend))
    add_account(window)
    settle(qtbot, window)
    context = window.context
    assert context.session.secrets.sids["Prod"].value == SID and "Prod" in context.session.secrets.tokens  # shown, not thrown away
    notice = window.notices["keyring"]
    assert notice.isVisible() and notice.button.isVisible()
    assert "Account SID of “Prod”" in notice.text() and "Auth Token of “Prod”" in notice.text()
    assert ("locked" if isinstance(backend, Unlockable) else "Could not save") in notice.text()
    assert context.keeper.kept.get("Prod", "sid") == SID  # in memory only
    if isinstance(backend, Unlockable):
        backend.locked = False  # the user unlocks the keyring, then presses Retry
        qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
        settle(qtbot, window)
        assert backend.values["kwc-desktop/account:Prod:sid"] == SID
        assert backend.values["kwc-desktop/account:Prod:token"] == TOKEN
        assert notice.text() == "" and context.not_saved() == []
        assert context.keeper.kept.get("Prod", "sid") is None  # the keyring has it now: memory lets go


def test_a_read_that_raises_something_unknown_is_one_sentence_and_no_traceback(qtbot, capfd):
    window = open_window(qtbot, "en", secrets=KeyringSecrets(fake_keyrings.ReadRaisesKeyring()))
    window.context.session.add_account(AccountEntry("Prod", "it@example.com"))
    window.context.keeper.reload_secrets()
    settle(qtbot, window)
    notice = window.notices["keyring"].text()
    assert notice.startswith("Could not read from the keyring") and "RuntimeError" in notice
    out, err = capfd.readouterr()
    assert "Traceback" not in err and "ACffff" not in out + err + notice  # the exception's text never shows


@pytest.mark.parametrize("backend", ["LockedKeyring", "ReadRaisesKeyring", "BrokenOnLoadKeyring"])
def test_the_cli_maps_every_keyring_failure(tmp_path, backend):
    profile = REPO / "examples" / "08-many-owners-keyring.toml"
    result = run_app("plan", str(profile), "--keyring", "--json", "--as-of", "2023-04-01",
                     env=app_env(tmp_path / "data", tmp_path, PYTHON_KEYRING_BACKEND=BACKENDS + backend))
    assert result.returncode == 0 and "Traceback" not in result.stderr and "ACffff" not in result.stdout
    sources = {a["sid_source"] for o in json.loads(result.stdout)["owners"] for a in o["accounts"]}
    assert "keyring-unavailable" in sources


def test_no_bus_means_session_only_and_says_so(tmp_path):
    result = run_app("--smoke=resume", env=app_env(tmp_path / "data", tmp_path,
                                                    DBUS_SESSION_BUS_ADDRESS="disabled:"))
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["keyring"] is None and "kept for this session only" in " ".join(report["notices"])
    assert report["collecting"] is True  # the garbage collector, off while the window is built, is on again


def _largest_gap_while(qtbot, condition, timeout_s: float) -> float:
    """Run the event loop until `condition()`; the longest time (ms) the loop did not get to a 5 ms timer."""
    clock, gaps = QElapsedTimer(), [0.0]
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    qtbot.waitUntil(condition, timeout=int(timeout_s * 1000))
    timer.stop()
    return max(gaps)


def test_a_slow_keyring_keeps_the_window_responsive_and_shows_each_sid_as_it_arrives(qtbot):
    backend = fake_keyrings.SlowKeyring(delay=0.3)
    for n in range(5):
        backend.values[f"kwc-desktop/account:A{n}:sid"] = f"AC{n:032x}"
    window = open_window(qtbot, "en", secrets=KeyringSecrets(backend))
    context = window.context
    settle(qtbot, window)
    for n in range(5):
        context.session.add_account(AccountEntry(f"A{n}", "it@example.com"))
    context.touch()
    started = time.monotonic()
    context.keeper.reload_secrets()
    first_sid = _largest_gap_while(qtbot, lambda: "A0" in context.session.secrets.sids, 5)
    assert time.monotonic() - started < 1.0  # the first SID is there after one call, not after the pass
    assert context.keeper.keyring_busy == "reading"  # while the rest is still being read
    rest = _largest_gap_while(qtbot, lambda: not context.keeper.keyring_busy, 10)
    assert len(context.session.secrets.sids) == 5
    context.keeper.write_secret("A0", "token", TOKEN)
    assert ("A0", "token") in context.saving  # the table and the page say "saving…"
    window.wizard.ensure_pages()
    accounts = window.wizard.page(Page.ACCOUNTS)
    accounts.refresh()
    assert accounts.banner.text() == "Saving to the keyring…"
    assert "(saving…)" in accounts.table.item(0, 4).text()
    writing = _largest_gap_while(qtbot, lambda: not context.saving, 5)
    assert max(first_sid, rest, writing) < 100  # ms: no freeze while the keyring takes its time
    assert backend.values["kwc-desktop/account:A0:token"] == TOKEN


def test_quitting_with_a_write_still_under_way_waits_about_a_second_and_says_what_is_not_saved(qtbot):
    backend = fake_keyrings.SlowKeyring(delay=6)
    window = open_window(qtbot, "en", secrets=KeyringSecrets(fake_keyrings.SlowKeyring(delay=0)),
                         ask_before_quitting=True)
    window.context.keeper.secrets = KeyringSecrets(backend)
    add_account(window)
    seen: dict[str, object] = {}

    def answer(box: QMessageBox, choice: str) -> None:
        seen["text"] = box.text()
        button = next(b for b in box.buttons() if choice in b.text())
        button.click()

    started = time.monotonic()
    with_modal(lambda box: answer(box, "Stay"))
    window.close()
    assert 0.9 < time.monotonic() - started < 3  # waited about a second, not six
    assert window.isVisible()  # stayed
    assert "Account SID of “Prod”" in str(seen["text"]) and "Auth Token of “Prod”" in str(seen["text"])
    with_modal(lambda box: answer(box, "Quit anyway"))
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 3 and not window.isVisible()
    QApplication.processEvents()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_without_a_keyring_quitting_names_what_only_memory_holds_and_lets_the_user_stay(qtbot, lang):
    """No keyring at all: what was typed lives in memory only, so Quit (and the wizard's Cancel) asks first;
    a profile's SIDs are not on the list — the profile still has them."""
    from kwc_desktop.services.secrets import SessionSecrets

    window = open_window(qtbot, lang, secrets=SessionSecrets(), ask_before_quitting=True)
    assert window.open_profile_file(REPO / "examples" / "02-invoice-hq-sms.toml") is None
    settle(qtbot, window)
    window.close()  # only the profile's SIDs: nothing to lose, no question
    assert not window.isVisible()
    window.show()
    add_account(window, "Typed")
    seen: list[str] = []

    def answer(box: QMessageBox, role: QMessageBox.ButtonRole) -> None:
        seen.append(box.text())
        next(b for b in box.buttons() if box.buttonRole(b) == role).click()

    with_modal(lambda box: answer(box, QMessageBox.ButtonRole.RejectRole))
    window.wizard.reject()  # Cancel, as the wizard's button does
    assert window.isVisible() and window.wizard.isVisible()  # stayed, on the wizard
    sid_name = "「Typed」のAccount SID" if lang == "ja" else "Account SID of “Typed”"
    assert sid_name in seen[0] and ("キーリングがない" if lang == "ja" else "no keyring") in seen[0]
    assert "Notifications" not in seen[0]  # the profile's accounts are not listed
    with_modal(lambda box: answer(box, QMessageBox.ButtonRole.DestructiveRole))
    window.close()
    assert not window.isVisible() and len(seen) == 2


def test_the_started_app_reads_a_slow_keyring_and_still_resumes(tmp_path, program):
    """The real start path with PYTHON_KEYRING_BACKEND: 3 accounts, 0.4 s a call."""
    from kwc_desktop.services.progress import ProgressStore

    answers = {"accounts": [{"label": f"A{n}", "owner_email": "it@example.com"} for n in range(3)], "page": "accounts"}
    ProgressStore(tmp_path / "data").save(answers)
    stored = tmp_path / "keyring.json"
    stored.write_text(json.dumps({f"kwc-desktop/account:A{n}:sid": f"AC{n:032x}" for n in range(3)}))
    result = run_app("--smoke=resume", env=app_env(tmp_path / "data", tmp_path,
                                                    PYTHON_KEYRING_BACKEND=BACKENDS + "SlowKeyring",
                                                    KWC_TEST_KEYRING_DELAY="0.4", KWC_TEST_KEYRING_FILE=str(stored)))
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["page"] == "accounts" and report["sids"] == 3 and report["notices"] == []


def test_renaming_an_account_moves_its_session_secrets_too(qtbot):
    from kwc_desktop.services.secrets import SessionSecrets

    secrets = SessionSecrets()
    window = open_window(qtbot, "en", secrets=secrets)
    add_account(window)
    window.context.session.rename_account("Prod", "Production")
    settle(qtbot, window)
    assert secrets.get("Production", "sid") == SID and secrets.get("Prod", "sid") is None
    assert window.context.session.secrets.sids["Production"].value == SID


def test_retry_without_a_keyring_looks_for_one_again_and_then_saves_what_is_held(qtbot):
    """Started with no keyring (session memory); Retry finds the test session's real keyring when there is
    one and saves the SID there, or else keeps it and says so again."""
    from kwc_desktop.services.secrets import SessionSecrets, open_secrets

    window = open_window(qtbot, "en", secrets=SessionSecrets())
    add_account(window, "Retried")
    notice = window.notices["keyring"]
    assert "kept for this session only" in notice.text()
    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    store, problem = open_secrets()
    try:
        if problem is None:  # scripts/test.sh: gnome-keyring is there
            assert store.get("Retried", "sid") == SID and notice.text() == ""
        else:
            assert "kept for this session only" in notice.text() and window.context.session.secrets.sids["Retried"].value == SID
    finally:
        for kind in ("sid", "token"):
            store.delete("Retried", kind)  # type: ignore[arg-type]


def test_a_damaged_entry_is_reported_and_skipped_the_rest_shown(qtbot):
    """One account's SID entry is not a SID, another's Bundle SIDs hold one bad part: every valid value
    is shown, the bad ones are left out, and the keyring notice names the account."""
    store = KeyringSecrets(fake_keyrings.SlowKeyring(0))
    bundle_one, bundle_two = "BU" + "0" * 31 + "1", "BU" + "0" * 31 + "2"
    store.set("Good", "sid", SID)
    store.set("Good", "bundles", f"{bundle_one},garbage,{bundle_two}")
    store.set("Bad", "sid", "not a sid at all")
    store.set("Bad", "token", TOKEN)
    window = open_window(qtbot, "en", secrets=store)
    context = window.context
    context.session.answers.accounts += [AccountEntry("Good", "it@example.com"), AccountEntry("Bad", "it@example.com")]
    context.keeper.reload_secrets()
    settle(qtbot, window)
    assert context.session.secrets.sids["Good"].value == SID and "Bad" not in context.session.secrets.sids
    assert [s.value for s in context.session.secrets.bundles["Good"]] == [bundle_one, bundle_two]
    assert "Bad" in context.session.secrets.tokens  # its token is still there
    notice = window.notices["keyring"].text()
    assert notice == ("The keyring holds a value for “Bad, Good” that is not a valid SID, so that value is not "
                      "shown (the others are): edit the account and enter it again.")


@pytest.mark.parametrize("button", ["cancel", "finish"])
def test_cancel_and_finish_ask_as_quit_does_and_staying_keeps_the_wizard(qtbot, button):
    """Cancel (and Finish on the last page) once quit at once, taking the unsaved secrets with them."""
    from PySide6.QtWidgets import QWizard

    window = open_window(qtbot, "en", secrets=KeyringSecrets(fake_keyrings.WriteFailsKeyring()),
                         ask_before_quitting=True)
    add_account(window)
    settle(qtbot, window)
    wizard = window.wizard
    if button == "finish":
        wizard.ensure_pages()
        while wizard.currentId() != wizard.pageIds()[-1]:
            wizard.next()
    page = wizard.currentId()
    seen: dict[str, object] = {}

    def stay(box: QMessageBox) -> None:
        seen["text"] = box.text()
        next(b for b in box.buttons() if "Stay" in b.text()).click()

    with_modal(stay)
    try:
        wizard.button(QWizard.WizardButton.CancelButton if button == "cancel" else
                      QWizard.WizardButton.FinishButton).click()
        QApplication.processEvents()
        assert "Account SID of “Prod”" in str(seen.get("text"))  # asked, naming what would be lost
        assert window.isVisible() and wizard.isVisible() and wizard.currentId() == page  # stayed, on that page
    finally:
        window.ask_before_quitting = False  # the teardown closes it: nobody to answer
