"""A Windows session under Wine (scripts/test-windows.sh runs it by name; it is not collected otherwise):
the wizard with the real Windows Credential Manager (WinVaultKeyring), progress and settings in the real
%APPDATA%, sentinel secrets typed in. Then `python tests/windows_session.py scan PREFIX USER`, on the Linux
side, reads every file of the Wine prefix: no sentinel may be anywhere but in the Credential Manager's
own registry section."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SID = "AC" + "0badf00d" * 4
BUNDLE = "BU" + "0ddba11e" * 4
TOKEN = "5ca1ab1e" * 4
CARD = "35281234"
SENTINELS = {"SID": SID[2:], "Bundle SID": BUNDLE[2:], "token": TOKEN, "card": CARD}


def test_a_windows_session_keeps_files_in_appdata_and_secrets_in_the_credential_manager(qtbot, monkeypatch,
                                                                                          tmp_path):
    from PySide6.QtWidgets import QApplication

    from kwc_desktop.app import build_window
    from kwc_desktop.domain.answers import AccountEntry
    from kwc_desktop.services.paths import app_data_dir
    from kwc_desktop.services.secrets import open_keyring
    from kwc_desktop.ui.wizard import Page

    assert sys.platform == "win32"
    monkeypatch.delenv("KWC_DESKTOP_DATA_DIR", raising=False)  # the real place, as a user gets it
    folder = app_data_dir()
    assert str(folder) == os.path.join(os.environ["APPDATA"], "kwc-desktop")
    assert not str(folder).isascii()  # a Japanese user name: C:\users\山田\AppData\Roaming
    store = open_keyring()
    assert store.name == "Windows WinVaultKeyring"
    window = build_window(QApplication.instance(), secrets=store, lang="ja")
    window.ask_before_quitting = False
    qtbot.addWidget(window)
    window.show()
    context = window.context
    context.session.add_account(AccountEntry("本番", "it@example.com",
                                                 facts={"payment": "paypal", "has_bundles": True}))
    context.keeper.write_secret("本番", "sid", SID)
    context.keeper.write_secret("本番", "token", TOKEN)
    context.keeper.write_secret("本番", "bundles", BUNDLE)
    context.touch()
    window.wizard.ensure_pages()
    payment = window.wizard.page(Page.PAYMENT)
    qtbot.keyClicks(payment.card, CARD)
    qtbot.waitUntil(lambda: not context.saving and context.jobs.unfinished() == 0, timeout=10_000)
    assert context.not_saved() == []
    assert store.get("本番", "sid") == SID and store.get("本番", "token") == TOKEN  # round trip, for real
    window.close()
    window.settings.sync()
    assert (folder / "progress.json").is_file() and (folder / "settings.ini").is_file()
    profile = tmp_path / "移管 プロファイル.toml"  # a space and Japanese in the path
    profile.write_text('profile = 1\n[[owners]]\nemail = "it@example.com"\n[[owners.accounts]]\nlabel = "本番"\n',
                       encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kwc_desktop", "plan", str(profile), "--keyring", "--json"],
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "AC0b…f00d" in result.stdout and SID not in result.stdout + result.stderr


def _forms(value: str) -> list[bytes]:
    """The sentinel as a file could hold it: ASCII, UTF-16, and the hex lists of a .reg file."""
    plain, wide = value.encode(), value.encode("utf-16-le")
    return [plain, wide, ",".join(f"{b:02x}" for b in plain).encode(), ",".join(f"{b:02x}" for b in wide).encode()]


def scan(prefix: Path, user: str) -> dict[str, list[str]]:
    forms = {name: [f.lower() for f in _forms(value)] for name, value in SENTINELS.items()}
    hits: dict[str, list[str]] = {}
    for path in prefix.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        if path.name == "user.reg":  # Wine's Credential Manager: the one place secrets belong
            data = re.sub(rb"(?ms)^\[Software\\\\Wine\\\\Credential Manager[^\n]*\n.*?(?=^\[|\Z)", b"", data)
        lowered = data.lower()
        found = [name for name, variants in forms.items() if any(v in lowered for v in variants)]
        if found:
            hits[str(path.relative_to(prefix))] = found
    return hits


if __name__ == "__main__" and sys.argv[1:2] == ["scan"]:
    prefix, user = Path(sys.argv[2]), sys.argv[3]
    reg = (prefix / "user.reg").read_bytes()
    stored = "Credential Manager" in reg.decode("utf-8", "replace")
    leaks = scan(prefix, user)
    print(f"scanned {sum(1 for p in prefix.rglob('*') if p.is_file())} files of the prefix; "
          f"Credential Manager section present: {stored}; leaks: {leaks or 'none'}")
    sys.exit(1 if leaks or not stored else 0)
