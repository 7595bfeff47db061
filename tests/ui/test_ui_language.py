"""A live language switch: after Language → 日本語 (and back), no text of the old language is left on any page
or in any open window."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication, QTableWidget, QTreeWidget, QWidget

from kwc_desktop.ui.wizard import Page
from tests.conftest import REPO
from tests.ui.test_wizard import ALLOWED_LATIN, JAPANESE
from tests.wizard_helpers import (
    go_to,
    open_with_profile,
    own_names,
    pages_in_languages,
    switch,
    visible_texts,
)

pytestmark = pytest.mark.windows

PROFILE = REPO / "examples" / "08-many-owners-keyring.toml"


def shown_texts(widget: QWidget) -> list[str]:
    """What `visible_texts` finds, the window's title, and the cells of visible tables and trees."""
    texts = [widget.windowTitle(), *visible_texts(widget)]
    for table in widget.findChildren(QTableWidget):
        if table.isVisibleTo(widget):
            texts += [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
                      if table.item(r, c) is not None]
    for tree in widget.findChildren(QTreeWidget):
        if tree.isVisibleTo(widget):
            stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
            while stack:
                item = stack.pop()
                texts += [item.text(c) for c in range(tree.columnCount())]
                stack += [item.child(i) for i in range(item.childCount())]
    return [t for t in texts if t and t.strip()]


def old_language(texts: list[str], new: str, allowed: set[str]) -> list[str]:
    """The texts that are still in the language before the switch to `new` (the user's own names, and a list
    of them, are neither)."""
    texts = [t for t in texts if not set(t.split(", ")) <= allowed]
    if new == "en":  # Japanese the user must write as it is (an inquiry's 「【KWC移行】」) is quoted
        return [t for t in texts if JAPANESE.search(re.sub("「[^」]*」", "", t)) and t not in allowed
                and t != "日本語"]
    latin = {"OK", "SK…"}  # Qt's own button, an API key SID's prefix
    return [t for t in texts if not JAPANESE.search(t) and t not in latin and t not in allowed
            and not ALLOWED_LATIN.match(bare := re.sub(r"\(&\w\)", "", t).replace("&", ""))
            and not ALLOWED_LATIN.match(bare.rstrip(":"))]


@pytest.mark.parametrize("first", ["en", "ja"])
def test_a_switch_leaves_nothing_of_the_old_language(qtbot, first):
    """On every page, with What's next and the FAQ open beside it: switch, and every text is in the new
    language; switch back, and every text is in the first again."""
    window = open_with_profile(qtbot, first, PROFILE)
    window.show_overview()
    window.show_faq()
    allowed = own_names(window)
    other = "ja" if first == "en" else "en"
    left = []
    for page, lang in pages_in_languages(qtbot, window, (other, first)):
        assert window.statusBar().currentMessage() == ""  # “… loaded” was in the language before
        for shown in (window, window.overview, window.faq):
            assert shown is not None and shown.isVisible()
            left += [(page.name, lang, t) for t in old_language(shown_texts(shown), lang, allowed)]
    assert left == [], "\n".join(map(str, dict.fromkeys(left)))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_dialogs_opened_after_a_switch_are_in_the_new_language(qtbot, lang):
    """The account, paste and CSV preview dialogs, built after a switch, speak the new language."""
    from kwc_desktop.ui.dialogs.account import AccountDialog
    from kwc_desktop.ui.dialogs.paste_sids import PasteSidsDialog

    first = "ja" if lang == "en" else "en"
    window = open_with_profile(qtbot, first, PROFILE)
    go_to(qtbot, window, Page.ACCOUNTS)
    switch(qtbot, window, lang)
    allowed = {a.label for a in window.context.session.answers.accounts}
    page = window.wizard.page(Page.ACCOUNTS)
    for dialog in (AccountDialog(window.context, None, page), PasteSidsDialog(window.context, page)):
        dialog.show()
        qtbot.waitExposed(dialog)
        left = old_language(shown_texts(dialog), lang, allowed)
        assert left == [], left
        dialog.reject()
    QApplication.processEvents()


@pytest.mark.parametrize("first", ["en", "ja"])
def test_the_charges_window_follows_a_switch_and_keeps_its_log_and_outage(qtbot, tmp_path, first):
    """Open beside the wizard with a log priced and an outage typed: after a switch every text is in the new
    language (the status line, the table's headers, the chart, the steps, the reason on the read button),
    and the log, the table's figures and the outage's moments are the same."""
    from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone

    from tests.services.test_charges import LOG

    window = open_with_profile(qtbot, first, PROFILE)
    window.show_charges()
    dialog = window.charges
    path = tmp_path / "calls.csv"
    path.write_bytes(LOG.encode("cp932"))
    dialog.price_file(path)
    qtbot.waitUntil(lambda: dialog.log is not None, timeout=10000)
    known = QDateTime(QDate(2023, 5, 10), QTime(9, 0), QTimeZone(b"Asia/Tokyo"))
    dialog.known.setDateTime(known)
    figures = [dialog.table.item(r, c).text() for r in range(dialog.table.rowCount()) for c in range(1, 10)]
    log = dialog.log
    allowed = {a.label for a in window.context.session.answers.accounts} | {"calls.csv", "+8150…", "+813…"}
    other = "ja" if first == "en" else "en"
    for lang in (other, first):
        switch(qtbot, window, lang)
        assert window.charges is dialog and dialog.isVisible()  # the same window, not a new one
        for tab in (0, 1):
            dialog.tabs.setCurrentIndex(tab)
            texts = shown_texts(dialog) + [dialog.status.text(), dialog.read_button.toolTip(),
                                           dialog.steps.toPlainText(), *(t.text for t in dialog.chart.texts())]
            left = old_language([t for t in texts if t], lang, allowed)
            assert left == [], left
        assert dialog.log is log and dialog.known.dateTime() == known
        assert [dialog.table.item(r, c).text() for r in range(dialog.table.rowCount())
                for c in range(1, 10)] == figures
