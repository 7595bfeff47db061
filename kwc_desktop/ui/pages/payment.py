"""Payment: accepted card brands and from when, a brand check that keeps no digits, PayPal notes."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
)

from kwc_desktop.domain.cards import BRAND_CHECK_MAX_DIGITS, CardInputError, check_brand
from kwc_desktop.domain.checklist import State
from kwc_desktop.domain.formatting import format_amount, format_moment
from kwc_desktop.domain.money import parse_usd, paypal_invoice_eligible
from kwc_desktop.domain.program import PaymentSpec
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.reports import conflict_line
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.pages.base import BasePage
from kwc_desktop.ui.pages.common import statuses_for, step_line
from kwc_desktop.ui.widgets import Banner, FieldMessage


class PaymentPage(BasePage):
    """Cards accepted after the transfer, the brand check, and what PayPal users must do."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.brands = QGroupBox()
        self.brand_grid = QGridLayout(self.brands)
        self.brand_cells = [[QLabel() for _ in range(3)] for _ in range(len(context.session.program.card_brands) + 1)]
        for row, cells in enumerate(self.brand_cells):
            for column, cell in enumerate(cells):
                if row == 0:
                    cell.setStyleSheet("font-weight: bold;")
                self.brand_grid.addWidget(cell, row, column)
        # The first digits of a card: checked in memory as typed, never stored, logged or autosaved.
        self.card = QLineEdit()
        self.card.setMaxLength(BRAND_CHECK_MAX_DIGITS + 3)
        # At most 8 digits (full-width ones too), with spaces or dashes between them as people type them.
        digits = rf"[ \-]*(?:[0-9０-９][ \-]*){{0,{BRAND_CHECK_MAX_DIGITS}}}"
        self.card.setValidator(QRegularExpressionValidator(QRegularExpression(digits), self.card))
        self.card.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
                                      | Qt.InputMethodHint.ImhNoPredictiveText)
        self.card.textChanged.connect(self._check_card)
        self.card_label = QLabel()
        self.card_label.setBuddy(self.card)
        self.card_result = FieldMessage()
        self.card_group = QGroupBox()
        card_form = QFormLayout(self.card_group)
        card_form.addRow(self.card_label, self.card)
        card_form.addRow("", self.card_result)
        self.paypal_note = Banner()
        self.paypal_group = QGroupBox()
        self.paypal_form = QFormLayout(self.paypal_group)
        self.totals: dict[str, tuple[QLineEdit, FieldMessage]] = {}
        self.billing_note = Banner()
        layout = self.scrolling_layout()
        layout.addWidget(self.brands)
        layout.addWidget(self.card_group)
        layout.addWidget(self.paypal_note)
        layout.addWidget(self.paypal_group)
        layout.addWidget(self.billing_note)
        layout.addStretch()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Payment"))
        self.setSubTitle(self.tr("After the transfer PayPal cannot be used. These card brands can be registered."))
        self.brands.setTitle(self.tr("Card brands accepted after the transfer"))
        for cell, text in zip(self.brand_cells[0], [self.tr("Card brand"), self.tr("Can be registered from"),
                                                    self.tr("As of the chosen moment")], strict=True):
            cell.setText(text)
        self.card_group.setTitle(self.tr("Check a card's brand"))
        self.card_label.setText(self.tr("First &digits (up to 8):"))
        self.card.setAccessibleName(self.tr("First digits of the card, up to 8"))
        self.card.setPlaceholderText(self.tr("never stored"))
        self.paypal_group.setTitle(self.tr("PayPal payments in %1 (invoice payment possible from %2 USD)")
                                   .replace("%1", str(self.context.session.program.paypal_invoice_year))
                                   .replace("%2", self.threshold()))

    def refresh(self) -> None:
        program, lang, now = self.context.session.program, self.lang, self.context.session.now()
        for row, brand in enumerate(program.card_brands):
            moment = program.milestone(brand.accepted_from).moment if brand.accepted_from else None
            accepted = moment is None or now >= moment.starts()
            cells = [brand.name(lang), format_moment(moment, lang) if moment else self.tr("accepted all along"),
                     self.tr("can be registered") if accepted else self.tr("not yet")]
            for cell, text in zip(self.brand_cells[row + 1], cells, strict=True):
                cell.setText(text)
        plan, page = self.context.session.plan(), self.page()
        notes = [statuses[0] for p in page.notes if (statuses := statuses_for(plan, p))]
        lines = []
        for status in notes:
            lines.append(status.procedure.summary(lang))
            lines += [f"{s.step.text(lang)}: {step_line(s, lang)}" for s in status.steps]
        late = any(s.state in (State.MISSED, State.OVERDUE) for status in notes for s in status.steps)
        self.paypal_note.show_notice("\n".join(lines), warning=late)  # overdue: a warning, not information
        covered = [label for p in page.notes for s in statuses_for(plan, p) for label in s.accounts]
        self._rebuild_totals(list(dict.fromkeys(covered)) if page.amount_fact else [])
        warnings = [program.procedure(p) for p in page.warnings if statuses_for(plan, p)]
        self.billing_note.show_notice("\n".join(
            f"{p.title(lang)} — {program.source_label(p.source)(lang)}\n{p.summary(lang)}"
            + "".join(f"\n{conflict_line(program, c, lang)}" for c in p.conflicts) for p in warnings),
            warning=True)
        self._check_card()

    def page(self) -> PaymentSpec:
        page = self.context.session.program.pages.payment
        assert page is not None  # the wizard shows this page only when the program has one
        return page

    def _rebuild_totals(self, labels: list[str]) -> None:
        if list(self.totals) != labels:
            while self.paypal_form.rowCount():
                self.paypal_form.removeRow(0)
            self.totals = {}
            for label in labels:
                edit, message = QLineEdit(), FieldMessage()
                edit.setMaxLength(20)
                edit.textEdited.connect(lambda _text, lbl=label: self._total_edited(lbl))
                self.totals[label] = (edit, message)
                self.paypal_form.addRow(f"{label} (USD):", edit)
                self.paypal_form.addRow("", message)
        self.paypal_group.setVisible(bool(labels))
        for label, (edit, _message) in self.totals.items():
            edit.setAccessibleName(self.tr("%2 PayPal payments of %1 (USD)").replace("%1", label)  # this language
                                   .replace("%2", str(self.context.session.program.paypal_invoice_year)))
            entry = self.context.session.answers.account(label)
            value = entry.facts.get(self.amount_fact()) if entry else None
            if not edit.hasFocus():
                edit.setText(format_amount(value, self.lang) if value is not None else "")  # type: ignore[arg-type]
            self._show_eligibility(label)

    def _total_edited(self, label: str) -> None:
        edit, message = self.totals[label]
        entry = self.context.session.answers.account(label)
        if entry is None:
            return
        try:
            if edit.text().strip():
                entry.facts[self.amount_fact()] = parse_usd(edit.text())
            else:
                entry.facts.pop(self.amount_fact(), None)
        except UserError as e:
            message.show_message(e.message(self.lang))
            self.completeChanged.emit()
            return
        self.context.touch()
        self._show_eligibility(label)
        self.completeChanged.emit()

    def _show_eligibility(self, label: str) -> None:
        edit, message = self.totals[label]
        entry = self.context.session.answers.account(label)
        value = entry.facts.get(self.amount_fact()) if entry else None
        if value is None:
            message.show_message(self.tr("Not answered."), "info")
        elif paypal_invoice_eligible(value, self.context.session.program):  # type: ignore[arg-type]
            message.show_message(self.tr("%1 USD or more: you may ask Twilio Japan for invoice payment.")
                                 .replace("%1", self.threshold()), "info")
        else:
            message.show_message(self.tr("Under %1 USD: register a credit card.").replace("%1", self.threshold()),
                                 "info")

    def threshold(self) -> str:
        threshold = self.context.session.program.paypal_invoice_threshold_usd
        return format_amount(threshold, self.lang) if threshold is not None else ""

    def amount_fact(self) -> str:
        fact = self.page().amount_fact
        assert fact is not None  # amount fields exist only when the page declares the fact
        return fact

    def _check_card(self) -> None:
        text = self.card.text()
        if not text.strip():
            self.card_result.show_message(self.tr("Type the first digits to see the brand."), "info")
            return
        try:
            result = check_brand(text, self.context.session.program, self.context.session.now())
        except CardInputError as e:
            self.card_result.show_message(e.message(self.lang))
            return
        lang = self.lang
        if result.brand is None and result.candidates:
            names = ", ".join(b.name(lang) for b in result.candidates)
            self.card_result.show_message(self.tr("Type more digits: it could be %1.").replace("%1", names), "info")
        elif result.brand is None:
            self.card_result.show_message(self.context.msg("card.not_accepted_brand"))
        elif result.accepted_now:
            self.card_result.show_message(self.tr("%1: can be registered.").replace("%1", result.brand.name(lang)),
                                          "info")
        else:
            assert result.accepted_from is not None
            self.card_result.show_message(self.tr("%1: can be registered from %2.")
                                          .replace("%1", result.brand.name(lang))
                                          .replace("%2", format_moment(result.accepted_from, lang)))

    def cleanupPage(self) -> None:
        self.card.clear()  # leaving the page (Back) forgets the digits

    def hideEvent(self, event: object) -> None:
        self.card.clear()  # and so does any other way of leaving it
        super().hideEvent(event)  # type: ignore[arg-type]

    def isComplete(self) -> bool:
        for edit, _message in self.totals.values():
            if edit.text().strip():
                try:
                    parse_usd(edit.text())
                except UserError:
                    return False
        return True
