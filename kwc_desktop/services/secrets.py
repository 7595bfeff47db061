"""Account SIDs and Auth Tokens in the OS keyring, and nowhere else.

One facade over `keyring` (Windows Credential Manager, macOS Keychain, Secret Service): keyring's
errors become our typed errors with a message the UI can show. When no real keyring exists, the
caller switches to SessionSecrets (memory only) and says so: never a plaintext file.
`keyring` is imported on first use, not at start-up (finding the backend takes 0.1–0.3 s).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal, Protocol

from kwc_desktop.domain.text import UserError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

logger = logging.getLogger(__name__)

SERVICE_NAME = "kwc-desktop"  # the one service name every secret is filed under
MAX_SECRET_BYTES = 2560  # Windows Credential Manager's limit for one secret
SecretKind = Literal["sid", "token", "api_key", "bundles"]
# api_key: "SK…:secret", an API Key and its secret in one entry (never one without the other);
# bundles: the account's Bundle SIDs, comma-separated
SECRET_KINDS: tuple[SecretKind, ...] = ("sid", "token", "api_key", "bundles")
# Backends that store secrets in a file we would have to call plaintext (keyrings.alt and friends).
_REFUSED_MODULES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")


class SecretStoreError(UserError):
    """Base of the errors the keyring facade raises."""


class KeyringUnavailable(SecretStoreError):
    def __init__(self, detail: str = "") -> None:
        super().__init__("secrets.unavailable")
        self.detail = detail  # for the log: which backend was found, never a secret


class KeyringLocked(SecretStoreError):
    def __init__(self, name: str) -> None:
        super().__init__("secrets.locked", name=name)


class SecretWriteFailed(SecretStoreError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__("secrets.write_failed", name=name, reason=reason)


class SecretReadFailed(SecretStoreError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__("secrets.read_failed", name=name, reason=reason)


class SecretTooLong(SecretStoreError):
    def __init__(self) -> None:
        super().__init__("secrets.too_long", max=MAX_SECRET_BYTES)


def secret_username(label: str, kind: SecretKind) -> str:
    """The keyring user name of one secret: `account:<label>:sid` or `…:token`."""
    return f"account:{label}:{kind}"


class SecretStore(Protocol):
    name: str  # the backend, for logs
    display_name: str  # what the user knows it as
    persistent: bool

    def get(self, label: str, kind: SecretKind) -> str | None: ...
    def set(self, label: str, kind: SecretKind, value: str) -> None: ...
    def delete(self, label: str, kind: SecretKind) -> None: ...
    def rename(self, old_label: str, new_label: str) -> None: ...


def _check_length(value: str) -> None:
    if len(value.encode("utf-8")) > MAX_SECRET_BYTES:
        raise SecretTooLong()


class SessionSecrets:
    """Secrets kept in memory for this session only, when no keyring can be used."""

    persistent = False

    def __init__(self) -> None:
        self.name = self.display_name = "session"
        self._values: dict[str, str] = {}

    def get(self, label: str, kind: SecretKind) -> str | None:
        return self._values.get(secret_username(label, kind))

    def set(self, label: str, kind: SecretKind, value: str) -> None:
        _check_length(value)
        self._values[secret_username(label, kind)] = value

    def delete(self, label: str, kind: SecretKind) -> None:
        self._values.pop(secret_username(label, kind), None)

    def rename(self, old_label: str, new_label: str) -> None:
        for kind in SECRET_KINDS:
            value = self._values.pop(secret_username(old_label, kind), None)
            if value is not None:
                self._values[secret_username(new_label, kind)] = value


_DISPLAY_NAMES = {"Windows": "Windows Credential Manager", "macOS": "macOS Keychain",
                  "SecretService": "GNOME Keyring (Secret Service)", "kwallet": "KWallet",
                  "libsecret": "GNOME Keyring (Secret Service)"}


class KeyringSecrets:
    """Secrets in the OS keyring under SERVICE_NAME."""

    persistent = True

    def __init__(self, backend: KeyringBackend) -> None:
        self._backend = backend
        self.name = str(getattr(backend, "name", type(backend).__name__))  # keyring's own, for logs
        # What the user knows it as (messages and the UI never show a backend's class name).
        module = type(backend).__module__.rsplit(".", 1)[-1]
        self.display_name = _DISPLAY_NAMES.get(module, self.name)

    def _call(self, action: str, *args: str) -> str | None:
        from keyring import errors

        try:
            return getattr(self._backend, action)(SERVICE_NAME, *args)  # type: ignore[no-any-return]
        except errors.KeyringLocked:
            raise KeyringLocked(self.display_name) from None
        except errors.NoKeyringError:
            raise KeyringUnavailable("backend vanished") from None
        except errors.PasswordSetError as e:
            raise SecretWriteFailed(self.display_name, type(e).__name__) from None
        except errors.PasswordDeleteError:
            return None  # already absent: deleting is idempotent
        except Exception as e:  # noqa: BLE001 - any backend failure (dbus, ctypes, OSError …) is ours to name
            # The message of a backend error may quote what it tried to store: log the type only.
            logger.warning("keyring %s failed: %s", action, type(e).__name__)
            if action == "get_password":
                raise SecretReadFailed(self.display_name, type(e).__name__) from None
            raise SecretWriteFailed(self.display_name, type(e).__name__) from None

    def get(self, label: str, kind: SecretKind) -> str | None:
        return self._call("get_password", secret_username(label, kind))

    def set(self, label: str, kind: SecretKind, value: str) -> None:
        _check_length(value)
        # set_password replaces an existing entry of the same service and user name.
        self._call("set_password", secret_username(label, kind), value)

    def delete(self, label: str, kind: SecretKind) -> None:
        self._call("delete_password", secret_username(label, kind))

    def rename(self, old_label: str, new_label: str) -> None:
        kinds = SECRET_KINDS
        for kind in kinds:
            value = self.get(old_label, kind)
            if value is not None:
                self.set(new_label, kind, value)
                self.delete(old_label, kind)


def _refused(backend: KeyringBackend) -> bool:
    inner = getattr(backend, "backends", None)
    if inner is not None:  # keyring's chainer: usable if any real backend is inside
        return all(_refused(b) for b in inner)
    return type(backend).__module__.startswith(_REFUSED_MODULES)


def open_keyring(backend: KeyringBackend | None = None) -> KeyringSecrets:
    """The OS keyring, or KeyringUnavailable when there is none we can trust with secrets."""
    try:
        import keyring

        chosen = backend if backend is not None else keyring.get_keyring()
    except Exception as e:  # noqa: BLE001 - a backend that fails to load is no keyring at all
        raise KeyringUnavailable(f"loading the backend failed: {type(e).__name__}") from None
    if _refused(chosen):
        raise KeyringUnavailable(f"backend {type(chosen).__module__}.{type(chosen).__name__}")
    return KeyringSecrets(chosen)


def open_secrets() -> tuple[SecretStore, KeyringUnavailable | None]:
    """The keyring if it can be used, else session-only memory plus the reason to show the user."""
    try:
        return open_keyring(), None
    except KeyringUnavailable as e:
        logger.info("no usable keyring (%s): secrets kept for this session only", e.detail)
        return SessionSecrets(), e
