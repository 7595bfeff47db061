"""The keyring as the session sees it, in plain Python: what it holds for each account, what it has not
confirmed yet (kept in memory for the session, never on disk), and why.

Every keyring call is work handed to `submit` (the wizard's job runner: off the GUI thread, in order);
its result comes back through a callback on the caller's thread, and `notify()` runs after every change
the window should show. The values read land in the session (`session.secrets`); nothing here knows Qt.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from kwc_desktop.domain.session import Session, encode_bundles
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.outcome import Outcome, Report
from kwc_desktop.services.secrets import (
    SECRET_KINDS,
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

logger = logging.getLogger(__name__)
T = TypeVar("T")
ReadSecret = tuple[str, SecretKind, str | SecretStoreError | None]  # label, kind, value (or why not)
REPORT_EVERY_S = 0.25  # what the keyring pass has read reaches the pages at most this often
# How work reaches a background runner: submit(work, done, progress).
Submit = Callable[..., None]


class SecretKeeper:
    """Reads, writes, renames and retries the accounts' secrets through one background runner."""

    def __init__(self, session: Session, secrets: SecretStore | None, submit: Submit,
                 notify: Callable[[], None]) -> None:
        self.session = session
        self.submit = submit
        self.notify = notify
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
        self.trash: list[Trashed] = []  # removed accounts' secrets, for an undo (memory only)
        self.trash_pending: list[Trashed] = []  # those whose keyring read is still under way
        self.in_files: set[tuple[str, SecretKind]] = set()  # written from a file the user has (a profile)


    def open_keyring(self) -> None:
        """Find the keyring off the GUI thread (it costs 0.1–0.3 s), then read what it holds."""
        if self.secrets is not None:
            self._load_secrets()
            return
        self.keyring_busy = "opening"
        self.submit(lambda _report: open_secrets(), self._keyring_opened)

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
        Bundle SIDs; what was read is shown as it arrives (in batches, at most every REPORT_EVERY_S). A
        damaged entry costs only itself."""
        labels = [a.label for a in self.session.answers.accounts]
        store = self.secrets
        if store is None or not labels:
            self.notify()
            return
        self.keyring_busy = "reading"
        self.damaged_entries = []  # this pass finds them again
        self.notify()
        kinds = SECRET_KINDS

        def read_all(report: Report) -> SecretStoreError | None:
            # What was read goes to the GUI thread in batches, at most every REPORT_EVERY_S: each batch
            # redraws the pages that show secrets, and one redraw per entry made 1,000 accounts a
            # 40-second start (measured), 5,000 accounts minutes.
            batch: list[ReadSecret] = []
            reported = time.monotonic()
            try:
                for kind in kinds:
                    for label in labels:
                        try:
                            batch.append((label, kind, store.get(label, kind)))
                        except (KeyringLocked, KeyringUnavailable) as e:
                            return e  # every later call would fail the same way (and may prompt again)
                        except SecretStoreError as e:
                            batch.append((label, kind, e))
                        if time.monotonic() - reported >= REPORT_EVERY_S:
                            report(batch)
                            batch, reported = [], time.monotonic()
                return None
            finally:
                if batch:
                    report(batch)

        self.submit(read_all, self._secrets_read, progress=self._secrets_arrived)

    def _secrets_arrived(self, batch: list[ReadSecret]) -> None:
        present = {a.label for a in self.session.answers.accounts}
        shown = False
        for label, kind, value in batch:
            if (label, kind) in self._write_seq or label not in present:
                continue  # typed (or removed) in this session since the read was queued: that wins
            if isinstance(value, SecretStoreError):
                self.secrets_problem = value
            elif value and not self._cache(label, kind, value):
                logger.warning("the keyring's %s entry of an account is not valid: left out", kind)
                if label not in self.damaged_entries:
                    self.damaged_entries.append(label)
                self.secrets_problem = UserError("secrets.entry_invalid", label=", ".join(self.damaged_entries))
            shown = shown or kind == "sid" or bool(value)
        if shown:
            self.notify()

    def _secrets_read(self, outcome: Outcome[SecretStoreError | None]) -> None:
        self.keyring_busy = ""
        error = outcome.value if outcome.ok else outcome.error
        if error is not None:
            self.secrets_problem = error if isinstance(error, UserError) else \
                SecretReadFailed(self._store_now().name, type(error).__name__)
        self.notify()

    def write_secret(self, label: str, kind: SecretKind, value: str | None,
                     done: Callable[[UserError | None], None] | None = None, from_file: bool = False) -> None:
        """Store (or, with None, delete) one secret. It is shown at once and kept in memory until the
        keyring confirms it; if the keyring refuses, it stays in memory for the session (under the
        banner, with a Retry) — what the user typed is never lost. Errors also reach `done`.
        `from_file`: a file the user has holds it too (a profile's SIDs): quitting loses nothing of it."""
        key = (label, kind)
        (self.in_files.add if from_file and value is not None else self.in_files.discard)(key)
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
            self.notify()
            if done is not None:
                done(None)
            return
        self.saving[key] = self.saving.get(key, 0) + 1
        self.notify()

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
            self.notify()
            if done is not None:
                done(error)

        self.submit(work, finished)

    def retry_secrets(self) -> None:
        """Try the keyring again: open it if there was none, then write what it has not confirmed."""
        pending = sorted(self.unsaved)
        self.secrets_problem = None

        def write_pending() -> None:
            for label, kind in pending:
                self.write_secret(label, kind, self.kept.get(label, kind), from_file=(label, kind) in self.in_files)

        if self.secrets is None or not self.secrets.persistent:
            def reopened(outcome: Outcome[tuple[SecretStore, KeyringUnavailable | None]]) -> None:
                if outcome.value is not None and outcome.value[0].persistent:
                    self.secrets = outcome.value[0]
                    write_pending()
                    self._load_secrets()
                else:
                    self.secrets_problem = outcome.value[1] if outcome.value else UserError("secrets.unavailable")
                    self.notify()

            self.submit(lambda _report: open_secrets(), reopened)
            return
        write_pending()
        self._load_secrets()

    def _kept_keys(self) -> list[tuple[str, SecretKind]]:
        return [(a.label, kind) for a in self.session.answers.accounts for kind in SECRET_KINDS
                if self.kept.get(a.label, kind) is not None]

    def lookup(self, label: str, kind: SecretKind) -> str | None:
        """One secret's value: what this session holds unconfirmed, else the keyring's. A keyring call:
        off the GUI thread. May raise SecretStoreError."""
        kept = self.kept.get(label, kind)
        if kept is not None:
            return kept
        return self.secrets.get(label, kind) if self.secrets is not None else None

    def only_here(self) -> list[tuple[str, SecretKind]]:
        """The secrets quitting now would lose: those the keyring has not confirmed that no file holds."""
        return [key for key in self.not_saved() if key not in self.in_files]

    def not_saved(self) -> list[tuple[str, SecretKind]]:
        """Secrets the keyring has not confirmed (failed, or still being written), in account order."""
        waiting = self.unsaved | set(self.saving)
        order = {a.label: n for n, a in enumerate(self.session.answers.accounts)}
        return sorted(waiting, key=lambda k: (order.get(k[0], len(order)), k[1]))

    def _cache(self, label: str, kind: SecretKind, value: str | None) -> bool:
        """Show `value` for the account; False when (part of) it is not valid and was left out."""
        return self.session.secrets.know(label, kind, value)

    def account_renamed(self, old: str, new: str) -> None:
        """The session renamed an account (its secrets known there moved with it): what this keeps for it
        moves too, and its keyring entries are renamed."""
        if old == new:
            return
        for trashed in self.trash_pending:  # restored, its secrets not read back yet: they go to the new name
            if trashed.restore_as == old:
                trashed.restore_as = new
        self.kept.rename(old, new)
        for kind in SECRET_KINDS:
            if (old, kind) in self.unsaved:
                self.unsaved.discard((old, kind))
                self.unsaved.add((new, kind))
            if (old, kind) in self.in_files:
                self.in_files.discard((old, kind))
                self.in_files.add((new, kind))
            if (old, kind) in self._write_seq:
                self._write_seq[(new, kind)] = self._write_seq.pop((old, kind))
        if self.secrets is not None and not self.secrets.persistent:
            self.secrets.rename(old, new)  # session memory: at once
            self.notify()
            return

        def finished(outcome: Outcome[None]) -> None:
            if outcome.error is not None:
                error = outcome.error
                self.secrets_problem = error if isinstance(error, UserError) else \
                    SecretWriteFailed(self._store_now().name, type(error).__name__)
            self.notify()

        self.submit(lambda _report: self._store_now().rename(old, new), finished)

    def account_removed(self, label: str) -> None:
        """The session removed an account: its keyring entries are deleted. What they held is read first
        (in the same ordered runner, so before the deletes) and kept in memory (never on disk) until the
        removal is final, for an undo to write back."""
        trashed = Trashed(label, {k: v for k in SECRET_KINDS if (v := self.kept.get(label, k)) is not None},
                          {k for k in SECRET_KINDS if (label, k) in self.in_files})
        # Undone and removed again before the first read came back: that read holds the values (the second
        # one runs after the first's deletes and finds nothing), so they go to this removal.
        for earlier in self.trash_pending:
            if earlier.restore_as == label:
                earlier.restore_as, earlier.forward_to = None, trashed
                trashed.waiting += 1
        self.trash.append(trashed)
        unknown = [kind for kind in SECRET_KINDS if kind not in trashed.values]
        if unknown and not (self.secrets is not None and not self.secrets.persistent):  # memory: `kept` has all
            trashed.waiting += 1
            self.trash_pending.append(trashed)

            def read(_report: Report) -> dict[SecretKind, str]:
                store, values = self._store_now(), {}
                for kind in unknown:
                    try:
                        value = store.get(label, kind)
                    except SecretStoreError as e:  # that one cannot come back; the others can
                        logger.warning("a removed account's %s entry could not be read: %s", kind, type(e).__name__)
                        continue
                    if value is not None:
                        values[kind] = value
                return values

            self.submit(read, lambda outcome: self._trash_read(trashed, outcome.value or {}))
        for kind in SECRET_KINDS:
            self.write_secret(label, kind, None)

    def _trash_read(self, trashed: Trashed, values: dict[SecretKind, str]) -> None:
        self.trash_pending.remove(trashed)
        target = trashed.forward_to or trashed
        for kind, value in values.items():
            target.values.setdefault(kind, value)
        trashed.waiting -= 1
        if target is not trashed:
            target.waiting -= 1
        if target.waiting == 0 and target.restore_as is not None:
            self._put_back(target)
        self.notify()  # an undo waiting for the read can be offered now

    def restorable(self, label: str) -> bool:
        """Whether what the keyring held for the removed account `label` is known (its read is over): an
        undo before that would have nothing to write back yet."""
        trashed = next((t for t in reversed(self.trash) if t.label == label), None)
        return trashed is None or trashed.waiting == 0

    def account_restored(self, old: str, label: str) -> None:
        """The session brought back the account removed last as `label`: its secrets are written back (once
        they have been read, if that is still under way)."""
        trashed = next((t for t in reversed(self.trash) if t.label == old), None)
        if trashed is None:
            return
        self.trash.remove(trashed)
        trashed.restore_as = label
        if trashed.waiting == 0:
            self._put_back(trashed)

    def _put_back(self, trashed: Trashed) -> None:
        """Write the removed account's secrets back under the label it has now. What the keyring could not
        give back: the SID and Bundle SIDs the session still knows are written from there; a token or an API
        key the session believed in is forgotten, so the window does not show one it cannot use."""
        label = trashed.restore_as or trashed.label
        known = self.session.secrets
        values = dict(trashed.values)
        if "sid" not in values and label in known.sids:
            values["sid"] = known.sids[label].value
        if "bundles" not in values and (encoded := encode_bundles(known.bundles.get(label, []))):
            values["bundles"] = encoded
        for kind in SECRET_KINDS:
            if kind in values:
                self.write_secret(label, kind, values[kind], from_file=kind in trashed.in_files)
            elif kind in ("token", "api_key"):
                self._cache(label, kind, None)
        trashed.values.clear()

    def removals_final(self) -> None:
        """No removal can be undone from now on: what was kept for an undo is dropped."""
        for trashed in self.trash:
            trashed.values.clear()
        self.trash.clear()


class Trashed:
    """A removed account's secrets, in memory until the removal is final (or undone)."""

    def __init__(self, label: str, values: dict[SecretKind, str], in_files: set[SecretKind]) -> None:
        self.label = label
        self.values = values
        self.in_files = in_files  # the kinds a profile also holds
        self.waiting = 0  # keyring reads still under way whose values come here
        self.restore_as: str | None = None  # undone: the label to write them back under
        self.forward_to: Trashed | None = None  # removed again before this read came back: its values go there
