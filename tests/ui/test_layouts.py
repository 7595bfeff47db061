"""Layouts that hold: at 1024×640, with the default and a 150 % font, in both languages, and after a language
switch, no label on any page is cut (a wrapped one gets the height of its lines), and no drop-down or
button is narrower than its text."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget

from tests.conftest import REPO
from tests.wizard_helpers import each_page, open_window, settle

pytestmark = pytest.mark.windows
EXAMPLES = REPO / "examples"


@pytest.fixture
def font_scale(request):  # noqa: ANN001, ANN201
    app = QApplication.instance()
    before = app.font()
    scaled = app.font()
    scaled.setPointSizeF(before.pointSizeF() * request.param)
    app.setFont(scaled)
    yield request.param
    app.setFont(before)


def clipped(page: QWidget) -> list[tuple[str, str, int, int]]:
    found = []
    for label in page.findChildren(QLabel):
        if not label.isVisibleTo(page) or not label.text() or label.width() == 0:
            continue
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + 1:
                found.append(("label cut", label.text()[:50], label.height(), need))
        elif label.sizeHint().width() > label.width() + 1:
            found.append(("label cut", label.text()[:50], label.width(), label.sizeHint().width()))
    for combo in page.findChildren(QComboBox):
        if combo.isVisibleTo(page) and combo.sizeHint().width() > combo.width() + 1:
            found.append(("drop-down too narrow", combo.currentText()[:30], combo.width(), combo.sizeHint().width()))
    for button in page.findChildren(QAbstractButton):
        if button.isVisibleTo(page) and button.text() and button.sizeHint().width() > button.width() + 1:
            found.append(("button cut", button.text()[:30], button.width(), button.sizeHint().width()))
    return found


def walk(qtbot, window) -> list[tuple]:  # noqa: ANN001
    problems = []
    for page_id, page in each_page(window):
        qtbot.wait(20)  # let the layouts settle (heights follow widths)
        problems += [(page_id.name, *p) for p in clipped(page)]
        if window.width() > 1024:  # what the page needs pushed the window past the screen
            problems.append((page_id.name, "window wider than 1024", window.width()))
    return problems


@pytest.mark.parametrize("font_scale", [1.0, 1.5], indirect=True)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_holds_at_1024x640(qtbot, lang, font_scale):
    window = open_window(qtbot, lang, at="2023-04-10T10:00")
    window.resize(1024, 640)
    window.open_profile_file(EXAMPLES / "08-many-owners-keyring.toml")
    settle(qtbot, window)
    assert walk(qtbot, window) == []


def test_pages_reflow_after_a_language_switch(qtbot):
    window = open_window(qtbot, "en", at="2023-04-10T10:00")
    window.resize(1024, 640)
    window.open_profile_file(EXAMPLES / "08-many-owners-keyring.toml")
    settle(qtbot, window)
    assert walk(qtbot, window) == []
    japanese = next(a for a in window.language_actions.actions() if a.data() == "ja")
    japanese.trigger()
    qtbot.wait(50)
    assert walk(qtbot, window) == []


def test_notices_follow_the_os_between_light_and_dark(qtbot):
    """The OS switching to dark: Qt gives a dark palette and says the scheme changed; banners and field
    messages take their dark colours (and back), without a changeEvent of ours."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QGuiApplication, QPalette

    from kwc_desktop.ui.widgets import Banner, FieldMessage

    app = QApplication.instance()
    light = app.palette()
    banner, message = Banner(), FieldMessage()
    qtbot.addWidget(banner)
    qtbot.addWidget(message)
    banner.show_notice("Keyring locked", warning=True)
    message.show_message("Not an Account SID")
    light_sheets = banner.styleSheet(), message.styleSheet()
    assert "#fff4e0" in light_sheets[0] and "#b3261e" in light_sheets[1]
    dark = QPalette(light)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        dark.setColor(role, QColor("#202020"))
    hints = QGuiApplication.styleHints()
    try:
        app.setPalette(dark)
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        qtbot.waitUntil(lambda: "#4a2c00" in banner.styleSheet(), timeout=2000)
        assert "#ff8a80" in message.styleSheet()
    finally:
        app.setPalette(light)
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    qtbot.waitUntil(lambda: (banner.styleSheet(), message.styleSheet()) == light_sheets, timeout=2000)
