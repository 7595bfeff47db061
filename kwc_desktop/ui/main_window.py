"""The main window: the wizard, a menu bar (language, FAQ), remembered size and position."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget, QWizard

from kwc_desktop import __version__
from kwc_desktop.domain.text import Lang, UserError, messages
from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.notices import NoticeArea
from kwc_desktop.ui.translations import LANG_NAMES, LanguageManager
from kwc_desktop.ui.widgets import describe_controls
from kwc_desktop.ui.wizard import MigrationWizard, Page

if TYPE_CHECKING:
    # Only named in annotations: importing QCloseEvent makes PySide build QEvent's class (about 2 ms
    # of the first paint); a close event brings it when one comes.
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QDialog, QMenu

    from kwc_desktop.ui.dialogs.faq import FaqDialog

QUIT_WAIT_S = 1.0  # how long quitting waits for the keyring to confirm what is being saved
MAX_RECENT = 5  # profiles in File → Open recent


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
        self.notices = NoticeArea(("autosave", "keyring", "loaded"))
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.notices)
        column.addWidget(self.wizard, 1)
        self.setCentralWidget(central)
        self.faq: FaqDialog | None = None  # built on first use
        self.ask_before_quitting = True  # False when the session ends (a signal): nobody to ask
        self.loaded_notice: UserError | None = None

        self.file_menu = self.menuBar().addMenu("")
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.open_profile)
        self.file_menu.addAction(self.open_action)
        self.recent_menu: QMenu | None = None  # made when the File menu first opens: not on the first paint
        self.file_menu.aboutToShow.connect(self.fill_recent)
        self.save_profile_action = QAction(self)
        self.save_profile_action.setShortcut(QKeySequence.StandardKey.SaveAs)
        self.save_profile_action.triggered.connect(self.save_profile)
        self.file_menu.addAction(self.save_profile_action)
        self.profile_path: Path | None = None  # the profile opened or saved last: the window's title names it
        # A separator action of our own: addSeparator() returns it through PySide's type lookup, which
        # builds the QWidgetAction class first (1.2 ms of the first paint for a line in a closed menu).
        separator = QAction(self)
        separator.setSeparator(True)
        self.file_menu.addAction(separator)
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
        self.tools_menu = self.menuBar().addMenu("")
        self.overview_action = QAction(self)
        self.overview_action.triggered.connect(self.show_overview)
        self.tools_menu.addAction(self.overview_action)
        self.overview: QDialog | None = None  # built on first use
        self.charges_action = QAction(self)
        self.charges_action.triggered.connect(self.show_charges)
        self.tools_menu.addAction(self.charges_action)
        self.charges: QDialog | None = None  # built on first use
        self.help_menu = self.menuBar().addMenu("")
        self.faq_action = QAction(self)
        self.faq_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.faq_action.triggered.connect(self.show_faq)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.faq_action)
        self.help_menu.addAction(self.about_action)
        context.problem.connect(lambda text: self.statusBar().showMessage(text, 15000))
        context.save_state_changed.connect(self.show_notices)
        context.secrets_changed.connect(self.show_notices)
        context.language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(980, 720)

    def retranslate_ui(self) -> None:
        title = self.tr("KWC → Twilio Japan transfer guide")
        self.setWindowTitle(f"{self.profile_path.name} — {title}" if self.profile_path is not None else title)
        self.file_menu.setTitle(self.tr("&File"))
        self.open_action.setText(self.tr("&Open profile…"))
        if self.recent_menu is not None:
            self.recent_menu.setTitle(self.tr("Open &recent"))
        self.save_profile_action.setText(self.tr("&Save profile as…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.tools_menu.setTitle(self.tr("Tool&s"))
        self.overview_action.setText(self.tr("&What's next (every deadline, by date)…"))
        self.charges_action.setText(self.tr("&Charges check (COTOHA Voice DX Basic)…"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.faq_action.setText(self.tr("&Frequently asked questions"))
        self.about_action.setText(self.tr("&About"))
        for action in self.language_actions.actions():
            action.setChecked(action.data() == self.context.lang)
        self.show_notices()

    def show_overview(self) -> None:
        """Every procedure's next step by date, and the calendar export (not modal)."""
        from kwc_desktop.ui.overview import OverviewDialog

        self.overview = self._tool_window(self.overview, OverviewDialog)

    def show_charges(self) -> None:
        """The charges check, beside the wizard (not modal: the wizard stays usable)."""
        from kwc_desktop.ui.dialogs.charges import ChargesDialog

        self.charges = self._tool_window(self.charges, ChargesDialog)

    def _tool_window(self, current: QDialog | None, make: Callable[[AppContext, QWidget], QDialog]) -> QDialog:
        """A Tools window, built on first use (it follows a language switch itself), shown and raised."""
        if current is None:
            current = make(self.context, self)
        current.show()
        current.raise_()
        return current

    def show_loaded_notice(self, notice: UserError) -> None:
        """What happened to a saved file at start (moved aside, partly read): shown until closed."""
        self.loaded_notice = notice
        self.show_notices()

    def _close_loaded_notice(self) -> None:
        self.loaded_notice = None
        self.show_notices()

    def show_notices(self) -> None:
        """The notices that stay until their cause is gone, in the current language."""
        context, lang = self.context, self.context.lang
        problem = context.save_problem
        self.notices["autosave"].show_notice(problem.message(lang) if problem else "", action=self.tr("&Retry"),
                                             on_action=context.save_now)
        self.notices["keyring"].show_notice(self.keyring_notice(), action=self.tr("Retr&y keyring"),
                                            on_action=lambda: context.keeper.retry_secrets())
        loaded = self.loaded_notice
        self.notices["loaded"].show_notice(loaded.message(lang) if loaded else "", warning=False,
                                           action=self.tr("Dis&miss"), on_action=self._close_loaded_notice)
        if self.wizard.pages_built:  # not before the first paint (ui/wizard.py, _describe)
            describe_controls(self.notices, lang)

    def keyring_notice(self) -> str:
        """Why secrets are kept for this session only, and which ones; "" when the keyring has them all."""
        context = self.context
        store = context.secrets
        if store is None:
            return ""
        parts = []
        if not store.persistent:
            parts.append(context.msg("secrets.unavailable"))
        elif context.keeper.secrets_problem is not None:
            parts.append(context.keeper.secrets_problem.message(context.lang))
        unsaved = sorted(context.keeper.unsaved)
        if unsaved and store.persistent:
            parts.append(self.tr("Kept for this session only, not yet in the keyring: %1.")
                         .replace("%1", ", ".join(self.secret_name(label, kind) for label, kind in unsaved[:6])
                                  + (" …" if len(unsaved) > 6 else "")))
        return " ".join(parts)

    def secret_name(self, label: str, kind: str) -> str:
        """'Account SID of “Prod”' in the current language."""
        names = {"sid": self.tr("Account SID of “%1”"), "token": self.tr("Auth Token of “%1”"),
                 "bundles": self.tr("Bundle SIDs of “%1”"), "api_key": self.tr("API key of “%1”")}
        return names.get(kind, "%1").replace("%1", label)

    def set_language(self, lang: Lang) -> None:
        if lang == self.context.lang:
            return
        self.context.lang = lang
        self.languages.switch(lang)
        self.context.language_changed.emit()  # the window, the wizard, its pages, an open FAQ
        self.statusBar().clearMessage()  # a passing message was in the other language
        if self.save_settings:
            self.settings.setValue("language", lang)

    def open_profile(self, path: str = "") -> None:
        """File → Open profile… (or a recent one: `path`), asking before the window's answers are replaced."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox  # dialogs: imported when first used

        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open profile"), self._profile_folder(),
                                                  self.tr("Profiles (*.toml);;All files (*)"))
        if not path:
            return
        if self.context.session.answers.accounts and QMessageBox.question(
            self, self.tr("Open profile"),
            self.tr("Replace the accounts and answers you have entered with the profile's?"),
        ) != QMessageBox.StandardButton.Yes:
            return
        error = self.open_profile_file(Path(path))
        if error is not None:
            QMessageBox.warning(self, self.tr("Open profile"), error)

    def open_profile_file(self, path: Path) -> str | None:
        """Load a profile (docs/profile-format.md) as the wizard's answers; the error text, if any."""
        from kwc_desktop.domain.session import encode_bundles
        from kwc_desktop.services.profiles import open_profile

        keeper = self.context.keeper  # listening before the profile removes accounts: their secrets go too
        try:
            applied = open_profile(path, self.context.session)
        except UserError as e:
            return e.message(self.context.lang)
        self.context.touch()
        for label, sid in applied.sids.items():
            keeper.write_secret(label, "sid", sid.value, from_file=True)
        for label, bundle_sids in applied.bundles.items():
            keeper.write_secret(label, "bundles", encode_bundles(bundle_sids), from_file=True)
        self.context.keeper.reload_secrets()  # what the keyring already holds for labels given without a SID
        self.wizard.ensure_pages()
        self.wizard.restart()
        self._profile_used(path)
        self.statusBar().showMessage(messages()("profile.loaded", self.context.lang, path=str(path),
                                                accounts=len(self.context.session.answers.accounts)), 15000)
        return None

    def save_profile(self) -> None:
        """File → Save profile as…: the accounts and answers entered here as a profile (docs/profile-format.md),
        the file `plan` reads and Open loads — never a SID or a secret."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        suggested = str(self.profile_path) if self.profile_path is not None else \
            str(Path(self._profile_folder()) / "profile.toml")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save profile"), suggested,
                                              self.tr("Profiles (*.toml);;All files (*)"))
        if not path:
            return
        error = self.save_profile_file(Path(path))
        if error is not None:
            QMessageBox.warning(self, self.tr("Save profile"), error)

    def save_profile_file(self, path: Path) -> str | None:
        """Write the profile to `path` (whole or not at all); the error text, if any."""
        from kwc_desktop.domain.profile_writer import profile_toml
        from kwc_desktop.services.files import write_user_file

        if path.suffix.lower() != ".toml":
            path = path.with_name(path.name + ".toml")
        lang = self.context.lang
        try:
            session = self.context.session
            written = write_user_file(path, profile_toml(session.answers, session.program).encode("utf-8"))
        except UserError as e:
            return f"{path}: {e.message(lang)}" if e.key.startswith("file.") else e.message(lang)
        self._profile_used(path)
        session.forget_removed()  # saved: what was removed stays removed
        self.statusBar().showMessage(messages()("profile.saved", lang, path=written.shown(lang),
                                                accounts=len(self.context.session.answers.accounts)), 15000)
        return None

    def _profile_used(self, path: Path) -> None:
        """`path` names the window and heads the recent profiles (five, newest first)."""
        self.profile_path = path
        recent = [str(path.resolve())] + [p for p in self.recent_profiles() if p != str(path.resolve())]
        if self.save_settings:
            self.settings.setValue("profiles/recent", recent[:MAX_RECENT])
        self.retranslate_ui()

    def recent_profiles(self) -> list[str]:
        value = self.settings.value("profiles/recent", [])
        if isinstance(value, str):  # QSettings gives a one-item list back as a string
            value = [value]
        return [v for v in value if isinstance(v, str)][:MAX_RECENT] if isinstance(value, list) else []

    def fill_recent(self) -> QMenu:
        """File → Open recent, made on first use and filled each time the File menu opens."""
        if self.recent_menu is None:
            from PySide6.QtWidgets import QMenu

            self.recent_menu = QMenu(self.tr("Open &recent"), self.file_menu)
            self.file_menu.insertMenu(self.save_profile_action, self.recent_menu)
        self.recent_menu.clear()
        shown_any = False
        for path in self.recent_profiles():
            if not Path(path).is_file():
                continue  # moved or deleted since: not offered
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_profile(p))
            shown_any = True
        if not shown_any:
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)
        return self.recent_menu

    def _profile_folder(self) -> str:
        recent = self.recent_profiles()
        return str(Path(recent[0]).parent) if recent else ""

    def show_faq(self) -> None:
        if self.faq is None:
            from kwc_desktop.ui.dialogs.faq import FaqDialog

            self.faq = FaqDialog(self.context, self)
            self.faq.page_requested.connect(self.wizard.go_to_page)
        self.faq.show()
        self.faq.raise_()
        self.faq.activateWindow()
        self.faq.search.setFocus()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, self.tr("About"), self.tr("kwc-desktop %1\n\nRules from: %2")
                          .replace("%1", __version__).replace("%2", self.context.session.program.source(
                              self.context.lang)))

    def _wizard_finished(self, _result: int) -> None:
        """Finish and Cancel quit as File → Quit does — the question about secrets not yet saved included; when
        the user stays, the wizard comes back on the page it was on (QWizard hid itself on Finish/Cancel)."""
        if self.wizard.result() == QWizard.DialogCode.Accepted or not self.wizard.isVisible():
            if not self.close():
                self.wizard.setVisible(True)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._secrets_may_go():
            event.ignore()
            return
        if self.save_settings:
            self.settings.setValue("window/geometry", self.saveGeometry())
        self.stop_documents()
        self.context.session.forget_removed()  # the removed accounts' secrets leave memory before the keeper stops
        self.context.shutdown()
        super().closeEvent(event)

    def stop_documents(self) -> None:
        """A PDF being written when the window closes is stopped (its temp file removed), not left half-done."""
        if not self.context.documents_running():
            return  # nothing being written: quitting need not load the Summary page's module to say so
        from kwc_desktop.ui.pages.summary import SummaryPage

        summary = self.wizard.page(int(Page.SUMMARY))
        if isinstance(summary, SummaryPage) and summary.document_running:
            summary.cancel_document()
            self.context.documents.wait(timeout=QUIT_WAIT_S)

    def _secrets_may_go(self) -> bool:
        """Quitting with secrets the keyring has not confirmed — or, with no keyring, any secret at all: wait
        about a second for writes still under way, then say what would be lost and let the user stay (and
        Retry) or quit anyway."""
        context = self.context
        if context.saving:
            context.wait_for_background(timeout=QUIT_WAIT_S)
            QCoreApplication.sendPostedEvents()  # hand over the results that just came in
        lost = context.lost_at_quit()
        if not lost:
            return True
        names = [self.secret_name(label, kind) for label, kind in lost]
        if not self.ask_before_quitting:
            sys.stderr.write(f"kwc-desktop: not saved to the keyring: {len(names)} secret(s)\n")
            return True
        from PySide6.QtWidgets import QMessageBox

        store = context.secrets
        if store is not None and not store.persistent:  # no keyring at all: memory is all there was
            why = self.tr("There is no keyring on this computer, so these are kept only while kwc-desktop runs. "
                          "If you quit now, they are lost:")
        else:
            why = self.tr("The keyring has not saved these yet. If you quit now, they are lost:")
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Quit"),
                          why + "\n\n" + "\n".join(f"• {n}" for n in names[:12]) + ("\n…" if len(names) > 12 else ""),
                          parent=self)
        quit_button = box.addButton(self.tr("&Quit anyway"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(self.tr("&Stay"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.exec()
        return box.clickedButton() is quit_button
