"""Welcome: language, the moment the plan is judged at, and where it stands on the timeline."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QRadioButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from kwc_desktop.domain.program import MAIN_SOURCE
from kwc_desktop.domain.text import Lang
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.dates import format_instant, format_moment
from kwc_desktop.ui.pages.base import BasePage
from kwc_desktop.ui.translations import LANG_NAMES
from kwc_desktop.ui.widgets import Banner, keep_in_sane_range


class WelcomePage(BasePage):
    """Language, 'as of', and today's position on the migration timeline."""

    language_chosen = Signal(str)
    program_labels = False  # its labels are its own, mnemonics and all

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.language = QComboBox()
        for code, name in LANG_NAMES.items():
            self.language.addItem(name, code)
        self.language.currentIndexChanged.connect(self._language_picked)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)

        self.now_button = QRadioButton()
        self.as_of_button = QRadioButton()
        self.as_of_group = QButtonGroup(self)
        self.as_of_group.addButton(self.now_button)
        self.as_of_group.addButton(self.as_of_button)
        self.as_of_edit = QDateTimeEdit()
        self.as_of_edit.setTimeZone(QTimeZone(context.session.program.timezone.encode()))
        keep_in_sane_range(self.as_of_edit)
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.as_of_label = QLabel()
        self.as_of_label.setBuddy(self.now_button)
        self.now_button.toggled.connect(self._as_of_changed)
        self.as_of_edit.dateTimeChanged.connect(self._as_of_changed)

        form = QFormLayout()
        form.addRow(self.language_label, self.language)
        as_of_row = QHBoxLayout()
        as_of_row.addWidget(self.now_button)
        as_of_row.addWidget(self.as_of_button)
        as_of_row.addWidget(self.as_of_edit)
        as_of_row.addStretch()
        form.addRow(self.as_of_label, as_of_row)

        self.status = Banner()
        self.timeline = QTreeWidget()
        self.timeline.setColumnCount(3)
        self.timeline.setRootIsDecorated(False)
        self.timeline.setAlternatingRowColors(True)
        # "What" takes the width the others leave (the status column only what its words need), and wraps
        # rather than elides: these lines are the notice's dates.
        header = self.timeline.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.timeline.setWordWrap(True)
        self.timeline.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.unchanged = QListWidget()
        self.unchanged.setWordWrap(True)
        self.changed_list = QListWidget()
        self.changed_list.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.timeline, "")
        self.tabs.addTab(self.unchanged, "")
        self.tabs.addTab(self.changed_list, "")

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self._load_as_of()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Welcome"))
        self.setSubTitle(self.tr("This guide walks you through the transfer of your KWC Twilio accounts to "
                                 "Twilio Japan: what applies to you, by when, and what to prepare."))
        self.language_label.setText(self.tr("Lan&guage:"))
        self.language.setAccessibleName(self.tr("Language"))
        self.as_of_label.setText(self.tr("Show deadlines &as of:"))
        self.now_button.setText(self.tr("No&w"))
        zone = self.context.session.program.zone_label(self.lang)
        self.as_of_button.setText(self.tr("A chosen &moment (%1)").replace("%1", zone))
        self.as_of_edit.setAccessibleName(self.tr("Moment to judge deadlines at (%1)").replace("%1", zone))
        self.timeline.setHeaderLabels([self.tr("When (%1)").replace("%1", zone), self.tr("What"), self.tr("Status")])
        self.tabs.setTabText(0, self.tr("&Timeline"))
        self.tabs.setTabText(1, self.tr("What &stays the same"))
        self.tabs.setTabText(2, self.tr("What &changes"))
        self.language.blockSignals(True)
        self.language.setCurrentIndex(self.language.findData(self.lang))
        self.language.blockSignals(False)

    def _language_picked(self) -> None:
        self.language_chosen.emit(self.language.currentData())

    def _load_as_of(self) -> None:
        clock_moment = self.context.session.now()
        self.as_of_edit.blockSignals(True)
        self.as_of_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(clock_moment.timestamp()),
                                                                 QTimeZone(self.context.session.program.timezone.encode())))
        self.as_of_edit.blockSignals(False)
        chosen = self.context.session.as_of is not None
        self.as_of_button.setChecked(chosen)
        self.now_button.setChecked(not chosen)
        self.as_of_edit.setEnabled(chosen)

    def _as_of_changed(self) -> None:
        chosen = self.as_of_button.isChecked()
        self.as_of_edit.setEnabled(chosen)
        moment = datetime.fromtimestamp(self.as_of_edit.dateTime().toSecsSinceEpoch(), self.context.session.program.tz)
        self.context.set_as_of(moment if chosen else None)

    def refresh(self) -> None:
        program = self.context.session.program
        lang: Lang = self.lang
        now = self.context.session.now()
        fixed = sorted((m for m in program.milestones if m.moment is not None), key=lambda m: m.moment.starts())  # type: ignore[union-attr]
        self.timeline.clear()
        upcoming = None
        for milestone in fixed:
            assert milestone.moment is not None
            passed = now >= milestone.moment.ends()
            if not passed and upcoming is None:
                upcoming = milestone
            status = self.tr("passed") if passed else self.tr("ahead")
            item = QTreeWidgetItem([format_moment(milestone.moment, lang), milestone.label(lang), status])
            tip = milestone.label(lang)
            if milestone.source != MAIN_SOURCE:
                tip += "\n" + program.source_label(milestone.source)(lang)
            item.setToolTip(1, tip)
            self.timeline.addTopLevelItem(item)
        self.timeline.resizeColumnToContents(0)
        self.timeline.resizeColumnToContents(2)
        shown_now = format_instant(now, program.tz, lang)
        if upcoming is None:
            self.status.show_notice(self.tr("As of %1 every deadline of the migration has passed. The checklist "
                                            "still shows what was done, what is overdue and what can no longer be "
                                            "done.").replace("%1", shown_now), warning=True)
        else:
            assert upcoming.moment is not None
            self.status.show_notice(self.tr("As of %1 the next date is %2: %3.").replace("%1", shown_now)
                                    .replace("%2", format_moment(upcoming.moment, lang))
                                    .replace("%3", upcoming.label(lang)))
        self.unchanged.clear()
        self.unchanged.addItems([e.text(lang) for e in program.unchanged])
        self.changed_list.clear()
        self.changed_list.addItems([e.text(lang) for e in program.changed])
