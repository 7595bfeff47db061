"""Consent: what the consent form asks, the acknowledgements, and when it was submitted."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from kwc_desktop.domain.accounts import normalise_email
from kwc_desktop.domain.checklist import State, what_now
from kwc_desktop.domain.program import Procedure
from kwc_desktop.domain.secret_shape import looks_like_secret
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.pages.base import BasePage
from kwc_desktop.ui.pages.common import fill_combo, picker, statuses_for, step_line
from kwc_desktop.ui.widgets import Banner, FieldMessage, WrappingCheckBox, keep_in_sane_range

MAX_FIELD = 120


class ConsentPage(BasePage):
    """Prepare the consent form per owner email address and record its submission."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.owner, self.owner_label = picker(self._load_owner)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.deadline = Banner()
        self.company = QLineEdit()
        self.title_edit = QLineEdit()
        self.name = QLineEdit()
        self.fields = {"company": self.company, "signer_title": self.title_edit, "signer_name": self.name}
        self.field_labels = {key: QLabel() for key in self.fields}
        self.messages = {key: FieldMessage() for key in self.fields}
        form = QFormLayout()
        for key, field in self.fields.items():
            field.setMaxLength(MAX_FIELD)
            self.field_labels[key].setBuddy(field)
            form.addRow(self.field_labels[key], field)
            form.addRow("", self.messages[key])
            field.textEdited.connect(self._save)
        self.form_group = QGroupBox()
        self.form_group.setLayout(form)
        self.acks: dict[str, WrappingCheckBox] = {}
        self.ack_group = QGroupBox()
        ack_layout = QVBoxLayout(self.ack_group)
        for ack in self.procedure().acknowledgements:
            box = WrappingCheckBox()
            box.toggled.connect(self._save)
            self.acks[ack.id] = box
            ack_layout.addWidget(box)
        self.ack_message = FieldMessage()
        ack_layout.addWidget(self.ack_message)
        self.submitted = QCheckBox()
        self.submitted_on = QDateEdit()
        self.submitted_on.setCalendarPopup(True)
        self.submitted_on.setDisplayFormat("yyyy-MM-dd")
        keep_in_sane_range(self.submitted_on)
        self.submitted.toggled.connect(self._save)
        self.submitted_on.dateChanged.connect(self._save)
        self.submitted_message = FieldMessage()
        submitted_form = QFormLayout()
        submitted_form.addRow(self.submitted, self.submitted_on)
        submitted_form.addRow("", self.submitted_message)
        owner_form = QFormLayout()
        owner_form.addRow(self.owner_label, self.owner)
        layout = self.scrolling_layout()
        layout.addLayout(owner_form)
        layout.addWidget(self.summary)
        # The notice does not give the consent form's own address: the page it was on is the app's link.
        self.form_link = QLabel()
        self.form_link.setWordWrap(True)
        self.form_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.form_link.setOpenExternalLinks(False)
        self.form_link.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        layout.addWidget(self.form_link)
        layout.addWidget(self.deadline)
        layout.addWidget(self.form_group)
        layout.addWidget(self.ack_group)
        layout.addLayout(submitted_form)
        layout.addStretch()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        lang = self.lang
        consent = self.procedure()
        self.setTitle(consent.title(lang))
        self.setSubTitle(self.tr("Prepare what the transfer consent form asks for, once per owner email address."))
        self.owner_label.setText(self.tr("&Owner email address:"))
        self.owner.setAccessibleName(self.tr("Owner email address"))
        self.summary.setText(consent.summary(lang))
        url = self.context.session.program.source_url
        self.form_link.setVisible(url is not None)
        if url is not None:
            text = self.tr("The consent form was on this page of the notice: %1").replace(
                "%1", f'<a href="{escape(url)}">{escape(url)}</a>')
            self.form_link.setText(text)
        self.form_group.setTitle(self.tr("What the form asks"))
        for key, text, accessible in [
            ("company", self.tr("&Company name:"), self.tr("Company name")),
            ("signer_title", self.tr("Signer's &title:"), self.tr("Signer's title")),
            ("signer_name", self.tr("Signer's na&me:"), self.tr("Signer's name")),
        ]:
            self.field_labels[key].setText(text)
            self.fields[key].setAccessibleName(accessible)
        self.title_edit.setPlaceholderText(self.tr("a person with authority to sign contracts"))
        self.ack_group.setTitle(self.tr("Acknowledgements"))
        for ack in consent.acknowledgements:
            self.acks[ack.id].setText(ack.text(lang))
        self.submitted.setText(self.tr("Consent s&ubmitted on:"))
        self.submitted_on.setAccessibleName(self.tr("Date consent was submitted"))

    def procedure(self) -> Procedure:
        page = self.context.session.program.pages.consent
        assert page is not None  # the wizard shows this page only when the program has one
        return self.context.session.program.procedure(page.procedure)

    def current_email(self) -> str | None:
        data = self.owner.currentData()
        return str(data) if data else None

    def refresh(self) -> None:
        emails = self.context.session.answers.owner_emails()
        fill_combo(self.owner, [(e, e) for e in emails])
        self._load_owner()

    def _load_owner(self) -> None:
        email = self.current_email()
        if email is None:
            return
        prep = self.context.session.answers.consent_for(email)
        same_owner = email == getattr(self, "_loaded_email", None)
        self._loaded_email = email
        for key, field in self.fields.items():
            if field.text() != getattr(prep, key) and not (same_owner and looks_like_secret(field.text())):
                field.setText(getattr(prep, key))
        submitted = self.context.session.answers.consent_submitted(self.context.session.program, email)
        for ack_id, box in self.acks.items():
            box.blockSignals(True)
            box.setChecked(ack_id in prep.acknowledged or submitted)  # submitted: given with the form
            box.blockSignals(False)
        self.submitted.blockSignals(True)
        self.submitted_on.blockSignals(True)
        self.submitted.setChecked(submitted)
        # An unrecorded submission defaults to the day the plan is judged at (never a future date).
        day = prep.submitted_on or self.context.session.now().astimezone(self.context.session.program.tz).date()
        self.submitted_on.setDate(QDate(day.year, day.month, day.day))
        self.submitted.blockSignals(False)
        self.submitted_on.blockSignals(False)
        self._validate()

    def _save(self) -> None:
        email = self.current_email()
        if email is None:
            return
        prep = self.context.session.answers.edit_consent(email)
        for key, field in self.fields.items():
            if not looks_like_secret(field.text()):  # refused text stays in the field, beside its message
                setattr(prep, key, field.text())
        prep.acknowledged = {ack_id for ack_id, box in self.acks.items() if box.isChecked()}
        day = self.submitted_on.date()
        session = self.context.session
        session.answers.set_consent_submitted(session.program, email, self.submitted.isChecked(),
                                                   date(day.year(), day.month(), day.day()))
        if self.submitted.isChecked():
            self._load_owner()  # the acknowledgements the form made the signer tick are ticked now
        self._validate()
        self.context.touch()

    def _validate(self) -> None:
        email = self.current_email()
        prep = self.context.session.answers.consent_for(email) if email else None
        session = self.context.session
        submitted = email is not None and session.answers.consent_submitted(session.program, email)
        self.submitted_on.setEnabled(self.submitted.isChecked())
        for box in self.acks.values():
            box.setEnabled(not submitted)  # submitted: the form's acknowledgements were given
        self.valid = True
        for key, field in self.fields.items():
            if looks_like_secret(field.text()):
                self.messages[key].show_message(self.context.msg("text.secret_shaped"))
                self.valid = False
            elif submitted and not field.text().strip():
                # Submitted elsewhere (or ticked on the Summary page): not recorded here, and not needed now.
                self.messages[key].show_message(self.tr("Not recorded here (the form asked for it)."), "info")
            else:
                self.messages[key].clear_message()
        self.ack_message.clear_message()
        today = self.context.session.now().astimezone(self.context.session.program.tz).date()
        if submitted and prep is not None and prep.submitted_on is not None and prep.submitted_on > today:
            self.submitted_message.show_message(
                self.tr("This date is after the “as of” moment chosen on the first page."))
            self.valid = False
        else:
            self.submitted_message.clear_message()
        self._show_deadline()
        self.completeChanged.emit()

    def _show_deadline(self) -> None:
        email = self.current_email()
        statuses = [s for s in statuses_for(self.context.session.plan(), self.procedure().id)
                    if email in {normalise_email(self.context.session.answers.account(a).owner_email)  # type: ignore[union-attr]
                                 for a in s.accounts}]
        if not statuses:
            self.deadline.show_notice(self.tr("No account of this owner needs consent."))
            return
        step = statuses[0].steps[0]
        text = step_line(step, self.lang)
        if (now := what_now(self.context.session.program, statuses[0])) is not None:
            text += "\n" + now[0](self.lang)  # what a missed consent means, and what can be done now
        self.deadline.show_notice(text, warning=step.state in (State.MISSED, State.OVERDUE))

    def isComplete(self) -> bool:
        return getattr(self, "valid", True)
