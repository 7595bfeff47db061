"""Summary: the same checklist the CLI prints, per owner and account, with check marks to set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from kwc_desktop.domain.answers import DoneScope
from kwc_desktop.domain.checklist import ProcedureStatus, State, all_deadlines_passed
from kwc_desktop.domain.formatting import format_moment
from kwc_desktop.domain.text import Lang
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.pages.base import BasePage
from kwc_desktop.ui.widgets import Banner, is_dark

if TYPE_CHECKING:
    from kwc_desktop.services.checklist_pdf import ChecklistInput

KEY_ROLE = Qt.ItemDataRole.UserRole
SCOPE_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_COLOURS = {State.MISSED: ("#b3261e", "#ff8a80"), State.OVERDUE: ("#8a5300", "#ffb74d"),
                 State.DONE: ("#1b5e20", "#81c784")}


class SummaryPage(BasePage):
    """Every applicable step with its deadline and state; ticking a step marks it done."""

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
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 3)
        self.tree.itemChanged.connect(self._ticked)
        self.contacts = QLabel()
        self.contacts.setWordWrap(True)
        self.contacts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton()
        self.print_button = QPushButton()
        self.mask_sids = QCheckBox()
        self.export_button.clicked.connect(self.export_pdf)
        self.print_button.clicked.connect(self.print_checklist)
        self.status = QLabel()
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.mask_sids)
        actions.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.counts)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.contacts)
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
        self.mask_sids.setText(self.tr("&Mask SIDs (AC12…cdef)"))

    def refresh(self) -> None:
        context, lang = self.context, self.lang
        plan = context.plan()
        m = context.msg
        self.counts.setText(m("cli.summary", **{s.value: plan.count(s) for s in State}))
        self.banner.show_notice(m("cli.all_passed") if all_deadlines_passed(plan) else "", warning=True)
        self.tree.blockSignals(True)
        self.tree.clear()
        for owner in plan.owners:
            owner_item = QTreeWidgetItem([f"{m('cli.owner')}: {owner.owner.email}", "", ""])
            self.tree.addTopLevelItem(owner_item)
            for status in owner.procedures:
                self._procedure(owner_item, status, DoneScope.owner(owner.owner.email), lang)
            for account in owner.accounts:
                title = f"{m('cli.account')}: {account.account.label} — {account.kind.label(lang)}"
                account_item = QTreeWidgetItem(owner_item, [title, "", ""])
                if not account.procedures:
                    note = account.kind.note(lang) if not account.kind.transfers else m("cli.no_procedures")
                    QTreeWidgetItem(account_item, [note, "", ""])
                for status in account.procedures:
                    self._procedure(account_item, status, DoneScope.account(account.account.label), lang)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        self.tree.resizeColumnToContents(2)
        self.tree.blockSignals(False)
        self._show_detail()
        program = context.program
        self.contacts.setText("\n".join(f"{c.name(lang)}: {c.email + ' — ' if c.email else ''}{c.channel(lang)}"
                                        for c in program.contacts))

    def _procedure(self, parent: QTreeWidgetItem, status: ProcedureStatus, scope: DoneScope, lang: Lang) -> None:
        m = self.context.msg
        reasons = " ".join(r.render(lang) for r in status.reasons)
        item = QTreeWidgetItem(parent, [f"{status.procedure.title(lang)}  ({status.procedure.id})", "",
                                        m(f"state.{status.state.value}")])
        item.setToolTip(0, reasons)
        item.setData(0, DETAIL_ROLE, f"{status.procedure.title(lang)}\n{status.procedure.summary(lang)}\n"
                                     f"{m('cli.reason')}: {reasons}")
        self._colour(item, status.state)
        for step in status.steps:
            deadline = format_moment(step.deadline, lang) if step.deadline else m("cli.no_deadline")
            child = QTreeWidgetItem(item, [step.step.text(lang), deadline, m(f"state.{step.state.value}")])
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            child.setCheckState(0, Qt.CheckState.Checked if step.state is State.DONE else Qt.CheckState.Unchecked)
            child.setData(0, KEY_ROLE, step.key)
            child.setToolTip(0, step.step.text(lang))
            detail = f"{step.step.text(lang)}\n{deadline} — {m(f'state.{step.state.value}')}"
            if step.available_from is not None:
                detail += f" ({m('cli.from')} {format_moment(step.available_from, lang)})"
            if step.blocked_by:
                detail += "\n" + m("cli.blocked", procedure=self.context.program.procedure(step.blocked_by).title(lang))
            child.setData(0, DETAIL_ROLE, detail)
            child.setData(0, SCOPE_ROLE, scope)
            if step.blocked_by:
                child.setToolTip(2, detail.rsplit("\n", 1)[-1])
            self._colour(child, step.state)

    def checklist_input(self) -> ChecklistInput:
        from kwc_desktop.services.checklist_pdf import checklist_input

        return checklist_input(self.context.session, self.lang, self.mask_sids.isChecked())

    def export_pdf(self) -> None:
        name = "kwc-checklist-ja.pdf" if self.lang == "ja" else "kwc-checklist.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export checklist as PDF"), name, self.tr("PDF (*.pdf)"))
        if path:
            self.export_pdf_to(Path(path))

    def export_pdf_to(self, path: Path) -> bool:
        from kwc_desktop.domain.text import UserError
        from kwc_desktop.services.checklist_pdf import write_checklist_pdf

        try:
            pages = write_checklist_pdf(path, self.checklist_input())
        except UserError as e:
            self.status.setText(e.message(self.lang))
            return False
        self.status.setText(self.context.msg("pdf.written", path=str(path), pages=pages))
        return True

    def print_checklist(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer) -> int:  # type: ignore[no-untyped-def]  # QPrinter
        from kwc_desktop.services.checklist_pdf import render_checklist

        return render_checklist(printer, self.checklist_input())

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
        answers = self.context.answers
        answers.set_done(scope, key, checked)
        if key == self.context.program.consent_step_key() and not checked and scope.kind == "owner":
            answers.edit_consent(scope.name).submitted_on = None
        self.context.touch()
        self.refresh()
