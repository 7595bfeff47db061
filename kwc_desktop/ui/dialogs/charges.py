"""Tools → Charges check: a call log priced under the COTOHA Voice DX Basic tariff, old and new terms side by
side, a chart of the monthly totals, and an outage and damages calculator with every step shown.

The chart is drawn with QPainter: QtCharts is in PySide6-Addons (hundreds of MB more in the installer) for
two bars a month. Pricing runs in the background with progress and Cancel.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDateTime, QPointF, QRectF, Qt, QTimeZone
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.calls import CallLog, Numbers
from kwc_desktop.domain.records import record
from kwc_desktop.domain.tariff import JST, Bill
from kwc_desktop.domain.text import Lang, UserError
from kwc_desktop.services import charges
from kwc_desktop.services.detect import FOR_WINDOW
from kwc_desktop.services.outcome import Outcome, Report
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.widgets import FieldMessage, describe_controls, set_enabled


@record
class ChartText:
    """One text the chart draws (an axis title, a tick's amount, a bar's value, a month), where it goes."""

    kind: str  # "unit", "tick", "value", "month", "legend"
    text: str
    rect: QRectF
    align: Qt.AlignmentFlag


class MonthChart(QWidget):
    """Monthly totals (excl. tax), old terms beside new terms: two bars a month on a yen axis with round
    ticks and grid lines, each bar's amount above it where there is room, drawn with QPainter."""

    def __init__(self) -> None:
        super().__init__()
        self.months: charges.Series = []
        self.legend = ("", "")
        self.unit = ""  # the amount axis' title, in the user's language ("円(税抜)")
        self.lang: Lang = "en"
        self.setMinimumHeight(180)

    def set_months(self, months: charges.Series, legend: tuple[str, str],
                   unit: str | None = None, lang: Lang | None = None) -> None:
        self.months, self.legend = months, legend
        if unit is not None:
            self.unit = unit
        if lang is not None:
            self.lang = lang
        self.update()

    def _amount(self, value: Decimal) -> str:
        return charges.whole_yen(value, self.lang)

    def texts(self) -> list[ChartText]:
        """What the chart writes at its current size: the unit, the ticks' amounts, the bars' values, the
        months and the legend (what paintEvent draws; the bars and lines come from the same layout)."""
        return self._layout(QFontMetricsF(self.font()))[0]

    def _layout(self, metrics: QFontMetricsF) -> tuple[list[ChartText], list[tuple[QRectF, int]],
                                                       list[tuple[float, bool]], QRectF]:
        """(texts, bars as (rect, series), horizontal lines as (y, is the axis), the plot area)."""
        line = metrics.height()
        left, right, center = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight, Qt.AlignmentFlag.AlignHCenter
        texts: list[ChartText] = []
        x = 8.0
        for name in self.legend:  # the legend: a swatch (a bar of its series) and the name
            texts.append(ChartText("legend", name, QRectF(x + 16, 4, metrics.horizontalAdvance(name) + 2, line), left))
            x += 16 + metrics.horizontalAdvance(name) + 24
        ticks = charges.axis_ticks(self.months)
        axis_width = max(metrics.horizontalAdvance(self._amount(t)) for t in ticks) + 8
        area = QRectF(8 + axis_width, 8 + 2 * line + 6, self.width() - 16 - axis_width, 0)
        area.setBottom(self.height() - line - 10)
        texts.append(ChartText("unit", self.unit, QRectF(8, 6 + line, area.width() + axis_width, line), left))
        lines: list[tuple[float, bool]] = []
        bars: list[tuple[QRectF, int]] = []
        scale = ticks[-1] or Decimal(1)
        for tick in ticks:
            y = area.bottom() - float(tick / scale) * area.height()
            lines.append((y, tick == 0))
            texts.append(ChartText("tick", self._amount(tick), QRectF(8, y - line / 2, axis_width - 6, line), right))
        if not self.months:
            return texts, bars, lines, area
        slot = area.width() / len(self.months)
        bar = max(2.0, min(28.0, slot / 3))
        for n, (month, old, new) in enumerate(self.months):
            middle = area.left() + n * slot + slot / 2
            for k, value in enumerate((old, new)):
                height = float(value / scale) * area.height()
                rect = QRectF(middle - bar + k * bar, area.bottom() - height, bar - 1, height)
                bars.append((rect, k))
                shown = self._amount(value)
                # Each value in its half of the month, ending (old) or starting (new) at the middle, so two
                # equal amounts side by side never run into one; where it does not fit, none.
                if metrics.horizontalAdvance(shown) <= slot / 2 - 3:
                    start = middle - slot / 2 + 1 if k == 0 else middle + 2
                    half = QRectF(start, rect.top() - line, slot / 2 - 3, line)
                    texts.append(ChartText("value", shown, half, right if k == 0 else left))
            label = month[2:] if slot < metrics.horizontalAdvance(month) + 4 else month
            texts.append(ChartText("month", label, QRectF(middle - slot / 2, area.bottom() + 4, slot, line), center))
        return texts, bars, lines, area

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlpha(40)
        colours = (QColor("#8a8f98"), QColor("#1f6feb"))
        texts, bars, lines, area = self._layout(QFontMetricsF(painter.font()))
        for y, is_axis in lines:
            painter.setPen(QPen(text if is_axis else grid, 1))
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.setPen(QPen(text, 1))
        painter.drawLine(QPointF(area.left(), area.top() - 4), QPointF(area.left(), area.bottom()))
        for rect, series in bars:
            painter.fillRect(rect, colours[series])
        legend = iter(colours)
        for item in texts:
            if item.kind == "legend":
                swatch = next(legend)
                painter.fillRect(QRectF(item.rect.left() - 16, item.rect.top() + 2, 12, 12), swatch)
            painter.setPen(text)
            painter.drawText(item.rect, item.align | Qt.AlignmentFlag.AlignVCenter, item.text)
        painter.end()


class ChargesDialog(QDialog):
    """The charges check, as a window beside the wizard."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.lang = context.lang
        self.runner = context.charges
        self.log: CallLog | None = None
        self.bills: list[Bill] = []
        self._stop = threading.Event()
        self._running = False
        self._outage_defaults: tuple[QDateTime, QDateTime] | None = None  # the outage's moments until edited
        self._said: tuple[Callable[[], str], str] | None = None  # the status line: said again in a new language
        self.tabs = QTabWidget()
        self.tabs.addTab(self._log_tab(), "")
        self.tabs.addTab(self._outage_tab(), "")
        self.readings = QLabel()
        self.readings.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.readings)
        layout.addWidget(buttons)
        self.resize(980, 660)
        self.retranslate_ui()
        context.language_changed.connect(self.retranslate_ui)

    def retranslate_ui(self) -> None:
        """Every text in the current language, what was computed too (a live switch keeps the log and the
        outage's inputs)."""
        self.lang = self.context.lang
        self.setWindowTitle(self.tr("Charges check (COTOHA Voice DX Basic)"))
        self.tabs.setTabText(0, self.tr("Call log"))
        self.tabs.setTabText(1, self.tr("Outage and damages"))
        self.readings.setText(self.tr(
            "Where the tariff leaves a point open, this check reads it so: tax on each month's total, fractions "
            "of a yen dropped; the 6-month daily average is their fees over their days; July 2021 is two parts, "
            "its number fee in the new one."))
        self.open_button.setText(self.tr("&Open call log…"))
        self.account.setAccessibleName(self.tr("Account to read the calls of"))
        self.read_button.setText(self.tr("Read calls from &Twilio"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.export_button.setText(self.tr("&Export CSV…"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Month"), self.tr("Numbers out / in"), self.tr("Units out"), self.tr("Units in"),
            self.tr("Free in"), self.tr("Old terms (excl.)"), self.tr("Old terms (incl.)"),
            self.tr("New terms (excl.)"), self.tr("New terms (incl.)"), self.tr("New − old (excl.)")])
        self.table.setAccessibleName(self.tr("Charges per month"))
        self.chart.setAccessibleName(self.tr("Monthly totals, old and new terms"))
        self.out_label.setText(self.tr("Outbound numbers (&comma-separated):"))
        self.in_label.setText(self.tr("Inbound &numbers:"))
        self.paid.setPlaceholderText(self.tr("optional (new terms' cap)"))
        self.wilful.setText(self.tr("Caused &wilfully or by gross negligence"))
        self.steps.setAccessibleName(self.tr("The computation, step by step"))
        for label, text in zip(self.form_labels, (
                self.tr("Provider &knew at (JST):"), self.tr("&Restored at (JST):"),
                self.tr("N&umbers (300 yen a month each):"), self.tr("&Paid in the 12 months before (yen):")),
                strict=True):
            label.setText(text)
        self.outage_note.setText(self.tr("The usage fees of the 6 months before come from the call log on the "
                                         "first tab."))
        self.refresh_accounts()
        set_enabled(self.open_button, not self._running, self.context.msg("a11y.reading_file"))
        self._show_priced()
        self.compute_outage()
        if self._said is not None:
            self._say(*self._said)
        describe_controls(self, self.lang)

    def _say(self, text: Callable[[], str], kind: str = "error") -> None:
        """The status line (made again by `text` after a language switch)."""
        self._said = (text, kind)
        self.status.show_message(text(), kind)

    # --- the call log ------------------------------------------------------------------------------------

    def _log_tab(self) -> QWidget:
        tab = QWidget()
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_log)
        self.account = QComboBox()
        # A long label or reason must not widen the window past a small screen: the list elides instead.
        self.account.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.account.setMinimumContentsLength(24)
        self.read_button = QPushButton()
        self.read_button.clicked.connect(self.read_from_twilio)
        self.account.currentIndexChanged.connect(lambda _index: self._update_read_button())
        # A SID entered (or read from the keyring) while the window is open makes its account readable.
        self.context.changed.connect(self.refresh_accounts)
        self.context.secrets_changed.connect(self.refresh_accounts)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(lambda: self._stop.set())  # the current run's event
        self.cancel_button.hide()
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export)
        set_enabled(self.export_button, False, self.context.msg("a11y.no_calls"))
        self.outbound = QLineEdit()
        self.outbound.setPlaceholderText("+8150…")
        self.inbound = QLineEdit()
        self.inbound.setPlaceholderText("+813…")
        for field in (self.outbound, self.inbound):
            field.editingFinished.connect(self.reprice)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = FieldMessage()
        self.table = QTableWidget(0, 10)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.chart = MonthChart()
        self.rejected_rows = QLabel()
        self.rejected_rows.setWordWrap(True)
        top = QHBoxLayout()
        for widget in (self.open_button, self.account, self.read_button, self.cancel_button):
            top.addWidget(widget)
        top.addStretch()
        top.addWidget(self.export_button)
        numbers = QFormLayout()
        self.out_label, self.in_label = QLabel(), QLabel()
        self.out_label.setBuddy(self.outbound)
        self.in_label.setBuddy(self.inbound)
        numbers.addRow(self.out_label, self.outbound)
        numbers.addRow(self.in_label, self.inbound)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addLayout(numbers)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addWidget(self.rejected_rows)
        return tab

    def open_log(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open call log"), "",
                                              self.tr("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.price_file(Path(path))

    def refresh_accounts(self) -> None:
        """The accounts whose calls can be read: every account of the answers, one without a SID listed but
        not choosable (saying so); with none to choose, the list and the button say why."""
        chosen = self.account.currentData()
        accounts = self.context.session.answers.accounts
        self.account.blockSignals(True)
        self.account.clear()
        for entry in accounts:
            if entry.label in self.context.session.secrets.sids:
                self.account.addItem(entry.label, entry.label)
            else:
                self.account.addItem(self.tr("%1 (no SID yet)").replace("%1", entry.label), None)
                item = self.account.model().item(self.account.count() - 1)  # type: ignore[attr-defined]
                item.setEnabled(False)
        ready = [i for i in range(self.account.count()) if self.account.itemData(i)]
        again = self.account.findData(chosen) if chosen else -1
        self.account.setCurrentIndex(again if again in ready else (ready[0] if ready else -1))
        if not accounts:
            short, why = self.tr("No accounts yet"), self.tr(
                "No accounts yet: add one on the Accounts page to read its calls from Twilio.")
        elif not ready:
            short, why = self.tr("No account has a SID yet"), self.tr(
                "No account has a SID yet: enter its Account SID on the Accounts page.")
        else:
            short = why = ""
        self.account.setPlaceholderText(short)  # shown while nothing is chosen; the whole reason in its tooltip
        self.account.setToolTip(why)
        self.read_button.setToolTip(why)
        self.account.setEnabled(bool(accounts))
        self.account.blockSignals(False)
        self._update_read_button()

    def _update_read_button(self) -> None:
        self.read_button.setEnabled(not self._running and bool(self.account.currentData()))

    def _busy(self, busy: bool) -> None:
        self._running = busy
        set_enabled(self.open_button, not busy, self.context.msg("a11y.reading_file"))
        self._update_read_button()
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)

    def price_file(self, path: Path) -> None:
        """Read and price the file in the background; the table fills when it is done."""
        self._stop = stop = threading.Event()
        self._busy(True)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self._say(lambda: self.tr("Reading %1…").replace("%1", path.name), "info")

        def work(report: Report) -> CallLog:
            return charges.read_log_per_mille(path, report, cancelled=stop.is_set)

        self.runner.submit(work, lambda outcome: self._priced(outcome, path.name),
                           lambda value: self.progress.setValue(int(value)))

    def read_from_twilio(self) -> None:
        label = self.account.currentData()
        if not label:
            return
        self._stop = stop = threading.Event()
        self._busy(True)
        self.progress.setRange(0, 0)  # how many calls there are is not known in advance
        self._say(lambda: self.tr("Reading the calls of %1 from Twilio…").replace("%1", label), "info")
        session, keeper, settings = self.context.session, self.context.keeper, dict(self.context.twilio_settings)

        def work(_report: Report) -> CallLog:
            return charges.read_calls_of(session, label, keeper.lookup, settings, cancelled=stop.is_set,
                                         missing=FOR_WINDOW)

        self.runner.submit(work, lambda outcome: self._priced(outcome, label))

    def _priced(self, outcome: Outcome[CallLog], name: str) -> None:
        self._busy(False)
        if outcome.value is None:
            error = outcome.error
            self._say(lambda: f"{name}: " + (error.message(self.lang) if isinstance(error, UserError)
                                             else type(error).__name__))
            return
        self.log = log = outcome.value
        self._say(lambda: self.tr("%1: %2 calls billed, %3 not completed.").replace("%1", name)
                  .replace("%2", str(log.billed)).replace("%3", str(log.not_completed)), "info")
        self.reprice()
        self._outage_after_log()

    def _outage_after_log(self) -> None:
        """While the outage still holds the moment it started from (the user has not set it), a log moves it to
        09:00 on the 1st of the month after the log's last: the log's months are then the months before the
        outage, whose usage fees its damages average."""
        after = charges.outage_start_after(b.usage.month for b in self.bills)
        if after is None or (self.known.dateTime(), self.restored.dateTime()) != self._outage_defaults:
            return
        start = QDateTime.fromSecsSinceEpoch(int(after.timestamp()), QTimeZone(b"Asia/Tokyo"))
        for edit, value in ((self.known, start), (self.restored, start.addDays(3))):
            edit.blockSignals(True)
            edit.setDateTime(value)
            edit.blockSignals(False)
        self._outage_defaults = (self.known.dateTime(), self.restored.dateTime())
        self.compute_outage()

    def reprice(self) -> None:
        """Both terms for every month of the log, from what is in memory (the file is not read again)."""
        if self.log is None:
            return
        numbers = Numbers(charges.typed_numbers(self.outbound.text()), charges.typed_numbers(self.inbound.text()))
        try:
            self.bills = charges.priced(self.log, "both", numbers)
        except UserError as e:  # a number typed as both outbound and inbound: nothing priced is shown
            self.bills, self.numbers_refused = [], True
            self._show_priced()
            refused = e  # `e` is gone after the except block; the status line says it again in a switch
            self._say(lambda: refused.message(self.lang))
            return
        if getattr(self, "numbers_refused", False):
            self.numbers_refused = False
            self._said = None
            self.status.clear_message()
        self._show_priced()

    def _show_priced(self) -> None:
        """The table, the chart and the rows not read, for the bills priced (none: empty)."""
        pairs = charges.month_pairs(self.bills)
        self.table.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            for column, value in enumerate(charges.month_row(pair, self.lang)):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        series = charges.chart_series(pairs)
        self.chart.set_months(series, (self.tr("Old terms"), self.tr("New terms")), self.tr("Yen (excl. tax)"),
                              self.lang)
        self.chart.setAccessibleDescription("; ".join(
            self.tr("%1: old terms %2 yen, new terms %3 yen").replace("%1", month)
            .replace("%2", charges.whole_yen(old, self.lang)).replace("%3", charges.whole_yen(new, self.lang))
            for month, old, new in series))
        set_enabled(self.export_button, bool(pairs), self.context.msg("a11y.no_calls"))
        log = self.log
        if log is not None and log.rejected_count:
            self.rejected_rows.setText(self.tr("%1 rows could not be read: %2").replace("%1", str(log.rejected_count))
                                       .replace("%2", charges.rejected_summary(log, self.lang)))
        else:
            self.rejected_rows.setText("")

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export charges"), "charges.csv",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        """The table as CSV (charges.charges_csv: UTF-8 with a BOM), both terms per month."""
        try:
            written = charges.export_charges(path, self.bills)
        except UserError as e:
            error = e  # kept past the except block for a language switch
            self._say(lambda: f"{path.name}: {error.message(self.lang)}")
            return False
        self._say(lambda: self.tr("Exported to %1.").replace("%1", written.shown(self.lang)), "info")
        return True

    # --- outage and damages --------------------------------------------------------------------------------

    def _outage_tab(self) -> QWidget:
        tab = QWidget()
        zone = QTimeZone(b"Asia/Tokyo")
        # From the moment the session judges at (the as-of the user chose), not the computer's today: a
        # check of 2023 stays in 2023. A call log loaded later moves it next to the log (_outage_after_log).
        moment = QDateTime.fromSecsSinceEpoch(int(self.context.session.now().timestamp()), zone)
        self.known = QDateTimeEdit(moment.addDays(-3))
        self.restored = QDateTimeEdit(moment)
        for edit in (self.known, self.restored):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setTimeZone(zone)
            edit.setCalendarPopup(True)
            edit.dateTimeChanged.connect(self.compute_outage)
        self._outage_defaults = (self.known.dateTime(), self.restored.dateTime())
        self.numbers = QSpinBox()
        self.numbers.setRange(0, 100_000)
        self.numbers.setValue(1)
        self.numbers.valueChanged.connect(self.compute_outage)
        self.paid = QLineEdit()
        self.paid.editingFinished.connect(self.compute_outage)
        self.wilful = QCheckBox()
        self.wilful.toggled.connect(self.compute_outage)
        self.outage_message = FieldMessage()
        self.steps = QTextBrowser()
        form = QFormLayout()
        self.form_labels: list[QLabel] = []
        for field in (self.known, self.restored, self.numbers, self.paid):
            label = QLabel()
            label.setBuddy(field)
            form.addRow(label, field)
            self.form_labels.append(label)
        form.addRow("", self.wilful)
        self.outage_note = QLabel()
        self.outage_note.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(self.outage_note)
        layout.addWidget(self.outage_message)
        layout.addWidget(self.steps, 1)
        return tab

    def _moment(self, edit: QDateTimeEdit) -> datetime:
        value = edit.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(value, JST)

    def compute_outage(self) -> None:
        known, restored = self._moment(self.known), self._moment(self.restored)
        try:  # the moments first, then the amount paid by the command line's rule (limits.parse_yen)
            charges.outage_window(known, restored)
            paid = charges.typed_yen(self.paid.text())
        except UserError as e:
            self.outage_message.show_message(e.message(self.lang))
            self.steps.setHtml("")  # no figures computed from other moments or another amount than typed
            return
        self.outage_message.clear_message()
        usage = charges.usage_by_month(self.log) if self.log is not None else {}
        computations = charges.outage(known, restored, charges.monthly_fees(self.numbers.value()), usage, paid,
                                      wilful=self.wilful.isChecked())
        self.steps.setHtml(charges.computations_html(computations, self.lang))

    def done(self, result: int) -> None:  # noqa: D102 - QDialog.done
        self._stop.set()  # a run under way stops; the window can be opened again and used
        super().done(result)
