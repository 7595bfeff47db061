"""Nothing on disk can stop a start: damaged progress files, settings and program caches; a read-only
data folder; a full disk. Each is started for real (`kwc-desktop --smoke`) or through build_window."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kwc_desktop.app import build_window
from kwc_desktop.services.progress import ProgressStore
from kwc_desktop.services.secrets import SessionSecrets
from tests.reliability.conftest import app_env, mount_tmpfs, run_app, unmount

GOOD_ACCOUNT = {"label": "Prod", "owner_email": "it@example.com", "kind": "standard", "facts": {"payment": "card"}}


def doc(state: object, version: object = 1) -> bytes:
    return json.dumps({"version": version, "state": state}).encode()


def with_account(**changes: object) -> bytes:
    return doc({"accounts": [{**GOOD_ACCOUNT, **changes}], "page": "options"})


DEEP = b'{"version": 1, "state": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
# (what is in progress.json, whether the app keeps a part of it)
DAMAGED: dict[str, tuple[bytes, bool]] = {
    "empty": (b"", False),
    "truncated": (with_account()[:37], False),
    "not json": (b"{not json", False),
    "invalid utf-8": (b'{"version": 1, "state": {"page": "\xff\xfe"}}', False),
    "utf-16": (with_account().decode().encode("utf-16"), False),
    "an array": (b"[]", False),
    "null": (b"null", False),
    "no state": (b'{"version": 1}', False),
    "version as text": (doc({}, "1"), False),
    "version true": (doc({}, True), False),
    "future version": (doc({"page": "summary"}, 99), False),
    "huge version": (doc({}, 10**40), False),
    "nested 100,000 deep": (DEEP, False),
    "NaN literal": (b'{"version": 1, "state": {"accounts": NaN, "page": "summary"}}', True),
    "accounts as text": (doc({"accounts": "Prod", "page": "summary"}), True),
    "a number for an account": (doc({"accounts": [7, GOOD_ACCOUNT]}), True),
    "a list for a label": (with_account(label=["Prod"]), True),
    "a list for a kind": (with_account(kind=["standard"]), True),
    "a number for a choice": (with_account(facts={"payment": 1}), True),
    "a number for a boolean": (with_account(facts={"has_bundles": 1}), True),
    "NaN amount": (with_account(facts={"paypal_2022_usd": "NaN"}), True),
    "1e999999999 amount": (with_account(facts={"paypal_2022_usd": "1e999999999"}), True),
    "9999-12-31 transfer": (with_account(transferred_on="9999-12-31"), True),
    "0001-01-01 transfer": (with_account(transferred_on="0001-01-01"), True),
    "a number for a date": (with_account(transferred_on=20230420), True),
    "an impossible date": (with_account(transferred_on="2023-13-45"), True),
    "SID-shaped label": (with_account(label="AC0123456789abcdef0123456789abcdef"), True),
    "NUL in a label": (with_account(label="Pr\u0000od"), True),
    "negative bundle count": (with_account(bundle_count=-5), True),
    "far as-of": (doc({"accounts": [GOOD_ACCOUNT], "as_of": "9999-12-31T23:59:00+09:00"}), True),
    "acknowledged as a number": (doc({"accounts": [GOOD_ACCOUNT],
                                      "consent": {"it@example.com": {"acknowledged": 5}}}), True),
    "done as text": (doc({"accounts": [GOOD_ACCOUNT], "done": {"owner:it@example.com": "consent"}}), True),
    "a table for billing text": (doc({"accounts": [GOOD_ACCOUNT], "billing": {"billing-email": {"a": 1}}}), True),
    "a number for the page": (doc({"accounts": [GOOD_ACCOUNT], "page": 12}), True),
    "6,000 accounts": (doc({"accounts": [{**GOOD_ACCOUNT, "label": f"A{n}"} for n in range(6000)]}), True),
}


@pytest.mark.parametrize("name", list(DAMAGED))
def test_smoke_starts_and_reports_a_damaged_progress_file(tmp_path, name):
    content, _partly = DAMAGED[name]
    data = tmp_path / "data"
    data.mkdir()
    (data / "progress.json").write_bytes(content)
    result = run_app("--smoke", env=app_env(data, tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "progress file" in result.stderr  # reported, in one line of its own
    assert (data / "progress.json").read_bytes() == content  # --smoke writes nothing, moves nothing


@pytest.mark.parametrize("name", list(DAMAGED))
def test_a_damaged_progress_file_is_kept_aside_and_the_next_start_is_clean(qtbot, tmp_path, monkeypatch, name):
    content, partly = DAMAGED[name]
    data = tmp_path / "data"
    data.mkdir()
    (data / "progress.json").write_bytes(content)
    monkeypatch.setenv("KWC_DESKTOP_DATA_DIR", str(data))
    window = build_window(QApplication.instance(), secrets=SessionSecrets(), lang="en", open_keyring=False)
    qtbot.addWidget(window)
    notice = window.notices["loaded"].text()
    kept = [p for p in data.glob("progress.*.json")]
    assert len(kept) == 1 and kept[0].read_bytes() == content, notice  # the user's file, as it was
    assert str(kept[0]) in notice
    if partly:
        answers = window.context.session.answers
        assert "could not be read" in notice
        assert answers.accounts or answers.page  # what could be kept, is
    window.close()
    again = build_window(QApplication.instance(), secrets=SessionSecrets(), lang="en", open_keyring=False)
    qtbot.addWidget(again)
    assert again.notices["loaded"].text() == ""  # reported once, never again
    again.close()


def test_a_fifo_or_a_folder_as_the_progress_file_never_hangs(tmp_path):
    for kind in ("fifo", "folder"):
        data = tmp_path / kind
        data.mkdir()
        if kind == "fifo":
            os.mkfifo(data / "progress.json")
        else:
            (data / "progress.json").mkdir()
        result = run_app("--smoke", env=app_env(data, tmp_path), timeout=30)
        assert result.returncode == 0 and "progress file" in result.stderr, result.stderr


@pytest.mark.parametrize("content", [b"[General\nlanguage=ja\n", b"\xff\xfe\x00garbage", b"[General]\nlanguage=xx\n",
                                     b"[window]\ngeometry=@ByteArray(\\xff\\x00junk)\n", b"[General]\nlanguage=@Variant(\\0)\n"])
def test_damaged_settings_never_stop_a_start(tmp_path, content):
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.ini").write_bytes(content)
    result = run_app("--smoke", env=app_env(data, tmp_path))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def test_a_damaged_program_cache_is_rebuilt(tmp_path):
    data = tmp_path / "data"
    assert run_app("--smoke=resume", env=app_env(data, tmp_path)).returncode == 0
    (cached,) = (data / "cache").glob("program-*.json")
    good = cached.read_bytes()
    for damage in [b"", b"{", good.replace(b"2023-04-21", b"9999-12-31"), b"[" * 200_000]:
        cached.write_bytes(damage)
        result = run_app("--smoke=resume", env=app_env(data, tmp_path))  # resume: the cache is rewritten
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert json.loads(result.stdout.splitlines()[-1])["page"] == "welcome"


def test_a_fifo_as_the_program_cache_or_the_program_file_never_hangs(tmp_path):
    data = tmp_path / "data"
    assert run_app("--smoke", env=app_env(data, tmp_path)).returncode == 0
    (cached,) = (data / "cache").glob("program-*.json")
    cached.unlink()
    os.mkfifo(cached)
    for _start in range(2):  # the first start puts a real cache in its place; the second reads that
        result = run_app("--smoke", env=app_env(data, tmp_path), timeout=30)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert cached.is_file()
    os.mkfifo(tmp_path / "program.toml")
    result = run_app("plan", str(Path(__file__).parents[2] / "examples" / "01-card-only.toml"), "--program",
                     str(tmp_path / "program.toml"), env=app_env(data, tmp_path), timeout=30)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "program.toml" in result.stderr


def test_a_read_only_data_folder_with_a_damaged_file(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "ro"
    mount_tmpfs(data, "1m")
    try:
        (data / "progress.json").write_bytes(b"{damaged")
        subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
        result = run_app("--smoke", env=app_env(data, tmp_path))
        assert result.returncode == 0 and "progress file" in result.stderr, result.stderr
        monkeypatch.setenv("KWC_DESKTOP_DATA_DIR", str(data))
        window = build_window(QApplication.instance(), secrets=SessionSecrets(), lang="en", open_keyring=False)
        qtbot.addWidget(window)
        assert "is damaged" in window.notices["loaded"].text()
        window.context.session.answers.page = "consent"
        assert not window.context.save_now()  # nothing can be written there, and that is said
        assert "Could not save your progress" in window.notices["autosave"].text()
        assert (data / "progress.json").read_bytes() == b"{damaged"  # and never overwritten
        window.close()
    finally:
        unmount(data)


def test_a_full_disk_leaves_no_temp_files_and_says_so_until_a_save_succeeds(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "full"
    mount_tmpfs(data, "256k")
    try:
        filler = data / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:  # fill every block
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        monkeypatch.setenv("KWC_DESKTOP_DATA_DIR", str(data))
        for start in range(3):
            window = build_window(QApplication.instance(), secrets=SessionSecrets(), lang="en", open_keyring=False)
            qtbot.addWidget(window)
            window.context.session.answers.page = "consent"
            assert not window.context.save_now()
            assert "Could not save your progress" in window.notices["autosave"].text()
            if start < 2:
                window.close()
        leftovers = [p.name for p in data.rglob("*") if p.name.endswith(".tmp")]
        assert leftovers == []  # neither the progress store nor the program cache left one
        filler.unlink()  # space again: Retry saves, and the notice goes
        window.show()
        assert window.notices["autosave"].button.isVisible()
        qtbot.mouseClick(window.notices["autosave"].button, Qt.MouseButton.LeftButton)
        assert window.notices["autosave"].text() == ""
        assert ProgressStore(data).load().state["page"] == "consent"
        window.close()
    finally:
        unmount(data)


def test_each_damaged_settings_file_is_kept_under_a_name_of_its_own(tmp_path):
    import sys

    def notice(read_only: bool) -> str:  # each in a process of its own, as each start is (Qt caches the file)
        code = ("from kwc_desktop.app import settings; "
                f"_c, n = settings(read_only={read_only}); print(n.key if n else '')")
        env = app_env(tmp_path, tmp_path)
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                              cwd=Path(__file__).parents[2]).stdout.strip()

    path = tmp_path / "settings.ini"
    for damage in (b"[General\nfirst=1\n", b"[General\nsecond=2\n"):
        path.write_bytes(damage)
        assert notice(read_only=True) == "settings.damaged_left" and path.read_bytes() == damage  # --smoke
        assert notice(read_only=False) == "settings.moved_damaged" and not path.exists()
    kept = sorted(p.read_bytes() for p in tmp_path.glob("settings.damaged*.ini"))
    assert kept == [b"[General\nfirst=1\n", b"[General\nsecond=2\n"]  # the second did not overwrite the first
