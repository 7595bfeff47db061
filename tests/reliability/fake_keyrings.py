"""Keyring backends that misbehave on purpose, for tests only: chosen with PYTHON_KEYRING_BACKEND in a
started app (`tests.reliability.fake_keyrings.SlowKeyring`), or handed to the facade in-process.

They stand in for what a real Secret Service cannot be made to do on demand here: take seconds per
call, stay locked without a prompt, refuse a write, or raise something keyring never documented.
Values live in memory, or in the JSON file $KWC_TEST_KEYRING_FILE when a test must look inside.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from jaraco.classes import properties
from keyring import errors
from keyring.backend import KeyringBackend


class _MemoryKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805
        # Viable only when named by PYTHON_KEYRING_BACKEND: keyring's own discovery (which builds every
        # subclass it knows of) must never pick, or trip over, a test backend imported into a test.
        if os.environ.get("PYTHON_KEYRING_BACKEND", "").endswith("." + cls.__name__):
            return 1
        raise RuntimeError("a test backend, used only when named")

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        path = os.environ.get("KWC_TEST_KEYRING_FILE")
        self.file = Path(path) if path else None
        if self.file is not None and self.file.exists():
            self.values = json.loads(self.file.read_text(encoding="utf-8"))

    def _save(self) -> None:
        if self.file is not None:
            self.file.write_text(json.dumps(self.values), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[f"{service}/{username}"] = password
        self._save()

    def delete_password(self, service: str, username: str) -> None:
        if self.values.pop(f"{service}/{username}", None) is None:
            raise errors.PasswordDeleteError("not found")
        self._save()


class SlowKeyring(_MemoryKeyring):
    """Every call takes $KWC_TEST_KEYRING_DELAY seconds (default 2)."""

    def __init__(self, delay: float | None = None) -> None:
        super().__init__()
        self.delay = delay if delay is not None else float(os.environ.get("KWC_TEST_KEYRING_DELAY", "2"))

    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(self.delay)
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        time.sleep(self.delay)
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        time.sleep(self.delay)
        super().delete_password(service, username)


class LockedKeyring(_MemoryKeyring):
    """A keyring that stays locked: every call raises KeyringLocked."""

    def get_password(self, service: str, username: str) -> str | None:
        raise errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise errors.KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise errors.KeyringLocked("locked")


class WriteFailsKeyring(_MemoryKeyring):
    """Reads work; every write is refused (PasswordSetError, its message quoting the value)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise errors.PasswordSetError(f"refused to store {password}")


class ReadRaisesKeyring(_MemoryKeyring):
    """Reads raise an exception keyring never documents, its message quoting a secret."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError(f"backend exploded while reading {username}: ACffffffffffffffffffffffffffffffff")


class BrokenOnLoadKeyring(_MemoryKeyring):
    """A backend whose construction fails (a missing system library, say)."""

    def __init__(self) -> None:
        raise OSError("libsecret-1.so.0: cannot open shared object file")
