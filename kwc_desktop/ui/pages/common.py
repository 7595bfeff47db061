"""Pieces several pages use: the owner picker, deadline lines, applicability text."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel

from kwc_desktop.domain.formatting import format_moment
from kwc_desktop.domain.text import Lang, messages

if TYPE_CHECKING:
    from kwc_desktop.domain.checklist import Plan, ProcedureStatus, StepStatus

def picker(on_change: Callable[[], None]) -> tuple[QComboBox, QLabel]:
    """A combo box with its buddy label (texts set in retranslate_ui), calling `on_change` on a pick."""
    combo, label = QComboBox(), QLabel()
    label.setBuddy(combo)
    combo.currentIndexChanged.connect(on_change)
    return combo, label


def fill_combo(combo: QComboBox, items: list[tuple[str, str]]) -> None:
    """Replace a combo's items (text, data), keeping the current choice when it is still there."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def step_line(step: StepStatus, lang: Lang) -> str:
    """'Deadline 2023年4月21日(金) 23:59 — missed' in the current language."""
    m = messages()
    deadline = (f"{m('cli.deadline', lang)} {format_moment(step.deadline, lang)}" if step.deadline
                else m("cli.until", lang, day=format_moment(step.until, lang)) if step.until
                else m("cli.no_deadline", lang))
    return f"{deadline} — {m(f'state.{step.state.value}', lang)}"


def statuses_for(plan: Plan, procedure_id: str) -> list[ProcedureStatus]:
    return [s for s in plan.statuses() if s.procedure.id == procedure_id]


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
