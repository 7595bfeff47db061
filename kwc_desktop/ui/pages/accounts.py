"""Accounts: owner emails, labels, kinds, SIDs and optional Auth Tokens (the last two: keyring only)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from kwc_desktop.domain.accounts import parse_email
from kwc_desktop.domain.answers import AccountEntry
from kwc_desktop.domain.csv_import import CsvPreview, parse_accounts_csv
from kwc_desktop.domain.detection import Findings
from kwc_desktop.domain.limits import MAX_ACCOUNTS, MAX_CSV_BYTES
from kwc_desktop.domain.sid import Sid
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.files import read_user_file
from kwc_desktop.services.outcome import Outcome
from kwc_desktop.services.secrets import SecretKind
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.dialogs.account import AccountDialog
from kwc_desktop.ui.dialogs.csv_preview import CsvPreviewDialog
from kwc_desktop.ui.dialogs.paste_sids import PasteSidsDialog
from kwc_desktop.ui.jobs import JobRunner
from kwc_desktop.ui.pages.base import BasePage
from kwc_desktop.ui.widgets import Banner, FieldMessage


class AccountsPage(BasePage):
    """The accounts this guide is about; SIDs and tokens go to the keyring only."""

    csv_previewed = Signal(object)  # the preview dialog (shown next), or None when the file was refused
    twilio_read = Signal()  # a "Read from Twilio" run ended (read_status says how)

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.files: JobRunner | None = None  # reads CSV files off the GUI thread, built on first use
        self.reading_csv = False
        self.banner = Banner()
        self.table = QTableWidget(0, 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self.edit_account)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = QPushButton()
        self.edit_button = QPushButton()
        self.remove_button = QPushButton()
        self.paste_button = QPushButton()
        self.import_button = QPushButton()
        self.add_button.clicked.connect(self.add_account)
        self.edit_button.clicked.connect(self.edit_account)
        self.remove_button.clicked.connect(self.remove_account)
        self.paste_button.clicked.connect(self.paste_sids)
        self.import_button.clicked.connect(self.import_csv)
        # Read the accounts from Twilio itself (their SID and Auth Token): a background job, with Stop.
        self.read_button = QPushButton()
        self.read_button.clicked.connect(self.read_from_twilio)
        self.stop_reading = QPushButton()
        self._stop = threading.Event()
        self.stop_reading.clicked.connect(lambda: self._stop.set())
        self.stop_reading.hide()
        self.reading = False
        self.read_status = FieldMessage()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.paste_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.stop_reading)
        self.message = FieldMessage()
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.read_status)
        layout.addWidget(self.message)
        context.secrets_changed.connect(self.refresh)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Accounts"))
        self.setSubTitle(self.tr("Add each Twilio account (and sub-account) with its owner email address. "
                                 "Consent is given once per owner email address."))
        self.table.setHorizontalHeaderLabels([self.tr("Label"), self.tr("Owner email address"), self.tr("Kind"),
                                              self.tr("Account SID"), self.tr("Auth Token")])
        self.table.setAccessibleName(self.tr("Accounts"))
        self.add_button.setText(self.tr("&Add…"))
        self.edit_button.setText(self.tr("&Edit…"))
        self.remove_button.setText(self.tr("&Remove"))
        self.paste_button.setText(self.tr("&Paste SIDs…"))
        self.import_button.setText(self.tr("&Import CSV…"))
        self.read_button.setText(self.tr("Read from &Twilio"))
        self.read_button.setToolTip(self.tr("Reads each account with its Account SID and Auth Token: its kind, "
                                            "toll-free numbers and Bundles. Nothing is changed on Twilio."))
        self.stop_reading.setText(self.tr("Stop"))

    def refresh(self) -> None:
        context = self.context
        # Problems (no keyring, locked, a refused write) are in the notice above every page, with Retry;
        # here: what the keyring is doing right now.
        if context.keyring_busy == "opening":
            self.banner.show_notice(self.tr("Opening the OS keyring…"))
        elif context.keyring_busy == "reading":
            self.banner.show_notice(self.tr("Reading the SIDs and tokens from the keyring…"))
        elif context.saving:
            self.banner.show_notice(self.tr("Saving to the keyring…"))
        else:
            self.banner.show_notice("")
        selected = self._selected_label()
        accounts = context.answers.accounts
        self.table.setRowCount(len(accounts))
        for row, entry in enumerate(accounts):
            sid = context.sids.get(entry.label)
            values = [entry.label, entry.owner_email, context.program.kind(entry.kind).label(self.lang),
                      self._secret_state(entry.label, "sid", sid.masked() if sid else ""),
                      self._secret_state(entry.label, "token", self.tr("stored") if entry.label in context.tokens
                                         else "")]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
            if entry.label == selected:
                self.table.selectRow(row)
        self.message.show_message("" if accounts else self.tr("Add at least one account to continue."), "info")
        self._selection_changed()
        self.completeChanged.emit()

    def read_from_twilio(self) -> None:
        """Read every account that has a SID from Twilio, one after another off the GUI thread; each
        account's findings land in the session as they come (the user's own answers still win)."""
        from kwc_desktop.services.detect import read_accounts

        context = self.context
        accounts = [(a.label, context.sids[a.label]) for a in context.answers.accounts if a.label in context.sids]
        if not accounts:
            self.read_status.show_message(self.tr("Add an account with its Account SID and Auth Token first."))
            return
        if self.reading:
            return
        self.reading = True
        self._stop = stop = threading.Event()
        self.read_button.setEnabled(False)
        self.stop_reading.show()
        keeper, program = context.keeper, context.program
        total = len(accounts)
        read: list[str] = []

        def secret_for(label: str) -> str | None:  # on the worker thread: keyring calls belong there
            kept = keeper.kept.get(label, "token")
            return kept or (keeper.secrets.get(label, "token") if keeper.secrets is not None else None)

        def arrived(part: tuple[str, Findings]) -> None:
            label, found = part
            read.append(label)
            context.session.set_detected(label, found.facts)
            context.session.findings[label] = found
            context.touch()
            self.read_status.show_message(self.tr("Read %1 of %2 accounts…").replace("%1", str(len(read)))
                                          .replace("%2", str(total)), "info")

        def finished(outcome: Outcome[int]) -> None:
            self.reading = False
            self.read_button.setEnabled(True)
            self.stop_reading.hide()
            failed = [label for label in read if context.session.findings[label].errors]
            if outcome.error is not None:
                text = outcome.error.message(self.lang) if isinstance(outcome.error, UserError) else \
                    type(outcome.error).__name__
            elif stop.is_set() and len(read) < total:
                text = self.tr("Stopped after %1 of %2 accounts.").replace("%1", str(len(read))) \
                    .replace("%2", str(total))
            elif failed:
                text = self.tr("Read %1 accounts; some could not be read in full: %2. See the Options page.") \
                    .replace("%1", str(len(read))).replace("%2", ", ".join(failed))
            else:
                text = self.tr("Read %1 accounts from Twilio. What they answer is on the Options page.") \
                    .replace("%1", str(len(read)))
            self.read_status.show_message(text, "info" if not failed and outcome.error is None else "error")
            self.twilio_read.emit()

        context.network.submit(lambda report: read_accounts(accounts, secret_for, program, report, stop.is_set),
                               finished, arrived)

    def _secret_state(self, label: str, kind: SecretKind, shown: str) -> str:
        """'AC12…cdef', and whether the keyring has it yet: 'saving…' or 'this session only'."""
        if not shown:
            return "—"
        key = (label, kind)
        if key in self.context.saving:
            return self.tr("%1 (saving…)").replace("%1", shown)
        store = self.context.secrets
        if key in self.context.unsaved and store is not None and store.persistent:  # else the notice says it all
            return self.tr("%1 (this session only)").replace("%1", shown)
        return shown

    def isComplete(self) -> bool:
        return bool(self.context.answers.accounts) and not self.reading_csv

    def _selected_label(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item else None

    def _selection_changed(self) -> None:
        has = self._selected_label() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _store(self, entry: AccountEntry, sid: Sid | None, token: str | None) -> None:
        if sid is not None:
            self.context.write_secret(entry.label, "sid", sid.value)
        if token:
            self.context.write_secret(entry.label, "token", token)

    def add_account(self) -> None:
        dialog = AccountDialog(self.context, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            entry, sid, token = dialog.result_entry()
            self.context.answers.accounts.append(entry)
            self._store(entry, sid, token)
            self.context.touch()
            self.refresh()

    def edit_account(self) -> None:
        label = self._selected_label()
        entry = self.context.answers.account(label) if label else None
        if entry is None:
            return
        dialog = AccountDialog(self.context, entry, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        updated, sid, token = dialog.result_entry()
        if updated.label != entry.label:
            self.context.rename_secrets(entry.label, updated.label)
            self.context.answers.rename_account(entry.label, updated.label)
        entry.owner_email, entry.kind = updated.owner_email, updated.kind
        had_sid = entry.label in self.context.sids
        self._store(entry, sid, token)
        if sid is None and had_sid:
            self.context.write_secret(entry.label, "sid", None)
        self.context.touch()
        self.refresh()

    def remove_account(self) -> None:
        label = self._selected_label()
        if label is None:
            return
        self.context.answers.remove_account(label)
        self.context.forget_secrets(label)
        self.context.touch()
        self.refresh()

    def paste_sids(self) -> None:
        dialog = PasteSidsDialog(self.context, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        email, kind = parse_email(dialog.email.currentText()), dialog.kind.currentData()
        self._add_many([(sid.masked(), email, sid, kind) for sid in dialog.new_sids])

    def _add_many(self, rows: list[tuple[str, str, Sid, str]]) -> None:
        taken = {a.label for a in self.context.answers.accounts}
        for label, email, sid, kind in rows:
            unique, n = label, 2
            while unique in taken:
                unique, n = f"{label} ({n})", n + 1
            taken.add(unique)
            entry = AccountEntry(unique, email, kind)
            self.context.answers.accounts.append(entry)
            self._store(entry, sid, None)
        self.context.touch()
        self.refresh()

    def import_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import accounts from CSV"), "",
                                              self.tr("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.import_csv_file(Path(path))

    def import_csv_file(self, path: Path) -> None:
        """Read and check the file off the GUI thread, then show what it would add (`csv_previewed`)."""
        if self.reading_csv:
            return
        if self.files is None:
            self.files = JobRunner("csv")
        program, existing = self.context.program, {a.label for a in self.context.answers.accounts}
        self.reading_csv = True
        self.import_button.setEnabled(False)
        self.message.show_message(self.tr("Reading %1…").replace("%1", path.name), "info")
        self.completeChanged.emit()

        def work(_report: object) -> CsvPreview:
            return parse_accounts_csv(read_user_file(path, MAX_CSV_BYTES), program, existing)

        self.files.submit(work, lambda outcome: self._csv_read(path, outcome))

    def _csv_read(self, path: Path, outcome: Outcome[CsvPreview]) -> None:
        self.reading_csv = False
        self.import_button.setEnabled(True)
        self.completeChanged.emit()
        if outcome.value is None:
            error = outcome.error if isinstance(outcome.error, UserError) else \
                UserError("file.unreadable", reason=type(outcome.error).__name__)
            self.message.show_message(f"{path.name}: {error.message(self.lang)}")
            self.csv_previewed.emit(None)
            return
        preview = outcome.value
        self.message.show_message("" if self.context.answers.accounts else
                                  self.tr("Add at least one account to continue."), "info")
        known = set(self.context.sids.values())
        dialog = CsvPreviewDialog(self.context, preview, path.name, self)
        self.last_preview = dialog
        self.csv_previewed.emit(dialog)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            rows = [(a.label, a.owner_email, a.sid, a.kind) for a in preview.accepted if a.sid not in known]
            room = MAX_ACCOUNTS - len(self.context.answers.accounts)
            if len(rows) > room:
                self.message.show_message(self.tr("At most %1 accounts in all: %2 more can be added.")
                                          .replace("%1", str(MAX_ACCOUNTS)).replace("%2", str(max(room, 0))))
                return
            self._add_many(rows)
