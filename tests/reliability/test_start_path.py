"""The real start path: the installed `kwc-desktop` process, its deferred pages and its asynchronous
keyring, resumed from every page — with the real gnome-keyring of the test session and without any."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from kwc_desktop.domain.answers import answers_from_profile
from kwc_desktop.domain.profile import read_profile
from kwc_desktop.services.progress import ProgressStore
from tests.reliability.conftest import IN_CI, app_env, installed_app, run_app

# One account for which every page applies: Billing (HQ SMS), Payment (PayPal), Bundles.
PROFILE = b"""profile = 1
[[owners]]
email = "it@example.com"
owner_change_planned = false
  [[owners.accounts]]
  label = "Start path"
  payment = "paypal"
  hq_sms = true
  dedicated_sms_sender = false
  ported_toll_free = false
  editions = false
  has_bundles = true
"""
PAGES = ["welcome", "accounts", "consent", "options", "billing", "payment", "bundles", "summary"]
SID = "AC5ad0" + "0" * 24 + "0001"
real_keyring = pytest.mark.skipif(not IN_CI and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
                                  reason="needs the dbus session and gnome-keyring scripts/test.sh starts")


def saved_state(program, folder: Path, page: str) -> ProgressStore:
    answers, _sids, _bundles = answers_from_profile(read_profile(PROFILE, program))
    answers.page = page
    store = ProgressStore(folder)
    store.save(answers.to_json(program))
    return store


def resumed(env: dict[str, str]) -> dict:
    result = run_app("--smoke=resume", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("page", PAGES)
def test_resumes_on_every_page_without_a_keyring(program, tmp_path, page):
    saved_state(program, tmp_path / "data", page)
    report = resumed(app_env(tmp_path / "data", tmp_path, DBUS_SESSION_BUS_ADDRESS="disabled:"))
    assert report["page"] == page
    assert report["keyring"] is None and report["accounts"] == 1
    assert any("keyring is not available" in n for n in report["notices"])


@real_keyring
@pytest.mark.parametrize("page", PAGES)
def test_resumes_on_every_page_with_the_real_keyring(program, tmp_path, page):
    from kwc_desktop.services.secrets import open_keyring

    saved_state(program, tmp_path / "data", page)
    keyring = open_keyring()
    keyring.set("Start path", "sid", SID)
    try:
        report = resumed(app_env(tmp_path / "data"))  # the session's own HOME and dbus: the real keyring
    finally:
        keyring.delete("Start path", "sid")
    assert report == {"page": page, "keyring": "SecretService Keyring", "sids": 1, "tokens": 0, "accounts": 1,
                      "notices": [], "collecting": True}


def _start(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([str(installed_app())], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_starting_never_overwrites_the_saved_page_and_a_signal_quits_cleanly(program, tmp_path):
    store = saved_state(program, tmp_path / "data", "summary")
    before = json.loads(store.path.read_text(encoding="utf-8"))
    app = _start(app_env(tmp_path / "data", tmp_path, DBUS_SESSION_BUS_ADDRESS="disabled:"))
    try:
        time.sleep(2.5)  # shown, resumed, and well past the autosave delay
        assert app.poll() is None, app.communicate()
        app.send_signal(signal.SIGTERM)  # a logout: the window closes as Quit does
        out, err = app.communicate(timeout=20)
    finally:
        app.kill()
    assert app.returncode == 0, err
    after = json.loads(store.path.read_text(encoding="utf-8"))
    assert after["state"]["page"] == "summary"
    assert after["state"] == before["state"]


def test_a_second_window_is_refused_while_the_first_runs(program, tmp_path):
    saved_state(program, tmp_path / "data", "options")
    env = app_env(tmp_path / "data", tmp_path, DBUS_SESSION_BUS_ADDRESS="disabled:")
    first = _start(env)
    try:
        time.sleep(2.0)
        second = _start(env)  # says so on stderr, and in a message box a user closes
        try:
            assert second.stderr is not None
            assert "kwc-desktop is already running" in second.stderr.readline()
        finally:
            second.kill()
            second.communicate()
        assert resumed(env)["page"] == "options"  # --smoke only reads: it may run beside the app
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=20)
    assert first.returncode == 0


@pytest.mark.parametrize(("lang", "expected"), [("en_US.UTF-8", "There is no display"),
                                                ("ja_JP.UTF-8", "画面(ディスプレイ)がない")])
def test_no_display_is_one_clear_line_and_exit_2(tmp_path, lang, expected):
    env = {k: v for k, v in app_env(tmp_path / "data", tmp_path, LANG=lang).items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = run_app(env=env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr and "kwc-desktop plan" in result.stderr
    assert not (tmp_path / "data" / "progress.json").exists()


def test_an_unreachable_display_is_refused_too(tmp_path):
    env = {k: v for k, v in app_env(tmp_path / "data", tmp_path).items() if k not in ("WAYLAND_DISPLAY",
                                                                                      "QT_QPA_PLATFORM")}
    env["DISPLAY"] = ":93"  # nothing listens there
    result = run_app(env=env)
    assert result.returncode == 2 and "DISPLAY=:93" in result.stderr
