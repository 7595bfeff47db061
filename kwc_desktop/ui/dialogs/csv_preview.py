"""What a CSV of accounts will add, row by row, before anything is added."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.csv_import import CsvPreview
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.row_table import RowTable
from kwc_desktop.ui.widgets import describe_controls, set_enabled


class CsvPreviewDialog(QDialog):
    """What a CSV file would add and what it rejects, and why, before anything is imported."""

    def __init__(self, context: AppContext, preview: CsvPreview, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        lang = context.lang
        kinds = {k.id: k.label(lang) for k in context.session.program.account_kinds}
        accepted = RowTable(5)
        accepted.setRowCount(len(preview.accepted))
        accepted.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Label"), self.tr("Owner email address"),
                                            self.tr("Account SID"), self.tr("Kind")])
        for row, item in enumerate(preview.accepted):
            for column, value in enumerate([str(item.line), item.label, item.owner_email, item.sid.masked(),
                                            kinds[item.kind]]):
                accepted.setItem(row, column, QTableWidgetItem(value))
        rejected = RowTable(3)
        rejected.setRowCount(len(preview.rejected))
        rejected.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Row as read"), self.tr("Why it was rejected")])
        for row, bad in enumerate(preview.rejected):
            for column, value in enumerate([str(bad.line), bad.text, bad.error.message(lang)]):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)  # a long row or reason is read in full where the cell cuts it off
                rejected.setItem(row, column, cell)
        for table in (accepted, rejected):
            table.horizontalHeader().setStretchLastSection(True)
        tabs = QTabWidget()
        tabs.addTab(accepted, self.tr("Accepted (%1)").replace("%1", str(len(preview.accepted))))
        tabs.addTab(rejected, self.tr("Rejected (%1)").replace("%1", str(len(preview.rejected))))
        if not preview.accepted and preview.rejected:
            tabs.setCurrentIndex(1)
        summary = QLabel(context.msg("csv.preview", file=file_name, encoding=preview.encoding,
                                     accepted=len(preview.accepted), rejected=len(preview.rejected)))
        summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(context.msg("csv.import_button", count=len(preview.accepted)),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        set_enabled(self.import_button, bool(preview.accepted), context.msg("a11y.nothing_to_import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("Import accounts from CSV"))
        self.resize(720, 420)
        describe_controls(self, lang)  # the tables are named by their tabs
