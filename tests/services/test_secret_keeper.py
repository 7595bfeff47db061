"""The secret keeper is plain Python: with a runner that does the work at once, no Qt is needed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kwc_desktop.domain.answers import AccountEntry, Answers
from kwc_desktop.domain.session import Session
from kwc_desktop.services.outcome import Outcome
from kwc_desktop.services.secret_keeper import SecretKeeper
from kwc_desktop.services.secrets import KeyringSecrets, SessionSecrets
from tests.conftest import REPO

pytestmark = pytest.mark.windows

SID = "AC" + "5e" * 16
BUNDLE = "BU" + "0" * 31 + "1"


def at_once(work, done=None, progress=None) -> None:  # noqa: ANN001
    """A job runner without a thread: the work, its progress and its outcome, in order, now."""
    report = progress or (lambda _part: None)
    try:
        outcome = Outcome(value=work(report))
    except Exception as error:  # noqa: BLE001
        outcome = Outcome(error=error)
    if done is not None:
        done(outcome)


def keeper(program, store) -> tuple[SecretKeeper, list[int]]:  # noqa: ANN001
    session = Session(program, Answers(accounts=[AccountEntry("Prod", "it@example.com")]))
    notified: list[int] = []
    return SecretKeeper(session, store, at_once, lambda: notified.append(1)), notified


def test_no_qt_is_needed(program):
    keep, notified = keeper(program, SessionSecrets())
    keep.write_secret("Prod", "sid", SID)
    assert keep.session.secrets.sids["Prod"].value == SID and notified
    code = ("import sys, kwc_desktop.services.secret_keeper, kwc_desktop.domain.session; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == "[]"


def test_written_values_are_read_back_and_a_damaged_part_is_left_out(program):
    from tests.reliability.fake_keyrings import SlowKeyring

    backend = SlowKeyring(0)
    keep, _ = keeper(program, KeyringSecrets(backend))
    keep.write_secret("Prod", "sid", SID)
    keep.write_secret("Prod", "bundles", f"{BUNDLE},broken")
    assert keep.not_saved() == [] and keep.kept.get("Prod", "sid") is None  # confirmed: memory lets go
    fresh, _ = keeper(program, KeyringSecrets(backend))
    fresh.reload_secrets()
    assert fresh.session.secrets.sids["Prod"].value == SID
    assert [s.value for s in fresh.session.secrets.bundles["Prod"]] == [BUNDLE]
    assert fresh.secrets_problem is not None and fresh.secrets_problem.key == "secrets.entry_invalid"


def test_without_a_keyring_what_was_typed_stays_in_memory_and_is_listed(program):
    keep, _ = keeper(program, SessionSecrets())
    keep.write_secret("Prod", "token", "7c" * 16)
    assert keep.not_saved() == [("Prod", "token")] and keep.kept.get("Prod", "token") == "7c" * 16


def test_a_keyring_pass_over_many_accounts_redraws_the_pages_a_few_times_not_once_per_entry(program):
    # One redraw per SID read rebuilt the accounts table once per account: 1,000 accounts took 40 s to
    # resume, 5,000 minutes. What the pass reads reaches the pages in batches instead.
    from tests.reliability.fake_keyrings import SlowKeyring

    backend = SlowKeyring(0)
    labels = [f"Account {n}" for n in range(1000)]
    writer, _ = keeper(program, KeyringSecrets(backend))
    for n, label in enumerate(labels):
        writer.session.add_account(AccountEntry(label, "it@example.com"))
        writer.write_secret(label, "sid", "AC" + f"{n:032x}")
    session = Session(program, Answers(accounts=[AccountEntry(label, "it@example.com") for label in labels]))
    notified: list[int] = []
    reader = SecretKeeper(session, KeyringSecrets(backend), at_once, lambda: notified.append(1))
    reader.reload_secrets()
    assert len(session.secrets.sids) == 1000 and session.secrets.sids["Account 999"].value == "AC" + f"{999:032x}"
    assert len(notified) <= 5, len(notified)  # the pass takes well under a second here: one batch, and the end
