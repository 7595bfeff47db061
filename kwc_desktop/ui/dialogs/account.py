"""Add or edit one account: label, owner email, kind, SID and Auth Token (the last two: keyring only)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.accounts import parse_email, parse_label
from kwc_desktop.domain.answers import AccountEntry
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.sid import Sid, parse_sid
from kwc_desktop.domain.text import Lang, UserError
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.widgets import FieldMessage

MAX_TOKEN_LENGTH = 128


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
