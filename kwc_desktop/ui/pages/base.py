"""The one base class of the wizard's pages."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget, QWizardPage

from kwc_desktop.domain.text import Lang
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.widgets import assign_mnemonics, describe_controls


class BasePage(QWizardPage):
    """A wizard page bound to the shared context: `retranslate_ui` sets every text, `refresh`
    re-derives what depends on the answers. Both run again on language and answer changes."""

    # Labels whose text comes from the program data carry no mnemonic of their own: `assign_mnemonics`
    # gives them one when the page is shown. A page whose labels all have theirs says False (finding
    # every child is ~10 ms on a page with trees and tabs; Welcome is the first page painted).
    program_labels: ClassVar[bool] = True

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        context.changed.connect(self._on_changed)
        context.language_changed.connect(self._on_language_changed)

    @property
    def lang(self) -> Lang:
        return self.context.lang

    def retranslate_ui(self) -> None:
        """Set every visible text in the current language."""

    def refresh(self) -> None:
        """Show what follows from the current answers."""

    def incomplete_reason(self) -> str:
        """Why Next is disabled while the page is not complete (the wizard's tooltip on it)."""
        return self.context.msg("a11y.next_incomplete")

    def _on_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def initializePage(self) -> None:
        self.refresh()
        if self.program_labels:
            assign_mnemonics(self)
        if getattr(self.wizard(), "pages_built", False):  # Welcome at start: described after the first paint
            describe_controls(self, self.lang)

    def _on_language_changed(self) -> None:
        self.retranslate_ui()
        self.refresh()
        if self.program_labels:
            assign_mnemonics(self)
        describe_controls(self, self.lang)

    def scrolling_layout(self) -> QVBoxLayout:
        """A layout inside a frameless scroll area filling the page: long pages scroll, never squeeze."""
        area, layout = scrolling_area()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(area)
        return layout


def scrolling_area() -> tuple[QScrollArea, QVBoxLayout]:
    """A frameless scroll area and the layout of what scrolls in it (part of a page, or all of it)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    body = QWidget()
    area.setWidget(body)
    return area, QVBoxLayout(body)


def scroll_to(widget: QWidget) -> None:
    """Scroll the page (or part) `widget` is in so that it shows: a message under a field the user is typing
    in must not appear below the fold. Once the layout has placed it."""
    from PySide6.QtCore import QTimer

    def show() -> None:
        area = widget.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None and widget.isVisible():
            area.ensureWidgetVisible(widget, 0, 8)

    QTimer.singleShot(0, widget, show)
