"""What Qt adds around the session the wizard's pages share: change signals, autosave, the language, and
the job runners that background work goes through. The state is the session's (domain/session.py) and,
for the keyring, the secret keeper's (services/secret_keeper.py); this class holds none of its own."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from kwc_desktop.domain.session import Session
from kwc_desktop.domain.text import Lang, UserError, messages
from kwc_desktop.services.progress import ProgressStore

if TYPE_CHECKING:
    from kwc_desktop.services.secret_keeper import SecretKeeper
    from kwc_desktop.services.secrets import SecretKind, SecretStore
    from kwc_desktop.ui.jobs import JobRunner

logger = logging.getLogger(__name__)
AUTOSAVE_DELAY_MS = 400


class AppContext(QObject):
    """Pages read the session (`session`) and the keyring's side (`keeper`), change the session through its
    commands or its answers, and call `touch()`; the signals, autosave and job runners are this class's."""

    changed = Signal()  # answers changed: pages refresh what they derive from them
    secrets_changed = Signal()  # the keyring's state changed, or a secret (or its saving) did
    problem = Signal(str)  # a passing message for the user (already in their language)
    save_state_changed = Signal()  # autosave failed, or succeeded again: see `save_problem`
    # The language was switched (`lang` is the new one, its translators are installed): every window of
    # ours retranslates. One signal instead of changeEvent overrides: Qt sends LanguageChange once per
    # translator, and a Python changeEvent makes PySide build its event classes before the first paint.
    language_changed = Signal()

    def __init__(self, session: Session, store: ProgressStore | None = None, secrets: SecretStore | None = None,
                 lang: Lang = "en") -> None:
        super().__init__()
        self.session = session
        self.lang: Lang = lang
        self._store = store
        self.save_problem: UserError | None = None  # the last autosave failed (shown until one succeeds)
        # The keyring's side and the job runners are made on first use: the keyring opens after the first
        # paint, so nothing of theirs (four modules, three runners) is on the way to it.
        self._given_secrets = secrets
        self._keeper: SecretKeeper | None = None
        self._runners: dict[str, JobRunner] = {}
        self.twilio_settings: dict[str, str] = {}  # settings.ini [twilio] base URLs (the environment wins)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.save_now)
        session.listeners.append(self)  # an account renamed or removed: its keyring entries follow

    def account_renamed(self, old: str, new: str) -> None:
        self.keeper.account_renamed(old, new)

    def account_removed(self, label: str) -> None:
        self.keeper.account_removed(label)

    def account_restored(self, old: str, label: str) -> None:
        self.keeper.account_restored(old, label)

    def removals_final(self) -> None:
        if self._keeper is not None:
            self._keeper.removals_final()
        self.secrets_changed.emit()  # the accounts page stops offering the undo

    def _runner(self, name: str) -> JobRunner:
        if name not in self._runners:
            from kwc_desktop.ui.jobs import JobRunner

            self._runners[name] = JobRunner(name)
        return self._runners[name]

    @property
    def jobs(self) -> JobRunner:
        """Keyring calls, in order, off the GUI thread."""
        return self._runner("secrets")

    @property
    def documents(self) -> JobRunner:
        """PDF export and printing: never behind a slow keyring."""
        return self._runner("documents")

    @property
    def charges(self) -> JobRunner:
        """The charges window's pricing and Twilio reads: it outlives the window being closed and opened
        again, and closes with the others at quit."""
        return self._runner("charges")

    @property
    def files(self) -> JobRunner:
        """Files the user chose (a CSV of accounts), read off the GUI thread: never behind the keyring."""
        return self._runner("files")

    @property
    def network(self) -> JobRunner:
        """Reading accounts from Twilio."""
        return self._runner("network")

    @property
    def keeper(self) -> SecretKeeper:
        """The keyring as the session sees it (services/secret_keeper.py), working on `jobs`."""
        if self._keeper is None:
            from kwc_desktop.services.secret_keeper import SecretKeeper

            self._keeper = SecretKeeper(self.session, self._given_secrets, self.jobs.submit, self.secrets_changed.emit)
        return self._keeper

    def set_as_of(self, moment: datetime | None) -> None:
        """Judge deadlines at `moment` (None: now), and tell the pages."""
        if self.session.set_as_of(moment):
            self.touch()

    def msg(self, key: str, **params: object) -> str:
        return messages()(key, self.lang, **params)

    # --- saving ----------------------------------------------------------------------------------

    def touch(self) -> None:
        """The answers changed: tell the pages and save soon."""
        self.session.changed()
        self.changed.emit()
        self.save_soon()

    def save_soon(self) -> None:
        """Something saved but not shown changed (the current page): autosave, no refresh."""
        if self._store is not None:
            self._autosave.start()

    def save_now(self) -> bool:
        """Write the progress file now; False (and `save_problem` set, and shown) when that failed."""
        self._autosave.stop()
        if self._store is None:
            return True
        try:
            self._store.save(self.session.progress_state())
        except UserError as e:
            logger.warning("autosave failed: %s", e.key)
            self.save_problem = e
            self.save_state_changed.emit()
            return False
        if self.save_problem is not None:
            self.save_problem = None
            self.save_state_changed.emit()
        return True

    # --- secrets: the keeper (services/secret_keeper.py) does the work, on the job runner ------------

    @property
    def secrets(self) -> SecretStore | None:
        """The keyring (None while it is being opened), or the store the session keeps secrets in."""
        return self._given_secrets if self._keeper is None else self._keeper.secrets

    @property
    def saving(self) -> dict[tuple[str, SecretKind], int]:
        return self._keeper.saving if self._keeper is not None else {}  # no keeper yet: nothing was written

    def not_saved(self) -> list[tuple[str, SecretKind]]:
        return self._keeper.not_saved() if self._keeper is not None else []

    def lost_at_quit(self) -> list[tuple[str, SecretKind]]:
        """The secrets quitting now would lose (no keeper yet: nothing was written)."""
        return self._keeper.only_here() if self._keeper is not None else []

    def wait_for_background(self, timeout: float | None = None) -> bool:
        """Let queued keyring work finish (tests, and quitting); False when it did not in time. Results
        are delivered by the event loop afterwards."""
        return self.jobs.wait(timeout)

    def documents_running(self) -> bool:
        """A PDF or a print is being written (never before the first was asked for)."""
        return "documents" in self._runners and self.documents.unfinished() > 0

    def shutdown(self) -> None:
        """Save the progress; keyring work still running is left to finish or die with the process."""
        self.save_now()
        for runner in self._runners.values():
            runner.close()
