"""Languages: the app's Qt Linguist translations and Qt's own, switched at runtime.

The .qm files are built from i18n/*.ts by Qt's lrelease (PySide6 ships it): by scripts/test.sh and the
installer spec ahead of time, or on first use into the app's cache folder when only the .ts is there
(a pip install), so there are no hand-made binaries anywhere.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kwc_desktop.domain.text import Lang, as_lang
from kwc_desktop.resources import i18n_path
from kwc_desktop.services.paths import app_data_dir

logger = logging.getLogger(__name__)
QT_EXTRA_CATALOGUE = "qt_extra"  # Qt's own texts that qtbase's catalogue lacks (i18n/qt_extra_ja.ts, by hand)
APP_CATALOGUE = "kwc"
LANG_NAMES = {"ja": "日本語", "en": "English"}


def lrelease_binary() -> Path:
    import PySide6

    folder = Path(PySide6.__file__).parent
    for name in ("lrelease", "lrelease.exe", "Qt/libexec/lrelease"):
        if (folder / name).exists():
            return folder / name
    found = shutil.which("pyside6-lrelease")
    if found is None:
        raise FileNotFoundError("Qt's lrelease was not found in PySide6")
    return Path(found)


def compile_catalogue(ts_file: Path, qm_file: Path) -> None:
    import subprocess  # only when a catalogue has to be built: not on the way to the first paint

    qm_file.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(lrelease_binary()), "-silent", str(ts_file), "-qm", str(qm_file)], check=True,
                   capture_output=True)


def catalogue_path(lang: Lang, name: str = APP_CATALOGUE) -> Path | None:
    """The compiled catalogue `name` for `lang`, building it from the .ts when needed."""
    ts_file = i18n_path(f"{name}_{lang}.ts")
    shipped = ts_file.with_suffix(".qm")
    if shipped.exists() and (not ts_file.exists() or shipped.stat().st_mtime >= ts_file.stat().st_mtime):
        return shipped
    if not ts_file.exists():
        return None
    cached = app_data_dir() / "cache" / shipped.name
    if not cached.exists() or cached.stat().st_mtime < ts_file.stat().st_mtime:
        from subprocess import CalledProcessError

        try:
            compile_catalogue(ts_file, cached)
        except (OSError, CalledProcessError) as e:
            logger.warning("could not build %s: %s", shipped.name, e)
            return None
    return cached


def system_lang() -> Lang:
    """Japanese when the OS's first UI language is Japanese, else English."""
    languages = QLocale().uiLanguages()
    return as_lang(languages[0]) if languages else "en"


class LanguageManager:
    """Installs the app's and Qt's translators for one language at a time (one per application:
    `LanguageManager.shared()`)."""

    _shared: LanguageManager | None = None

    @classmethod
    def shared(cls) -> LanguageManager:
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def __init__(self) -> None:
        self.lang: Lang = "en"
        self._translators: list[QTranslator] = []  # kept alive: Qt does not own them

    def switch(self, lang: Lang) -> None:
        app = QCoreApplication.instance()
        assert app is not None
        for translator in self._translators:
            app.removeTranslator(translator)
        self._translators = []
        self.lang = lang
        if lang == "en":
            return  # English is the source language; removing translators already sent LanguageChange
        qt_translator = QTranslator()
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_translator.load(QLocale(lang), "qtbase", "_", qt_folder):
            self._translators.append(qt_translator)
        for name in (QT_EXTRA_CATALOGUE, APP_CATALOGUE):  # Qt's missing texts, then ours
            path = catalogue_path(lang, name)
            translator = QTranslator()
            if path is not None and translator.load(str(path)):
                self._translators.append(translator)
        for translator in self._translators:
            app.installTranslator(translator)


def main() -> int:
    """`python -m kwc_desktop.ui.translations`: build every i18n/*.qm beside its .ts."""
    for ts_file in sorted(i18n_path().glob("*.ts")):
        qm_file = ts_file.with_suffix(".qm")
        if qm_file.exists() and qm_file.stat().st_mtime >= ts_file.stat().st_mtime:
            print(f"{qm_file.name} (up to date)")
            continue  # lrelease gives the same bytes on every OS: no need to run it again (under Wine)
        compile_catalogue(ts_file, qm_file)
        print(qm_file.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
