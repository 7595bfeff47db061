"""What's next at a glance, as a window: every procedure's next step by date (domain/overview.py), a filter,
the one thing to do next, and the open deadlines exported as a calendar (.ics)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.checklist import State
from kwc_desktop.domain.formatting import format_moment
from kwc_desktop.domain.overview import FILTERS, AllPassed, Row, filtered, headline, rows
from kwc_desktop.domain.text import Lang, UserError
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.row_table import RowTable
from kwc_desktop.ui.widgets import Banner, FieldMessage, describe_controls, set_enabled

_STATE_COLOURS = {State.OVERDUE: "#b35c00", State.MISSED: "#b00020", State.DONE: "#2e7d32"}


class OverviewPanel(QWidget):
    """Accounts × procedures with the next step, its deadline, days left and state, sorted by date: the
    wizard's page after Welcome, and the Tools → What's next window."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.rows: list[Row] = []
        self.next = Banner()
        self.filter_label = QLabel()
        self.filter = QComboBox()
        for name in FILTERS:
            self.filter.addItem("", name)
        self.filter_label.setBuddy(self.filter)
        self.filter.currentIndexChanged.connect(self.refresh)
        self.calendar_button = QPushButton()
        self.calendar_button.clicked.connect(self.export_calendar)
        self.message = FieldMessage()
        self.table = RowTable(6)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # widths from fit_columns()
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        # Row heights follow the wrapped text of the step column as its width changes.
        header.sectionResized.connect(lambda *_args: self.table.resizeRowsToContents())
        top = QHBoxLayout()
        top.addWidget(self.filter_label)
        top.addWidget(self.filter)
        top.addStretch()
        top.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.next)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        context.language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Every text in the current language, then the rows again (their dates and states are in it too)."""
        self.filter_label.setText(self.tr("Sho&w:"))
        names = {"open": self.tr("Still to do"), "due": self.tr("To do (not overdue)"), "overdue": self.tr("Overdue"),
                 "missed": self.tr("Missed"), "done": self.tr("Done"), "all": self.tr("All")}
        for index, name in enumerate(FILTERS):
            self.filter.setItemText(index, names[name])
        self.filter.setAccessibleName(self.tr("Which steps to show"))
        self.calendar_button.setText(self.tr("Export &calendar (.ics)…"))
        self.table.setHorizontalHeaderLabels([self.tr("Deadline"), self.tr("Days left"), self.tr("State"),
                                              self.tr("Owner"), self.tr("Accounts"), self.tr("Next step")])
        self.table.setAccessibleName(self.tr("Every procedure's next step, by date"))
        self.message.clear_message()  # the last export's message was in the old language
        self.refresh()

    @property
    def lang(self) -> Lang:
        return self.context.lang

    def _days(self, row: Row) -> str:
        if row.days_left is None:
            return "—"
        if row.days_left < 0:
            return self.context.msg("cli.days_ago", days=-row.days_left)
        return self.context.msg("cli.days_left", days=row.days_left)

    def refresh(self) -> None:
        from kwc_desktop.domain.text import messages

        lang, m = self.context.lang, messages()
        plan = self.context.session.plan()
        self.rows = rows(plan)
        after = headline(plan, self.rows)
        if isinstance(after, AllPassed):  # no step years late is "next": say so, and what can still be done
            self.next.show_notice("\n".join(after.lines(lang)), warning=bool(after.still))
        elif after is not None:
            by = format_moment(after.deadline, lang) if after.deadline else self.tr("no deadline")
            text = self.tr("Do this next: %1 — %2 (%3), by %4.").replace("%1", after.procedure.title(lang)) \
                .replace("%2", after.step.step.text(lang)).replace("%3", ", ".join(after.accounts)).replace("%4", by)
            self.next.show_notice(text, warning=after.state is State.OVERDUE)
        else:
            self.next.show_notice(self.tr("Nothing to do right now: every step is done, or its time has passed."))
        shown = filtered(self.rows, self.filter.currentData() or "open")
        self.table.setRowCount(len(shown))
        for index, row in enumerate(shown):
            values = [format_moment(row.deadline, lang) if row.deadline else "—", self._days(row),
                      m(f"state.{row.state.value}", lang), row.owner, ", ".join(row.accounts),
                      f"{row.procedure.title(lang)}: {row.step.step.text(lang)}"]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # a narrow column's address or label is cut: the whole of it
                colour = _STATE_COLOURS.get(row.state)
                if column == 2 and colour:
                    item.setForeground(QColor(colour))
                self.table.setItem(index, column, item)
        self.fit_columns()
        set_enabled(self.calendar_button, any(r.state in (State.DUE, State.NOT_YET) and r.deadline for r in self.rows),
                    self.context.msg("a11y.no_calendar"))

    def fit_columns(self) -> None:
        """"Next step" keeps at least 40 % of the table; the other columns share the rest: each as wide as its
        text when all fit; else the short ones (deadline, days, state) first, up to a fifth of it each, and the
        owner and the accounts split what is left by what they need (their text wraps). Every row is as tall
        as its wrapped text."""
        table = self.table
        header = table.horizontalHeader()
        budget = table.viewport().width() * 3 // 5
        # Each text's own width, unwrapped (a wrapping view's size hint is the width it already has).
        metrics = table.fontMetrics()
        pad = 2 * table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 8
        wants = [max([header.sectionSizeHint(c)] + [metrics.horizontalAdvance(item.text()) + pad
                                                    for r in range(table.rowCount())
                                                    if (item := table.item(r, c)) is not None]) for c in range(5)]
        if sum(wants) > budget:
            short = [min(want, budget // 5) for want in wants[:3]]
            rest = max(budget - sum(short), 80)
            owner, accounts = wants[3], wants[4]
            share = [max(40, rest * want // max(owner + accounts, 1)) for want in (owner, accounts)]
            wants = short + [min(owner, share[0]), min(accounts, share[1])]
        for column, width in enumerate(wants):
            if table.columnWidth(column) != width:
                table.setColumnWidth(column, width)
        table.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()
        # Once the layout has given the table its new width too (it comes after this panel's own resize).
        QTimer.singleShot(0, self, self.fit_columns)

    def export_calendar(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export calendar"), "kwc-deadlines.ics",
                                              self.tr("Calendar files (*.ics)"))
        if path:
            self.export_calendar_to(Path(path))

    def export_calendar_to(self, path: Path) -> bool:
        from kwc_desktop.services.calendar import calendar_bytes, open_deadlines
        from kwc_desktop.services.files import write_user_file

        session = self.context.session
        plan = session.plan()
        try:
            written = write_user_file(path, calendar_bytes(plan, self.lang, session.wall_time()))
        except UserError as e:
            self.message.show_message(f"{path.name}: {e.message(self.lang)}")
            return False
        self.message.show_message(self.context.msg("cli.calendar_written", events=len(open_deadlines(plan)),
                                                   path=written.shown(self.lang)), "info")
        return True


class OverviewDialog(QDialog):
    """Tools → What's next: the overview beside the wizard, always reachable."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = OverviewPanel(context)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        context.changed.connect(self.panel.refresh)
        context.language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.resize(1000, 560)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("What's next"))
        describe_controls(self, self.panel.context.lang)
