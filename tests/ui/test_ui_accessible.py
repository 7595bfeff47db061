"""Accessibility: every control a user can reach on every page and in every window has an accessible name and
description in the current language, after a live switch too, and a button that is disabled says why."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kwc_desktop.ui.wizard import Page
from tests.conftest import REPO
from tests.ui.test_ui_language import old_language
from tests.wizard_helpers import go_to, open_window, open_with_profile, own_names, pages_in_languages, settle, switch

pytestmark = pytest.mark.windows

PROFILE = REPO / "examples" / "08-many-owners-keyring.toml"


def reachable(root: QWidget) -> list[QWidget]:
    """The visible controls under `root` that take the focus (Tab or click)."""
    return [w for w in [root, *root.findChildren(QWidget)]
            if w.isVisibleTo(root.window()) and w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isEnabled()
            and w.metaObject().className() not in ("QScrollArea", "QWidget", "QScrollBar")
            and not w.objectName().startswith("qt_")]


def unnamed(root: QWidget, lang: str, allowed: set[str]) -> list[str]:
    """Each reachable control whose accessible name or description is empty or in the other language."""
    bad = []
    for widget in reachable(root):
        face = QAccessible.queryAccessibleInterface(widget)
        for role, what in ((QAccessible.Text.Name, "name"), (QAccessible.Text.Description, "description")):
            text = face.text(role) if face is not None else ""
            if not text.strip() or old_language([text.replace("&", "")], lang, allowed):
                bad.append(f"{type(widget).__name__} {what}={text!r} ({widget.objectName() or face.text(QAccessible.Text.Name)!r})")
    return bad


def disabled_without_reason(root: QWidget, lang: str, allowed: set[str]) -> list[str]:
    return [f"{b.text()!r}: {b.toolTip()!r}" for b in root.findChildren(QAbstractButton)
            if b.isVisibleTo(root.window()) and not b.isEnabled()
            and (not b.toolTip().strip() or old_language([b.toolTip()], lang, allowed))]


@pytest.mark.parametrize("first", ["en", "ja"])
def test_every_control_on_every_page_is_named_and_described_in_the_language(qtbot, first):
    """On every page and in What's next and the FAQ: in the first language, then after a switch and back."""
    window = open_with_profile(qtbot, first, PROFILE)
    window.show_overview()
    window.show_faq()
    allowed = own_names(window)
    other = "ja" if first == "en" else "en"
    left = []
    for page, lang in pages_in_languages(qtbot, window, (first, other, first)):
        for shown in (window, window.overview, window.faq):
            left += [(page.name, lang, t) for t in unnamed(shown, lang, allowed)]
    assert left == [], "\n".join(map(str, dict.fromkeys(left)))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_control_of_the_dialogs_is_named_and_described(qtbot, lang):
    """The account, paste, CSV preview and charges dialogs, built after a switch."""
    from kwc_desktop.domain.csv_import import parse_accounts_csv
    from kwc_desktop.ui.dialogs.account import AccountDialog
    from kwc_desktop.ui.dialogs.csv_preview import CsvPreviewDialog
    from kwc_desktop.ui.dialogs.paste_sids import PasteSidsDialog

    first = "ja" if lang == "en" else "en"
    window = open_with_profile(qtbot, first, PROFILE)
    go_to(qtbot, window, Page.ACCOUNTS)
    window.show_charges()
    switch(qtbot, window, lang)
    allowed = own_names(window) | {"CSV one", "bad", "accounts.csv"}
    page = window.wizard.page(Page.ACCOUNTS)
    left = []
    preview = parse_accounts_csv(
        b"label,owner_email,sid,kind\nCSV one,it@example.com,AC" + b"c" * 32 + b",trial\nbad,,,\n",
        window.context.session.program)
    window.show_charges()  # built before the switch: it follows it
    dialogs = [AccountDialog(window.context, None, page), PasteSidsDialog(window.context, page),
               CsvPreviewDialog(window.context, preview, "accounts.csv", page)]
    for dialog in [*dialogs, window.charges]:
        dialog.show()
        qtbot.waitExposed(dialog)
        left += [(type(dialog).__name__, t) for t in unnamed(dialog, lang, allowed)]
        left += [(type(dialog).__name__, "disabled", t) for t in disabled_without_reason(dialog, lang, allowed)]
        dialog.reject()
    QApplication.processEvents()
    assert left == [], "\n".join(map(str, left))


@pytest.mark.parametrize("first", ["en", "ja"])
def test_a_disabled_button_says_why_in_the_language(qtbot, first):
    """Each page with nothing entered (Next, Remove, Read from Twilio, Export … disabled), then after a switch."""
    window = open_window(qtbot, first)
    allowed = own_names(window)
    other = "ja" if first == "en" else "en"
    left = []
    for page, lang in pages_in_languages(qtbot, window, (first, other, first)):
        left += [(page.name, lang, t) for t in disabled_without_reason(window, lang, allowed)]
    assert left == [], "\n".join(map(str, dict.fromkeys(left)))


def test_a_focused_table_shows_where_the_keyboard_is(qtbot):
    """Fusion draws no focus frame around a table: ours has one, in the highlight colour."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    from kwc_desktop.ui.row_table import RowTable

    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    table, button = RowTable(3), QPushButton("Edit")
    layout.addWidget(table)
    layout.addWidget(button)
    holder.resize(400, 250)
    holder.show()
    qtbot.waitExposed(holder)

    def edge() -> tuple[int, int, int]:
        image = table.grab().toImage()
        colour = image.pixelColor(image.width() // 2, image.height() - 1)
        return colour.red(), colour.green(), colour.blue()

    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    focused = edge()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    highlight = table.palette().color(QPalette.ColorRole.Highlight)
    assert focused == (highlight.red(), highlight.green(), highlight.blue())
    assert edge() != focused


@pytest.mark.parametrize("first", ["en", "ja"])
def test_the_tool_windows_disabled_buttons_say_why(qtbot, first):
    """What's next with no deadline to come (2026) cannot export a calendar; the charges window with no
    call log cannot export: each says why, in the language, after a switch too; and Save report before
    anything was read from Twilio says so beside what it does."""
    window = open_window(qtbot, first, at="2026-06-01T10:00")
    window.open_profile_file(PROFILE)
    settle(qtbot, window)
    allowed = own_names(window)
    other = "ja" if first == "en" else "en"
    left = []
    for lang in (first, other):
        if lang != window.context.lang:
            switch(qtbot, window, lang)
        window.show_overview()  # a Tools window follows the switch (shown again here: it may have been closed)
        window.show_charges()
        for tool in (window.overview, window.charges):
            left += [(type(tool).__name__, lang, t) for t in disabled_without_reason(tool, lang, allowed)]
        disabled = [b for b in (window.overview.panel.calendar_button, window.charges.export_button)
                    if not b.isEnabled()]
        assert len(disabled) == 2
    assert left == [], "\n".join(map(str, dict.fromkeys(left)))
    go_to(qtbot, window, Page.ACCOUNTS)
    report = window.wizard.page(Page.ACCOUNTS).report_button
    assert not report.isEnabled() and "Twilio" in report.toolTip().split("\n\n")[0]


def test_the_button_the_keyboard_is_on_has_a_ring_in_the_highlight_colour(qtbot):
    """Fusion's focused button is one shade darker at its edge: ours gets a ring that can be seen, where Tab
    put the focus, in the window and in a dialog; it leaves with the focus."""
    from PySide6.QtGui import QPalette

    from kwc_desktop.ui.dialogs.paste_sids import PasteSidsDialog

    window = open_window(qtbot, "en")
    window.open_profile_file(PROFILE)
    settle(qtbot, window)
    go_to(qtbot, window, Page.ACCOUNTS)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    page = window.wizard.page(Page.ACCOUNTS)
    highlight = page.palette().color(QPalette.ColorRole.Highlight).rgb()

    def ring_at(widget) -> bool:  # noqa: ANN001
        """The pixel just left of the widget's middle, two pixels out, in the window's picture."""
        top = widget.window()
        image = top.grab().toImage()
        point = widget.mapTo(top, widget.rect().topLeft())
        ratio = image.devicePixelRatio()
        return image.pixelColor(int((point.x() - 2) * ratio), int((point.y() + widget.height() // 2) * ratio)).rgb() \
            == highlight

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    qtbot.wait(20)
    assert window.focusWidget() is page.add_button and ring_at(page.add_button)
    qtbot.keyClick(page.add_button, Qt.Key.Key_Backtab)
    qtbot.wait(20)
    assert window.focusWidget() is page.table and not ring_at(page.add_button)

    dialog = PasteSidsDialog(window.context, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    button = next(b for b in dialog.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled())
    while dialog.focusWidget() is not button:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    qtbot.wait(20)
    assert ring_at(button)
    dialog.reject()


def test_the_ring_follows_its_button_when_the_page_scrolls(qtbot):
    """A scrolled page moves the widget the button is in and tells the button nothing: the ring once stayed
    where the button had been."""
    from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout

    from kwc_desktop.ui.focus_ring import FocusRing

    FocusRing.install()
    holder = QWidget()
    qtbot.addWidget(holder)
    area = QScrollArea(holder)
    area.setWidgetResizable(True)
    body = QWidget()
    column = QVBoxLayout(body)
    buttons = [QPushButton(f"b{n}") for n in range(40)]
    for button in buttons:
        column.addWidget(button)
    area.setWidget(body)
    QVBoxLayout(holder).addWidget(area)
    holder.resize(300, 300)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    qtbot.waitUntil(holder.isActiveWindow, timeout=2000)
    buttons[0].setFocus()
    qtbot.keyClick(buttons[0], Qt.Key.Key_Tab)
    qtbot.wait(20)
    ring = holder.findChild(FocusRing)
    assert holder.focusWidget() is buttons[1] and ring is not None and ring.isVisible()

    def around(button: QPushButton) -> bool:
        corner = button.mapTo(holder, button.rect().topLeft())
        return ring.geometry().contains(corner) and ring.geometry().top() < corner.y()

    assert around(buttons[1])
    area.verticalScrollBar().setValue(60)
    qtbot.wait(20)
    assert around(buttons[1]), (ring.geometry(), buttons[1].mapTo(holder, buttons[1].rect().topLeft()))
