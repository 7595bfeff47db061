"""Progress autosave: atomic, versioned, damaged files moved aside, and no secrets ever."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from kwc_desktop.services.progress import PROGRESS_VERSION, ProgressRefused, ProgressStore, ProgressWriteFailed

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


REPO = Path(__file__).resolve().parents[2]


def test_round_trip(tmp_path):
    store = ProgressStore(tmp_path / "new-folder")
    assert store.load().state == {}
    state = {"page": "consent", "answers": {"A": {"payment": "paypal"}}, "done": ["consent/submit-form"],
             "company": "株式会社サンプル"}
    store.save(state)
    loaded = store.load()
    assert loaded.state == state and loaded.notice is None
    document = json.loads(store.path.read_text(encoding="utf-8"))
    assert document["version"] == PROGRESS_VERSION
    assert "株式会社サンプル" in store.path.read_text(encoding="utf-8")


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe garbage", b"[]", b'{"version": 1}', b""])
def test_a_damaged_file_is_moved_aside_and_reported(tmp_path, content):
    store = ProgressStore(tmp_path)
    store.path.write_bytes(content)
    loaded = store.load()
    assert loaded.state == {}
    assert loaded.notice is not None and loaded.notice.key == "progress.moved_corrupt"
    kept = list(tmp_path.glob("progress.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == content  # the user's data is kept, not dropped
    assert str(kept[0]) in loaded.notice.message("en")
    assert "退避" in loaded.notice.message("ja")
    assert not store.path.exists()


def test_a_newer_version_is_moved_aside_and_reported(tmp_path):
    store = ProgressStore(tmp_path)
    store.path.write_text(json.dumps({"version": PROGRESS_VERSION + 1, "state": {"x": 1}}), encoding="utf-8")
    loaded = store.load()
    assert loaded.notice.key == "progress.moved_newer"
    assert len(list(tmp_path.glob(f"progress.v{PROGRESS_VERSION + 1}-*.json"))) == 1


def test_something_shaped_like_a_sid_is_never_written(tmp_path):
    store = ProgressStore(tmp_path)
    store.save({"ok": True})
    with pytest.raises(ProgressRefused) as refused:
        store.save({"label": "Prod", "note": "AC0123456789ABCDEF0123456789abcdef"})
    assert "AC01" not in refused.value.message("en")
    assert store.load().state == {"ok": True}  # the previous file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]  # and no temp file left


def test_an_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ProgressWriteFailed) as error:
        ProgressStore(blocker / "sub").save({"a": 1})
    assert "保存できませんでした" in error.value.message("ja")


def test_stale_temp_files_from_a_crash_are_cleaned(tmp_path):
    stale = tmp_path / ".progress-abc.tmp"
    stale.write_text("half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".progress-def.tmp"
    fresh.write_text("in progress")
    assert ProgressStore(tmp_path).remove_temp_files() == 1
    assert not stale.exists() and fresh.exists()
    assert ProgressStore(tmp_path).remove_temp_files(every_one=True) == 1  # the instance lock is held
    assert not fresh.exists()


def test_the_data_folder_is_the_platforms_own(monkeypatch, tmp_path):
    """%APPDATA%\\kwc-desktop on Windows, $XDG_DATA_HOME/kwc-desktop on Linux: where it always was."""
    import sys

    from kwc_desktop.services.paths import DATA_DIR_ENV, app_data_dir

    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    if sys.platform == "win32":
        expected = Path(os.environ["APPDATA"]) / "kwc-desktop"
    else:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        expected = tmp_path / "data" / "kwc-desktop"
    assert app_data_dir() == expected
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "portable"))
    assert app_data_dir() == tmp_path / "portable"


def test_the_data_folder_is_absolute_whatever_home_says(monkeypatch, tmp_path):
    """A relative or missing HOME (a service, a broken login) must not put the user's data somewhere relative
    to wherever the app was started, nor under /. platformdirs falls back to the account's home; Qt's own
    QStandardPaths does not (docs/architecture.md, "Decisions worth knowing"), which is why the app asks platformdirs."""
    import sys

    from kwc_desktop.services.paths import DATA_DIR_ENV, app_data_dir

    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    for home in ("relative-home", None):
        if home is None:
            monkeypatch.delenv("HOME", raising=False)
        else:
            monkeypatch.setenv("HOME", home)
        folder = app_data_dir()
        assert folder.is_absolute(), folder
        assert folder.name == "kwc-desktop"
        if sys.platform != "win32":
            import pwd

            assert folder == Path(pwd.getpwuid(os.getuid()).pw_dir) / ".local" / "share" / "kwc-desktop"
