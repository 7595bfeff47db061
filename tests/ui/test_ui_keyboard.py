"""Keyboard first: Tab alone goes through every page to Next (no table keeps it), Enter on a selected account
opens it, Delete removes it after asking."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget, QWizard

from kwc_desktop.ui.wizard import Page
from tests.conftest import REPO
from tests.wizard_helpers import go_to, open_window, open_with_profile, settle, with_modal

pytestmark = pytest.mark.windows

PROFILE = REPO / "examples" / "08-many-owners-keyring.toml"
MAX_TABS = 60  # more than any page has controls


def tab_until(qtbot, window: QWidget, target: QWidget) -> list[str]:  # noqa: ANN001
    """Press Tab (only Tab) until `target` has the focus; the widgets passed on the way."""
    passed = []
    for _ in range(MAX_TABS):
        focus = QApplication.focusWidget()
        if focus is target:
            return passed
        passed.append(f"{type(focus).__name__}:{focus.accessibleName() if focus else ''}")
        qtbot.keyClick(focus or window, Qt.Key.Key_Tab)
    raise AssertionError(f"{MAX_TABS} Tabs never reached {target.text()}: {passed[-12:]}")


def activate(qtbot, window: QWidget) -> None:  # noqa: ANN001
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_tab_alone_walks_every_page_to_next(qtbot, lang):
    """From Welcome to Summary with Tab and Space only, every page entered in its first control and left from
    Next, passing each table, list and text on the way; on Summary, Tab reaches Finish."""
    window = open_with_profile(qtbot, lang, PROFILE)
    wizard = window.wizard
    wizard.restart()
    activate(qtbot, window)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    seen = []
    while wizard.currentId() != Page.SUMMARY:
        seen.append(Page(wizard.currentId()))
        passed = tab_until(qtbot, window, next_button)
        assert passed or seen[-1] is Page.WELCOME, seen[-1]
        with qtbot.waitSignal(wizard.currentIdChanged, timeout=2000):
            qtbot.keyClick(next_button, Qt.Key.Key_Space)
    assert seen == [Page(p) for p in wizard.applicable_pages()][:-1]
    tab_until(qtbot, window, wizard.button(QWizard.WizardButton.FinishButton))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_tab_leaves_the_tables_of_the_tools_windows(qtbot, lang):
    window = open_with_profile(qtbot, lang, PROFILE)
    window.show_overview()
    overview = window.overview
    activate(qtbot, overview)
    overview.panel.table.setFocus()
    close = next(b for b in overview.findChildren(QWidget) if b.metaObject().className() == "QPushButton"
                 and b.isVisible() and b is not overview.panel.calendar_button)
    tab_until(qtbot, overview, close)


def accounts_page(qtbot, lang: str):  # noqa: ANN201
    window = open_with_profile(qtbot, lang, PROFILE)
    go_to(qtbot, window, Page.ACCOUNTS)
    activate(qtbot, window)
    page = window.wizard.page(Page.ACCOUNTS)
    page.table.setFocus()
    page.table.selectRow(1)
    return window, page


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_enter_on_a_selected_account_opens_it_instead_of_next(qtbot, lang):
    window, page = accounts_page(qtbot, lang)
    opened = []

    def look(dialog: QDialog) -> None:
        opened.append(dialog.label.text())
        dialog.reject()

    with_modal(look)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(opened), timeout=2000)
    assert opened == ["HQ sub-account: IVR"]
    assert window.wizard.currentId() == Page.ACCOUNTS  # Next was not pressed


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_delete_removes_the_selected_account_after_asking(qtbot, lang):
    window, page = accounts_page(qtbot, lang)
    asked = []

    def answer(button: QMessageBox.StandardButton):  # noqa: ANN202
        def press(box: QMessageBox) -> None:
            asked.append(box.text())
            asked.append(box.button(QMessageBox.StandardButton.Yes).text())
            box.button(button).click()
        return press

    labels = [a.label for a in window.context.session.answers.accounts]
    with_modal(answer(QMessageBox.StandardButton.Cancel))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=2000)
    assert [a.label for a in window.context.session.answers.accounts] == labels  # Cancel keeps it
    assert "HQ sub-account: IVR" in asked[0]
    # What goes with it is named — here no keyring, so the SID and tokens this session holds; the button
    # says what it does.
    assert ("このセッションの間だけ" if lang == "ja" else "kept for this session only") in asked[0]
    assert "keyring" not in asked[0] and "キーリング" not in asked[0]
    assert asked[1] == ("削除(&R)" if lang == "ja" else "&Remove")
    with_modal(answer(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(window.context.session.answers.accounts) == len(labels) - 1, timeout=2000)
    assert "HQ sub-account: IVR" not in [a.label for a in window.context.session.answers.accounts]
    assert "HQ sub-account: IVR" in page.removed_note.text()
    assert ("元に戻す" if lang == "ja" else "Undo remove") in page.removed_note.text()
    window.activateWindow()  # a shortcut reaches the active window only
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # and back it comes
    assert [a.label for a in window.context.session.answers.accounts] == labels
    assert page.removed_note.isHidden()


def test_tab_leaves_the_pasted_sids(qtbot):
    from kwc_desktop.ui.dialogs.paste_sids import PasteSidsDialog

    window = open_window(qtbot, "en")
    dialog = PasteSidsDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog.text.setFocus()
    qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)
    assert dialog.text.toPlainText() == "" and QApplication.focusWidget() is not dialog.text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_mistyped_bundle_sid_says_so_where_it_can_be_seen(qtbot, lang):
    """On a small window the Bundles page scrolls: the message under the new SID's field was below the
    fold, so typing "BU123" only greyed out Add. Now the page scrolls to it."""
    window = open_window(qtbot, lang)
    window.resize(800, 760)
    window.open_profile_file(REPO / "examples" / "05-bundles.toml")
    settle(qtbot, window)
    go_to(qtbot, window, Page.BUNDLES)
    page = window.wizard.page(Page.BUNDLES)
    qtbot.wait(20)
    page.new_sid.setFocus()
    qtbot.keyClicks(page.new_sid, "BU123")
    qtbot.wait(50)
    message = page.sid_message
    assert message.text() and not page.add_button.isEnabled()
    shown = message.visibleRegion().boundingRect()
    assert shown.height() >= message.height() - 1, (shown, message.height())
