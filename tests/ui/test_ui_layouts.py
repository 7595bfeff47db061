"""What's next at 1024×640 with a 150 % font, in both languages: the "Next step" column has the room (at least
a third of the table) and every row is as tall as its wrapped text, on the page and in Tools → What's next."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from kwc_desktop.ui.wizard import Page
from tests.conftest import REPO
from tests.wizard_helpers import go_to, open_window, settle

pytestmark = pytest.mark.windows
SHOTS = os.environ.get("KWC_SHOTS")  # a folder: keep screenshots to look at


@pytest.fixture
def big_font():  # noqa: ANN201
    app = QApplication.instance()
    before = app.font()
    scaled = app.font()
    scaled.setPointSizeF(before.pointSizeF() * 1.5)
    app.setFont(scaled)
    yield
    app.setFont(before)


def cramped(table) -> list[tuple[int, int, int]]:  # noqa: ANN001
    """Rows of the step column whose wrapped text needs more height than the row has."""
    metrics = QFontMetrics(table.font())
    width = table.columnWidth(5) - 8  # the cell's margins
    found = []
    for row in range(table.rowCount()):
        need = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap,
                                    table.item(row, 5).text()).height()
        if table.rowHeight(row) < need:
            found.append((row, table.rowHeight(row), need))
    return found


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_next_step_is_readable_at_150_percent(qtbot, big_font, lang):
    window = open_window(qtbot, lang)
    window.resize(1024, 640)
    window.open_profile_file(REPO / "examples" / "08-many-owners-keyring.toml")
    settle(qtbot, window)
    go_to(qtbot, window, Page.OVERVIEW)
    window.show_overview()
    qtbot.wait(50)
    for name, panel in (("page", window.wizard.page(Page.OVERVIEW).panel), ("tool", window.overview.panel)):
        table = panel.table
        if SHOTS:
            (panel.window()).grab().save(f"{SHOTS}/whats-next-{name}-{lang}.png")
        assert table.columnWidth(5) >= table.viewport().width() / 3, (name, table.columnWidth(5))
        assert table.rowCount() > 0 and cramped(table) == [], name


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_summary_shows_at_least_eight_steps_at_150_percent(qtbot, big_font, lang):
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    from kwc_desktop.services.secrets import SessionSecrets

    class Keyring(SessionSecrets):  # a working keyring, as most users have: no notice above the page
        persistent = True

    window = open_window(qtbot, lang, secrets=Keyring())
    window.resize(1024, 640)
    window.open_profile_file(REPO / "examples" / "08-many-owners-keyring.toml")
    settle(qtbot, window)
    go_to(qtbot, window, Page.SUMMARY)
    tree = window.wizard.page(Page.SUMMARY).tree
    tree.expandAll()
    qtbot.wait(50)
    if SHOTS:
        window.grab().save(f"{SHOTS}/summary-{lang}.png")
    shown = 0
    found = QTreeWidgetItemIterator(tree)
    while found.value():
        rect = tree.visualItemRect(found.value())
        shown += rect.isValid() and tree.viewport().visibleRegion().contains(rect)  # not scrolled off the page
        found += 1
    assert shown >= 8, shown


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_owner_and_accounts_are_read_whole_where_there_is_room(qtbot, lang):
    """At the default size and font the owner's address and the accounts are not cut to "it-admin@e…" while
    "Next step" keeps at least 40 % of the table (it was given all the room the window grew by)."""
    window = open_window(qtbot, lang)
    window.resize(1000, 760)
    window.open_profile_file(REPO / "examples" / "08-many-owners-keyring.toml")
    settle(qtbot, window)
    go_to(qtbot, window, Page.OVERVIEW)
    qtbot.wait(50)
    table = window.wizard.page(Page.OVERVIEW).panel.table
    metrics = QFontMetrics(table.font())
    cut = [(row, column, table.item(row, column).text()) for row in range(table.rowCount()) for column in (3, 4)
           if metrics.horizontalAdvance(table.item(row, column).text()) > table.columnWidth(column) - 8]
    assert cut == []
    assert table.columnWidth(5) >= table.viewport().width() * 0.39  # 40 %, less the grid lines
