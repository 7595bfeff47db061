"""Starts the wizard: fonts, language, saved progress, the keyring (after the first paint)."""

from __future__ import annotations

# isort: off
# What does not need Qt is imported before PySide6, on purpose: once PySide6 is loaded, its import hook
# reads the source of every module imported after it, looking for `from __feature__ import …`
# (shibokensupport/feature.py). For the domain core and babel that was about 15 ms of the first paint.
import logging
import sys
import time

from kwc_desktop import APP_NAME
from kwc_desktop.domain import formatting  # noqa: F401 - babel, which the Welcome page needs at once
from kwc_desktop.domain.answers import Answers
from kwc_desktop.domain.clock import Clock
from kwc_desktop.domain.program import load_program
from kwc_desktop.domain.text import Lang, as_lang
from kwc_desktop.resources import resource_path
from kwc_desktop.services.paths import app_data_dir
from kwc_desktop.services.progress import ProgressStore
from kwc_desktop.services.secrets import SecretStore

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.main_window import MainWindow
from kwc_desktop.ui.translations import LanguageManager, system_lang
# isort: on

logger = logging.getLogger(__name__)
FONT_FILE = "KwcSansJP-Regular.otf"


def load_fonts(app: QApplication) -> None:
    """Our Japanese font after the system's own, so CJK text looks the same on every machine."""
    font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", FONT_FILE)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = app.font()
        font.setFamilies([font.family(), *families])
        app.setFont(font)


def settings() -> QSettings:
    return QSettings(str(app_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def build_window(app: QApplication, clock: Clock | None = None, secrets: SecretStore | None = None,
                 lang: Lang | None = None, open_keyring: bool = True, defer_pages: bool = False,
                 read_only: bool = False) -> MainWindow:
    """Everything the app shows, wired to its state; tests call this with their own clock and secrets."""
    load_fonts(app)
    program = load_program(app_data_dir() / "cache")
    store = ProgressStore(app_data_dir())
    loaded = store.load()
    answers = Answers.from_json(loaded.state, program)
    config = settings()
    chosen: Lang = lang or as_lang(str(config.value("language", system_lang())))
    languages = LanguageManager.shared()
    # read_only (--smoke): show what is saved, never write progress or settings back.
    context = AppContext(program, answers, clock, None if read_only else store, secrets, chosen)
    languages.switch(chosen)
    window = MainWindow(context, languages, config, save_settings=not read_only)
    if not defer_pages:
        window.wizard.resume()
    if loaded.notice is not None:
        window.statusBar().showMessage(loaded.notice.message(chosen), 30000)
    if open_keyring:
        QTimer.singleShot(0, context.open_keyring)  # after the first paint: keyring lookup costs 0.1–0.3 s
    return window


def _drop_source_lines() -> None:
    """PySide6's import hook reads the source of every module imported after it, to look for
    `from __feature__ import …` (shibokensupport/feature.py, `_mod_uses_pyside`), and linecache keeps
    those lines: about 3 MiB for our modules and babel. Nothing needs them (a traceback reads them
    again), so they go before the window is built."""
    import linecache

    linecache.clearcache()


def _smoke_done(app: QApplication, window: MainWindow) -> None:
    """Paint, say when on stdout (the benchmarks read it), close."""
    window.repaint()
    if sys.stdout is not None:  # the windowed Windows build has no stdout
        print("first-paint-monotonic-ns", time.monotonic_ns(), flush=True)
    window.close()
    app.quit()


def run_gui(smoke: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "kwc-desktop.png"))))
    # --smoke measures the first paint only: no keyring, and it quits before the other pages are built.
    _drop_source_lines()
    window = build_window(app, open_keyring=not smoke, defer_pages=True, read_only=smoke)
    window.show()
    if smoke:
        QTimer.singleShot(0, lambda: _smoke_done(app, window))  # after the first paint
    else:
        QTimer.singleShot(0, window.wizard.resume)  # the other pages and the saved page, right after it
    return app.exec()
