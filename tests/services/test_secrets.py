"""The keyring facade against a real Secret Service (gnome-keyring in the dbus session that
scripts/test.sh starts), plus the paths where no trustworthy keyring exists."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kwc_desktop.services.secrets import (
    MAX_SECRET_BYTES,
    SERVICE_NAME,
    KeyringSecrets,
    KeyringUnavailable,
    SecretTooLong,
    SessionSecrets,
    open_keyring,
    open_secrets,
)

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


REAL = os.environ.get("KWC_TEST_REAL_KEYRING") == "1"
WINDOWS = sys.platform == "win32"  # under Wine: Windows Credential Manager (WinVaultKeyring), for real
needs_real_keyring = pytest.mark.skipif(
    not REAL and not WINDOWS and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
    reason="run through scripts/test.sh, which starts gnome-keyring in its own dbus session",
)
SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "f" * 32


@pytest.fixture()
def store():
    secrets = open_keyring()
    yield secrets
    for label in ("Prod", "本番 アカウント", "Renamed", "Long"):
        for kind in ("sid", "token"):
            secrets.delete(label, kind)


def _items(label: str) -> int:
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        return len(list(collection.search_items({"service": SERVICE_NAME, "username": f"account:{label}:sid"})))
    finally:
        connection.close()


@needs_real_keyring
def test_the_real_secret_service_is_used(store):
    assert isinstance(store, KeyringSecrets)
    assert store.persistent
    assert store.name == ("Windows WinVaultKeyring" if WINDOWS else "SecretService Keyring")
    assert store.display_name == ("Windows Credential Manager" if WINDOWS else "GNOME Keyring (Secret Service)")


@needs_real_keyring
@pytest.mark.parametrize("label", ["Prod", "本番 アカウント"])
def test_round_trip(store, label):
    assert store.get(label, "sid") is None
    store.set(label, "sid", SID)
    store.set(label, "token", TOKEN)
    assert store.get(label, "sid") == SID
    assert store.get(label, "token") == TOKEN
    store.delete(label, "token")
    assert store.get(label, "token") is None
    assert store.get(label, "sid") == SID


@needs_real_keyring
def test_update_replaces_instead_of_duplicating(store):
    store.set("Prod", "sid", SID)
    store.set("Prod", "sid", "AC" + "e" * 32)
    assert store.get("Prod", "sid") == "AC" + "e" * 32
    if not WINDOWS:  # Credential Manager has one entry per target name by construction
        assert _items("Prod") == 1


@needs_real_keyring
def test_rename_moves_both_secrets(store):
    store.set("Prod", "sid", SID)
    store.set("Prod", "token", TOKEN)
    store.rename("Prod", "Renamed")
    assert (store.get("Renamed", "sid"), store.get("Renamed", "token")) == (SID, TOKEN)
    assert (store.get("Prod", "sid"), store.get("Prod", "token")) == (None, None)


@needs_real_keyring
def test_deleting_twice_is_fine(store):
    store.set("Prod", "sid", SID)
    store.delete("Prod", "sid")
    store.delete("Prod", "sid")
    assert store.get("Prod", "sid") is None


@needs_real_keyring
def test_values_over_the_windows_limit_are_refused(store):
    with pytest.raises(SecretTooLong):
        store.set("Long", "token", "x" * (MAX_SECRET_BYTES + 1))
    assert store.get("Long", "token") is None


def _run_isolated(script: str, env_extra: dict[str, str], home: Path, with_keyring: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBUS_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               PYTHONPATH=str(Path(__file__).resolve().parents[2]), PYTHONIOENCODING="utf-8", **env_extra)
    command = [sys.executable, "-c", textwrap.dedent(script)]
    if with_keyring:
        command = ["dbus-run-session", "--", "sh", "-c",
                   'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"', "sh",
                   *command]
    return subprocess.run(command, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_no_backend_gives_a_typed_error_and_session_only_memory(tmp_path):
    result = _run_isolated(
        f"""
        from kwc_desktop.services.secrets import open_secrets, SessionSecrets, KeyringUnavailable
        store, problem = open_secrets()
        assert isinstance(store, SessionSecrets) and not store.persistent, store
        assert isinstance(problem, KeyringUnavailable)
        print(problem.message("ja"))
        print(problem.message("en"))
        store.set("Prod", "token", "{TOKEN}")
        assert store.get("Prod", "token") == "{TOKEN}"
        """,
        # No keyring: no session bus on Linux; on Windows (where one always exists) keyring's "fail" backend.
        {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"} if WINDOWS
        else {"DBUS_SESSION_BUS_ADDRESS": "disabled:"}, tmp_path, with_keyring=False,
    )
    assert result.returncode == 0, result.stderr
    assert "OSのキーリング" in result.stdout
    assert "kept for this session only and never written to disk" in result.stdout
    # Nothing of the secret reached the disk: no plaintext fallback anywhere under HOME.
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


@pytest.mark.skipif(shutil.which("gnome-keyring-daemon") is None, reason="needs gnome-keyring (scripts/test.sh); "
                    "Windows: Credential Manager has no locked state")
def test_a_locked_keyring_is_reported_as_locked(tmp_path):
    result = _run_isolated(
        """
        import secretstorage
        from kwc_desktop.services.secrets import open_keyring, KeyringLocked
        store = open_keyring()
        store.set("Prod", "sid", "AC" + "a" * 32)
        connection = secretstorage.dbus_init()
        secretstorage.get_default_collection(connection).lock()
        try:
            store.get("Prod", "sid")
        except KeyringLocked as error:
            print(error.message("en"))
        else:
            raise SystemExit("no error from a locked keyring")
        """,
        {}, tmp_path, with_keyring=True,
    )
    assert result.returncode == 0, result.stderr
    assert "The keyring “GNOME Keyring (Secret Service)” is locked. Unlock it and try again." in result.stdout


def test_plaintext_backends_are_refused():
    from keyring.backend import KeyringBackend

    class PlaintextKeyring(KeyringBackend):  # what keyrings.alt would register
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            raise AssertionError("must not be used")

        def delete_password(self, service, username):
            return None

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    with pytest.raises(KeyringUnavailable):
        open_keyring(PlaintextKeyring())


def test_session_store_round_trip_and_rename():
    store = SessionSecrets()
    store.set("A", "sid", SID)
    store.rename("A", "B")
    assert store.get("B", "sid") == SID and store.get("A", "sid") is None
    with pytest.raises(SecretTooLong):
        store.set("A", "token", "x" * 3000)


def test_keyring_is_not_imported_until_needed():
    code = "import kwc_desktop.cli, kwc_desktop.domain.checklist, kwc_desktop.services.secrets, sys; " \
           "print('keyring' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_open_secrets_falls_back_only_with_a_reason(monkeypatch):
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    store, problem = open_secrets()
    assert isinstance(store, SessionSecrets)
    assert problem is not None and problem.key == "secrets.unavailable"
