"""A ring in the highlight colour around the button the keyboard is on, in every window. Its own module:
installed after the first paint, so nothing of it is on the way there."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QToolButton, QWidget
from shiboken6 import isValid

_MOVES = frozenset((QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Hide, QEvent.Type.Show, QEvent.Type.FocusOut))


class FocusRing(QWidget):
    """A ring in the highlight colour around the push button or drop-down the keyboard is on: Fusion marks
    a focused button with an outline one shade darker, which is hard to see. Drawn over the window (one ring
    per window, a child of it; mouse clicks go through it), only after the keyboard moved the focus (Tab,
    a shortcut) — as Qt itself shows focus — and following the control when it moves or hides."""

    WIDTH = 2
    shown: FocusRing | None = None  # the ring of the window the focus is in

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.target: QWidget | None = None
        self.chain: list[QWidget] = []  # the target and its ancestors, whose moves move it
        self.hide()

    @staticmethod
    def install() -> None:
        """Follow the focus from now on, in every window (after the first paint: nothing of it is needed
        before, and nothing runs until the focus moves)."""
        app = QApplication.instance()
        if app is None or app.property("kwc_focus_ring"):
            return
        app.setProperty("kwc_focus_ring", True)
        app.focusChanged.connect(FocusRing._focus_changed)  # type: ignore[attr-defined]

    @staticmethod
    def ringed(widget: QWidget | None) -> bool:
        return isinstance(widget, QPushButton | QToolButton | QComboBox) and \
            widget.window().testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)

    @staticmethod
    def _focus_changed(_old: QWidget | None, new: QWidget | None) -> None:
        # `_old` is never touched: Qt says the focus left it while destroying it, too late to ask it anything.
        shown = FocusRing.shown
        if shown is not None and isValid(shown) and (new is None or shown.parentWidget() is not new.window()):
            shown.follow(None)
        if new is not None:
            FocusRing.shown = ring = FocusRing.of(new.window())
            ring.follow(new if FocusRing.ringed(new) else None)

    @staticmethod
    def of(window: QWidget) -> FocusRing:
        ring = window.findChild(FocusRing, "kwc_focus_ring", Qt.FindChildOption.FindDirectChildrenOnly)
        if ring is None:
            ring = FocusRing(window)
            ring.setObjectName("kwc_focus_ring")
        return ring

    def follow(self, target: QWidget | None) -> None:
        """Ring `target` (None: nothing). A control it followed before keeps the filter (which then does
        nothing): removing it could reach a control Qt is destroying."""
        if target is not None and target is not self.target:
            # The control and what holds it up to the window: a scrolled page moves the widget it is in,
            # and sends the control itself nothing.
            self.chain = []
            widget: QWidget | None = target
            while widget is not None and widget is not self.parentWidget():
                widget.installEventFilter(self)
                self.chain.append(widget)
                widget = widget.parentWidget()
        self.target = target
        self.place()

    def place(self) -> None:
        target, window = self.target, self.parentWidget()
        shown = target is not None and isValid(target) and window is not None and target.isVisible() \
            and target.hasFocus()
        if not shown or target is None or window is None:
            self.hide()
            return
        margin = self.WIDTH + 1
        corner = target.mapTo(window, target.rect().topLeft())
        self.setGeometry(corner.x() - margin, corner.y() - margin, target.width() + 2 * margin,
                         target.height() + 2 * margin)
        self.raise_()
        self.show()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: D102 - QObject.eventFilter
        # Every event of the chain passes here: the cheap test first.
        if event.type() in _MOVES and any(watched is w for w in self.chain):
            QTimer.singleShot(0, self, self.place)  # where the layout has put it by then (not if the ring is gone)
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: D102 - QWidget.paintEvent
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), self.WIDTH)
        painter.setPen(pen)
        half = self.WIDTH / 2
        painter.drawRoundedRect(self.rect().toRectF().adjusted(half, half, -half, -half), 4, 4)
        painter.end()
