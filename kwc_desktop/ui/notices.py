"""Notices above every page that stay until their cause is gone: autosave failing, secrets kept for
this session only (no keyring, a locked one, a refused write), a saved file that had to be set aside."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kwc_desktop.ui.widgets import Banner


class Notice(QWidget):
    """One framed message with an optional action button (Retry, Close). The banner and the button are
    made when there is first something to say: most starts have nothing, and the first paint is the
    quicker for not laying out three hidden notices."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._banner: Banner | None = None
        self._button: QPushButton | None = None
        self._action: Callable[[], object] | None = None
        self._text = ""
        self.hide()

    def _build(self) -> tuple[Banner, QPushButton]:
        if self._banner is None or self._button is None:
            self._banner, self._button = Banner(), QPushButton()
            self._button.hide()
            layout = QHBoxLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(self._banner, 1)
            layout.addWidget(self._button)
            self._button.clicked.connect(self._clicked)
        return self._banner, self._button

    @property
    def banner(self) -> Banner:
        return self._build()[0]

    @property
    def button(self) -> QPushButton:
        return self._build()[1]

    def show_notice(self, text: str, warning: bool = True, action: str = "",
                    on_action: Callable[[], object] | None = None) -> None:
        """Show `text` (hide when empty), with a button labelled `action` that calls `on_action`."""
        self._text = text
        self._action = on_action
        if not text and self._banner is None:
            return  # nothing said yet, nothing to hide
        banner, button = self._build()
        banner.show_notice(text, warning=warning)
        button.setText(action)
        button.setVisible(bool(text and action and on_action))
        self.setVisible(bool(text))

    def text(self) -> str:
        """What the notice says now ("" when hidden)."""
        return self._text

    def _clicked(self) -> None:
        if self._action is not None:
            self._action()


class NoticeArea(QWidget):
    """The notices, stacked; each is looked up by what it is about."""

    def __init__(self, kinds: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 0)
        self.notices = {kind: Notice() for kind in kinds}
        for notice in self.notices.values():
            layout.addWidget(notice)

    def __getitem__(self, kind: str) -> Notice:
        return self.notices[kind]
