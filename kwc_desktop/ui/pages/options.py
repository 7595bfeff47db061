"""Options: questions for what cannot be detected, and which of the procedures apply, and why."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kwc_desktop.domain.accounts import normalise_email
from kwc_desktop.domain.formatting import format_amount
from kwc_desktop.domain.money import parse_usd
from kwc_desktop.domain.program import KIND_FACT, Fact, FactValue
from kwc_desktop.domain.rules import asked
from kwc_desktop.domain.text import Lang, UserError
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.pages.base import BasePage, scrolling_area
from kwc_desktop.ui.pages.common import fill_combo, picker
from kwc_desktop.ui.widgets import FieldMessage

if TYPE_CHECKING:
    from kwc_desktop.ui.detection import TwilioReader


class FactEditor(QWidget):
    """One question from the program's [[facts]]: yes/no, a choice, or an amount."""

    def __init__(self, fact: Fact, context: AppContext, on_change: object) -> None:
        super().__init__()
        self.fact = fact
        self.context = context
        self.on_change = on_change
        self.message = FieldMessage()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if fact.type == "decimal":
            self.edit: QLineEdit | None = QLineEdit()
            self.combo: QComboBox | None = None
            self.edit.setMaxLength(20)
            self.edit.textEdited.connect(self._changed)
            row = QHBoxLayout()
            row.addWidget(self.edit)
            row.addWidget(QLabel(fact.unit))
            layout.addLayout(row)
        else:
            self.edit, self.combo = None, QComboBox()
            # As wide as its longest choice, in whichever language: never "— not answe".
            self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            self.combo.currentIndexChanged.connect(self._changed)
            layout.addWidget(self.combo)
        layout.addWidget(self.message)
        self.valid = True
        self._value: FactValue = None
        self._detected: FactValue = None

    def set_detected(self, value: FactValue, lang: Lang) -> None:
        """What Twilio said (None: nothing): shown in place of "not answered", since it is what counts then."""
        if value != self._detected or type(value) is not type(self._detected):
            self._detected = value
            self.retranslate(lang)

    def _label_of(self, value: FactValue, lang: Lang) -> str:
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if isinstance(value, str) and value in self.fact.choices:
            return self.fact.choice_label(value)(lang)
        return format_amount(value, lang) if isinstance(value, Decimal) else str(value)

    def retranslate(self, lang: Lang) -> None:
        if self.combo is None:
            return
        value = self._value
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.tr("— not answered —") if self._detected is None else
                           self.tr("— Twilio: %1 —").replace("%1", self._label_of(self._detected, lang)), None)
        if self.fact.type == "bool":
            self.combo.addItem(self.tr("Yes"), True)
            self.combo.addItem(self.tr("No"), False)
        else:
            for choice in self.fact.choices:
                self.combo.addItem(self.fact.choice_label(choice)(lang), choice)
        self.combo.blockSignals(False)
        self.set_value(value, lang)

    def set_value(self, value: FactValue, lang: str) -> None:
        self._value = value
        if self.combo is not None:
            self.combo.blockSignals(True)
            index = next((i for i in range(self.combo.count()) if self.combo.itemData(i) == value
                          and type(self.combo.itemData(i)) is type(value)), 0)
            self.combo.setCurrentIndex(index)
            self.combo.blockSignals(False)
        elif self.edit is not None and not self.edit.hasFocus():
            self.edit.setText(format_amount(value, lang) if isinstance(value, Decimal) else "")  # type: ignore[arg-type]
            self.message.clear_message()
            self.valid = True

    def _changed(self) -> None:
        if self.combo is not None:
            self._value = self.combo.currentData()
            self.valid = True
        else:
            assert self.edit is not None
            text = self.edit.text()
            try:
                self._value = parse_usd(text) if text.strip() else None
                self.message.clear_message()
                self.valid = True
            except UserError as e:
                self.message.show_message(e.message(self.context.lang))
                self.valid = False
                return self.on_change(self, invalid=True)  # type: ignore[operator, no-any-return]
        self.on_change(self)  # type: ignore[operator]

    @property
    def value(self) -> FactValue:
        return self._value


class OptionsPage(BasePage):
    """Per-account answers; the panel beside them shows what applies and why, as they change."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.account, self.account_label = picker(self._load)
        self.account_group = QGroupBox()
        self.owner_group = QGroupBox()
        # A grid, not a form: a form does not give a wrapped question the height of its lines (large fonts,
        # Japanese), and squeezes the answers' drop-downs below their text.
        account_form, owner_form = QGridLayout(self.account_group), QGridLayout(self.owner_group)
        for grid in (account_form, owner_form):
            grid.setColumnStretch(0, 1)
        self.editors: dict[str, FactEditor] = {}
        self.labels: dict[str, QLabel] = {}
        for fact in context.session.program.facts:
            if fact.id == KIND_FACT:
                continue
            editor = FactEditor(fact, context, self._fact_changed)
            label = QLabel()
            label.setWordWrap(True)
            buddy = editor.combo or editor.edit
            if buddy is not None:
                label.setBuddy(buddy)
            grid = owner_form if fact.scope == "owner" else account_form
            row = grid.rowCount()
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1, Qt.AlignmentFlag.AlignTop)
            self.editors[fact.id], self.labels[fact.id] = editor, label
        # What Twilio can answer is read there (this account only); the rest stays a question, and says why.
        self.read_button = QPushButton()
        self.read_button.clicked.connect(self.read_from_twilio)
        self.read_status = FieldMessage()
        self.not_readable = QLabel()
        self.not_readable.setWordWrap(True)
        self.reader_connected = False
        self.applies = QTextBrowser()
        self.applies.setOpenLinks(False)
        self.applies_title = QLabel()
        # The questions scroll: with large fonts or a small window they keep their full height (their
        # labels wrap) instead of being squeezed until lines are cut.
        left_area, left = scrolling_area()
        left.setContentsMargins(0, 0, 0, 0)
        account_row = QFormLayout()
        account_row.addRow(self.account_label, self.account)
        left.addLayout(account_row)
        read_row = QHBoxLayout()
        read_row.addWidget(self.read_button)
        read_row.addStretch()
        left.addLayout(read_row)
        left.addWidget(self.read_status)
        left.addWidget(self.not_readable)
        left.addWidget(self.account_group)
        left.addWidget(self.owner_group)
        left.addStretch()
        right = QVBoxLayout()
        right.addWidget(self.applies_title)
        right.addWidget(self.applies, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(left_area, 3)
        layout.addLayout(right, 2)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        lang = self.lang
        self.setTitle(self.tr("Options"))
        self.setSubTitle(self.tr("Answer for each account. Which procedures apply follows from your answers."))
        self.account_label.setText(self.tr("A&ccount:"))
        self.account.setAccessibleName(self.tr("Account"))
        self.account_group.setTitle(self.tr("This account"))
        self.applies_title.setText(self.tr("What applies to this account, and why"))
        self.applies.setAccessibleName(self.tr("Procedures that apply"))
        self.read_button.setText(self.tr("&Read this account from Twilio"))
        note = self.context.session.program.detection.not_readable
        self.not_readable.setText(note(lang) if note is not None else "")
        self.not_readable.setVisible(note is not None)
        for fact_id, editor in self.editors.items():
            question = self.context.session.program.fact(fact_id).question(lang)
            self.labels[fact_id].setText(question)
            (editor.combo or editor.edit).setAccessibleName(question)  # type: ignore[union-attr]
            editor.retranslate(lang)

    def twilio(self) -> TwilioReader:
        from kwc_desktop.ui.detection import twilio_reader  # made on first use: not on the start path

        return twilio_reader(self.context)

    def read_from_twilio(self) -> None:
        label = self.account.currentData()
        reader = self.twilio()
        if not self.reader_connected:
            self.reader_connected = True
            reader.changed.connect(self._reader_changed)
            reader.finished.connect(lambda text: self.read_status.show_message(text, "info"))
        if not label or label not in self.context.session.secrets.sids:
            self.read_status.show_message(self.tr("This account has no Account SID: add it on the Accounts page."))
        elif not reader.start([label]):
            self.read_status.show_message(self.tr("Already reading from Twilio…"), "info")

    def _reader_changed(self) -> None:
        reader = self.twilio()
        self.read_button.setEnabled(not reader.running)
        label = self.account.currentData()
        if reader.running and label in reader.states:
            self.read_status.show_message(reader.state_text(label), "info")

    def _transferring(self) -> list[str]:
        program = self.context.session.program
        kinds = self.context.session.kinds()
        accounts = self.context.session.answers.accounts
        return [a.label for a in accounts if program.kind(kinds.get(a.label) or a.kind).transfers]

    def refresh(self) -> None:
        fill_combo(self.account, [(label, label) for label in self._transferring()])
        self._load()

    def _load(self) -> None:
        label = self.account.currentData()
        entry = self.context.session.answers.account(label) if label else None
        if entry is None:
            return
        email = normalise_email(entry.owner_email)
        self.owner_group.setTitle(self.tr("Owner %1").replace("%1", email))
        owner_facts = self.context.session.answers.owner_facts.get(email, {})
        detected = self.context.session.detected.get(entry.label, {})
        for fact_id, editor in self.editors.items():
            source = owner_facts if editor.fact.scope == "owner" else entry.facts
            found = detected.get(fact_id) if editor.fact.scope != "owner" else None
            editor.set_detected(found.value if found is not None else None, self.lang)
            editor.set_value(source.get(fact_id), self.lang)
        self._show_asked(entry.facts, owner_facts)
        self._show_applies()

    def _show_asked(self, account_facts: dict[str, FactValue], owner_facts: dict[str, FactValue]) -> None:
        """A question that does not apply to the other answers is hidden (its answer is kept, and counts
        again if it applies again)."""
        answers = {**owner_facts, **account_facts}
        for fact_id, editor in self.editors.items():
            shown = asked(editor.fact, answers)
            editor.setVisible(shown)
            self.labels[fact_id].setVisible(shown)

    def _fact_changed(self, editor: FactEditor, invalid: bool = False) -> None:
        self.completeChanged.emit()
        if invalid:
            return
        label = self.account.currentData()
        entry = self.context.session.answers.account(label) if label else None
        if entry is None:
            return
        if editor.fact.scope == "owner":
            target = self.context.session.answers.owner_facts.setdefault(normalise_email(entry.owner_email), {})
        else:
            target = entry.facts
        if editor.value is None:
            target.pop(editor.fact.id, None)
        else:
            target[editor.fact.id] = editor.value
        self.context.touch()
        owner_facts = self.context.session.answers.owner_facts
        self._show_asked(entry.facts, owner_facts.get(normalise_email(entry.owner_email), {}))
        self._show_applies()

    def _show_applies(self) -> None:
        label = self.account.currentData()
        plan = self.context.session.plan()
        lang = self.lang
        parts = []
        for owner in plan.owners:
            for account in owner.accounts:
                if account.account.label != label:
                    continue
                statuses = [s for s in owner.procedures if label in s.accounts] + list(account.procedures)
                for status in statuses:
                    reasons = "".join(f"<li>{escape(r.render(lang))}</li>" for r in status.reasons)
                    parts.append(f"<p><b>{escape(status.procedure.title(lang))}</b></p><ul>{reasons}</ul>")
                found = self.context.session.findings.get(label)
                entry = self.context.session.answers.account(label)
                if found is not None and entry is not None:
                    yours = self.tr("(your own answer is used)")
                    lines = []
                    for fact, text in found.evidence(lang):
                        triggered = [s.procedure.title(lang) for s in statuses if s.procedure.uses(fact)]
                        line = escape(text) + (" → " + escape(", ".join(triggered)) if triggered else "")
                        overridden = fact in entry.facts or (fact == KIND_FACT and entry.kind_overridden)
                        lines.append(f"<li>{line}" + (f" <i>{escape(yours)}</i>" if overridden else "") + "</li>")
                    lines += [f"<li>{escape(text(lang))}</li>" for text in found.overview()]
                    lines += [f"<li><b>{escape(error(lang))}</b></li>" for _kind, error in found.errors]
                    heading = self.tr("Read from Twilio:")
                    when = found.read_at[:16].replace("T", " ")
                    # First: what the account itself said is what is new on this page.
                    parts.insert(0, f"<p><i>{escape(heading)}</i> <small>{escape(when)}</small></p>"
                                    f"<ul>{''.join(lines)}</ul>")
                if account.open_questions:
                    questions = "".join(f"<li>{self.context.session.program.fact(f).question(lang)}</li>"
                                        for f in account.open_questions)
                    heading = self.tr("Not answered yet (answers may add procedures):")
                    parts.append(f"<p><i>{escape(heading)}</i></p><ul>{questions}</ul>")
        self.applies.setHtml("".join(parts))

    def isComplete(self) -> bool:
        return all(editor.valid for editor in self.editors.values() if not editor.isHidden())
