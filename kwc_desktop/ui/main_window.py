"""The main window: the wizard, a menu bar (language, FAQ), remembered size and position."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWizard

from kwc_desktop import __version__
from kwc_desktop.domain.text import Lang, UserError
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.translations import LANG_NAMES, LanguageManager
from kwc_desktop.ui.wizard import MigrationWizard


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, languages: LanguageManager, settings: QSettings,
                 save_settings: bool = True) -> None:
        super().__init__()
        self.save_settings = save_settings
        self.context = context
        self.languages = languages
        self.settings = settings
        self.wizard = MigrationWizard(context)
        self.wizard.setWindowFlags(self.wizard.windowFlags() & ~self.wizard.windowFlags().Dialog)
        self.wizard.helpRequested.connect(self.show_faq)
        self.wizard.finished.connect(self._wizard_finished)
        self.wizard.welcome.language_chosen.connect(lambda code: self.set_language(code))
        self.setCentralWidget(self.wizard)
        self.faq = None  # FaqDialog, built on first use

        self.file_menu = self.menuBar().addMenu("")
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.open_profile)
        self.file_menu.addAction(self.open_action)
        self.file_menu.addSeparator()
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.language_menu = self.menuBar().addMenu("")
        self.language_actions = QActionGroup(self)
        for code, name in LANG_NAMES.items():
            action = QAction(name, self, checkable=True)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_actions.addAction(action)
            self.language_menu.addAction(action)
        self.help_menu = self.menuBar().addMenu("")
        self.faq_action = QAction(self)
        self.faq_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.faq_action.triggered.connect(self.show_faq)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.faq_action)
        self.help_menu.addAction(self.about_action)
        context.problem.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.retranslate_ui()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(980, 720)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("KWC → Twilio Japan transfer guide"))
        self.file_menu.setTitle(self.tr("&File"))
        self.open_action.setText(self.tr("&Open profile…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.faq_action.setText(self.tr("&Frequently asked questions"))
        self.about_action.setText(self.tr("&About"))
        for action in self.language_actions.actions():
            action.setChecked(action.data() == self.context.lang)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_language(self, lang: Lang) -> None:
        if lang == self.context.lang:
            return
        self.context.lang = lang  # first: pages read it when LanguageChange arrives
        self.languages.switch(lang)
        if self.save_settings:
            self.settings.setValue("language", lang)

    def open_profile(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open profile"), "",
                                              self.tr("Profiles (*.toml);;All files (*)"))
        if not path:
            return
        if self.context.answers.accounts and QMessageBox.question(
            self, self.tr("Open profile"),
            self.tr("Replace the accounts and answers you have entered with the profile's?"),
        ) != QMessageBox.StandardButton.Yes:
            return
        error = self.open_profile_file(Path(path))
        if error is not None:
            QMessageBox.warning(self, self.tr("Open profile"), error)

    def open_profile_file(self, path: Path) -> str | None:
        """Load a profile (docs/profile-format.md) as the wizard's answers; the error text, if any."""
        from kwc_desktop.domain.answers import answers_from_profile
        from kwc_desktop.domain.profile import load_profile

        try:
            profile = load_profile(path, self.context.program)
        except UserError as e:
            return e.message(self.context.lang)
        answers, sids, bundles = answers_from_profile(profile)
        kept = {a.label for a in answers.accounts}
        for label in [a.label for a in self.context.answers.accounts if a.label not in kept]:
            self.context.forget_secrets(label)  # accounts the profile drops; the others keep their secrets
        self.context.answers = answers
        for label, sid in sids.items():
            self.context.write_secret(label, "sid", sid.value)
        for label, bundle_sids in bundles.items():
            self.context.write_secret(label, "bundles", ",".join(s.value for s in bundle_sids))
        self.context.reload_secrets()  # what the keyring already holds for labels given without a SID
        self.context.touch()
        self.wizard.ensure_pages()
        self.wizard.restart()
        return None

    def show_faq(self) -> None:
        if self.faq is None:
            from kwc_desktop.ui.faq import FaqDialog

            self.faq = FaqDialog(self.context, self)
        self.faq.show()
        self.faq.raise_()
        self.faq.activateWindow()
        self.faq.search.setFocus()

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About"), self.tr("kwc-desktop %1\n\nRules from: %2")
                          .replace("%1", __version__).replace("%2", self.context.program.source(self.context.lang)))

    def _wizard_finished(self, _result: int) -> None:
        if self.wizard.result() == QWizard.DialogCode.Accepted or not self.wizard.isVisible():
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.save_settings:
            self.settings.setValue("window/geometry", self.saveGeometry())
        self.context.shutdown()
        super().closeEvent(event)
