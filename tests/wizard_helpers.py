"""Building the real window for tests: fixed clock, in-memory secrets, app data in tmp."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kwc_desktop.app import build_window
from kwc_desktop.domain.clock import FixedClock
from kwc_desktop.services.program_store import load_program
from kwc_desktop.services.secrets import SessionSecrets
from kwc_desktop.ui.main_window import MainWindow
from kwc_desktop.ui.wizard import Page

TZ = load_program().tz


def open_window(qtbot, lang: str = "en", at: str = "2023-04-10T10:00", secrets=None,  # noqa: ANN001
                ask_before_quitting: bool = False) -> MainWindow:
    """The window; closing it asks about secrets only memory holds when `ask_before_quitting` (a test that
    answers the question), else it closes as at the end of a session (most tests type SIDs and no keyring)."""
    app = QApplication.instance()
    window = build_window(app, clock=FixedClock(datetime.fromisoformat(at).replace(tzinfo=TZ)),  # type: ignore[arg-type]
                          secrets=secrets if secrets is not None else SessionSecrets(), lang=lang)  # type: ignore[arg-type]
    # The teardown closes the window: nobody is there to answer the question about secrets kept in memory.
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "ask_before_quitting", False))
    window.ask_before_quitting = ask_before_quitting
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot, window)
    return window


def open_with_profile(qtbot, lang: str, profile, **options) -> MainWindow:  # noqa: ANN001
    """The window (as `open_window`, with its `options`) with a profile opened and the keyring's work done."""
    window = open_window(qtbot, lang, **options)
    assert window.open_profile_file(profile) is None
    settle(qtbot, window)
    return window


def settle(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    """Let queued keyring work finish and its results arrive — and what those results queue in turn."""
    jobs = window.context.jobs
    for _round in range(50):
        window.context.wait_for_background()
        qtbot.wait(10)
        if jobs.unfinished() == 0:
            return
    raise AssertionError("background jobs did not settle")


def summary_steps(window: MainWindow) -> list[tuple[str, str, str]]:
    """Every step row of the Summary tree: (scope key, step key, state text)."""
    from kwc_desktop.ui.pages.summary import KEY_ROLE, SCOPE_ROLE

    page = window.wizard.page(Page.SUMMARY)
    rows = []

    def visit(item) -> None:  # noqa: ANN001
        if item.data(0, KEY_ROLE):
            rows.append((item.data(0, SCOPE_ROLE).key(), item.data(0, KEY_ROLE), item.text(2)))
        for i in range(item.childCount()):
            visit(item.child(i))

    for i in range(page.tree.topLevelItemCount()):
        visit(page.tree.topLevelItem(i))
    return rows


def walk(qtbot, window: MainWindow) -> list[Page]:  # noqa: ANN001
    """Press Next from the start until Summary; the pages seen, in order."""
    wizard = window.wizard
    wizard.restart()
    seen = [Page(wizard.currentId())]
    while wizard.currentId() != Page.SUMMARY:
        assert wizard.button(wizard.WizardButton.NextButton).isEnabled(), f"Next disabled on {seen[-1].name}"
        with qtbot.waitSignal(wizard.currentIdChanged, timeout=2000):
            qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
        seen.append(Page(wizard.currentId()))
    return seen


def go_to(qtbot, window: MainWindow, page: Page) -> None:  # noqa: ANN001
    wizard = window.wizard
    wizard.restart()
    while wizard.currentId() != page:
        with qtbot.waitSignal(wizard.currentIdChanged, timeout=2000):
            wizard.next()


def with_modal(action: Callable[[QWidget], None]) -> None:
    """Run `action` on the next modal dialog once it is shown (dialogs run their own event loop)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        try:
            action(dialog)
        except BaseException:
            dialog.reject()  # never leave a test hanging in the dialog's event loop
            raise

    QTimer.singleShot(0, poll)


def visible_texts(widget: QWidget) -> list[str]:
    """Every piece of text a user can see in `widget` and its visible children."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QTableWidget,
        QTabWidget,
        QTreeWidget,
        QWizardPage,
    )

    texts: list[str] = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisibleTo(widget.window()) and child is not widget:
            continue
        if isinstance(child, QLabel):
            texts.append(child.text())
        elif isinstance(child, QAbstractButton):
            texts.append(child.text())
        elif isinstance(child, QGroupBox):
            texts.append(child.title())
        elif isinstance(child, QLineEdit):
            texts.append(child.placeholderText())
        elif isinstance(child, QComboBox):
            texts += [child.itemText(i) for i in range(child.count())]
        elif isinstance(child, QTabWidget):
            texts += [child.tabText(i) for i in range(child.count())]
        elif isinstance(child, QTreeWidget):
            texts += [child.headerItem().text(i) for i in range(child.columnCount())]
        elif isinstance(child, QTableWidget):
            texts += [child.horizontalHeaderItem(i).text() for i in range(child.columnCount())
                      if child.horizontalHeaderItem(i)]
        if isinstance(child, QWizardPage):
            texts += [child.title(), child.subTitle()]
    return [t for t in texts if t and t.strip()]


def type_text(qtbot, widget: QWidget, text: str) -> None:  # noqa: ANN001
    """Type as a user would: ASCII as key presses, anything else committed by the input method (IME)."""
    import re

    from PySide6.QtGui import QInputMethodEvent

    for chunk in re.split(r"([\x20-\x7e]+)", text):
        if not chunk:
            continue
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def each_page(window: MainWindow):  # noqa: ANN201
    """From the start to Summary with Next, yielding each page the answers lead to."""
    wizard = window.wizard
    wizard.restart()
    while True:
        yield Page(wizard.currentId()), wizard.currentPage()
        if wizard.currentId() == Page.SUMMARY:
            return
        wizard.next()


def switch(qtbot, window: MainWindow, lang: str) -> None:  # noqa: ANN001
    """Language → `lang`, as the menu does, and let what it sets off settle."""
    action = next(a for a in window.language_actions.actions() if a.data() == lang)
    action.trigger()
    settle(qtbot, window)


def own_names(window: MainWindow) -> set[str]:
    """Texts that are in no language: the user's own account labels and owner address of the examples, and
    the card brands' own Japanese names (shown in both languages)."""
    names = {a.label for a in window.context.session.answers.accounts} | {"HQ-IT@Example.com"}
    return names | {b.name.ja for b in window.context.session.program.card_brands}


def pages_in_languages(qtbot, window: MainWindow, languages: tuple[str, ...]):  # noqa: ANN001, ANN201
    """On every page the answers lead to, in each of `languages` in turn (switched live): (page, language)."""
    for page in window.wizard.applicable_pages():
        go_to(qtbot, window, page)
        for lang in languages:
            if lang != window.context.lang:
                switch(qtbot, window, lang)
            yield page, lang


def export_pdf(qtbot, page, path) -> bool:  # noqa: ANN001
    """Export from the Summary page and wait for the background job; whether it worked."""
    with qtbot.waitSignal(page.document_done, timeout=60000) as done:
        page.export_pdf_to(path)
    return bool(done.args[0])


def print_checklist(qtbot, page, printer) -> bool:  # noqa: ANN001
    with qtbot.waitSignal(page.document_done, timeout=60000) as done:
        page.print_to(printer)
    return bool(done.args[0])
