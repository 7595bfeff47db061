"""The one state object the wizard's pages share: answers, clock, language, secrets, autosave."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from kwc_desktop.domain.answers import Answers
from kwc_desktop.domain.clock import Clock, FixedClock, SystemClock, parse_as_of
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.sid import Sid, SidError, parse_sid
from kwc_desktop.domain.text import Lang, UserError, messages
from kwc_desktop.services.progress import ProgressStore, ProgressWriteFailed
from kwc_desktop.services.secrets import SecretKind, SecretStore, SecretStoreError, SessionSecrets, open_secrets

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from kwc_desktop.domain.checklist import Plan

logger = logging.getLogger(__name__)
AUTOSAVE_DELAY_MS = 400
PLAN_MAX_AGE_S = 1.0


class AppContext(QObject):
    """Pages read and write `answers` and call `touch()`; everything else follows from here."""

    changed = Signal()  # answers changed: pages refresh what they derive from them
    secrets_changed = Signal()  # the keyring became ready (or unavailable), or a secret changed
    problem = Signal(str)  # a message for the user (already in their language)
    _finished = Signal(object, object)  # worker thread -> GUI thread: (callback, future)

    def __init__(self, program: Program, answers: Answers, clock: Clock | None = None,
                 store: ProgressStore | None = None, secrets: SecretStore | None = None,
                 lang: Lang = "en") -> None:
        super().__init__()
        self.program = program
        self.answers = answers
        self.lang: Lang = lang
        self._base_clock = clock or SystemClock()
        self._store = store
        self.secrets: SecretStore | None = secrets
        self.secrets_problem: UserError | None = None
        self.sids: dict[str, Sid] = {}  # label -> SID, read from the keyring (memory only)
        self.tokens: set[str] = set()  # labels that have an Auth Token stored
        self.bundles: dict[str, list[Sid]] = {}
        self._plan: tuple[Plan, float] | None = None
        self._worker: ThreadPoolExecutor | None = None  # started with the first keyring job
        self._finished.connect(self._deliver)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.save_now)

    # --- time --------------------------------------------------------------------------------------

    def clock(self) -> Clock:
        if self.answers.as_of:
            try:
                return FixedClock(parse_as_of(self.answers.as_of, self.program.tz))
            except UserError:
                self.answers.as_of = ""
        return self._base_clock

    def now(self) -> datetime:
        return self.clock().now()

    def plan(self) -> Plan:
        """The checklist for the current answers. Pages ask often (each refresh): it is rebuilt when the
        answers change, and at least every second, since "now" moves on."""
        from kwc_desktop.domain.checklist import build_plan  # not needed for the first paint (Welcome)

        stamp = time.monotonic()
        if self._plan is None or stamp - self._plan[1] > PLAN_MAX_AGE_S:
            self._plan = (build_plan(self.program, self.answers.owners(), self.clock()), stamp)
        return self._plan[0]

    def msg(self, key: str, **params: object) -> str:
        return messages()(key, self.lang, **params)

    # --- saving ----------------------------------------------------------------------------------

    def touch(self) -> None:
        """The answers changed: tell the pages and save soon."""
        self._plan = None
        self.changed.emit()
        self.save_soon()

    def save_soon(self) -> None:
        """Something saved but not shown changed (the current page): autosave, no refresh."""
        if self._store is not None:
            self._autosave.start()

    def save_now(self) -> None:
        self._autosave.stop()
        if self._store is None:
            return
        try:
            self._store.save(self.answers.to_json())
        except ProgressWriteFailed as e:
            self.problem.emit(e.message(self.lang))

    # --- secrets (keyring calls run on a worker thread; results come back on the GUI thread) ----

    @property
    def _executor(self) -> ThreadPoolExecutor:
        if self._worker is None:
            from concurrent.futures import ThreadPoolExecutor

            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="secrets")
        return self._worker

    def run_in_background(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        future = self._executor.submit(work)
        future.add_done_callback(lambda f: self._finished.emit(done, f))

    def _deliver(self, done: Callable[[Any], None], future: Future[Any]) -> None:
        error = future.exception()
        done(error if error is not None else future.result())

    def open_keyring(self) -> None:
        """Find the keyring off the GUI thread (it costs 0.1–0.3 s), then read what it holds."""
        if self.secrets is not None:
            self._load_secrets()
            return

        def open_store() -> None:
            # Set on the worker thread itself, so any write queued after this job finds the keyring.
            try:
                self.secrets, self.secrets_problem = open_secrets()
            except Exception as e:  # noqa: BLE001 - any failure means: session only, and say so
                logger.warning("keyring failed to open: %s", type(e).__name__)
                self.secrets, self.secrets_problem = SessionSecrets(), UserError("secrets.unavailable")

        self.run_in_background(open_store, lambda _result: self._load_secrets())

    def reload_secrets(self) -> None:
        """Read again what the keyring holds for the current accounts."""
        self._load_secrets()

    def _secret_store(self) -> SecretStore:
        """The store to use now (on the worker thread): the keyring once opened, else session memory."""
        if self.secrets is None:
            self.secrets = SessionSecrets()
        return self.secrets

    def _load_secrets(self) -> None:
        labels = [a.label for a in self.answers.accounts]

        def read() -> tuple[dict[str, Sid], set[str], dict[str, list[Sid]]]:
            store = self._secret_store()
            sids, tokens, bundles = {}, set(), {}
            for label in labels:
                raw = store.get(label, "sid")
                if raw:
                    try:
                        sids[label] = parse_sid(raw)
                    except SidError:
                        pass
                if store.get(label, "token"):
                    tokens.add(label)
                raw_bundles = store.get(label, "bundles")
                if raw_bundles:
                    bundles[label] = [parse_sid(b, "BU") for b in raw_bundles.split(",") if b]
            return sids, tokens, bundles

        def loaded(result: Any) -> None:
            if isinstance(result, SecretStoreError):
                self.secrets_problem = result
            elif isinstance(result, BaseException):
                logger.warning("reading the keyring failed: %s", type(result).__name__)
            else:
                self.sids, self.tokens, self.bundles = result
            self.secrets_changed.emit()

        self.run_in_background(read, loaded)

    def write_secret(self, label: str, kind: SecretKind, value: str | None,
                     done: Callable[[UserError | None], None] | None = None) -> None:
        """Store (or, with None, delete) one secret; memory caches follow; errors reach `done`."""

        def work() -> None:
            store = self._secret_store()
            if value is None:
                store.delete(label, kind)
            else:
                store.set(label, kind, value)

        def finished(result: Any) -> None:
            error = result if isinstance(result, UserError) else None
            if isinstance(result, BaseException) and error is None:
                error = UserError("secrets.write_failed", name=self._secret_store().name, reason=type(result).__name__)
            if error is None:
                self._cache(label, kind, value)
            if error is not None:
                self.problem.emit(error.message(self.lang))
            self.secrets_changed.emit()
            if done is not None:
                done(error)

        self.run_in_background(work, finished)

    def _cache(self, label: str, kind: SecretKind, value: str | None) -> None:
        if kind == "sid":
            if value:
                self.sids[label] = parse_sid(value)
            else:
                self.sids.pop(label, None)
        elif kind == "token":
            (self.tokens.add if value else self.tokens.discard)(label)
        else:
            self.bundles[label] = [parse_sid(b, "BU") for b in (value or "").split(",") if b]

    def rename_secrets(self, old: str, new: str) -> None:
        if old == new:
            return
        for cache in (self.sids, self.bundles):
            if old in cache:
                cache[new] = cache.pop(old)  # type: ignore[index]
        if old in self.tokens:
            self.tokens.discard(old)
            self.tokens.add(new)
        self.run_in_background(lambda: self._secret_store().rename(old, new),
                               lambda _result: self.secrets_changed.emit())

    def forget_secrets(self, label: str) -> None:
        for kind in ("sid", "token", "bundles"):
            self.write_secret(label, kind, None)  # type: ignore[arg-type]

    def wait_for_background(self) -> None:
        """Finish queued keyring work (used when quitting and in tests)."""
        if self._worker is not None:
            self._worker.submit(lambda: None).result()

    def shutdown(self) -> None:
        self.save_now()
        if self._worker is not None:
            self._worker.shutdown(wait=True)
