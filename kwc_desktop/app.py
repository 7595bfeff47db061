"""Starts the wizard: fonts, language, saved progress, the keyring (after the first paint)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

# isort: off
import gc
# What does not need Qt is imported before PySide6, on purpose: once PySide6 is loaded, every import
# statement goes through its import hook (shibokensupport/feature.py), which reads the source of each
# module it has not seen, looking for `from __feature__ import …`. See _no_source_scan_of_loaded_modules.
import logging
import os
import sys
import time

from kwc_desktop import APP_NAME
from kwc_desktop.domain.answers import Answers
from kwc_desktop.domain.clock import Clock
from kwc_desktop.domain.program import ProgramError
from kwc_desktop.domain.session import Session
from kwc_desktop.domain.text import Lang, UserError
from kwc_desktop.resources import resource_path
from kwc_desktop.services import instance
from kwc_desktop.services.paths import app_data_dir
from kwc_desktop.services.program_store import load_program
from kwc_desktop.services.program_store import remove_temp_files as remove_cache_temp_files
from kwc_desktop.services.progress import ProgressStore

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication


def _no_source_scan_of_loaded_modules() -> None:
    """PySide reads the source of every module the first time an import statement names it after PySide
    is loaded (shibokensupport.feature: is it a module that uses PySide, for the `from __feature__ import
    snake_case` switches?). The app switches no feature anywhere, so the modules loaded before PySide —
    the stdlib, the domain — are marked as PySide marks a module it finds without PySide ("ignore"):
    about 10 ms and 1 MiB of the first paint from source. Without that table (another PySide, a frozen
    app with no source to read) nothing is done."""
    table = getattr(sys.modules.get("shibokensupport.feature"), "pyside_feature_dict", None)
    if isinstance(table, dict):
        for name in list(sys.modules):
            if not name.startswith(("PySide6", "shiboken")):
                table.setdefault(name, -1)


_no_source_scan_of_loaded_modules()

from kwc_desktop.ui.context import AppContext  # noqa: E402 - after the marking above, on purpose
from kwc_desktop.ui.main_window import MainWindow  # noqa: E402
from kwc_desktop.ui.translations import LanguageManager, system_lang  # noqa: E402
# isort: on

if TYPE_CHECKING:
    from kwc_desktop.services.secrets import SecretStore

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


def settings(read_only: bool = False) -> tuple[QSettings, UserError | None]:
    """settings.ini; one that Qt cannot read is moved aside (and said so), never a reason not to start.
    Each damaged file gets a name of its own (a second one never overwrites the first copy); `read_only`
    (--smoke) leaves it where it is."""
    path = app_data_dir() / "settings.ini"
    config = QSettings(str(path), QSettings.Format.IniFormat)
    if config.status() == QSettings.Status.FormatError:
        import os
        from datetime import UTC, datetime

        if read_only:
            return config, UserError("settings.damaged_left", path=str(path))
        aside = path.with_name(f"settings.damaged-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}.ini")
        try:
            os.replace(path, aside)
            notice = UserError("settings.moved_damaged", path=str(aside))
        except OSError:
            notice = UserError("settings.damaged_left", path=str(path))
        config = QSettings(str(path), QSettings.Format.IniFormat)
        return config, notice
    return config, None


def twilio_settings(config: QSettings) -> dict[str, str]:
    """`[twilio] api_url / numbers_url / messaging_url` of settings.ini, as text (checked when used)."""
    found = {}
    for name in ("api_url", "numbers_url", "messaging_url"):
        value = config.value(f"twilio/{name}")
        if isinstance(value, str) and value:
            found[name] = value[:300]
    return found


def saved_language(config: QSettings) -> Lang | None:
    value = config.value("language")
    return value if value in ("ja", "en") else None  # anything else in the file: the system's language


def build_window(app: QApplication, clock: Clock | None = None, secrets: SecretStore | None = None,
                 lang: Lang | None = None, open_keyring: bool = True, defer_pages: bool = False,
                 read_only: bool = False, exclusive: bool = False) -> MainWindow:
    """Everything the app shows, wired to its state; tests call this with their own clock and secrets.
    `read_only` (--smoke): show what is saved, never write progress or settings back. `exclusive`: this
    process holds the instance lock, so every temp file left in the data folder is stale."""
    load_fonts(app)
    data = app_data_dir()
    program = load_program(data / "cache")
    store = ProgressStore(data)
    if exclusive:
        store.remove_temp_files(every_one=True)
        remove_cache_temp_files(data / "cache")
    loaded = store.load(read_only=read_only)
    answers, unread = Answers.from_json(loaded.state, program)
    session = Session(program, answers, clock)
    unread += tuple(session.restore_detections(loaded.state))
    notices = [n for n in [loaded.notice] if n is not None]
    if unread:
        logger.warning("progress: %d value(s) left out: %s", len(unread), ", ".join(unread[:20]))
        notices.append(UserError("progress.partly_read_only", path=str(store.path)) if read_only
                       else store.keep_copy("damaged"))
    config, settings_notice = settings(read_only)
    if settings_notice is not None:
        notices.append(settings_notice)
    chosen: Lang = lang or saved_language(config) or system_lang()
    languages = LanguageManager.shared()
    context = AppContext(session, None if read_only else store, secrets, chosen)
    languages.switch(chosen)
    context.twilio_settings = twilio_settings(config)
    window = MainWindow(context, languages, config, save_settings=not read_only)
    if unread and not read_only:
        context.save_now()  # what could be kept, so the damaged values are not read (and reported) again
    if not defer_pages:
        window.wizard.resume()
    if notices:
        window.show_loaded_notice(notices[0] if len(notices) == 1 else
                                  UserError("app.several_notices", text=" ".join(n.message(chosen) for n in notices)))
        if read_only and sys.stderr is not None:
            for notice in notices:
                print(f"kwc-desktop: {notice.message(chosen)}", file=sys.stderr)
    if open_keyring:
        QTimer.singleShot(0, lambda: context.keeper.open_keyring())  # after the first paint: lookup costs 0.1–0.3 s
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
    listing = os.environ.get(IMPORTS_VARIABLE)
    if listing:  # the start-up check (tests/packaging/test_startup_imports.py): what the first paint needed
        from kwc_desktop import PRELOADED

        with open(listing, "w", encoding="utf-8") as out:
            out.write("\n".join(startup_modules(sys.modules, PRELOADED)) + "\n")
        with open(f"{listing}.all", "w", encoding="utf-8") as out:  # stdlib too (tests/packaging/test_installer.py)
            out.write("\n".join(sorted(sys.modules)) + "\n")
    window.close()
    app.quit()


IMPORTS_VARIABLE = "KWC_DESKTOP_LIST_IMPORTS"  # --smoke writes the modules imported by the first paint there
# (ours and third-party; every module, stdlib too, to the same name + ".all")


def startup_modules(modules: Iterable[str], preloaded: Collection[str] = ()) -> list[str]:
    """The modules of ours and the third-party packages loaded (stdlib left out: it differs by version and
    OS; so do the interpreter's own, `preloaded` before our first line, such as a sitecustomize), sorted.
    A new name here is a new cost on the start path."""
    stdlib = sys.stdlib_module_names
    found = set()
    for name in modules:
        top = name.split(".")[0]
        if name in preloaded and top != "kwc_desktop":
            continue
        if top == "kwc_desktop":
            found.add(name)
        elif top not in stdlib and not top.startswith("_"):
            found.add(top if top != "PySide6" else ".".join(name.split(".")[:2]))
    return sorted(found)


def _report_resumed(app: QApplication, window: MainWindow, started: float) -> None:
    """--smoke=resume: once the saved page is shown and the keyring pass is over, say what is shown."""
    import json

    context, wizard = window.context, window.wizard
    if (context.secrets is None or context.keeper.keyring_busy) and time.monotonic() - started < RESUME_WAIT_S:
        QTimer.singleShot(20, lambda: _report_resumed(app, window, started))
        return
    from kwc_desktop.ui.wizard import PAGE_NAMES, Page

    page = PAGE_NAMES[Page(wizard.currentId())] if wizard.currentId() >= 0 else None
    store = context.secrets
    report = {"page": page, "keyring": store.name if store is not None and store.persistent else None,
              "sids": len(context.session.secrets.sids), "tokens": len(context.session.secrets.tokens),
              "accounts": len(context.session.answers.accounts),
              "notices": [n.text() for n in window.notices.notices.values() if n.text()],
              "collecting": gc.isenabled()}  # the garbage collector, off during start-up only (see cli)
    if sys.stdout is not None:
        print(json.dumps(report, ensure_ascii=False), flush=True)
    window.close()
    app.quit()


RESUME_WAIT_S = 30.0


def run_gui(smoke: bool | str = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "kwc-desktop.png"))))
    lock = None
    try:
        lock = instance.acquire(app_data_dir())
    except instance.AlreadyRunning:
        if not smoke:  # --smoke only reads: it may run beside the app
            return _already_running()
    # --smoke measures the first paint only: no keyring, and it quits before the other pages are built.
    # --smoke=resume goes the whole start path (keyring, deferred pages, resume), still writing nothing.
    _drop_source_lines()
    paint_only = smoke in (True, "paint")
    try:
        window = build_window(app, open_keyring=not paint_only, defer_pages=True, read_only=bool(smoke),
                              exclusive=lock is not None)
    except ProgramError as e:  # the program file shipped with the app is broken: nothing to show
        return _cannot_start(str(e))
    window.show()
    if paint_only:
        QTimer.singleShot(0, lambda: _smoke_done(app, window))  # after the first paint
    elif smoke:
        QTimer.singleShot(0, window.wizard.resume)
        QTimer.singleShot(0, gc.enable)  # before the report, which says so
        started = time.monotonic()
        QTimer.singleShot(0, lambda: _report_resumed(app, window, started))
    else:
        QTimer.singleShot(0, window.wizard.resume)  # the other pages and the saved page, right after it
        QTimer.singleShot(0, lambda: _close_on_signals(window))
    QTimer.singleShot(0, gc.enable)  # collected again once the window and its pages are up (see cli)
    code = app.exec()
    if lock is not None:
        lock.release()
    return code


def _close_on_signals(window: MainWindow) -> None:
    """SIGTERM (logout, shutdown, kill) and Ctrl+C close the window as the Quit menu does: progress saved."""
    import os
    import signal
    import socket

    if os.name != "posix":
        return
    from PySide6.QtCore import QSocketNotifier

    reader, writer = socket.socketpair()
    for end in (reader, writer):
        end.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, lambda *_args: None)  # the wakeup byte does the work, in the event loop
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, window)

    def close() -> None:
        try:
            reader.recv(64)
        except OSError:
            pass
        window.ask_before_quitting = False
        window.close()

    notifier.activated.connect(close)
    window.setProperty("_signal_sockets", (reader, writer))  # kept alive with the window


def _already_running() -> int:
    from kwc_desktop.environment import environment_lang

    message = UserError("app.already_running").message(environment_lang())
    if sys.stderr is not None:
        print(f"kwc-desktop: {message}", file=sys.stderr)
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(None, APP_NAME, message)
    return 2


def _cannot_start(detail: str) -> int:
    import os

    from kwc_desktop.environment import environment_lang
    from kwc_desktop.services.program_store import PROGRAM_ENV

    key = "program.unusable" if os.environ.get(PROGRAM_ENV) else "app.cannot_start"  # the user's file, or ours
    message = UserError(key, detail=detail).message(environment_lang())
    if sys.stderr is not None:
        print(f"kwc-desktop: {message}", file=sys.stderr)
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, APP_NAME, message)
    return 2
