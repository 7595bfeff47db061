"""Paste many Account SIDs at once: each line checked as typed, the accepted ones added as accounts."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.accounts import parse_email
from kwc_desktop.domain.limits import MAX_ACCOUNTS
from kwc_desktop.domain.sid import parse_sid_list
from kwc_desktop.domain.text import UserError
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.dialogs.account import kind_combo
from kwc_desktop.ui.widgets import FieldMessage, describe_controls, set_enabled

PASTE_PAUSE_MS = 150


class PasteSidsDialog(QDialog):
    """Many Account SIDs pasted at once, for one owner email and kind, with a live preview."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)  # SIDs hold no tabs: Tab goes on to the owner's address
        self.text.setAccessibleName(self.tr("Account SIDs, one per line"))
        self.text.setPlaceholderText("AC0123…\nAC4567…")
        self.email = QComboBox()
        self.email.setEditable(True)
        self.email.addItems(context.session.answers.owner_emails())
        self.email.setAccessibleName(self.tr("Owner email address"))
        self.kind = kind_combo(context.session.program, context.lang)
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
        describe_controls(self, context.lang)

    def _typed(self) -> None:
        # OK stays usable while the list waits to be read: pressing it reads the list first.
        self.pause.start()
        set_enabled(self.buttons.button(QDialogButtonBox.StandardButton.Ok), bool(self.text.toPlainText().strip()),
                    self.context.msg("a11y.ok_incomplete"))

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
            set_enabled(self.buttons.button(QDialogButtonBox.StandardButton.Ok), False,
                        self.context.msg("a11y.ok_incomplete"))
            return
        known = set(self.context.session.secrets.sids.values())
        self.new_sids = [s for s in result.accepted if s not in known]
        lines = [self.tr("%1 new, %2 already added, %3 rejected.").replace("%1", str(len(self.new_sids)))
                 .replace("%2", str(len(result.accepted) - len(self.new_sids) + len(result.duplicates)))
                 .replace("%3", str(len(result.rejected)))]
        room = MAX_ACCOUNTS - len(self.context.session.answers.accounts)
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
        set_enabled(self.buttons.button(QDialogButtonBox.StandardButton.Ok), email_ok and bool(self.new_sids)
                    and not too_many, self.context.msg("a11y.ok_incomplete"))
