"""Add or edit one account: label, owner email, kind, SID, and an API Key or the Auth Token to read it
from Twilio with (the SID and credentials: keyring only)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.accounts import parse_email, parse_label
from kwc_desktop.domain.answers import AccountEntry
from kwc_desktop.domain.program import KIND_FACT, Program
from kwc_desktop.domain.records import record
from kwc_desktop.domain.session import MAX_SECRET_LENGTH, check_secret
from kwc_desktop.domain.sid import Sid, parse_sid
from kwc_desktop.domain.text import Lang, UserError
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.widgets import FieldMessage, describe_controls, set_enabled

MAX_TOKEN_LENGTH = MAX_SECRET_LENGTH


@record
class AccountInput:
    """What the dialog was given: the account, and the secrets typed (None: left as they were)."""

    entry: AccountEntry
    sid: Sid | None
    token: str | None
    api_key: tuple[Sid, str] | None


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
        taken = {a.label for a in context.session.answers.accounts} - ({entry.label} if entry else set())
        self.taken = taken
        self.label = QLineEdit(entry.label if entry else "")
        self.email = QComboBox()
        self.email.setEditable(True)
        self.email.addItems(context.session.answers.owner_emails())
        self.email.setCurrentText(entry.owner_email if entry else (context.session.answers.owner_emails() or [""])[0])
        self.kind = kind_combo(context.session.program, lang)
        if entry:
            self.kind.setCurrentIndex(self.kind.findData(context.session.kind(entry.label) or entry.kind))
        sids = context.session.secrets.sids
        self.sid = QLineEdit(sids[entry.label].value if entry and entry.label in sids else "")
        self.sid.setPlaceholderText("AC…")
        self.token = self._secret_field()
        has_token = entry is not None and entry.label in context.session.secrets.tokens
        self.token.setPlaceholderText(self.tr("stored in the keyring — type to replace") if has_token
                                      else self.tr("optional"))
        stored_key = context.session.secrets.api_keys.get(entry.label) if entry else None
        self.key_sid = QLineEdit(stored_key.value if stored_key else "")
        self.key_sid.setPlaceholderText("SK…")
        self.key_secret = self._secret_field()
        self.key_secret.setPlaceholderText(self.tr("stored in the keyring — type to replace") if stored_key
                                           else self.tr("the secret shown once when the key was made"))
        self.messages = {name: FieldMessage() for name in ("label", "email", "sid", "key_sid", "key", "token")}
        # A field's error shows once the user has typed in it (or pressed OK): the dialog does not open
        # with "enter a label" before anything was typed. OK stays disabled meanwhile.
        self.touched: set[str] = set()
        self.kind_note = QLabel()
        self.kind_note.setWordWrap(True)
        self.read_note = QLabel(self.tr(
            "Give an API Key — recommended: make a Standard key for this in the Console (Account › API keys & "
            "tokens) and delete it when you are done — or the Auth Token. Only reading is done; a key is used "
            "when both are given."))
        self.read_note.setWordWrap(True)
        self.parent_label = entry.parent if entry else ""

        form = QFormLayout()
        self.read_group = QGroupBox(self.tr("To read the account from Twilio (optional)"))
        read_layout = QVBoxLayout(self.read_group)
        read_layout.addWidget(self.read_note)
        read_form = QFormLayout()
        read_layout.addLayout(read_form)
        for target, text, field, name, accessible in [
            (form, self.tr("&Label:"), self.label, "label", self.tr("Label")),
            (form, self.tr("&Owner email address:"), self.email, "email", self.tr("Owner email address")),
            (form, self.tr("&Kind:"), self.kind, None, self.tr("Kind of account")),
            (form, self.tr("Account &SID:"), self.sid, "sid", self.tr("Account SID")),
            (read_form, self.tr("API &Key SID:"), self.key_sid, "key_sid", self.tr("API Key SID")),
            (read_form, self.tr("API key s&ecret:"), self.key_secret, "key", self.tr("API Key secret")),
            (read_form, self.tr("Auth &Token:"), self.token, "token", self.tr("Auth Token")),
        ]:
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(accessible)
            target.addRow(label, field)
            if name:
                target.addRow("", self.messages[name])
            if field is self.kind:
                form.addRow("", self.kind_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        where = context.secrets.display_name if context.secrets is not None and context.secrets.persistent else None
        self.where = QLabel(self.tr("The SID, API Key and Auth Token are saved in the OS keyring (%1), nowhere "
                                    "else.").replace("%1", where) if where else
                            self.tr("No keyring: the SID, API Key and Auth Token are kept only until you quit."))
        self.where.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.read_group)
        layout.addWidget(self.where)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Edit account") if entry else self.tr("Add account"))
        for signal in (self.label.textChanged, self.email.currentTextChanged, self.sid.textChanged,
                       self.token.textChanged, self.key_sid.textChanged, self.key_secret.textChanged,
                       self.kind.currentIndexChanged):
            signal.connect(self.validate)
        line_edit = self.email.lineEdit()
        assert line_edit is not None  # an editable combo box has one
        for name, edited in (("label", self.label.textEdited), ("email", line_edit.textEdited),
                             ("email", self.email.activated), ("sid", self.sid.textEdited),
                             ("token", self.token.textEdited), ("key_sid", self.key_sid.textEdited),
                             ("key", self.key_secret.textEdited)):
            edited.connect(lambda *_args, n=name: self._touch(n))
        self.validate()
        self._fit()
        describe_controls(self, context.lang)
        self.label.setFocus()  # typing starts in the first field

    def _touch(self, name: str) -> None:
        if name not in self.touched:
            self.touched.add(name)
            self.validate()

    def validate(self) -> bool:
        lang = self.context.lang
        ok = True

        def check(name: str, action: object) -> None:
            nonlocal ok
            try:
                action()  # type: ignore[operator]
                self.messages[name].clear_message()
            except UserError as e:
                ok = False
                if name in self.touched:
                    self.messages[name].show_message(e.message(lang))
                else:
                    self.messages[name].clear_message()

        def label_ok() -> None:
            if parse_label(self.label.text()) in self.taken:
                raise UserError("csv.duplicate_label", value=self.label.text().strip())

        check("label", label_ok)
        check("email", lambda: parse_email(self.email.currentText()))
        check("sid", lambda: parse_sid(self.sid.text()) if self.sid.text().strip() else None)
        token = self.token.text()
        check("token", lambda: check_secret(token) if token else None)
        check("key_sid", self._check_key_sid)
        check("key", self._check_key)
        note = self.context.session.program.kind(self.kind.currentData()).note(lang)
        detected = self.context.session.detected.get(self.entry.label, {}).get(KIND_FACT) if self.entry else None
        if detected is not None and isinstance(detected.value, str):
            said = self.context.session.program.kind(detected.value).label(lang)
            note += "\n" + (self.tr("Twilio says: %1.").replace("%1", said) if detected.value == self.kind.currentData()
                            else self.tr("Twilio says: %1. Your choice is used instead.").replace("%1", said))
        if note != self.kind_note.text():
            self.kind_note.setText(note)
            if self.isVisible():
                self._fit()
        set_enabled(self.buttons.button(QDialogButtonBox.StandardButton.Ok), ok, self.context.msg("a11y.ok_incomplete"))
        return ok

    def _fit(self) -> None:
        """Tall enough for the wrapped notes at this width (a form's size hint does not count wrapping)."""
        width = max(self.width(), 560)
        layout = self.layout()
        if layout is None:
            return
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
        self.resize(width, max(height, self.sizeHint().height()))

    def _secret_field(self) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMaxLength(MAX_TOKEN_LENGTH)
        field.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText)
        return field

    def _check_key_sid(self) -> None:
        """The API Key SID's own errors, under it: its shape, or missing beside a secret."""
        sid_text = self.key_sid.text().strip()
        if sid_text:
            parse_sid(sid_text, "SK")
        elif self.key_secret.text():
            raise UserError("secrets.key_needs_sid")

    def _check_key(self) -> None:
        """The secret's errors, under it: an API Key SID needs its secret (the secret alone replaces a stored
        key's)."""
        sid_text, secret = self.key_sid.text().strip(), self.key_secret.text()
        stored = self.context.session.secrets.api_keys.get(self.entry.label) if self.entry else None
        try:
            typed = parse_sid(sid_text, "SK").value if sid_text else None
        except UserError:
            typed = None  # the SID's own error is under the SID
        if typed is not None and not secret and (stored is None or stored.value != typed):
            raise UserError("secrets.key_needs_secret")
        if secret:
            check_secret(secret)

    def account_input(self) -> AccountInput:
        """The account as typed; None for a secret left empty (the stored one stays)."""
        entry = AccountEntry(parse_label(self.label.text()), parse_email(self.email.currentText()),
                             self.kind.currentData(), parent=self.parent_label)
        sid = parse_sid(self.sid.text()) if self.sid.text().strip() else None
        key = (parse_sid(self.key_sid.text().strip(), "SK"), self.key_secret.text()) \
            if self.key_sid.text().strip() and self.key_secret.text() else None
        return AccountInput(entry, sid, self.token.text() or None, key)

    def key_removed(self) -> bool:
        """The key's SID was cleared: the stored key is deleted."""
        return bool(self.entry and self.entry.label in self.context.session.secrets.api_keys
                    and not self.key_sid.text().strip())
