"""The read-only table of rows the pages share. Its own module: nothing on the first paint (Welcome) is a
table, and importing Qt's table classes builds their types and enums — measured on the start-up's count."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QWidget

FOCUS_FRAME = ("QAbstractItemView { border: 2px solid transparent; } "
               "QAbstractItemView:focus { border: 2px solid palette(highlight); }")


class RowTable(QTableWidget):
    """A read-only table of rows, one selected at a time, that the keyboard can leave: Tab goes on to the
    next control (Qt's tables keep it, cell to cell), and Enter and Delete act on the current row when the
    page says what they do (`on_open`, `on_delete`), instead of reaching the window's default button."""

    def __init__(self, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(0, columns, parent)
        self.on_open: Callable[[], object] | None = None
        self.on_delete: Callable[[], object] | None = None
        self.setTabKeyNavigation(False)  # arrows move between cells; Tab and Shift+Tab leave
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Fusion draws no focus frame around a table (only the selected row, which looks the same unfocused):
        # a frame in the highlight colour says where the keyboard is. Not on Welcome, so not at start.
        self.setStyleSheet(FOCUS_FRAME)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        action = (self.on_open if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else
                  self.on_delete if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) else None)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if action is not None and plain and self.currentRow() >= 0:
            event.accept()
            action()
            return
        super().keyPressEvent(event)
