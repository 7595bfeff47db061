"""Detection: read accounts from Twilio (the account, its sub-accounts, numbers, Bundles, balance) and turn
each into the program's facts with evidence (domain/detection.py).

Several accounts are read at once (`PARALLEL_ACCOUNTS`, one `requests.Session` each); a sub-account found
under an account is read in turn with its owner's credentials. A part that fails is an error beside the
parts that did not; the account itself failing ends that account only. Cancelling stops before the next
request of every account being read and drops the accounts not started.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

from kwc_desktop.domain import records
from kwc_desktop.domain.accounts import unique_label
from kwc_desktop.domain.answers import AccountEntry
from kwc_desktop.domain.detection import Findings, findings
from kwc_desktop.domain.limits import MAX_ACCOUNTS
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.session import Session, decode_api_key
from kwc_desktop.domain.sid import Sid, parse_sid
from kwc_desktop.domain.text import Text, UserError
from kwc_desktop.services.secrets import SecretKind
from kwc_desktop.services.twilio import (
    BaseUrls,
    Budget,
    Credentials,
    TooMuch,
    TwilioCancelled,
    TwilioClient,
    TwilioError,
)

T = TypeVar("T")
PARALLEL_ACCOUNTS = 4  # accounts read at once: Twilio's per-account concurrency limits are far above this


@records.record
class Target:
    """One account to read: its label, its SID (in the path) and the credentials to read it with (None:
    there are none, and `problem` says why). A sub-account has its owner's label as `parent`."""

    label: str
    sid: Sid | None
    credentials: Credentials | None
    problem: UserError | None = None
    parent: str | None = None


@records.record(frozen=False)
class AccountRead:
    """What reading one account gave."""

    label: str
    sid: Sid | None
    findings: Findings
    parent: str | None = None
    requests: int = 0
    cancelled: bool = False  # stopped before it was read in full (what it has is kept)
    subaccounts: list[Target] = records.field(default_factory=list)  # found under it, read next
    raw: RawAccount | None = None  # the JSON, until it is turned into findings


@records.record
class Missing:
    """What is said when an account has no SID or no credentials: the command line names its options and
    variables, the window the Accounts page's account dialog."""

    sid: str
    secret: str


FOR_CLI = Missing("detect.no_sid", "detect.no_secret")
FOR_WINDOW = Missing("detect.no_sid_window", "detect.no_secret_window")

# How the keyring (or the keeper's memory) is asked for one secret of one account; may raise UserError.
SecretFor = Callable[[str, SecretKind], str | None]


def target_for(session: Session, label: str, secret_for: SecretFor,
               fallback: Callable[[Sid], Credentials | None] = lambda _sid: None,
               missing: Missing = FOR_CLI) -> Target:
    """How to read the account `label`: with its API Key (preferred: it can be revoked), else its Auth
    Token, else — a sub-account — its owner account's credentials, else `fallback` (the command line's
    environment). `missing`: what to say when it has no SID or none of these. Keyring calls happen here:
    call it off the GUI thread."""
    entry = session.answers.account(label)
    sid = session.secrets.sids.get(label)
    parent = entry.parent if entry is not None and entry.parent else None
    if sid is None:
        return Target(label, None, None, UserError(missing.sid), parent)
    owner = parent if parent is not None and session.answers.account(parent) is not None else label
    owner_sid = session.secrets.sids.get(owner)
    problem: UserError | None = None
    if owner_sid is not None:
        try:
            key = secret_for(owner, "api_key")
            decoded = decode_api_key(key) if key else None
            if decoded is not None:
                return Target(label, sid, Credentials(owner_sid, decoded[0].value, decoded[1]), parent=parent)
            token = secret_for(owner, "token")
            if token:
                return Target(label, sid, Credentials(owner_sid, owner_sid.value, token), parent=parent)
        except UserError as e:  # the keyring could not answer (or holds a secret that cannot be one): say
            problem = e  # why, unless the environment can
    try:
        credentials = fallback(sid)
    except UserError as e:
        return Target(label, sid, None, problem or e, parent)
    if credentials is not None:
        return Target(label, sid, credentials, parent=parent)
    return Target(label, sid, None, problem or UserError(missing.secret), parent)


@records.record(frozen=False)
class RawAccount:
    """The JSON one account gave (None: that part could not be read), and what failed."""

    account: Any = None
    numbers: list[Any] | None = None
    bundles: list[Any] | None = None
    balance: Any = None
    accounts: list[Any] = records.field(default_factory=list)
    errors: list[TwilioError] = records.field(default_factory=list)

    def findings(self, program: Program) -> Findings:
        """What it means (the CPU part: the numbers' kinds), computed apart from the network."""
        if self.account is None:
            result = Findings()
        else:
            result = findings(program.detection, self.account, self.numbers, self.bundles, self.balance,
                              self.accounts)
        result.errors += [(e.kind, _text(e)) for e in self.errors]
        return result


def fetch_account(client: TwilioClient, sid: Sid, subaccount: bool = False) -> RawAccount:
    """Everything one account gives, as JSON. A sub-account (read with its owner's credentials) owns no
    sub-accounts and has no balance of its own; its Bundles list would be its owner's (the numbers API
    answers for the credentials' account), so its Bundles are taken from its numbers. Raises
    TwilioCancelled only when stopped before the account itself was read."""
    api = client.urls.api
    root = f"/2010-04-01/Accounts/{sid.value}"
    raw = RawAccount()
    try:
        raw.account = client.get(api, f"{root}.json")
    except TwilioCancelled:
        raise
    except TwilioError as e:
        raw.errors.append(e)
        return raw

    def read(work: Callable[[], T]) -> T | None:
        if raw.errors and raw.errors[-1].ends_account:
            return None  # stopped, or its budget is spent: what was read so far is kept, nothing more is asked
        try:
            return work()
        except TwilioError as e:  # TwilioCancelled too: the parts already read are kept
            raw.errors.append(e)
            return None

    raw.numbers = read(lambda: list(client.pages(api, f"{root}/IncomingPhoneNumbers.json",
                                                 "incoming_phone_numbers")))
    if not subaccount:
        raw.bundles = read(lambda: list(client.pages(client.urls.numbers, "/v2/RegulatoryCompliance/Bundles")))
        raw.balance = read(lambda: client.get(api, f"{root}/Balance.json"))
        raw.accounts = read(lambda: first_accounts(client.pages(api, "/2010-04-01/Accounts.json", "accounts"),
                                                   raw.errors)) or []
    return raw


def first_accounts(items: Iterator[Any], errors: list[TwilioError]) -> list[Any]:
    """At most MAX_ACCOUNTS of the sub-accounts list — a profile holds no more — and TooMuch in `errors`
    when Twilio lists more: the page after the limit is never asked for."""
    found = list(itertools.islice(items, MAX_ACCOUNTS + 1))
    if len(found) > MAX_ACCOUNTS:
        errors.append(TooMuch("accounts", MAX_ACCOUNTS))
    return found[:MAX_ACCOUNTS]


def _text(error: UserError) -> Text:
    return Text(ja=error.message("ja"), en=error.message("en"))


def read_accounts(targets: Sequence[Target], program: Program, report: Callable[[AccountRead], None],
                  cancelled: Callable[[], bool], urls: BaseUrls | None = None,
                  workers: int = PARALLEL_ACCOUNTS, taken_labels: Collection[str] = (),
                  known_sids: Collection[Sid] = (), started: Callable[[str], None] = lambda _label: None,
                  client_factory: Callable[..., TwilioClient] = TwilioClient) -> int:
    """Read every target, `workers` at a time, and the sub-accounts found under them; hand each account's
    result to `report` on the calling thread as it arrives (`started(label)` is called on the reading
    thread as each begins). The number of HTTP requests made."""
    urls = urls or BaseUrls.from_environment()
    budget = Budget.from_environment()  # each account's, and each sub-account's, in all
    known = {t.sid for t in targets if t.sid is not None} | set(known_sids)
    labels = set(taken_labels) | {t.label for t in targets}
    made = 0

    def read_one(target: Target) -> AccountRead:
        started(target.label)
        if target.credentials is None or target.sid is None:
            result = Findings()
            problem = target.problem or UserError("detect.no_secret")
            result.errors.append(("missing", _text(problem)))
            return AccountRead(target.label, target.sid, result, target.parent)
        client = client_factory(target.credentials, urls, cancelled=cancelled, budget=budget)
        try:
            raw = fetch_account(client, target.sid, subaccount=target.parent is not None)
            return AccountRead(target.label, target.sid, Findings(), target.parent, client.requests, raw=raw)
        except TwilioCancelled:
            return AccountRead(target.label, target.sid, Findings(), target.parent, client.requests, cancelled=True)
        finally:
            client.close()

    def subaccounts_of(read: AccountRead, target: Target) -> list[Target]:
        found = []
        for sid_text, name in read.findings.subaccounts:
            try:
                sid = parse_sid(sid_text)
            except UserError:
                continue
            if sid in known:
                continue
            if len(labels) >= MAX_ACCOUNTS:  # the profile's and those found so far: a profile holds no more
                if "too-many" not in (kind for kind, _text in read.findings.errors):
                    error = TooMuch("accounts", MAX_ACCOUNTS)
                    read.findings.errors.append((error.kind, _text(error)))
                break
            known.add(sid)
            label = unique_label(name, labels, fallback=target.label)
            labels.add(label)
            found.append(Target(label, sid, target.credentials, parent=target.label))
        return found

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="twilio") as pool:
        running: dict[Future[AccountRead], Target] = {pool.submit(read_one, t): t for t in targets}
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                target = running.pop(future)
                if future.cancelled():
                    continue
                read = future.result()  # read_one raises only on a bug: let it surface
                made += read.requests
                if read.cancelled:
                    continue
                if read.raw is not None:
                    # The CPU part here, on the collecting thread: the workers go on with the network.
                    read.findings, read.raw = read.raw.findings(program), None
                if target.parent is None and not cancelled():
                    read.subaccounts = subaccounts_of(read, target)
                    for sub in read.subaccounts:
                        running[pool.submit(read_one, sub)] = sub
                report(read)
            if cancelled():
                for future in running:
                    future.cancel()
    return made


def record(session: Session, read: AccountRead) -> str | None:
    """Put what was read into the session. A sub-account new to it is added under its owner (the same owner
    email; the owner's label as `parent`, whose credentials read it): its label is returned, so the caller
    can keep its SID (the keyring, in the wizard)."""
    added = None
    if read.parent is not None and session.answers.account(read.label) is None:
        owner = session.answers.account(read.parent)
        if owner is None or read.sid is None:
            return None
        session.add_account(AccountEntry(read.label, owner.owner_email, session.program.default_kind,
                                         parent=owner.label), read.sid, source="twilio")
        added = read.label
    session.set_findings(read.label, read.findings)
    return added
