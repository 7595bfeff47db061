"""The user's whole situation, in plain Python: what the command line and the wizard each build one of.

A session holds the program, the answers, the one clock (the moment the user chose, or the system's),
the facts detected from the accounts with their evidence, what is known of each account's secrets, and
the plan derived from all of that. It does no I/O and knows no Qt; the wizard adds signals and
background jobs around it, the command line prints it. Reading it (a plan, a page, a report) changes
nothing in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from kwc_desktop.domain.answers import AccountEntry, Answers, TakenAccount
from kwc_desktop.domain.clock import Clock, FixedClock, SystemClock, parse_as_of
from kwc_desktop.domain.program import KIND_FACT, FactValue, Program
from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.sid import Sid, SidError, parse_sid
from kwc_desktop.domain.text import UserError

if TYPE_CHECKING:
    from kwc_desktop.domain.checklist import Plan
    from kwc_desktop.domain.detection import Detected, Findings
    from kwc_desktop.domain.profile import Profile

BUNDLE_SEPARATOR = ","  # how one keyring entry holds an account's Bundle SIDs
API_KEY_SEPARATOR = ":"  # one keyring entry holds an API Key and its secret: "SK…:secret"
MIN_SECRET_LENGTH = 16  # an Auth Token or an API Key secret is 32 characters; shorter is a typing slip
MAX_SECRET_LENGTH = 128


@record(frozen=False)
class AccountSecrets:
    """What is known of the accounts' secrets: SIDs, API Key SIDs and Bundle SIDs (values in memory only,
    never in progress), which accounts have a token, and where each SID came from. The token and the
    API Key's secret themselves stay in the keyring (or the keeper's memory)."""

    sids: dict[str, Sid] = field(default_factory=dict)
    sid_sources: dict[str, str] = field(default_factory=dict)  # label -> profile, keyring, typed, keyring-missing…
    tokens: set[str] = field(default_factory=set)
    api_keys: dict[str, Sid] = field(default_factory=dict)  # label -> its API Key's SID (SK…)
    bundles: dict[str, list[Sid]] = field(default_factory=dict)

    def rename(self, old: str, new: str) -> None:
        if old in self.sids:
            self.sids[new] = self.sids.pop(old)
        if old in self.sid_sources:
            self.sid_sources[new] = self.sid_sources.pop(old)
        if old in self.bundles:
            self.bundles[new] = self.bundles.pop(old)
        if old in self.api_keys:
            self.api_keys[new] = self.api_keys.pop(old)
        if old in self.tokens:
            self.tokens.discard(old)
            self.tokens.add(new)

    def take(self, label: str) -> AccountSecrets:
        """What is known of `label`'s secrets, forgotten here and given back (for an undo)."""
        part = AccountSecrets()
        part.merge(self, label, label)
        self.forget(label)
        return part

    def merge(self, other: AccountSecrets, label: str, to: str) -> None:
        """What `other` knows of `label`'s secrets, known here as `to`'s."""
        if label in other.sids:
            self.know_sid(to, other.sids[label], other.sid_sources.get(label))
        if label in other.tokens:
            self.tokens.add(to)
        if label in other.api_keys:
            self.api_keys[to] = other.api_keys[label]
        if label in other.bundles:
            self.bundles[to] = list(other.bundles[label])

    def forget(self, label: str) -> None:
        for table in (self.sids, self.sid_sources, self.bundles, self.api_keys):
            table.pop(label, None)
        self.tokens.discard(label)

    def know(self, label: str, kind: str, value: str | None) -> bool:
        """What one keyring entry (or what was typed) says of the account: a SID, whether it has a token, its
        API Key's SID, its Bundle SIDs (None or "": none). False when (part of) it is not valid and was left
        out; the valid part is kept."""
        if kind == "sid":
            sid = None
            if value:
                try:
                    sid = parse_sid(value)
                except SidError:
                    sid = None
            self.know_sid(label, sid)
            return sid is not None or not value
        if kind == "token":
            (self.tokens.add if value else self.tokens.discard)(label)
            return True
        if kind == "api_key":
            key = decode_api_key(value) if value else None
            if key is not None:
                self.api_keys[label] = key[0]
            else:
                self.api_keys.pop(label, None)
            return key is not None or not value
        bundles, damaged = decode_bundles(value) if value else ([], 0)
        self.bundles[label] = bundles
        if not bundles:
            self.bundles.pop(label, None)
        return not damaged

    def know_sid(self, label: str, sid: Sid | None, source: str | None = None) -> None:
        """The account's SID (None: none), and where it came from (profile, keyring, twilio, typed…)."""
        if sid is None:
            self.sids.pop(label, None)
        else:
            self.sids[label] = sid
        if source is not None:
            self.sid_sources[label] = source

    def add_bundles(self, label: str, sids: Iterable[Sid]) -> list[Sid]:
        """Bundle SIDs found for the account, after those already known (each once); the new ones."""
        known = self.bundles.get(label, [])
        new = [s for s in dict.fromkeys(sids) if s not in known]
        if new:
            self.bundles[label] = known + new
        return new


def encode_bundles(sids: Iterable[Sid]) -> str | None:
    """An account's Bundle SIDs as the one keyring entry that holds them (None: no entry)."""
    return BUNDLE_SEPARATOR.join(s.value for s in sids) or None


def check_secret(text: str) -> str:
    """An Auth Token or API Key secret as typed: 16–128 visible characters, no spaces."""
    if not MIN_SECRET_LENGTH <= len(text) <= MAX_SECRET_LENGTH or any(c.isspace() for c in text):
        raise UserError("secrets.bad_shape")
    return text


def encode_api_key(key: Sid, secret: str) -> str:
    """An API Key and its secret as the one keyring entry that holds both."""
    return f"{key.value}{API_KEY_SEPARATOR}{check_secret(secret)}"


def decode_api_key(value: str) -> tuple[Sid, str] | None:
    """The API Key SID and secret of a keyring entry; None when it is not one (left out, reported)."""
    key, separator, secret = value.partition(API_KEY_SEPARATOR)
    if not separator:
        return None
    try:
        return parse_sid(key, "SK"), check_secret(secret)
    except UserError:
        return None


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


class SessionListener(Protocol):
    """Told of an account's life by the session: the keeper moves or deletes its keyring entries."""

    def account_renamed(self, old: str, new: str) -> None: ...

    def account_removed(self, label: str) -> None: ...

    def account_restored(self, old: str, label: str) -> None: ...

    def removals_final(self) -> None: ...


def _removed_ref(removed: Removed) -> str:
    """What a removed sub-account's parent field holds while its parent is removed too (never a label)."""
    return f"\0removed:{removed.serial}"


@record
class Removed:
    """One removed account, as `undo_remove` puts it back: its answers, what was known of its secrets, what
    was read for it."""

    taken: TakenAccount
    secrets: AccountSecrets
    findings: Findings | None
    detected: dict[str, Detected] | None
    serial: int = 0  # which removal of this session (what its removed sub-accounts point at)


@record
class ProfileApplied:
    """What a profile brought: its accounts' SIDs and Bundle SIDs (the wizard stores them in the keyring),
    and the accounts the window had that the profile does not (removed, their secrets with them)."""

    sids: dict[str, Sid]
    bundles: dict[str, list[Sid]]
    dropped: list[str]


class Session:
    """The program, the answers and the clock, and the plan that follows from them.

    An account's life goes through the commands — `add_account`, `update_account`, `rename_account`,
    `remove_account`, `apply_profile`, `set_findings` — which keep the answers, the secrets known, the
    findings and the plan in step and tell the listeners (the keyring's keeper). A page that changes one
    answer in place calls `changed()` (the wizard's `touch()`); `plan()` is rebuilt only after a change, a
    new clock moment (the system clock moves on: at most once a minute, the resolution of every deadline)
    or a different chosen moment."""

    def __init__(self, program: Program, answers: Answers | None = None, clock: Clock | None = None) -> None:
        self.program = program
        self.answers = answers if answers is not None else Answers()
        self._clock = clock or SystemClock()
        self._as_of = self._parse_as_of(self.answers.as_of)
        self.detected: dict[str, dict[str, Detected]] = {}  # label -> fact id -> what detection found
        self.findings: dict[str, Findings] = {}  # label -> all that was read (numbers, Bundles, errors)
        self.secrets = AccountSecrets()
        self.listeners: list[SessionListener] = []
        self.removed: list[Removed] = []  # what `undo_remove` can bring back, last removed last
        self._removals = 0
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
        """Another set of answers (progress read back): the chosen moment is theirs too."""
        self.forget_removed()  # other accounts now: what was removed from these stays removed
        self.answers = answers
        self._as_of = self._parse_as_of(answers.as_of)
        self.findings.clear()  # read from other accounts (or the same labels, meaning others now)
        self.detected.clear()
        self.changed()

    # --- an account's life: every change to the accounts goes through these -----------------------------

    def add_account(self, entry: AccountEntry, sid: Sid | None = None, source: str = "typed") -> AccountEntry:
        """A new account (its label not taken: see `unique_label`), with its SID if one is known."""
        if self.answers.account(entry.label) is not None:
            raise ValueError("that label is taken")  # the dialogs and readers make labels unique first
        self.answers.accounts.append(entry)
        if sid is not None:
            self.secrets.know_sid(entry.label, sid, source)
        self.changed()
        return entry

    def unique_label(self, wanted: str) -> str:
        """`wanted`, or `wanted (2)`, `wanted (3)`… — the first no account has."""
        from kwc_desktop.domain.accounts import unique_label

        return unique_label(wanted, {a.label for a in self.answers.accounts})

    def update_account(self, label: str, owner_email: str, kind: str) -> None:
        """The account's owner and kind as the user set them. A kind chosen against what Twilio said is
        remembered as chosen: it wins over later reads too."""
        entry = self.answers.account(label)
        if entry is None:
            return
        if kind != self.kind(label):
            detected = self.detected.get(label, {}).get(KIND_FACT)
            entry.kind_overridden = detected is not None and detected.value != kind
        entry.owner_email, entry.kind = owner_email, kind
        self.changed()

    def rename_account(self, old: str, new: str) -> None:
        """The account is called `new` from now on: in the answers (its sub-accounts, what is done, the
        billing account), its secrets, what was read for it, and the keyring (by the listeners)."""
        if old == new or self.answers.account(old) is None:
            return
        if self.answers.account(new) is not None:
            raise ValueError("that label is taken")
        self.answers.rename_account(old, new)
        self.secrets.rename(old, new)
        for removed in self.removed:  # a removed sub-account comes back under its parent's new name
            if removed.taken.entry.parent == old:
                removed.taken.entry.parent = new
        if old in self.findings:
            self.findings[new] = self.findings.pop(old)
        if old in self.detected:
            self.detected[new] = self.detected.pop(old)
        self.changed()
        for listener in self.listeners:
            listener.account_renamed(old, new)

    def remove_account(self, label: str, undoable: bool = False) -> None:
        """The account goes, with its secrets (in the keyring too, by the listeners) and what was read.
        `undoable`: what went is kept (in memory only) for `undo_remove` until `forget_removed`."""
        taken = self.answers.remove_account(label)
        if taken is None:
            return
        self._removals += 1
        removed = Removed(taken, self.secrets.take(label), self.findings.pop(label, None),
                          self.detected.pop(label, None), self._removals)
        # Removed sub-accounts of it waiting for an undo point at this removal, not at its label: a new
        # account given the label meanwhile is not their parent.
        for other in self.removed:
            if other.taken.entry.parent == label:
                other.taken.entry.parent = _removed_ref(removed)
        if undoable:
            self.removed.append(removed)
        self.changed()
        for listener in self.listeners:
            listener.account_removed(label)

    def undo_remove(self) -> str | None:
        """The account removed last comes back (under its label, or `label (2)` if another account took it
        since) with everything that went with it — its keyring entries too, by the listeners. Its label, or
        None when nothing removed is kept."""
        if not self.removed:
            return None
        removed = self.removed.pop()
        old = removed.taken.entry.label
        label = self.unique_label(old)
        entry = removed.taken.entry
        if entry.parent and self.answers.account(entry.parent) is None:
            entry.parent = ""  # its parent is gone for good: its own credentials are needed from now on
        self.answers.restore_account(removed.taken, label)
        for other in self.removed:  # its removed sub-accounts come back under the label it has now
            if other.taken.entry.parent == _removed_ref(removed):
                other.taken.entry.parent = label
        self.secrets.merge(removed.secrets, old, label)
        if removed.findings is not None:
            self.findings[label] = removed.findings
        if removed.detected is not None:
            self.detected[label] = removed.detected
        self.changed()
        for listener in self.listeners:
            listener.account_restored(old, label)
        return label

    def last_removed(self) -> str | None:
        """The label of the account `undo_remove` would bring back, if any."""
        return self.removed[-1].taken.entry.label if self.removed else None

    def forget_removed(self) -> None:
        """Removals are final from now on (a profile saved or opened, the window closed)."""
        self.removed.clear()
        for listener in self.listeners:
            listener.removals_final()

    def apply_profile(self, profile: Profile) -> ProfileApplied:
        """A profile's accounts and answers instead of these (the moment chosen here stays chosen): the
        accounts it does not have are removed with their secrets; those it keeps keep theirs; its SIDs and
        Bundle SIDs are known from now on (their source: "profile"). What was read from Twilio is dropped."""
        from kwc_desktop.domain.answers import answers_from_profile

        answers, sids, bundles = answers_from_profile(profile)
        kept = {a.label for a in answers.accounts}
        dropped = [a.label for a in self.answers.accounts if a.label not in kept]
        for label in dropped:
            self.remove_account(label)
        answers.as_of = self.answers.as_of
        self.replace_answers(answers)
        for label, sid in sids.items():
            self.secrets.know_sid(label, sid, "profile")
        for label, found in bundles.items():
            self.secrets.add_bundles(label, found)
        return ProfileApplied(sids, bundles, dropped)

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

    def set_findings(self, label: str, found: Findings) -> None:
        """All that was read from one account: its facts count in the plan (below the user's answers), the
        Bundle SIDs found are known from now on."""
        self.findings[label] = found
        self.secrets.add_bundles(label, found.bundle_sids())
        self.set_detected(label, found.facts)

    # --- the progress file: the answers, and what was read from the accounts -----------------------

    def progress_state(self) -> dict[str, Any]:
        """What the progress file holds (never a secret): the answers, and each account's detection."""
        state = self.answers.to_json(self.program)
        if self.findings:
            from kwc_desktop.domain.detection import findings_to_json

            state["detections"] = {label: findings_to_json(found) for label, found in self.findings.items()
                                   if self.answers.account(label) is not None}
        return state

    def restore_detections(self, state: Any) -> list[str]:
        """Each account's detection as a progress file kept it (checked value by value); the places of
        what was left out."""
        raw = state.get("detections") if isinstance(state, Mapping) else None
        if raw is None:
            return []
        if not isinstance(raw, Mapping):
            return ["detections"]
        from kwc_desktop.domain.detection import findings_from_json

        problems: list[str] = []
        for label, entry in raw.items():
            if not isinstance(label, str) or self.answers.account(label) is None:
                problems.append("detections.<account>")
                continue
            found, bad = findings_from_json(entry, self.program)
            problems += bad
            if found is not None:
                self.findings[label] = found
                self.detected[label] = dict(found.facts)
        self.changed()
        return problems

    def kind(self, label: str) -> str | None:
        """The account's kind as the plan sees it (detected, unless the user chose another)."""
        entry = self.answers.account(label)
        if entry is None:
            return None
        return self.answers.kind_of(entry, self.program, self._detected_values(label))

    def kinds(self) -> dict[str, str]:
        """label -> `kind(label)` for every account, in one pass: a table of 5,000 accounts asks for all of
        them, and `kind` finds its account by walking the list."""
        return {entry.label: self.answers.kind_of(entry, self.program, self._detected_values(entry.label))
                for entry in self.answers.accounts}

    def _detected_values(self, label: str) -> Mapping[str, FactValue]:
        return {k: d.value for k, d in self.detected.get(label, {}).items()}
