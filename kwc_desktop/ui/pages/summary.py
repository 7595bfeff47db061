"""Summary: the same checklist the CLI prints, per owner and account, with check marks to set."""

from __future__ import annotations

import threading
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.answers import DoneScope
from kwc_desktop.domain.checklist import Plan, ProcedureStatus, State, all_deadlines_passed, what_now
from kwc_desktop.domain.text import Lang, UserError, messages, shown
from kwc_desktop.services.outcome import Outcome, Report
from kwc_desktop.services.reports import (
    conflict_line,
    deadline_cell,
    note_lines,
    step_state_text,
    step_when,
    what_is_left_line,
    what_now_line,
)
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.pages.base import BasePage
from kwc_desktop.ui.widgets import Banner, is_dark, set_enabled

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from kwc_desktop.services.checklist_pdf import ChecklistInput

KEY_ROLE = Qt.ItemDataRole.UserRole
SCOPE_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_COLOURS = {State.MISSED: ("#b3261e", "#ff8a80"), State.OVERDUE: ("#8a5300", "#ffb74d"),
                 State.DONE: ("#1b5e20", "#81c784"), State.NOT_YET: ("#555555", "#b0b0b0"),
                 State.CLOSED: ("#555555", "#b0b0b0")}


class SummaryPage(BasePage):
    """Every applicable step with its deadline and state; ticking a step marks it done."""

    document_done = Signal(bool)  # a PDF export or a print job ended: True when it worked

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.counts = QLabel()
        self.banner = Banner()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.currentItemChanged.connect(self._show_detail)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 2)
        self.tree.itemChanged.connect(self._ticked)
        # The contacts scroll in a few lines of their own (their addresses open in the browser): with large
        # fonts the checklist above keeps the room.
        self.contacts = QTextBrowser()
        self.contacts.setOpenExternalLinks(True)
        self.contacts.setFrameShape(QFrame.Shape.NoFrame)
        self.contacts.setMaximumHeight(self.contacts.fontMetrics().lineSpacing() * 3 + 8)
        self.contacts.setMinimumHeight(self.contacts.fontMetrics().lineSpacing() * 2 + 8)
        self.export_button = QPushButton()
        self.print_button = QPushButton()
        self.mask_sids = QCheckBox()
        self.mask_sids.setChecked(True)  # masked on paper unless the user unticks it
        self.export_button.clicked.connect(self.export_pdf)
        self.print_button.clicked.connect(self.print_checklist)
        # PDF export and printing run as background jobs: a progress bar and Cancel while they do.
        self.document_running = False
        self._stop_document = threading.Event()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_document)
        self.cancel_button.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.mask_sids)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        actions.addStretch()
        # The checklist above, the selected step's text and the contacts below, in a splitter: with large
        # fonts the checklist keeps most of the height (the user can drag the line), never three rows.
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.detail)
        below_layout.addWidget(self.contacts)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.tree)
        self.split.addWidget(below)
        self.split.setStretchFactor(0, 4)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([1000, 1])  # the checklist first: the text below gets its minimum (2 + 3 lines)
        # At least the header and eight steps, whatever the font: a page taller than the window scrolls.
        self.tree.setMinimumHeight((self.tree.fontMetrics().lineSpacing() + 8) * 10)
        layout = self.scrolling_layout()
        layout.addWidget(self.banner)
        layout.addWidget(self.counts)
        layout.addWidget(self.split, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Summary"))
        self.setSubTitle(self.tr("Your checklist. Tick a step when it is done; deadlines are in Japan time."))
        self.tree.setHeaderLabels([self.tr("Step"), self.tr("Deadline"), self.tr("State")])
        self.tree.setAccessibleName(self.tr("Checklist"))
        self.export_button.setText(self.tr("&Export PDF…"))
        self.print_button.setText(self.tr("&Print…"))
        self.cancel_button.setText(self.tr("Stop"))
        self.mask_sids.setText(self.tr("&Mask SIDs (AC12…cdef)"))

    def refresh(self) -> None:
        context, lang = self.context, self.lang
        plan = context.session.plan()
        m = context.msg
        self.counts.setText(m("cli.summary", **{s.value: plan.count(s) for s in State}))
        self.banner.show_notice("\n".join(self.plainly(plan)), warning=True)
        self.tree.blockSignals(True)
        self.tree.clear()
        for owner in plan.owners:
            owner_item = QTreeWidgetItem([f"{m('cli.owner')}: {owner.owner.email}", "", ""])
            self.tree.addTopLevelItem(owner_item)
            owner_item.setFirstColumnSpanned(True)  # a heading: the whole width, not the step column's
            for status in owner.procedures:
                self._procedure(owner_item, status, DoneScope.owner(owner.owner.email), lang)
            for account in owner.accounts:
                title = f"{m('cli.account')}: {account.account.label} — {account.kind.label(lang)}"
                account_item = QTreeWidgetItem(owner_item, [title, "", ""])
                account_item.setFirstColumnSpanned(True)
                if not account.procedures:
                    note = account.kind.note(lang) if not account.kind.transfers else m("cli.no_procedures")
                    row = QTreeWidgetItem(account_item, [note, "", ""])
                    row.setFirstColumnSpanned(True)
                    row.setToolTip(0, note)
                    row.setData(0, DETAIL_ROLE, note)
                for status in account.procedures:
                    self._procedure(account_item, status, DoneScope.account(account.account.label), lang)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        self.tree.resizeColumnToContents(2)
        self.tree.blockSignals(False)
        self._show_detail()
        program = context.session.program
        self.contacts.setAccessibleName(self.context.msg("a11y.contacts_name"))
        self.contacts.setHtml("<br/>".join(
            f"<b>{escape(c.name(lang))}</b>: {escape(c.email) + ' — ' if c.email else ''}{escape(c.channel(lang))}"
            + (f' <a href="{escape(c.url)}">{escape(c.url)}</a>' if c.url else "") for c in program.contacts))

    def plainly(self, plan: Plan) -> list[str]:
        """What the user must know first, in plain words: that every deadline has passed, and for each
        missed procedure what that means and what can be done now (once, naming whom it concerns)."""
        lang, m = self.lang, self.context.msg
        lines = [m("cli.all_passed")] if all_deadlines_passed(plan) else []
        missed: dict[str, tuple[str, str, list[str]]] = {}
        for owner in plan.owners:
            for status in [*owner.procedures, *(s for a in owner.accounts for s in a.procedures)]:
                now = what_now(self.context.session.program, status) if status.state is State.MISSED else None
                if now is not None:
                    who = owner.owner.email if status.procedure.scope == "owner" else status.accounts[0]
                    missed.setdefault(status.procedure.id, (status.procedure.title(lang), now[0](lang), []))
                    missed[status.procedure.id][2].append(who)
        # Whom it concerns beside its title, as What's next says it (not after a long quote).
        lines += [m("cli.still_item", title=title, accounts=", ".join(who), text=text)
                  for title, text, who in missed.values()]
        # The program's cautions (an owner change after the consent means transferring again) come first too.
        cautions: dict[str, list[str]] = {}
        for owner in plan.owners:
            for status in [*owner.procedures, *(s for a in owner.accounts for s in a.procedures)]:
                for note in status.notes:
                    if note.note.warning:
                        who = owner.owner.email if status.procedure.scope == "owner" else status.accounts[0]
                        cautions.setdefault(f"{status.procedure.title(lang)}: {note.render(lang)}", []).append(who)
        lines += [f"{text} ({', '.join(who)})" for text, who in cautions.items()]
        return lines

    def _procedure(self, parent: QTreeWidgetItem, status: ProcedureStatus, scope: DoneScope, lang: Lang) -> None:
        m = self.context.msg
        reasons = " ".join(r.render(lang) for r in status.reasons)
        item = QTreeWidgetItem(parent, [status.procedure.title(lang), "",
                                        m(f"state.{status.state.value}")])
        item.setToolTip(0, reasons)
        lines = [status.procedure.title(lang), status.procedure.summary(lang), f"{m('cli.reason')}: {reasons}"]
        lines += [conflict_line(self.context.session.program, c, lang) for c in status.procedure.conflicts]
        if (now := what_now_line(self.context.session.program, status, lang)) is not None:
            lines.append(now)
        notes = note_lines(self.context.session.program, status, lang)
        lines += notes
        item.setData(0, DETAIL_ROLE, "\n".join(lines))
        self._colour(item, status.state)
        for note in notes:  # a row of its own under the procedure: seen without selecting anything
            row = QTreeWidgetItem(item, [note, "", ""])
            row.setFirstColumnSpanned(True)
            row.setToolTip(0, note)
            row.setData(0, DETAIL_ROLE, note)
        for step in status.steps:
            deadline = deadline_cell(step, lang)
            child = QTreeWidgetItem(item, [step.step.text(lang), deadline, m(step.state_key)])
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            child.setCheckState(0, Qt.CheckState.Checked if step.state is State.DONE else Qt.CheckState.Unchecked)
            child.setData(0, KEY_ROLE, step.key)
            child.setToolTip(0, step.step.text(lang))
            detail = f"{step.step.text(lang)}\n{' / '.join(step_when(step, lang))} — {m(step.state_key)}"
            if step.blocked_by:
                blocker = self.context.session.program.procedure(step.blocked_by)
                detail += "\n" + m("cli.blocked", procedure=blocker.title(lang))
            if (left := what_is_left_line(step, lang)) is not None:
                detail += "\n" + left
            child.setData(0, DETAIL_ROLE, detail)
            child.setData(0, SCOPE_ROLE, scope)
            if step.blocked_by or left is not None:
                child.setToolTip(2, step_state_text(self.context.session.program, step, lang) if left is None else left)
            self._colour(child, step.state)

    def checklist_input(self) -> ChecklistInput:
        from kwc_desktop.services.checklist_pdf import checklist_input

        return checklist_input(self.context.session, self.lang, self.mask_sids.isChecked())

    def export_pdf(self) -> None:
        name = "kwc-checklist-ja.pdf" if self.lang == "ja" else "kwc-checklist.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export checklist as PDF"), name, self.tr("PDF (*.pdf)"))
        if path:
            self.export_pdf_to(Path(path))

    def export_pdf_to(self, path: Path) -> None:
        """Write the checklist to `path` as a background job (its progress under the buttons);
        `document_done` says how it went."""
        from kwc_desktop.services.checklist_pdf import lacking_characters, write_checklist_pdf

        data = self.checklist_input()  # taken now, on the GUI thread: the job reads nothing else
        lang = self.lang
        said: list[str] = []

        def work(report: Report, stop: Callable[[], bool]) -> int:
            pages, out = write_checklist_pdf(path, data, report, stop)
            said.append(messages()("pdf.written", lang, path=out.shown(lang), pages=pages))  # names a link
            lacking = lacking_characters(data)
            if lacking:  # on paper as [U+XXXX]: the user is told which
                said.append(messages()("pdf.missing_glyphs", lang, chars=shown(lacking)))
            return pages

        self._run_document(work, lambda pages: " ".join(said))

    def print_checklist(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Paint the checklist on `printer` as a background job (kept alive until it is done)."""
        from kwc_desktop.services.checklist_pdf import render_checklist

        data = self.checklist_input()
        self._run_document(lambda report, stop: render_checklist(printer, data, report, stop),
                           lambda pages: self.context.msg("pdf.printed", pages=pages), keep=printer)

    def _run_document(self, work: Callable[[Report, Callable[[], bool]], int], said: Callable[[int], str],
                      keep: object = None) -> None:
        if self.document_running:
            return  # the buttons are disabled meanwhile; a second click changes nothing
        self.document_running = True
        stop = threading.Event()
        self._stop_document = stop
        self._set_document_buttons()
        self.progress.setRange(0, 0)  # busy until the layout knows the page count
        self.progress.show()

        def done(outcome: Outcome[int]) -> None:
            _ = keep  # the printer lives until the job that paints on it is over
            self.document_running = False
            self.progress.hide()
            self._set_document_buttons()
            if outcome.value is not None:
                text, ok = said(outcome.value), True
            else:
                error = outcome.error
                text = error.message(self.lang) if isinstance(error, UserError) else \
                    self.context.msg("pdf.write_failed", path="", reason=type(error).__name__)
                ok = False
            self.status.setText(text)
            self.document_done.emit(ok)

        def report_page(part: tuple[int, int]) -> None:
            page, pages = part
            self.progress.setFormat(self.context.msg("pdf.progress", page=page, pages=pages))
            self.progress.setRange(0, pages)
            self.progress.setValue(page)

        self.context.documents.submit(lambda report: work(report, stop.is_set), done, report_page)

    def cancel_document(self) -> None:
        self._stop_document.set()

    def _set_document_buttons(self) -> None:
        running = self.document_running
        set_enabled(self.export_button, not running, self.context.msg("a11y.document_running"))
        set_enabled(self.print_button, not running, self.context.msg("a11y.document_running"))
        self.cancel_button.setVisible(running)

    def _show_detail(self) -> None:
        item = self.tree.currentItem()
        text = item.data(0, DETAIL_ROLE) if item is not None else None
        self.detail.setText(text or self.tr("Select a step to read it in full."))

    def _colour(self, item: QTreeWidgetItem, state: State) -> None:
        colours = STATE_COLOURS.get(state)
        if colours:
            item.setForeground(2, QBrush(QColor(colours[1] if is_dark(self) else colours[0])))

    def _ticked(self, item: QTreeWidgetItem, column: int) -> None:
        key, scope = item.data(0, KEY_ROLE), item.data(0, SCOPE_ROLE)
        if not key or column != 0:
            return
        checked = item.checkState(0) == Qt.CheckState.Checked
        answers = self.context.session.answers
        if key == self.context.session.program.consent_step_key() and scope.kind == "owner":
            # One truth with the Consent page: its date (the day judged at) and acknowledgements follow.
            day = self.context.session.now().astimezone(self.context.session.program.tz).date()
            answers.set_consent_submitted(self.context.session.program, scope.name, checked, day)
        else:
            answers.set_done(scope, key, checked)
        # The tree is rebuilt after this handler returns: clearing it inside Qt's itemChanged would
        # delete the item Qt is still changing (a crash, now and then).
        QTimer.singleShot(0, self.context.touch)
