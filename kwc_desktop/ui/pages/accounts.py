"""Accounts: owner emails, labels, kinds, SIDs and optional Auth Tokens (the last two: keyring only)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.accounts import parse_email, parse_label
from kwc_desktop.domain.answers import AccountEntry
from kwc_desktop.domain.csv_import import CsvPreview, parse_accounts_csv
from kwc_desktop.domain.limits import MAX_ACCOUNTS, MAX_CSV_BYTES
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.sid import Sid, parse_sid, parse_sid_list
from kwc_desktop.domain.text import Lang, UserError
from kwc_desktop.services.files import read_user_file
from kwc_desktop.services.secrets import SecretKind
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.jobs import JobRunner, Outcome
from kwc_desktop.ui.widgets import Banner, BasePage, FieldMessage

MAX_TOKEN_LENGTH = 128
PASTE_PAUSE_MS = 150


def kind_combo(program: Program, lang: Lang) -> QComboBox:
    combo = QComboBox()
    for kind in program.account_kinds:
        combo.addItem(kind.label(lang), kind.id)
    return combo


class AccountDialog(QDialog):
    """Add or edit one account; OK only while every field is valid."""

    def __init__(self, context: AppContext, entry: AccountEntry | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.entry = entry
        lang = context.lang
        taken = {a.label for a in context.answers.accounts} - ({entry.label} if entry else set())
        self.taken = taken
        self.label = QLineEdit(entry.label if entry else "")
        self.email = QComboBox()
        self.email.setEditable(True)
        self.email.addItems(context.answers.owner_emails())
        self.email.setCurrentText(entry.owner_email if entry else (context.answers.owner_emails() or [""])[0])
        self.kind = kind_combo(context.program, lang)
        if entry:
            self.kind.setCurrentIndex(self.kind.findData(entry.kind))
        self.sid = QLineEdit(context.sids[entry.label].value if entry and entry.label in context.sids else "")
        self.sid.setPlaceholderText("AC…")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setMaxLength(MAX_TOKEN_LENGTH)
        self.token.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText)
        has_token = entry is not None and entry.label in context.tokens
        self.token.setPlaceholderText(self.tr("stored in the keyring — type to replace") if has_token
                                      else self.tr("optional: used only to read account details"))
        self.messages = {name: FieldMessage() for name in ("label", "email", "sid", "token")}
        self.kind_note = QLabel()
        self.kind_note.setWordWrap(True)

        form = QFormLayout()
        for text, field, name, accessible in [
            (self.tr("&Label:"), self.label, "label", self.tr("Label")),
            (self.tr("&Owner email address:"), self.email, "email", self.tr("Owner email address")),
            (self.tr("&Kind:"), self.kind, None, self.tr("Kind of account")),
            (self.tr("Account &SID:"), self.sid, "sid", self.tr("Account SID")),
            (self.tr("Auth &Token:"), self.token, "token", self.tr("Auth Token")),
        ]:
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(accessible)
            form.addRow(label, field)
            if name:
                form.addRow("", self.messages[name])
        form.addRow("", self.kind_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        where = context.secrets.name if context.secrets is not None and context.secrets.persistent else None
        self.where = QLabel(self.tr("The SID and Auth Token are saved in the OS keyring (%1), nowhere else.")
                            .replace("%1", where) if where else
                            self.tr("No keyring: the SID and Auth Token are kept only until you quit."))
        self.where.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.where)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Edit account") if entry else self.tr("Add account"))
        for signal in (self.label.textChanged, self.email.currentTextChanged, self.sid.textChanged,
                       self.token.textChanged, self.kind.currentIndexChanged):
            signal.connect(self.validate)
        self.validate()
        self.resize(520, self.sizeHint().height())
        self.label.setFocus()  # typing starts in the first field

    def validate(self) -> bool:
        lang = self.context.lang
        ok = True

        def check(name: str, action: object) -> None:
            nonlocal ok
            try:
                action()  # type: ignore[operator]
                self.messages[name].clear_message()
            except UserError as e:
                self.messages[name].show_message(e.message(lang))
                ok = False

        def label_ok() -> None:
            if parse_label(self.label.text()) in self.taken:
                raise UserError("csv.duplicate_label", value=self.label.text().strip())

        check("label", label_ok)
        check("email", lambda: parse_email(self.email.currentText()))
        check("sid", lambda: parse_sid(self.sid.text()) if self.sid.text().strip() else None)
        token = self.token.text()
        if token and (len(token) < 16 or any(c.isspace() for c in token)):
            self.messages["token"].show_message(self.tr("An Auth Token is 32 letters and digits, without spaces."))
            ok = False
        else:
            self.messages["token"].clear_message()
        self.kind_note.setText(self.context.program.kind(self.kind.currentData()).note(lang))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def result_entry(self) -> tuple[AccountEntry, Sid | None, str | None]:
        entry = AccountEntry(parse_label(self.label.text()), parse_email(self.email.currentText()),
                             self.kind.currentData())
        sid = parse_sid(self.sid.text()) if self.sid.text().strip() else None
        return entry, sid, self.token.text() or None


class PasteSidsDialog(QDialog):
    """Many Account SIDs pasted at once, for one owner email and kind, with a live preview."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(self.tr("Account SIDs, one per line"))
        self.text.setPlaceholderText("AC0123…\nAC4567…")
        self.email = QComboBox()
        self.email.setEditable(True)
        self.email.addItems(context.answers.owner_emails())
        self.email.setAccessibleName(self.tr("Owner email address"))
        self.kind = kind_combo(context.program, context.lang)
        self.kind.setAccessibleName(self.tr("Kind of account"))
        self.email_message = FieldMessage()
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        for text, field in [(self.tr("&Owner email address:"), self.email), (self.tr("&Kind:"), self.kind)]:
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        form.insertRow(1, "", self.email_message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        intro = QLabel(self.tr("Paste Account SIDs, one per line or separated by commas. Spaces, full-width "
                               "characters and capital letters are fine."))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Paste Account SIDs"))
        # Reading the list waits for a pause in typing: a paste of 50,000 SIDs is read once, not per key.
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(PASTE_PAUSE_MS)
        self.pause.timeout.connect(self.validate)
        self.text.textChanged.connect(self._typed)
        self.email.currentTextChanged.connect(self.validate)
        self.validate()
        self.resize(560, 420)

    def _typed(self) -> None:
        # OK stays usable while the list waits to be read: pressing it reads the list first.
        self.pause.start()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.text.toPlainText().strip()))

    def accept(self) -> None:
        self.validate()  # what is in the box now, even if typing has not paused yet
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            super().accept()

    def validate(self) -> None:
        self.pause.stop()
        lang = self.context.lang
        try:
            result = parse_sid_list(self.text.toPlainText())
        except UserError as e:
            self.new_sids = []
            self.preview.setText(e.message(lang))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        known = set(self.context.sids.values())
        self.new_sids = [s for s in result.accepted if s not in known]
        lines = [self.tr("%1 new, %2 already added, %3 rejected.").replace("%1", str(len(self.new_sids)))
                 .replace("%2", str(len(result.accepted) - len(self.new_sids) + len(result.duplicates)))
                 .replace("%3", str(len(result.rejected)))]
        room = MAX_ACCOUNTS - len(self.context.answers.accounts)
        too_many = len(self.new_sids) > room
        if too_many:
            lines.append(self.tr("At most %1 accounts in all: %2 more can be added.")
                         .replace("%1", str(MAX_ACCOUNTS)).replace("%2", str(max(room, 0))))
        lines += [f"• {text[:40]}: {error.message(lang)}" for text, error in result.rejected[:8]]
        self.preview.setText("\n".join(lines))
        try:
            parse_email(self.email.currentText())
            self.email_message.clear_message()
            email_ok = True
        except UserError as e:
            self.email_message.show_message(e.message(lang))
            email_ok = False
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(email_ok and bool(self.new_sids)
                                                                           and not too_many)


class CsvPreviewDialog(QDialog):
    """What a CSV file would add and what it rejects, and why, before anything is imported."""

    def __init__(self, context: AppContext, preview: CsvPreview, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        lang = context.lang
        kinds = {k.id: k.label(lang) for k in context.program.account_kinds}
        accepted = QTableWidget(len(preview.accepted), 5)
        accepted.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Label"), self.tr("Owner email address"),
                                            self.tr("Account SID"), self.tr("Kind")])
        for row, item in enumerate(preview.accepted):
            for column, value in enumerate([str(item.line), item.label, item.owner_email, item.sid.masked(),
                                            kinds[item.kind]]):
                accepted.setItem(row, column, QTableWidgetItem(value))
        rejected = QTableWidget(len(preview.rejected), 3)
        rejected.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Row as read"), self.tr("Why it was rejected")])
        for row, bad in enumerate(preview.rejected):
            for column, value in enumerate([str(bad.line), bad.text, bad.error.message(lang)]):
                rejected.setItem(row, column, QTableWidgetItem(value))
        for table in (accepted, rejected):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
            table.verticalHeader().hide()
        tabs = QTabWidget()
        tabs.addTab(accepted, self.tr("Accepted (%1)").replace("%1", str(len(preview.accepted))))
        tabs.addTab(rejected, self.tr("Rejected (%1)").replace("%1", str(len(preview.rejected))))
        if not preview.accepted and preview.rejected:
            tabs.setCurrentIndex(1)
        summary = QLabel(self.tr("%1 (%2): %3 accounts can be added, %4 rows were rejected.")
                         .replace("%1", file_name).replace("%2", preview.encoding)
                         .replace("%3", str(len(preview.accepted))).replace("%4", str(len(preview.rejected))))
        summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(self.tr("&Import %1 accounts").replace("%1", str(len(preview.accepted))),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(bool(preview.accepted))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("Import accounts from CSV"))
        self.resize(720, 420)


class AccountsPage(BasePage):
    """The accounts this guide is about; SIDs and tokens go to the keyring only."""

    csv_previewed = Signal(object)  # the preview dialog (shown next), or None when the file was refused

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
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.paste_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch()
        self.message = FieldMessage()
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
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
