"""The user's whole situation, in plain Python: what the command line and the wizard each build one of.

A session holds the program, the answers, the one clock (the moment the user chose, or the system's),
the facts detected from the accounts with their evidence, what is known of each account's secrets, and
the plan derived from all of that. It does no I/O and knows no Qt; the wizard adds signals and
background jobs around it, the command line prints it. Reading it (a plan, a page, a report) changes
nothing in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from kwc_desktop.domain.answers import Answers
from kwc_desktop.domain.clock import Clock, FixedClock, SystemClock, parse_as_of
from kwc_desktop.domain.program import FactValue, Program
from kwc_desktop.domain.sid import Sid, SidError, parse_sid
from kwc_desktop.domain.text import Text, UserError

if TYPE_CHECKING:
    from kwc_desktop.domain.checklist import Plan
    from kwc_desktop.domain.detection import Findings

BUNDLE_SEPARATOR = ","  # how one keyring entry holds an account's Bundle SIDs


@dataclass(frozen=True)
class Detected:
    """One fact read from an account, and what it was read from (shown to the user beside it)."""

    value: FactValue
    evidence: tuple[Text, ...] = ()


@dataclass
class AccountSecrets:
    """What is known of the accounts' secrets: SIDs and Bundle SIDs (values in memory only, never in
    progress), which accounts have a token, and where each SID came from."""

    sids: dict[str, Sid] = field(default_factory=dict)
    sid_sources: dict[str, str] = field(default_factory=dict)  # label -> profile, keyring, typed, keyring-missing…
    tokens: set[str] = field(default_factory=set)
    bundles: dict[str, list[Sid]] = field(default_factory=dict)

    def rename(self, old: str, new: str) -> None:
        if old in self.sids:
            self.sids[new] = self.sids.pop(old)
        if old in self.sid_sources:
            self.sid_sources[new] = self.sid_sources.pop(old)
        if old in self.bundles:
            self.bundles[new] = self.bundles.pop(old)
        if old in self.tokens:
            self.tokens.discard(old)
            self.tokens.add(new)

    def forget(self, label: str) -> None:
        for table in (self.sids, self.sid_sources, self.bundles):
            table.pop(label, None)
        self.tokens.discard(label)


def encode_bundles(sids: Iterable[Sid]) -> str | None:
    """An account's Bundle SIDs as the one keyring entry that holds them (None: no entry)."""
    return BUNDLE_SEPARATOR.join(s.value for s in sids) or None


def decode_bundles(value: str) -> tuple[list[Sid], int]:
    """The Bundle SIDs of a keyring entry, and how many of its parts are not Bundle SIDs (left out)."""
    sids: list[Sid] = []
    damaged = 0
    for part in value.split(BUNDLE_SEPARATOR):
        if not part.strip():
            continue
        try:
            sid = parse_sid(part, "BU")
        except SidError:
            damaged += 1
            continue
        if sid not in sids:
            sids.append(sid)
    return sids, damaged


class Session:
    """The program, the answers and the clock, and the plan that follows from them.

    Change the answers, then call `changed()`; `plan()` is rebuilt only after a change, a new clock
    moment (the system clock moves on: at most once a minute, the resolution of every deadline) or a
    different chosen moment."""

    def __init__(self, program: Program, answers: Answers | None = None, clock: Clock | None = None) -> None:
        self.program = program
        self.answers = answers if answers is not None else Answers()
        self._clock = clock or SystemClock()
        self._as_of = self._parse_as_of(self.answers.as_of)
        self.detected: dict[str, dict[str, Detected]] = {}  # label -> fact id -> what detection found
        self.findings: dict[str, Findings] = {}  # label -> all that was read (numbers, Bundles, errors)
        self.secrets = AccountSecrets()
        self._revision = 0
        self._plan: tuple[tuple[int, datetime], Plan] | None = None

    # --- time: the only source of "now" ------------------------------------------------------------

    def _parse_as_of(self, text: str) -> datetime | None:
        if not text:
            return None
        try:
            return parse_as_of(text, self.program.tz)
        except UserError:
            return None  # progress is checked when read: this is only an edited-in-memory guard

    @property
    def as_of(self) -> datetime | None:
        """The moment the user chose to judge the plan at; None: now."""
        return self._as_of

    def set_as_of(self, moment: datetime | None) -> bool:
        """Judge the plan at `moment` (None: now). False when nothing changed."""
        if moment is not None and moment.tzinfo is None:
            raise ValueError("as_of needs an aware datetime")
        text = moment.astimezone(self.program.tz).isoformat() if moment is not None else ""
        if text == self.answers.as_of:
            return False
        self.answers.as_of = text
        self._as_of = moment
        self.changed()
        return True

    def now(self) -> datetime:
        """The moment deadlines are judged at: the chosen one, else the clock's."""
        return self._as_of if self._as_of is not None else self._clock.now()

    def wall_time(self) -> datetime:
        """The clock's own time, whatever moment was chosen: when a PDF was generated."""
        return self._clock.now()

    # --- changes and the plan ------------------------------------------------------------------------

    def changed(self) -> None:
        """The answers (or the detected facts) changed: the next plan is computed afresh."""
        self._revision += 1

    def replace_answers(self, answers: Answers) -> None:
        """Another set of answers (an opened profile): the chosen moment is theirs too."""
        self.answers = answers
        self._as_of = self._parse_as_of(answers.as_of)
        self.changed()

    def plan(self) -> Plan:
        from kwc_desktop.domain.checklist import build_plan

        now = self.now()
        key = (self._revision, now if self._as_of is not None else now.replace(second=0, microsecond=0))
        if self._plan is None or self._plan[0] != key:
            self._plan = (key, build_plan(self.program, self.answers.owners(self.program, self.detected_values()),
                                          FixedClock(now)))
        return self._plan[1]

    def detected_values(self) -> Mapping[str, Mapping[str, FactValue]]:
        """The detected facts as values (the user's own answers win over them in the plan)."""
        return {label: {k: d.value for k, d in facts.items()} for label, facts in self.detected.items()}

    def set_detected(self, label: str, facts: Mapping[str, Detected]) -> None:
        self.detected[label] = dict(facts)
        self.changed()
