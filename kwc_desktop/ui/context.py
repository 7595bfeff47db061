"""What Qt adds around the session the wizard's pages share: change signals, autosave, the language,
and keyring work on one background job runner. The state itself is the session's (domain/session.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from kwc_desktop.domain.answers import Answers
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.session import Session, decode_bundles
from kwc_desktop.domain.sid import Sid, SidError, parse_sid
from kwc_desktop.domain.text import Lang, UserError, messages
from kwc_desktop.services.progress import ProgressStore
from kwc_desktop.services.secrets import (
    KeyringLocked,
    KeyringUnavailable,
    SecretKind,
    SecretReadFailed,
    SecretStore,
    SecretStoreError,
    SecretWriteFailed,
    SessionSecrets,
    open_secrets,
)
from kwc_desktop.ui.jobs import JobRunner, Outcome, Report

if TYPE_CHECKING:
    from kwc_desktop.domain.checklist import Plan

logger = logging.getLogger(__name__)
AUTOSAVE_DELAY_MS = 400
SECRET_KINDS: tuple[SecretKind, ...] = ("sid", "token", "bundles")


class AppContext(QObject):
    """Pages read and write `answers` and call `touch()`; everything else follows from here."""

    changed = Signal()  # answers changed: pages refresh what they derive from them
    secrets_changed = Signal()  # the keyring's state changed, or a secret (or its saving) did
    problem = Signal(str)  # a passing message for the user (already in their language)
    save_state_changed = Signal()  # autosave failed, or succeeded again: see `save_problem`

    def __init__(self, session: Session, store: ProgressStore | None = None, secrets: SecretStore | None = None,
                 lang: Lang = "en") -> None:
        super().__init__()
        self.session = session
        self.lang: Lang = lang
        self._store = store
        self.save_problem: UserError | None = None  # the last autosave failed (shown until one succeeds)
        # The keyring: None while it is being opened; SessionSecrets when there is none.
        self.secrets: SecretStore | None = secrets
        self.secrets_problem: UserError | None = None  # why secrets are (also) kept for this session only
        self.keyring_busy = "opening" if secrets is None else ""  # "opening", "reading", "" (idle)
        # What the keyring has not confirmed: kept here for the session, never on disk.
        self.kept = SessionSecrets()
        self.unsaved: set[tuple[str, SecretKind]] = set()  # failed writes (or no keyring): memory only
        self.saving: dict[tuple[str, SecretKind], int] = {}  # writes in flight
        self._write_seq: dict[tuple[str, SecretKind], int] = {}
        self.damaged_entries: list[str] = []  # labels whose keyring entry held something not valid (left out)
        self.jobs = JobRunner("secrets")  # keyring calls, in order, off the GUI thread
        self.documents = JobRunner("documents")  # PDF export and printing: never behind a slow keyring
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.save_now)

    # --- the session's state, as the pages read it -------------------------------------------------

    @property
    def program(self) -> Program:
        return self.session.program

    @property
    def answers(self) -> Answers:
        return self.session.answers

    @property
    def sids(self) -> dict[str, Sid]:
        """label -> SID (memory only), as read from the keyring or as typed."""
        return self.session.secrets.sids

    @property
    def tokens(self) -> set[str]:
        """Labels that have an Auth Token."""
        return self.session.secrets.tokens

    @property
    def bundles(self) -> dict[str, list[Sid]]:
        return self.session.secrets.bundles

    def now(self) -> datetime:
        return self.session.now()

    def plan(self) -> Plan:
        """The checklist for the current answers (the session computes it again only after a change)."""
        return self.session.plan()

    def set_as_of(self, moment: datetime | None) -> None:
        """Judge deadlines at `moment` (None: now), and tell the pages."""
        if self.session.set_as_of(moment):
            self.touch()

    def replace_answers(self, answers: Answers) -> None:
        self.session.replace_answers(answers)
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
            self._store.save(self.answers.to_json(self.program))
        except UserError as e:
            logger.warning("autosave failed: %s", e.key)
            self.save_problem = e
            self.save_state_changed.emit()
            return False
        if self.save_problem is not None:
            self.save_problem = None
            self.save_state_changed.emit()
        return True

    # --- secrets: keyring calls run on a worker thread; results come back on the GUI thread ---------

    def open_keyring(self) -> None:
        """Find the keyring off the GUI thread (it costs 0.1–0.3 s), then read what it holds."""
        if self.secrets is not None:
            self._load_secrets()
            return
        self.keyring_busy = "opening"
        self.jobs.submit(lambda _report: open_secrets(), self._keyring_opened)

    def _keyring_opened(self, outcome: Outcome[tuple[SecretStore, KeyringUnavailable | None]]) -> None:
        problem: UserError | None
        if outcome.value is not None:
            self.secrets, problem = outcome.value
        else:
            logger.warning("keyring failed to open: %s", type(outcome.error).__name__)
            self.secrets, problem = SessionSecrets(), UserError("secrets.unavailable")
        self.secrets_problem = problem
        if not self.secrets.persistent:
            # Everything typed before we knew stays in memory: say so, and keep it for a Retry.
            self.unsaved |= {(label, kind) for label, kind in self._kept_keys()}
        self.keyring_busy = ""
        self._load_secrets()

    def reload_secrets(self) -> None:
        """Read again what the keyring holds for the current accounts."""
        self._load_secrets()

    def _store_now(self) -> SecretStore:
        """The keyring once opened (on the worker thread, after the opening job), else session memory."""
        return self.secrets if self.secrets is not None else self.kept

    def _load_secrets(self) -> None:
        """One background pass over every account: SIDs first (the table shows them), then tokens, then
        Bundle SIDs; each value is shown as it arrives. A damaged entry costs only itself."""
        labels = [a.label for a in self.answers.accounts]
        store = self.secrets
        if store is None or not labels:
            self.secrets_changed.emit()
            return
        self.keyring_busy = "reading"
        self.damaged_entries = []  # this pass finds them again
        self.secrets_changed.emit()
        kinds = SECRET_KINDS

        def read_all(report: Report) -> SecretStoreError | None:
            for kind in kinds:
                for label in labels:
                    try:
                        report((label, kind, store.get(label, kind)))
                    except (KeyringLocked, KeyringUnavailable) as e:
                        return e  # every later call would fail the same way (and may prompt again)
                    except SecretStoreError as e:
                        report((label, kind, e))
            return None

        self.jobs.submit(read_all, self._secrets_read, progress=self._secret_read)

    def _secret_read(self, part: tuple[str, SecretKind, str | SecretStoreError | None]) -> None:
        label, kind, value = part
        if (label, kind) in self._write_seq or self.answers.account(label) is None:
            return  # typed (or removed) in this session since the read was queued: that wins
        if isinstance(value, SecretStoreError):
            self.secrets_problem = value
        elif value and not self._cache(label, kind, value):
            logger.warning("the keyring's %s entry of an account is not valid: left out", kind)
            if label not in self.damaged_entries:
                self.damaged_entries.append(label)
            self.secrets_problem = UserError("secrets.entry_invalid", label=", ".join(self.damaged_entries))
        if kind == "sid" or value:
            self.secrets_changed.emit()

    def _secrets_read(self, outcome: Outcome[SecretStoreError | None]) -> None:
        self.keyring_busy = ""
        error = outcome.value if outcome.ok else outcome.error
        if error is not None:
            self.secrets_problem = error if isinstance(error, UserError) else \
                SecretReadFailed(self._store_now().name, type(error).__name__)
        self.secrets_changed.emit()

    def write_secret(self, label: str, kind: SecretKind, value: str | None,
                     done: Callable[[UserError | None], None] | None = None) -> None:
        """Store (or, with None, delete) one secret. It is shown at once and kept in memory until the
        keyring confirms it; if the keyring refuses, it stays in memory for the session (under the
        banner, with a Retry) — what the user typed is never lost. Errors also reach `done`."""
        key = (label, kind)
        self._cache(label, kind, value)
        if value is None:
            self.kept.delete(label, kind)
        else:
            self.kept.set(label, kind, value)
        seq = self._write_seq.get(key, 0) + 1
        self._write_seq[key] = seq
        store = self.secrets
        if store is not None and not store.persistent:
            try:  # no keyring: memory is all there is (and `kept` has it for a Retry)
                if value is None:
                    store.delete(label, kind)
                else:
                    store.set(label, kind, value)
            except SecretStoreError as e:
                if done is not None:
                    done(e)
                return
            if value is None:
                self.unsaved.discard(key)
            else:
                self.unsaved.add(key)
            self.secrets_changed.emit()
            if done is not None:
                done(None)
            return
        self.saving[key] = self.saving.get(key, 0) + 1
        self.secrets_changed.emit()

        def work(_report: Report) -> None:
            target = self._store_now()
            if not target.persistent:
                raise KeyringUnavailable()
            if value is None:
                target.delete(label, kind)
            else:
                target.set(label, kind, value)

        def finished(outcome: Outcome[None]) -> None:
            self.saving[key] -= 1
            if not self.saving[key]:
                del self.saving[key]
            error: UserError | None = None
            if outcome.error is not None:
                error = outcome.error if isinstance(outcome.error, UserError) else \
                    SecretWriteFailed(self._store_now().name, type(outcome.error).__name__)
            if self._write_seq.get(key) == seq:  # the latest write of this secret decides
                if error is None:
                    self.unsaved.discard(key)
                    self.kept.delete(label, kind)
                    if not self.unsaved:
                        self.secrets_problem = None  # the keyring works again
                else:
                    self.unsaved.add(key)
                    if not isinstance(error, KeyringUnavailable):
                        self.secrets_problem = error
            self.secrets_changed.emit()
            if done is not None:
                done(error)

        self.jobs.submit(work, finished)

    def retry_secrets(self) -> None:
        """Try the keyring again: open it if there was none, then write what it has not confirmed."""
        pending = sorted(self.unsaved)
        self.secrets_problem = None

        def write_pending() -> None:
            for label, kind in pending:
                self.write_secret(label, kind, self.kept.get(label, kind))

        if self.secrets is None or not self.secrets.persistent:
            def reopened(outcome: Outcome[tuple[SecretStore, KeyringUnavailable | None]]) -> None:
                if outcome.value is not None and outcome.value[0].persistent:
                    self.secrets = outcome.value[0]
                    write_pending()
                    self._load_secrets()
                else:
                    self.secrets_problem = outcome.value[1] if outcome.value else UserError("secrets.unavailable")
                    self.secrets_changed.emit()

            self.jobs.submit(lambda _report: open_secrets(), reopened)
            return
        write_pending()
        self._load_secrets()

    def _kept_keys(self) -> list[tuple[str, SecretKind]]:
        return [(a.label, kind) for a in self.answers.accounts for kind in SECRET_KINDS
                if self.kept.get(a.label, kind) is not None]

    def not_saved(self) -> list[tuple[str, SecretKind]]:
        """Secrets the keyring has not confirmed (failed, or still being written), in account order."""
        waiting = self.unsaved | set(self.saving)
        order = {a.label: n for n, a in enumerate(self.answers.accounts)}
        return sorted(waiting, key=lambda k: (order.get(k[0], len(order)), k[1]))

    def _cache(self, label: str, kind: SecretKind, value: str | None) -> bool:
        """Show `value` for the account; False when (part of) it is not a valid SID and was left out."""
        valid = True
        if kind == "sid":
            if value:
                try:
                    self.sids[label] = parse_sid(value)
                except SidError:
                    self.sids.pop(label, None)
                    valid = False
            else:
                self.sids.pop(label, None)
        elif kind == "token":
            (self.tokens.add if value else self.tokens.discard)(label)
        elif value:
            bundles, damaged = decode_bundles(value)
            valid = not damaged  # the valid ones are shown; the entry is reported
            self.bundles[label] = bundles
        else:
            self.bundles.pop(label, None)
        return valid

    def rename_secrets(self, old: str, new: str) -> None:
        """An account's label changed: its secrets move to the new name (in the keyring too)."""
        if old == new:
            return
        self.session.secrets.rename(old, new)
        self.kept.rename(old, new)
        for kind in SECRET_KINDS:
            if (old, kind) in self.unsaved:
                self.unsaved.discard((old, kind))
                self.unsaved.add((new, kind))
            if (old, kind) in self._write_seq:
                self._write_seq[(new, kind)] = self._write_seq.pop((old, kind))
        if self.secrets is not None and not self.secrets.persistent:
            self.secrets.rename(old, new)  # session memory: at once
            self.secrets_changed.emit()
            return

        def finished(outcome: Outcome[None]) -> None:
            if outcome.error is not None:
                error = outcome.error
                self.secrets_problem = error if isinstance(error, UserError) else \
                    SecretWriteFailed(self._store_now().name, type(error).__name__)
            self.secrets_changed.emit()

        self.jobs.submit(lambda _report: self._store_now().rename(old, new), finished)

    def forget_secrets(self, label: str) -> None:
        for kind in SECRET_KINDS:
            self.write_secret(label, kind, None)

    def wait_for_background(self, timeout: float | None = None) -> bool:
        """Let queued keyring work finish (tests, and quitting); False when it did not in time. Results
        are delivered by the event loop afterwards."""
        return self.jobs.wait(timeout)

    def shutdown(self) -> None:
        """Save the progress; keyring work still running is left to finish or die with the process."""
        self.save_now()
        self.jobs.close()
        self.documents.close()
