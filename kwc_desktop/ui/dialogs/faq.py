"""The notice's FAQ, searchable in Japanese and English, reachable from every page (F1)."""

from __future__ import annotations

import unicodedata
from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.program import FaqEntry, Program
from kwc_desktop.domain.text import Lang
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.widgets import describe_controls

ID_ROLE = Qt.ItemDataRole.UserRole
# An https address as the FAQ writes one: ASCII up to a space, a bracket or Japanese text ("(https://…)に").
_ADDRESS = Pattern(r"https://[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def matches(entry: FaqEntry, query: str) -> bool:
    """Every word of the query appears in the question or answer, in either language."""
    haystack = _fold(" ".join([entry.question.ja, entry.question.en, entry.answer.ja, entry.answer.en]))
    return all(word in haystack for word in _fold(query).split())


def linked(text: str) -> str:
    """Plain text as HTML, each https address in it a link (the dialog opens it in the browser)."""
    parts, last = [], 0
    for found in _ADDRESS.compiled().finditer(text):
        address = found.group(0).rstrip(".,;:!?")  # a full stop after an address is the sentence's
        parts += [escape(text[last:found.start()]), f'<a href="{escape(address)}">{escape(address)}</a>']
        last = found.start() + len(address)
    parts.append(escape(text[last:]))
    return "".join(parts).replace("\n", "<br/>")


def page_title(program: Program, name: str, lang: Lang) -> str:
    """A wizard page as the FAQ names it: the title of the procedure it is about."""
    procedure = program.pages.main_procedure(name)
    return program.procedure(procedure).title(lang) if procedure else name


class FaqDialog(QDialog):
    page_requested = Signal(str)  # a reference to a wizard page (by its name in Pages) was followed

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.questions = QTreeWidget()
        self.questions.setHeaderHidden(True)
        self.questions.currentItemChanged.connect(self._show)
        self.answer = QTextBrowser()
        self.answer.setOpenExternalLinks(False)
        self.answer.setOpenLinks(False)  # references are followed here: a FAQ entry, a page, the browser
        self.answer.anchorClicked.connect(self._follow)
        self.count = QLabel()
        splitter = QSplitter()
        splitter.addWidget(self.questions)
        splitter.addWidget(self.answer)
        splitter.setSizes([360, 440])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.count)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(820, 560)
        context.language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Frequently asked questions"))
        self.search_label.setText(self.tr("&Search (Japanese or English):"))
        self.search.setAccessibleName(self.tr("Search the questions and answers"))
        self.questions.setAccessibleName(self.tr("Questions"))
        self.answer.setAccessibleName(self.tr("Answer"))
        self._filter()
        describe_controls(self, self.context.lang)

    def _filter(self) -> None:
        program, lang = self.context.session.program, self.context.lang
        selected = self.questions.currentItem()
        current = selected.data(0, ID_ROLE) if selected is not None else None
        query = self.search.text()
        self.questions.blockSignals(True)
        self.questions.clear()
        shown = 0
        for section in program.faq_sections:
            entries = [e for e in program.faq if e.section == section.id and matches(e, query)]
            if not entries:
                continue
            section_item = QTreeWidgetItem(self.questions, [section.title(lang)])
            section_item.setFlags(section_item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for entry in entries:
                item = QTreeWidgetItem(section_item, [entry.question(lang)])
                item.setData(0, ID_ROLE, entry.id)
                item.setToolTip(0, entry.question(lang))
                shown += 1
                if entry.id == current:
                    self.questions.setCurrentItem(item)
        self.questions.expandAll()
        self.questions.blockSignals(False)
        self.count.setText(self.tr("%1 of %2 questions").replace("%1", str(shown)).replace("%2", str(len(program.faq))))
        if self.questions.currentItem() is None:
            first = self.questions.topLevelItem(0)
            child = first.child(0) if first is not None and first.childCount() else None
            if child is not None:
                self.questions.setCurrentItem(child)
        self._show()

    def _show(self) -> None:
        item = self.questions.currentItem()
        entry_id = item.data(0, ID_ROLE) if item else None
        entry = next((e for e in self.context.session.program.faq if e.id == entry_id), None)
        lang = self.context.lang
        if entry is None:
            self.answer.setPlainText("")
            return
        body = linked(entry.answer(lang))
        links = [f'<li><a href="{escape(href)}">{escape(text)}</a></li>' for text, href in self.references(entry)]
        heading = self.tr("See:")
        see = f"<p><b>{escape(heading)}</b></p><ul>{''.join(links)}</ul>" if links else ""
        self.answer.setHtml(f"<p><b>{linked(entry.question(lang))}</b></p><p>{body}</p>{see}")

    def references(self, entry: FaqEntry) -> list[tuple[str, str]]:
        """Where the answer points the reader, as (text, target): another entry, a wizard page, an address."""
        program, lang = self.context.session.program, self.context.lang
        found = []
        for reference in entry.see:
            kind, _, name = reference.partition(":")
            if kind == "faq":
                other = next(e for e in program.faq if e.id == name)
                found.append((other.question(lang), reference))
            elif kind == "page":
                found.append((self.tr("Open the %1 page in the guide").replace("%1", page_title(program, name, lang)),
                              reference))
            elif kind == "source":
                source = next(s for s in program.sources if s.id == name)
                found.append((f"{source.label(lang)}: {source.url}", source.url or ""))
            elif kind == "contact":
                contact = program.contact(name)
                where = self.tr("its form is on this page:")
                found.append((f"{contact.name(lang)} — {where} {contact.url}", contact.url or ""))
            else:
                found.append((reference, reference))
        return found

    def _follow(self, url: QUrl) -> None:
        target = url.toString()
        kind, _, name = target.partition(":")
        if kind == "faq":
            self.search.clear()
            self.select(name)
        elif kind == "page":
            self.page_requested.emit(name)
        else:
            QDesktopServices.openUrl(url)

    def select(self, entry_id: str) -> None:
        for i in range(self.questions.topLevelItemCount()):
            section = self.questions.topLevelItem(i)
            for j in range(section.childCount() if section is not None else 0):
                child = section.child(j) if section is not None else None
                if child is not None and child.data(0, ID_ROLE) == entry_id:
                    self.questions.setCurrentItem(child)
                    return

    def visible_questions(self) -> list[str]:
        result = []
        for i in range(self.questions.topLevelItemCount()):
            section = self.questions.topLevelItem(i)
            if section is not None:
                result += [child.text(0) for j in range(section.childCount()) if (child := section.child(j))]
        return result
