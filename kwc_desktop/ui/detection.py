"""Reading accounts from Twilio, as the wizard runs it: one background job reads several accounts at once
(services/detect.py), each account's state shown as it goes, Stop, and what arrives lands in the session
(the user's own answers still win). Pages show `state_text(label)` and call `start` / `stop`."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from kwc_desktop.domain import records
from kwc_desktop.domain.session import encode_bundles
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.detect import FOR_WINDOW, AccountRead, read_accounts, record, target_for
from kwc_desktop.services.outcome import Outcome, Report
from kwc_desktop.services.twilio import BaseUrls
from kwc_desktop.ui.context import AppContext


@records.record
class Started:
    """An account's read began (sent from the reading thread)."""

    label: str


class TwilioReader(QObject):
    """One "Read from Twilio" run at a time, for the whole window."""

    changed = Signal()  # an account's state changed: pages showing it refresh
    finished = Signal(str)  # the run ended; the sentence says how (in the user's language)

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.context = context
        self.running = False
        self.states: dict[str, str] = {}  # label -> waiting, reading, read, partly, failed, stopped
        self.last_message = ""
        self._stop = threading.Event()

    def readable(self) -> list[str]:
        """The accounts that can be read: those with an Account SID."""
        return [a.label for a in self.context.session.answers.accounts if a.label in self.context.session.secrets.sids]

    def start(self, labels: list[str]) -> bool:
        """Read these accounts (and the sub-accounts found under them). False when a run is going on."""
        context = self.context
        labels = [label for label in labels if label in context.session.secrets.sids]
        if self.running or not labels:
            return False
        self.running = True
        self._stop = stop = threading.Event()
        session, keeper = context.session, context.keeper
        for label in labels:
            self.states[label] = "waiting"
        taken = [a.label for a in context.session.answers.accounts]
        known = list(context.session.secrets.sids.values())
        arrived: list[AccountRead] = []

        configured = dict(context.twilio_settings)

        def work(report: Report) -> int:  # on the job's thread: keyring calls and the network belong here
            urls = BaseUrls.from_environment(settings=configured)  # a bad one: the run ends saying which
            targets = [target_for(session, label, keeper.lookup, missing=FOR_WINDOW)
                       for label in labels]
            return read_accounts(targets, session.program, report, stop.is_set, urls, taken_labels=taken,
                                 known_sids=known, started=lambda label: report(Started(label)))

        def progress(part: object) -> None:
            if isinstance(part, Started):
                self.states[part.label] = "reading"
            elif isinstance(part, AccountRead):
                arrived.append(part)
                self._arrived(part)
            self.changed.emit()

        def done(outcome: Outcome[int]) -> None:
            self.running = False
            for label, state in self.states.items():
                if state in ("waiting", "reading"):
                    self.states[label] = "stopped"
            self.last_message = self._summary(outcome, arrived, stop.is_set(), len(labels))
            self.changed.emit()
            self.finished.emit(self.last_message)

        context.network.submit(work, done, progress)
        self.changed.emit()
        return True

    def stop(self) -> None:
        self._stop.set()

    def _arrived(self, read: AccountRead) -> None:
        context = self.context
        if read.parent is None and context.session.answers.account(read.label) is None:
            return  # removed while it was being read
        before = list(context.session.secrets.bundles.get(read.label, []))
        read.findings.read_at = context.session.wall_time().astimezone(context.session.program.tz).isoformat(
            timespec="seconds")
        added = record(context.session, read)
        if added is not None and read.sid is not None:
            context.keeper.write_secret(added, "sid", read.sid.value)
        after = context.session.secrets.bundles.get(read.label, [])
        if after != before:
            entry = context.session.answers.account(read.label)
            if entry is not None:
                entry.bundle_count = len(after)
            context.keeper.write_secret(read.label, "bundles", encode_bundles(after))
        failed = [kind for kind, _text in read.findings.errors]
        self.states[read.label] = ("stopped" if read.cancelled or "cancelled" in failed else
                                   "failed" if failed and not read.findings.facts else
                                   "partly" if failed else "read")
        context.touch()

    def _summary(self, outcome: Outcome[int], arrived: list[AccountRead], stopped: bool, asked: int) -> str:
        if outcome.error is not None:
            return outcome.error.message(self.context.lang) if isinstance(outcome.error, UserError) else \
                self.tr("Reading from Twilio failed (%1).").replace("%1", type(outcome.error).__name__)
        done = [r for r in arrived if not r.cancelled]
        subaccounts = sum(1 for r in done if r.parent is not None)
        lang = self.context.lang

        def why(reads: list[AccountRead]) -> str:  # each account and its first problem, in the user's words
            said = " ".join(f"{r.label}: {r.findings.errors[0][1](lang)}" for r in reads[:3])
            return said + (" …" if len(reads) > 3 else "")

        failed = [r for r in done if r.findings.errors and not r.findings.facts]
        partly = [r for r in done if r.findings.errors and r.findings.facts]
        read = len(done) - subaccounts - sum(1 for r in failed if r.parent is None)
        if stopped:
            text = self.tr("Stopped. Accounts read: %1 of %2.").replace("%1", str(read)).replace("%2", str(asked))
        elif failed and not partly and len(failed) == len(done):
            text = self.tr("Nothing could be read from Twilio. %1").replace(
                "%1", why(failed))
        elif failed or partly:
            text = self.tr("Accounts read: %1 of %2. Not read in full: %3").replace("%1", str(read)).replace(
                "%2", str(asked)).replace("%3", why(failed + partly))
        else:
            text = self.tr("Accounts read from Twilio: %1. What they answer is on the Options page.") \
                .replace("%1", str(len(done) - subaccounts))
        if subaccounts:
            text += " " + self.tr("Sub-accounts found and added under their owner: %1.").replace("%1", str(subaccounts))
        return text

    def state_text(self, label: str) -> str:
        """The account's Twilio column: what is going on, or what the last read gave."""
        state = self.states.get(label)
        found = self.context.session.findings.get(label)
        if state == "waiting":
            return self.tr("waiting…")
        if state == "reading":
            return self.tr("reading…")
        if state == "stopped":
            return self.tr("stopped")
        if found is None:
            return "—"
        if found.errors and not found.facts:
            return self.tr("not read: %1").replace("%1", found.errors[0][1](self.context.lang))
        when = found.read_at[:16].replace("T", " ")
        text = self.tr("read %1").replace("%1", when) if when else self.tr("read")
        return text + (" " + self.tr("(in part)") if found.errors else "")


def twilio_reader(context: AppContext) -> TwilioReader:
    """The window's one reader: the context's child, made on first use (nothing of it is on the start path)."""
    reader = context.findChild(TwilioReader)
    return reader if reader is not None else TwilioReader(context)
