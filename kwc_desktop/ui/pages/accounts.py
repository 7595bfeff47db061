"""Accounts: owner emails, labels, kinds, SIDs and optional Auth Tokens (the last two: keyring only)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from kwc_desktop.domain.accounts import parse_email
from kwc_desktop.domain.answers import AccountEntry
from kwc_desktop.domain.csv_import import CsvPreview, parse_accounts_csv
from kwc_desktop.domain.limits import MAX_ACCOUNTS, MAX_CSV_BYTES
from kwc_desktop.domain.session import encode_api_key
from kwc_desktop.domain.sid import Sid
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.files import read_user_file
from kwc_desktop.services.outcome import Outcome
from kwc_desktop.services.secrets import SecretKind
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.dialogs.account import AccountDialog, AccountInput
from kwc_desktop.ui.dialogs.csv_preview import CsvPreviewDialog
from kwc_desktop.ui.dialogs.paste_sids import PasteSidsDialog
from kwc_desktop.ui.pages.base import BasePage
from kwc_desktop.ui.row_table import RowTable
from kwc_desktop.ui.widgets import Banner, FieldMessage, set_enabled

if TYPE_CHECKING:
    from kwc_desktop.ui.detection import TwilioReader


class AccountsPage(BasePage):
    """The accounts this guide is about; SIDs and tokens go to the keyring only."""

    csv_previewed = Signal(object)  # the preview dialog (shown next), or None when the file was refused
    twilio_read = Signal()  # a "Read from Twilio" run ended (read_status says how)

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.reading_csv = False
        self.banner = Banner()
        self.table = RowTable(6)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self.edit_account)
        self.table.on_open, self.table.on_delete = self.edit_account, self.remove_account
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = QPushButton()
        self.edit_button = QPushButton()
        self.remove_button = QPushButton()
        self.undo_button = QPushButton()  # brings the account removed last back, until removals are final
        self.paste_button = QPushButton()
        self.import_button = QPushButton()
        self.add_button.clicked.connect(self.add_account)
        self.edit_button.clicked.connect(self.edit_account)
        self.remove_button.clicked.connect(self.remove_account)
        self.undo_button.clicked.connect(self.undo_remove)
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self.undo_remove)
        self.paste_button.clicked.connect(self.paste_sids)
        self.import_button.clicked.connect(self.import_csv)
        # Read the accounts from Twilio itself (a background job for several at once, with Stop).
        self.read_button = QPushButton()
        self.read_button.clicked.connect(self.read_from_twilio)
        self.stop_reading = QPushButton()
        self.stop_reading.clicked.connect(lambda: self.twilio().stop())
        self.stop_reading.hide()
        self.report_button = QPushButton()
        self.report_button.clicked.connect(self.save_report)
        self.read_status = FieldMessage()
        self.reader_connected = False
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.paste_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.stop_reading)
        buttons.addWidget(self.report_button)
        self.message = FieldMessage()
        self.removed_note = FieldMessage()  # what Undo remove would bring back
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.read_status)
        layout.addWidget(self.message)
        # After a removal, under the buttons (the row of buttons has no room for one more at 150 %): what
        # went, and the button that brings it back.
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.undo_button)
        undo_row.addWidget(self.removed_note, 1)  # the width of the page: a short note stays one line
        layout.addLayout(undo_row)
        context.secrets_changed.connect(self.refresh)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Accounts"))
        self.setSubTitle(self.tr("Add each Twilio account (and sub-account) with its owner email address. "
                                 "Consent is given once per owner email address."))
        self.table.setHorizontalHeaderLabels([self.tr("Label"), self.tr("Owner email address"), self.tr("Kind"),
                                              self.tr("Account SID"), self.tr("Read with"), self.tr("Twilio")])
        self.table.setAccessibleName(self.tr("Accounts"))
        self.add_button.setText(self.tr("&Add…"))
        self.edit_button.setText(self.tr("&Edit…"))
        self.remove_button.setText(self.tr("&Remove"))
        self.undo_button.setText(self.tr("&Undo remove"))
        self.paste_button.setText(self.tr("&Paste SIDs…"))
        self.import_button.setText(self.tr("&Import CSV…"))
        self.read_button.setText(self.tr("Read from &Twilio"))
        self.read_tip = self.tr("Reads each account with its API Key or Auth Token: its status, "
                                "sub-accounts, numbers, Bundles and balance. Nothing is changed on Twilio.")
        self.stop_reading.setText(self.tr("Stop"))
        self.report_button.setText(self.tr("Sa&ve report…"))
        self.report_tip = self.tr("Saves what was read from Twilio as a JSON file (SIDs masked) for a "
                                  "colleague or support.")

    def refresh(self) -> None:
        context = self.context
        # Problems (no keyring, locked, a refused write) are in the notice above every page, with Retry;
        # here: what the keyring is doing right now.
        if context.keeper.keyring_busy == "opening":
            self.banner.show_notice(self.tr("Opening the OS keyring…"))
        elif context.keeper.keyring_busy == "reading":
            self.banner.show_notice(self.tr("Reading the SIDs and tokens from the keyring…"))
        elif context.saving:
            self.banner.show_notice(self.tr("Saving to the keyring…"))
        else:
            self.banner.show_notice("")
        selected = self._selected_label()
        accounts = context.session.answers.accounts
        self.table.setRowCount(len(accounts))
        reader = self.twilio() if self.reader_connected else None
        kinds = context.session.kinds()
        for row, entry in enumerate(accounts):
            sid = context.session.secrets.sids.get(entry.label)
            kind = kinds.get(entry.label) or entry.kind
            values = [entry.label, entry.owner_email, context.session.program.kind(kind).label(self.lang),
                      self._secret_state(entry.label, "sid", sid.masked() if sid else ""),
                      self._credentials(entry.label, entry.parent),
                      reader.state_text(entry.label) if reader is not None else self._read_state(entry.label)]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
            if entry.label == selected:
                self.table.selectRow(row)
        self.message.show_message("" if accounts else self.tr("Add at least one account to continue."), "info")
        removed = context.session.last_removed()
        self.undo_button.setVisible(removed is not None)
        set_enabled(self.undo_button, removed is None or context.keeper.restorable(removed),
                    self.tr("Reading what the keyring held for it…"))
        self.undo_button.setToolTip(self.tr("Brings back “%1” with its SID, tokens, ticks and what was read "
                                            "(Ctrl+Z).").replace("%1", removed) if removed is not None else "")
        self.removed_note.show_message(
            self.tr("Removed “%1”. Undo remove (Ctrl+Z) brings it back until you quit, save a profile or open "
                    "one.").replace("%1", removed) if removed is not None else "", "info")
        self._selection_changed()
        set_enabled(self.report_button, bool(context.session.findings), context.msg("a11y.nothing_read"),
                    self.report_tip)
        self._read_button_state()
        self.completeChanged.emit()

    def twilio(self) -> TwilioReader:
        from kwc_desktop.ui.detection import twilio_reader  # made on first use: not on the start path

        return twilio_reader(self.context)

    def read_from_twilio(self) -> None:
        """Read every account that has a SID from Twilio (several at once, off the GUI thread); what each
        answers lands in the session as it comes (the user's own answers still win)."""
        reader = self._reader()
        if reader.running:
            return
        if not reader.readable():
            self.read_status.show_message(self.tr("Add an account with its Account SID and an API Key or Auth "
                                                  "Token first."))
            return
        if reader.start(reader.readable()):
            self.read_status.show_message(self.tr("Reading from Twilio…"), "info")

    def _reader(self) -> TwilioReader:
        reader = self.twilio()
        if not self.reader_connected:
            self.reader_connected = True
            reader.changed.connect(self._reader_changed)
            reader.finished.connect(self._read_finished)
        return reader

    def _read_button_state(self) -> None:
        running = self.reader_connected and self.twilio().running  # no reader yet: none is running
        set_enabled(self.read_button, not running, self.context.msg("a11y.reading_twilio"), self.read_tip)

    def _reader_changed(self) -> None:
        reader = self.twilio()
        self._read_button_state()
        self.stop_reading.setVisible(reader.running)
        if reader.running:
            read = sum(1 for state in reader.states.values() if state in ("read", "partly", "failed"))
            self.read_status.show_message(self.context.msg("twilio.reading", read=read, total=len(reader.states)),
                                          "info")
        self.refresh()

    def _read_finished(self, text: str) -> None:
        reader = self.twilio()
        failed = any(state in ("partly", "failed") for state in reader.states.values())
        self.read_status.show_message(text, "error" if failed else "info")
        self.twilio_read.emit()

    def _read_state(self, label: str) -> str:
        found = self.context.session.findings.get(label)
        if found is None:
            return "—"
        return self.twilio().state_text(label)

    def _credentials(self, label: str, parent: str) -> str:
        """What the account is read with: its API Key, its Auth Token, its owner account's, or nothing."""
        context = self.context
        key = context.session.secrets.api_keys.get(label)
        if key is not None:
            return self._secret_state(label, "api_key", self.tr("API Key %1").replace("%1", key.masked()))
        if label in context.session.secrets.tokens:
            return self._secret_state(label, "token", self.tr("Auth Token"))
        if parent:
            return self.tr("as %1").replace("%1", parent)
        return "—"

    def save_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save detection report"), "kwc-detection.json",
                                              self.tr("JSON files (*.json)"))
        if path:
            self.save_report_to(Path(path))

    def save_report_to(self, path: Path) -> bool:
        """Write what was read (SIDs masked) as JSON; the message beside the buttons says how it went."""
        from kwc_desktop.services.reports import detection_report, save_detection_report

        report = detection_report(self.context.session, None, self.lang)
        try:
            written = save_detection_report(report, path)
        except UserError as e:
            self.read_status.show_message(f"{path.name}: {e.message(self.lang)}")
            return False
        self.read_status.show_message(self.context.msg("twilio.report_saved", count=len(report["accounts"]),
                                                       path=written.shown(self.lang)), "info")
        return True

    def _secret_state(self, label: str, kind: SecretKind, shown: str) -> str:
        """'AC12…cdef', and whether the keyring has it yet: 'saving…' or 'this session only'."""
        if not shown:
            return "—"
        key = (label, kind)
        if key in self.context.saving:
            return self.tr("%1 (saving…)").replace("%1", shown)
        store = self.context.secrets
        if key in self.context.keeper.unsaved and store is not None and store.persistent:  # else the notice says it all
            return self.tr("%1 (this session only)").replace("%1", shown)
        return shown

    def isComplete(self) -> bool:
        return bool(self.context.session.answers.accounts) and not self.reading_csv

    def incomplete_reason(self) -> str:
        return self.tr("Add at least one account to continue.")

    def _selected_label(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item else None

    def _selection_changed(self) -> None:
        has = self._selected_label() is not None
        set_enabled(self.edit_button, has, self.context.msg("a11y.no_selection"))
        set_enabled(self.remove_button, has, self.context.msg("a11y.no_selection"))

    def _store(self, label: str, typed: AccountInput) -> None:
        if typed.sid is not None:
            self.context.keeper.write_secret(label, "sid", typed.sid.value)
        if typed.token:
            self.context.keeper.write_secret(label, "token", typed.token)
        if typed.api_key is not None:
            self.context.keeper.write_secret(label, "api_key", encode_api_key(*typed.api_key))

    def add_account(self) -> None:
        dialog = AccountDialog(self.context, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            typed = dialog.account_input()
            self.context.session.add_account(typed.entry)
            self._store(typed.entry.label, typed)
            self.context.touch()
            self.refresh()

    def edit_account(self) -> None:
        label = self._selected_label()
        entry = self.context.session.answers.account(label) if label else None
        if entry is None:
            return
        dialog = AccountDialog(self.context, entry, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        typed = dialog.account_input()
        session, keeper = self.context.session, self.context.keeper
        session.rename_account(entry.label, typed.entry.label)  # the keeper moves its keyring entries
        session.update_account(entry.label, typed.entry.owner_email, typed.entry.kind)
        had_sid = entry.label in session.secrets.sids
        if dialog.key_removed():
            keeper.write_secret(entry.label, "api_key", None)
        self._store(entry.label, typed)
        if typed.sid is None and had_sid:
            keeper.write_secret(entry.label, "sid", None)
        self.context.touch()
        self.refresh()

    def remove_account(self) -> None:
        """Remove the selected account, its SID and tokens from the keyring and what was read for it, once the
        user has said yes (the Remove button and the Delete key)."""
        from PySide6.QtWidgets import QMessageBox

        label = self._selected_label()
        if label is None:
            return
        store = self.context.keeper.secrets
        if store is not None and not store.persistent:  # no keyring: there is nothing to delete from it
            goes = self.tr("Remove “%1”? Its Account SID, Auth Token and API key (kept for this session only) are "
                           "forgotten too, and what was read from Twilio for it.")
        else:
            goes = self.tr("Remove “%1”? Its Account SID, Auth Token and API key are deleted from the keyring too, "
                           "and what was read from Twilio for it.")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Remove account"),
                          goes.replace("%1", label) + "\n\n" + self.tr(
                              "Undo remove brings it all back until you quit, save a profile or open one."),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Remove"))  # says what it does, not "Yes"
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        # Its keyring entries go too (the keeper listens, and keeps them in memory for an undo).
        self.context.session.remove_account(label, undoable=True)
        self.context.touch()
        self.refresh()

    def undo_remove(self) -> None:
        """Bring back the account removed last, with its SID, tokens, ticks and what was read (Ctrl+Z)."""
        session = self.context.session
        removed = session.last_removed()
        if removed is None or not self.context.keeper.restorable(removed):
            return  # its keyring entries are still being read: a moment later they can come back too
        label = session.undo_remove()
        if label is None:
            return
        self.context.touch()
        self.refresh()
        self.select(label)

    def select(self, label: str) -> None:
        """Select the account's row (and show it)."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == label:
                self.table.selectRow(row)
                self.table.scrollToItem(item)
                return

    def paste_sids(self) -> None:
        dialog = PasteSidsDialog(self.context, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        email, kind = parse_email(dialog.email.currentText()), dialog.kind.currentData()
        # A readable label to rename later ("Account 3"), not the SID: labels are shown and printed.
        first = len(self.context.session.answers.accounts) + 1
        self._add_many([(self.tr("Account %1").replace("%1", str(first + n)), email, sid, kind)
                        for n, sid in enumerate(dialog.new_sids)])

    def _add_many(self, rows: list[tuple[str, str, Sid, str]]) -> None:
        session = self.context.session
        for label, email, sid, kind in rows:
            entry = session.add_account(AccountEntry(session.unique_label(label), email, kind))
            self.context.keeper.write_secret(entry.label, "sid", sid.value)
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
        program, existing = self.context.session.program, {a.label for a in self.context.session.answers.accounts}
        self.reading_csv = True
        set_enabled(self.import_button, False, self.context.msg("a11y.reading_file"))
        self.message.show_message(self.tr("Reading %1…").replace("%1", path.name), "info")
        self.completeChanged.emit()

        def work(_report: object) -> CsvPreview:
            return parse_accounts_csv(read_user_file(path, MAX_CSV_BYTES), program, existing)

        self.context.files.submit(work, lambda outcome: self._csv_read(path, outcome))

    def _csv_read(self, path: Path, outcome: Outcome[CsvPreview]) -> None:
        self.reading_csv = False
        set_enabled(self.import_button, True, "")
        self.completeChanged.emit()
        if outcome.value is None:
            error = outcome.error if isinstance(outcome.error, UserError) else \
                UserError("file.unreadable", reason=type(outcome.error).__name__)
            self.message.show_message(f"{path.name}: {error.message(self.lang)}")
            self.csv_previewed.emit(None)
            return
        preview = outcome.value
        self.message.show_message("" if self.context.session.answers.accounts else
                                  self.tr("Add at least one account to continue."), "info")
        known = set(self.context.session.secrets.sids.values())
        dialog = CsvPreviewDialog(self.context, preview, path.name, self)
        self.csv_previewed.emit(dialog)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            rows = [(a.label, a.owner_email, a.sid, a.kind) for a in preview.accepted if a.sid not in known]
            room = MAX_ACCOUNTS - len(self.context.session.answers.accounts)
            if len(rows) > room:
                self.message.show_message(self.tr("At most %1 accounts in all: %2 more can be added.")
                                          .replace("%1", str(MAX_ACCOUNTS)).replace("%2", str(max(room, 0))))
                return
            self._add_many(rows)
