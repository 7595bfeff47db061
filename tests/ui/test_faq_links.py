"""The FAQ keeps no link text from the web page that leads nowhere: no 「こちら」 or "here" without a link, in
either language; every address it shows is a link, every link an address the notice or the program's sources
name, and clicking one opens it in the browser."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QTextBrowser

from tests.wizard_helpers import open_window

pytestmark = pytest.mark.windows

NOTICE_PAGE = "https://cloudapi.kddi-web.com/about-service-transfer"
# The addresses the notice gives (its page, the Console login, Twilio's own site) and those of the sources it
# points to (the Twilio articles and KWC's blog on Bundles): where a link in the FAQ may lead.
NAMED = {
    NOTICE_PAGE,
    "https://www.twilio.com/login/",
    "https://www.twilio.com/ja/",
    "https://support.twilio.com/hc/en-us/articles/15378241423131-KDDI-migrations-Billing-setup",
    "https://support.twilio.com/hc/en-us/articles/6148087283099",
    "https://support.twilio.com/hc/en-us/articles/4409100190235",
    "https://support.twilio.com/hc/en-us/articles/4405940850331",
    "https://support.twilio.com/hc/en-us/articles/18062950731803",
    "https://cloudapi.kddi-web.com/magazine/other/corporate-settings-for-twilio-bundles",
}
INSIDE = ("page:", "faq:")  # a page of the guide, another question: followed in the app
DEAD = re.compile(r"こちら|\bhere\b", re.IGNORECASE)


class Browser(QObject):
    """Stands in for the browser: QDesktopServices hands https addresses here instead."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def browser():
    opened = Browser()
    QDesktopServices.setUrlHandler("https", opened, "open")
    yield opened
    QDesktopServices.unsetUrlHandler("https")


def shown(view: QTextBrowser) -> tuple[str, list[str]]:
    """What the answer shows outside its links, and where its links lead, as the document holds them."""
    outside, hrefs = [], []
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().isAnchor():
                hrefs.append(fragment.charFormat().anchorHref())
            else:
                outside.append(fragment.text())
            iterator += 1
        outside.append("\n")
        block = block.next()
    return "".join(outside), hrefs


def click(qtbot, view: QTextBrowser, text: str) -> None:  # noqa: ANN001
    """Click the middle of `text` in the answer, as a user would."""
    found = view.document().find(text)
    assert not found.isNull(), text
    cursor = QTextCursor(view.document())
    cursor.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_faq_answer_points_nowhere_and_every_link_is_a_named_address(qtbot, browser, lang):
    window = open_window(qtbot, lang, at="2026-12-02T10:00")
    window.show_faq()
    faq = window.faq
    program = window.context.session.program
    for entry in program.faq:
        faq.select(entry.id)
        outside, hrefs = shown(faq.answer)
        assert not DEAD.search(outside), (entry.id, DEAD.search(outside))
        assert all(href.startswith(INSIDE) or href in NAMED for href in hrefs), (entry.id, hrefs)
        assert "https://" not in outside, (entry.id, "an address that is not a link")
    faq.select("transfer-contact")  # 「窓口はこちら」: the notice's page, which held both forms
    assert shown(faq.answer)[1].count(NOTICE_PAGE) == 4  # twice in the text, once per contact below
    click(qtbot, faq.answer, NOTICE_PAGE)
    faq.select("new-account")  # 「詳細はこちら」: Twilio's own site, where the notice says such accounts are made
    click(qtbot, faq.answer, "https://www.twilio.com/ja/")
    faq.select("console-login")
    click(qtbot, faq.answer, "https://www.twilio.com/login/")
    assert browser.urls == [NOTICE_PAGE, "https://www.twilio.com/ja/", "https://www.twilio.com/login/"]
    window.close()
