"""Invoice payment and high-quality SMS: the seven items, checked, and the email to Twilio."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from kwc_desktop.domain.billing import MAX_ITEM_LENGTH, MailDraft, check_item, mail_draft
from kwc_desktop.domain.secret_shape import looks_like_secret
from kwc_desktop.domain.text import UserError
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.pages.base import BasePage
from kwc_desktop.ui.pages.common import fill_combo, picker
from kwc_desktop.ui.widgets import Banner, FieldMessage, set_enabled


class BillingPage(BasePage):
    """The seven items for invoice payment / high-quality SMS, and a ready email draft."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        program = context.session.program
        self.account, self.account_label = picker(self._account_picked)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.sid_note = Banner()
        self.items = list(program.mail_items())
        self.fields: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.messages: dict[str, FieldMessage] = {}
        form = QFormLayout()
        form.addRow(self.account_label, self.account)
        for item in self.items:
            field = QLineEdit(context.session.answers.billing.get(item.id, ""))
            field.setMaxLength(MAX_ITEM_LENGTH)
            label = QLabel()
            label.setBuddy(field)
            field.textEdited.connect(self._edited)
            self.fields[item.id], self.labels[item.id], self.messages[item.id] = field, label, FieldMessage()
            form.addRow(label, field)
            form.addRow("", self.messages[item.id])
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.mail_button = QPushButton()
        self.copy_button = QPushButton()
        self.save_button = QPushButton()
        self.mail_button.clicked.connect(self.open_mail)
        self.copy_button.clicked.connect(self.copy_mail)
        self.save_button.clicked.connect(self.save_eml)
        buttons = QHBoxLayout()
        for button in (self.mail_button, self.copy_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch()
        self.status = FieldMessage()
        layout = self.scrolling_layout()
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.sid_note)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        lang = self.lang
        self.setTitle(self.tr("Invoice payment and high-quality SMS"))
        self.setSubTitle(self.tr("Twilio needs seven items for each account: the six below, and the account's "
                                 "Account SID, which the email takes from the account. Type the English fields "
                                 "in plain ASCII letters."))
        self.account_label.setText(self.tr("A&ccount:"))
        self.account.setAccessibleName(self.tr("Account the email is about"))
        for item in self.items:
            self.labels[item.id].setText(item.label(lang) + ":")
            self.fields[item.id].setAccessibleName(item.label(lang))
        self.preview.setAccessibleName(self.tr("Email draft"))
        self.mail_button.setText(self.tr("Open in &mail app"))
        self.copy_button.setText(self.tr("Cop&y to clipboard"))
        self.save_button.setText(self.tr("Sa&ve as .eml…"))

    def procedures(self) -> tuple[str, ...]:
        page = self.context.session.program.pages.billing
        assert page is not None  # the wizard shows this page only when the program has one
        return page.procedures

    def _accounts(self) -> list[tuple[str, str]]:
        plan = self.context.session.plan()
        result: list[tuple[str, str]] = []
        for status in plan.statuses():
            if status.procedure.id in self.procedures():
                for label in status.accounts:
                    if (label, status.procedure.id) not in [(x[0], x[1]) for x in result]:
                        result.append((label, status.procedure.id))
        return result

    def refresh(self) -> None:
        lang = self.lang
        choices = self._accounts()
        fill_combo(self.account, [(f"{label} — {self.context.session.program.procedure(p).title(lang)}", f"{p}|{label}")
                                  for label, p in choices])
        if self.context.session.answers.billing_account:
            for i in range(self.account.count()):
                if str(self.account.itemData(i)).endswith("|" + self.context.session.answers.billing_account):
                    self.account.setCurrentIndex(i)
                    break
        procedure = self._selected()[0] or self.procedures()[0]
        self.summary.setText(self.context.session.program.procedure(procedure).summary(lang))
        for item in self.items:  # answers may have changed elsewhere (an opened profile)
            saved = self.context.session.answers.billing.get(item.id, "")
            field = self.fields[item.id]
            if not field.hasFocus() and field.text() != saved and not looks_like_secret(field.text()):
                field.setText(saved)
        self._validate()

    def _selected(self) -> tuple[str | None, str | None]:
        data = self.account.currentData()
        if not data:
            return None, None
        procedure, label = str(data).split("|", 1)
        return procedure, label

    def _account_picked(self) -> None:
        _, label = self._selected()
        if label and label != self.context.session.answers.billing_account:
            self.context.session.answers.billing_account = label
            self.context.touch()
        self.refresh()

    def _edited(self) -> None:
        for item in self.items:
            text = self.fields[item.id].text()
            if not looks_like_secret(text):  # refused text stays in the field, beside its message
                self.context.session.answers.billing[item.id] = text
        self.context.touch()
        self._validate()

    def _validate(self) -> None:
        lang = self.lang
        self.values: dict[str, str] = {}
        self.invalid = False
        complete = True
        for item in self.items:
            text = self.fields[item.id].text()
            if not text.strip():
                self.messages[item.id].clear_message()
                complete = False
                continue
            try:
                self.values[item.id] = check_item(item, text)
                self.messages[item.id].clear_message()
            except UserError as e:
                self.messages[item.id].show_message(e.message(lang))
                self.invalid = True
        procedure, label = self._selected()
        sid = self.context.session.secrets.sids.get(label) if label else None
        if label and sid is None:
            self.sid_note.show_notice(self.tr("“%1” has no Account SID yet: add it on the Accounts page to "
                                              "complete the email.").replace("%1", label), warning=True)
        else:
            self.sid_note.show_notice("")
        self.draft: MailDraft | None = None
        if procedure and sid is not None:
            self.draft = mail_draft(self.context.session.program, procedure, sid, self.values, lang)
            self.preview.setPlainText(f"To: {self.draft.to}\nSubject: {self.draft.subject}\n\n{self.draft.body}")
        else:
            self.preview.setPlainText("")
        ready = self.draft is not None and complete and not self.invalid
        for button in (self.mail_button, self.copy_button, self.save_button):
            set_enabled(button, ready, self.context.msg("a11y.mail_incomplete"))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not getattr(self, "invalid", False)

    def open_mail(self) -> None:
        if self.draft is not None:
            QDesktopServices.openUrl(QUrl(self.draft.mailto()))

    def copy_mail(self) -> None:
        if self.draft is not None:
            QGuiApplication.clipboard().setText(f"To: {self.draft.to}\nSubject: {self.draft.subject}\n\n"
                                                f"{self.draft.body}")
            self.status.show_message(self.tr("Copied. Paste it into a new email."), "info")

    def save_eml(self) -> None:
        if self.draft is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save email draft"), "kwc-migration.eml",
                                              self.tr("Email (*.eml)"))
        if path:
            self.save_eml_to(Path(path))

    def save_eml_to(self, path: Path) -> bool:
        assert self.draft is not None
        from kwc_desktop.services.files import write_user_file

        try:
            write_user_file(path, self.draft.eml())  # whole or not at all; never over a device, FIFO or folder
        except UserError as e:
            self.status.show_message(f"{path.name}: {e.message(self.lang)}")
            return False
        self.status.show_message(self.tr("Saved %1. Open it in your mail app to send it.").replace("%1", path.name),
                                 "info")
        return True
