"""Small widgets the pages share: inline field messages, banners, palette-aware colours."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from kwc_desktop.domain.limits import MAX_DATE, MIN_DATE
from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.text import Lang, messages

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def app_is_dark() -> bool:
    """The application's palette (the OS's light or dark), not a widget's: a banner's own style sheet
    paints its background, and would answer for itself."""
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def error_colour(dark: bool) -> str:
    return "#ff8a80" if dark else "#b3261e"


class PaletteLabel(QLabel):
    """A label whose colours follow the palette: `_sheet(dark)` gives its style sheet, re-applied when
    the OS switches between light and dark."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._dark = app_is_dark()
        # The OS switching light/dark: a signal, not changeEvent (a Python changeEvent makes PySide build
        # its event classes before the first paint).
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)
        self.hide()

    def _sheet(self, dark: bool) -> str:
        raise NotImplementedError

    def _colour(self) -> None:
        self._dark = app_is_dark()
        sheet = self._sheet(self._dark)
        if self.styleSheet() != sheet:  # re-applying a style sheet costs a style recomputation
            self.setStyleSheet(sheet)

    def _scheme_changed(self) -> None:
        # After the palette that comes with the new scheme has reached the widgets; only a real flip
        # between light and dark re-applies the sheet.
        QTimer.singleShot(0, self, self._recolour_if_flipped)  # not if this label is gone by then

    def _recolour_if_flipped(self) -> None:
        if app_is_dark() != self._dark:
            self._colour()


class FieldMessage(PaletteLabel):
    """The message beside a field: empty when the field is fine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.kind = "error"
        super().__init__(parent)

    def show_message(self, text: str, kind: str = "error") -> None:
        self.kind = kind
        self.setText(text)
        self._colour()
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")

    def _sheet(self, dark: bool) -> str:
        placeholder = QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText).name()
        colour = error_colour(dark) if self.kind == "error" else placeholder
        return f"color: {colour};"


class Banner(PaletteLabel):
    """A framed notice across a page (keyring missing, every deadline passed …)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.warning = False
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMargin(8)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def show_notice(self, text: str, warning: bool = False) -> None:
        self.warning = warning
        self.setText(text)
        self._colour()
        self.setVisible(bool(text))

    def _sheet(self, dark: bool) -> str:
        if self.warning:
            background, border = ("#4a2c00", "#c77700") if dark else ("#fff4e0", "#c77700")
        else:
            background, border = ("#10304a", "#4a90c8") if dark else ("#e8f1fa", "#4a90c8")
        return f"QLabel {{ background: {background}; border: 1px solid {border}; border-radius: 4px; }}"


class WrappingCheckBox(QWidget):
    """A check box whose long text wraps (QCheckBox never wraps); clicking the text toggles it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.mousePressEvent = self._clicked  # type: ignore[method-assign]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self.toggled = self.box.toggled

    def _clicked(self, _event: QMouseEvent) -> None:
        self.box.toggle()

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.box.setAccessibleName(text)

    def text(self) -> str:
        return self.label.text()

    def isChecked(self) -> bool:
        return self.box.isChecked()

    def setChecked(self, checked: bool) -> None:
        self.box.setChecked(checked)

    def blockSignals(self, block: bool) -> bool:
        return self.box.blockSignals(block)


def keep_in_sane_range(edit: QDateTimeEdit) -> None:
    """Dates only from 2000-01-01 to 2099-12-31 (what the app can compute with): Qt refuses the rest
    as it is typed; the tooltip says why."""
    edit.setDateRange(QDate(MIN_DATE.year, MIN_DATE.month, MIN_DATE.day),
                      QDate(MAX_DATE.year, MAX_DATE.month, MAX_DATE.day))
    edit.setToolTip(f"{MIN_DATE.isoformat()} … {MAX_DATE.isoformat()}")


LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Letters the window itself uses on every page: the menus (File, Language, Tools, Help) and the wizard's
# buttons (Back, Next — Finish on the last page — and FAQ). A page's controls take the others.
RESERVED_LETTERS = frozenset("flshbnq")


def with_mnemonic(text: str, taken: set[str]) -> str:
    """`text` with a keyboard mnemonic on its first free letter; Japanese text (and text with no free
    letter) gets the Japanese-style "(&X)" suffix before a trailing colon. `taken` gains the letter."""
    japanese = any(not c.isascii() and c.isalpha() for c in text)
    for index, char in enumerate(text):
        if not japanese and char.isascii() and char.isalpha() and char.lower() not in taken:
            taken.add(char.lower())
            return f"{text[:index]}&{text[index:]}"
    letter = next((c for c in LETTERS if c not in taken), None)
    if letter is None:
        return text
    taken.add(letter)
    body, colon = (text[:-1], text[-1]) if text.endswith((":", "：")) else (text, "")
    return f"{body}(&{letter.upper()}){colon}"


def assign_mnemonics(root: QWidget) -> None:
    """Give every buddy label under `root` that has no mnemonic (texts from the program data) one that
    no other control there uses."""
    labels = [w for w in root.findChildren(QLabel) if w.buddy() is not None]
    controls: list[QLabel | QAbstractButton] = [*labels, *root.findChildren(QAbstractButton)]
    taken = set(RESERVED_LETTERS) | {m.group(1).lower() for w in controls if (m := _MNEMONIC.search(w.text()))}
    for label in labels:
        if not _MNEMONIC.search(label.text()) and label.text():
            label.setText(with_mnemonic(label.text(), taken))


_MNEMONIC = Pattern(r"&([^&\s])")


def set_enabled(button: QWidget, enabled: bool, why: str, usual: str = "") -> None:
    """Enable `button`, or disable it with a tooltip that says `why` first (Qt shows tooltips on disabled
    widgets too), then what it does (`usual`, its tooltip when enabled); an enabled button keeps no stale
    reason."""
    button.setEnabled(enabled)
    button.setToolTip(usual if enabled else f"{why}\n\n{usual}" if usual else why)


# The message (a11y.*) that says how the keyboard works each kind of control, most specific kind first.
_ROLE_KEYS: tuple[tuple[str, str], ...] = (
    ("QCheckBox", "check"), ("QRadioButton", "radio"), ("QTabBar", "tabs"), ("QAbstractButton", "button"),
    ("QComboBox", "combo"), ("QDateTimeEdit", "date"), ("QAbstractSpinBox", "spin"), ("QLineEdit", "line"),
    ("QTreeView", "tree"), ("QListView", "list"), ("QAbstractItemView", "table"), ("QTabWidget", "tabs"),
    ("QLabel", "label"),
)
_OURS = "kwc_role_description"  # the description this module set (replaced on a language switch)


def describe_controls(root: QWidget, lang: Lang) -> None:
    """Give every control under `root` that can take the focus an accessible description in `lang` that says
    how the keyboard works it (a description of its own, set by the page, stays), and a name where Qt can
    derive none from a label, a text or a header: a tab widget is named by its tabs, a view inside a tab by
    that tab. Run where a page or dialog is shown and on a language switch, not at start."""
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and not widget.objectName().startswith("qt_"):
            describe(widget, lang)


def describe(widget: QWidget, lang: Lang) -> None:
    """One control's part of `describe_controls`."""
    from PySide6.QtWidgets import QPlainTextEdit, QTabWidget, QTextEdit

    if isinstance(widget, QTextEdit | QPlainTextEdit):
        key = "text" if widget.isReadOnly() else "text_edit"
    else:
        key = next((k for name, k in _ROLE_KEYS if widget.inherits(name)), "")
        if not key or (key == "label" and not widget.property("text")):
            return
    own = widget.accessibleDescription()
    if not own or own == widget.property(_OURS):
        text = messages()(f"a11y.{key}", lang)
        widget.setAccessibleDescription(text)
        widget.setProperty(_OURS, text)
    if isinstance(widget, QTabWidget):
        names = ("、" if lang == "ja" else ", ").join(_bare(widget.tabText(i)) for i in range(widget.count()))
        widget.setAccessibleName(messages()("a11y.tabs_name", lang, names=names))
        return
    if widget.accessibleName() and widget.property(_OURS + "_name") != widget.accessibleName():
        return
    parent = widget.parentWidget()
    tab = parent.accessibleName() if isinstance(parent, QComboBox) else _tab_of(widget)  # an editable combo's field
    if tab:
        widget.setAccessibleName(tab)
        widget.setProperty(_OURS + "_name", tab)


def _tab_of(widget: QWidget) -> str | None:
    """The text of the tab whose page `widget` is, if it is one."""
    from PySide6.QtWidgets import QTabWidget

    stack = widget.parentWidget()
    tabs = stack.parentWidget() if stack is not None else None
    if isinstance(tabs, QTabWidget) and (index := tabs.indexOf(widget)) >= 0:
        return _bare(tabs.tabText(index))
    return None


def _bare(text: str) -> str:
    """A control's text without its mnemonic ("&Timeline", "年表(&T)")."""
    return _JA_MNEMONIC.sub("", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


_JA_MNEMONIC = Pattern(r"\(&\w\)")
