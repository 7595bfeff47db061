"""Bundles: Bundle SIDs per account, how long they stay usable, and the documents to prepare."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from kwc_desktop.domain.answers import DoneScope
from kwc_desktop.domain.checklist import bundle_usable_until
from kwc_desktop.domain.formatting import format_day
from kwc_desktop.domain.program import Procedure
from kwc_desktop.domain.session import encode_bundles
from kwc_desktop.domain.sid import Sid, parse_sid_list
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.pages.base import BasePage, scroll_to
from kwc_desktop.ui.pages.common import fill_combo, picker, statuses_for
from kwc_desktop.ui.widgets import Banner, FieldMessage, WrappingCheckBox, keep_in_sane_range, set_enabled


class BundlesPage(BasePage):
    """Regulatory Bundles: SIDs (kept in the keyring), the 90-day timeline, the KYC documents."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.account, self.account_label = picker(self._load)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.transfer = QDateEdit()
        self.transfer.setCalendarPopup(True)
        self.transfer.setDisplayFormat("yyyy-MM-dd")
        keep_in_sane_range(self.transfer)
        self.transfer.dateChanged.connect(self._transfer_changed)
        self.transfer_label = QLabel()
        self.transfer_label.setBuddy(self.transfer)
        self.usable = Banner()
        self.sids = QListWidget()
        self.new_sid = QLineEdit()
        self.new_sid.setPlaceholderText("BU…")
        self.new_sid.setMinimumWidth(self.new_sid.fontMetrics().horizontalAdvance("BU" + "0" * 33))
        self.new_sid.textChanged.connect(self._check_new)
        self.new_sid.returnPressed.connect(self._add)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.sid_message = FieldMessage()
        self.sid_group = QGroupBox()
        sid_layout = QVBoxLayout(self.sid_group)
        sid_layout.addWidget(self.sids)
        row = QHBoxLayout()
        row.addWidget(self.new_sid, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        sid_layout.addLayout(row)
        sid_layout.addWidget(self.sid_message)
        self.documents_group = QGroupBox()
        documents = QVBoxLayout(self.documents_group)
        self.documents: dict[str, WrappingCheckBox] = {}
        for document in context.session.program.bundle_documents:
            box = WrappingCheckBox()
            box.toggled.connect(lambda checked, d=document.id: self._document_ticked(d, checked))
            self.documents[document.id] = box
            documents.addWidget(box)
        self.source = QLabel()
        self.source.setWordWrap(True)
        documents.addStretch()
        documents.addWidget(self.source)
        form = QFormLayout()
        form.addRow(self.account_label, self.account)
        form.addRow(self.transfer_label, self.transfer)
        layout = self.scrolling_layout()  # with large fonts the documents' lines keep their full height
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.usable)
        columns = QHBoxLayout()
        columns.addWidget(self.sid_group, 2)
        columns.addWidget(self.documents_group, 3)
        layout.addLayout(columns, 1)
        context.secrets_changed.connect(self._load)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        program, lang = self.context.session.program, self.lang
        procedure = self.procedure()
        self.setTitle(procedure.title(lang))
        days = program.milestone(program.bundle_usable_milestone).from_transfer_days
        self.setSubTitle(self.tr("Existing Bundles stay usable for at least %1 days after the transfer.")
                         .replace("%1", str(days)))
        self.summary.setText(procedure.summary(lang))
        self.account_label.setText(self.tr("A&ccount:"))
        self.account.setAccessibleName(self.tr("Account"))
        self.transfer_label.setText(self.tr("&Transferred on:"))
        self.transfer.setAccessibleName(self.tr("Date the account was transferred"))
        self.sid_group.setTitle(self.tr("Bundle SIDs (kept in the keyring; read from Twilio or typed)"))
        self.sids.setAccessibleName(self.tr("Bundle SIDs"))
        self.new_sid.setAccessibleName(self.tr("New Bundle SID"))
        self.add_button.setText(self.tr("A&dd"))
        self.remove_button.setText(self.tr("Re&move"))
        self.documents_group.setTitle(self.tr("Documents for the re-verification (KYC)"))
        for document in program.bundle_documents:
            self.documents[document.id].setText(document.text(lang))
        self.source.setText(self.tr("Source: %1").replace(
            "%1", program.source_label(program.bundle_documents_source)(lang)))

    def procedure(self) -> Procedure:
        page = self.context.session.program.pages.bundles
        assert page is not None  # the wizard shows this page only when the program has one
        return self.context.session.program.procedure(page.procedure)

    def _label(self) -> str | None:
        data = self.account.currentData()
        return str(data) if data else None

    def refresh(self) -> None:
        labels = [label for s in statuses_for(self.context.session.plan(), self.procedure().id) for label in s.accounts]
        fill_combo(self.account, [(label, label) for label in labels])
        self._load()

    def _load(self) -> None:
        label = self._label()
        entry = self.context.session.answers.account(label) if label else None
        if label is None or entry is None:
            return
        day = entry.transferred_on or self.context.session.program.transfer_day()
        self.transfer.blockSignals(True)
        self.transfer.setDate(QDate(day.year, day.month, day.day))
        self.transfer.blockSignals(False)
        until = bundle_usable_until(self.context.session.program, day)
        passed = self.context.session.now().astimezone(self.context.session.program.tz).date() > until
        text = self.tr("Existing Bundle SIDs stay usable at least until %1.")
        text = text.replace("%1", format_day(until, self.lang))
        if passed:
            text += " " + self.tr("That day has passed: follow Twilio Japan's instructions for the re-verification.")
        self.usable.show_notice(text, warning=passed)
        self.sids.clear()
        found = self.context.session.findings.get(label)
        read = {b.sid if len(b.sid) < 34 else Sid(b.sid).masked(): b for b in found.bundles} if found else {}
        for sid in self.context.session.secrets.bundles.get(label, []):
            item = QListWidgetItem(sid.value)
            item.setData(Qt.ItemDataRole.UserRole, sid.value)
            info = read.get(sid.masked())
            if info is not None:  # what Twilio said of it
                parts = [info.friendly_name] if info.friendly_name not in (info.sid, sid.value) else []
                parts.append(self.tr("status: %1").replace("%1", info.status))
                if info.valid_until:
                    parts.append(self.tr("valid until %1").replace("%1", info.valid_until[:10]))
                if info.numbers:
                    parts.append(self.context.msg("detect.bundle_numbers", count=len(info.numbers)))
                item.setText(f"{sid.value}\n    " + " · ".join(parts))
                item.setToolTip(", ".join(info.numbers[:20]))
            self.sids.addItem(item)
        done = self.context.session.answers.done_for(DoneScope.documents(label))
        for document_id, box in self.documents.items():
            box.blockSignals(True)
            box.setChecked(document_id in done)
            box.blockSignals(False)

    def _transfer_changed(self) -> None:
        label = self._label()
        entry = self.context.session.answers.account(label) if label else None
        if entry is None:
            return
        chosen = self.transfer.date()
        entry.transferred_on = date(chosen.year(), chosen.month(), chosen.day())
        self.context.touch()
        self._load()

    def _check_new(self) -> None:
        text = self.new_sid.text()
        result = parse_sid_list(text, "BU") if text.strip() else None
        if result is None or not result.rejected:
            self.sid_message.clear_message()
        else:
            self.sid_message.show_message(result.rejected[0][1].message(self.lang))
            scroll_to(self.sid_message)  # under the field, often below the fold of the page
        set_enabled(self.add_button, result is not None and bool(result.accepted) and not result.rejected,
                    self.context.msg("a11y.bundle_sid_first"))

    def _add(self) -> None:
        label = self._label()
        result = parse_sid_list(self.new_sid.text(), "BU")
        if label is None or result.rejected or not result.accepted:
            return
        current = list(self.context.session.secrets.bundles.get(label, []))
        current += [sid for sid in result.accepted if sid not in current]
        self._store(label, current)
        self.new_sid.clear()

    def _remove(self) -> None:
        label = self._label()
        item = self.sids.currentItem()
        if label is None or item is None:
            return
        chosen = item.data(Qt.ItemDataRole.UserRole)
        self._store(label, [s for s in self.context.session.secrets.bundles.get(label, []) if s.value != chosen])

    def _store(self, label: str, sids: list[Sid]) -> None:
        entry = self.context.session.answers.account(label)
        declared = self.context.session.program.pages.bundles
        flag = declared.flag_fact if declared else None
        if entry is not None:
            entry.bundle_count = len(sids)
            if flag is not None:
                entry.facts[flag] = True
            self.context.touch()
        self.context.keeper.write_secret(label, "bundles", encode_bundles(sids))

    def _document_ticked(self, document_id: str, checked: bool) -> None:
        label = self._label()
        if label is not None:
            self.context.session.answers.set_done(DoneScope.documents(label), document_id, checked)
            self.context.touch()


