"""Regressions for problems a review of the CLI and profile code found."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kwc_desktop.domain.profile import ProfileError
from kwc_desktop.services.profiles import load_profile
from kwc_desktop.services.progress import ProgressRefused, ProgressStore
from tests.conftest import REPO

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


OWNER = '[[owners]]\nemail = "a@example.com"\n'
ACCOUNT = '[[owners.accounts]]\nlabel = "P"\n'


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kwc_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=60, env={**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"})


def profile(tmp_path, text: str, name: str = "p.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["o", "owners", "own.toml"])
def test_the_file_name_always_starts_the_error(program, tmp_path, name):
    path = profile(tmp_path, "profile = 1\n" + OWNER + ACCOUNT + 'payment = "cash"\n', name)
    with pytest.raises(ProfileError) as error:
        load_profile(path, program)
    assert error.value.message("en").startswith(f"{name}: owners[0] <a@example.com> accounts[0] 'P': ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("profile = true\n" + OWNER + ACCOUNT, "“profile = 1” is required (found: true)"),
        ("profile = 1.0\n" + OWNER + ACCOUNT, "“profile = 1” is required (found: 1.0)"),
        ('profile = "1"\n' + OWNER + ACCOUNT, '“profile = 1” is required (found: "1")'),
        (OWNER + ACCOUNT, "p.toml: “profile = 1” is missing."),
        ("profile = 1\nnmae = 'x'\n" + OWNER + ACCOUNT, "p.toml: unknown field “nmae”"),
        ("profile = 1\n" + OWNER + 'kind = "trial"\n' + ACCOUNT, "“kind” belongs in each [[owners.accounts]]"),
        ("profile = 1\n" + OWNER + 'done = ["paypal-card"]\n' + ACCOUNT, "“paypal-card” is done per account"),
        ("profile = 1\n" + OWNER + ACCOUNT + 'done = ["consent"]\n', "“consent” is done once per owner"),
    ],
)
def test_silently_ignored_input_is_now_an_error(program, tmp_path, text, message):
    with pytest.raises(ProfileError) as error:
        load_profile(profile(tmp_path, text), program)
    assert message in error.value.message("en")


def test_empty_as_of_is_an_error_not_now(tmp_path):
    result = run("plan", str(REPO / "examples" / "01-card-only.toml"), "--as-of", "")
    assert result.returncode == 2 and "is not a date or time" in result.stderr


def test_bundle_date_follows_the_procedure(tmp_path):
    path = profile(tmp_path, "profile = 1\n" + OWNER + "has_bundles = true\n" + ACCOUNT)
    account = json.loads(run("plan", str(path), "--as-of", "2023-04-01", "--json").stdout)["owners"][0]["accounts"][0]
    assert account["bundle_usable_until"] == "2023-07-21"  # 2023-04-22, the earliest transfer day, + 90 days
    path = profile(tmp_path, "profile = 1\n" + OWNER + ACCOUNT + "has_bundles = false\n"
                   'bundles = ["BU0123456789abcdef0123456789abcdef"]\n')
    account = json.loads(run("plan", str(path), "--as-of", "2023-04-01", "--json").stdout)["owners"][0]["accounts"][0]
    assert account["bundle_usable_until"] is None
    assert not any(p["id"] == "bundle-reverification" for p in account["procedures"])


def test_owner_reasons_are_not_repeated():
    plan = json.loads(run("plan", str(REPO / "examples" / "06-trial-suspended-owner-change.toml"),
                          "--as-of", "2023-04-01", "--json").stdout)
    support = next(p for p in plan["owners"][0]["procedures"] if p["id"] == "support-switch")
    assert len(support["reasons"]) == len(set(support["reasons"])) == 1


def test_the_bundles_usable_until_day_is_not_a_deadline():
    """The notice: existing Bundles stay usable at least 90 days; the re-verification deadline comes from
    Twilio Japan after the transfer. So once the last deadline the sources give (May 22) has passed,
    everything has, whatever the Bundles' usable-until day."""
    path = str(REPO / "examples" / "05-bundles.toml")
    assert json.loads(run("plan", path, "--as-of", "2023-05-22T23:59", "--json").stdout)["all_deadlines_passed"] is False
    after = json.loads(run("plan", path, "--as-of", "2023-05-23", "--json").stdout)
    assert after["all_deadlines_passed"] is True
    bundles = next(p for a in after["owners"][0]["accounts"] for p in a["procedures"]
                   if p["id"] == "bundle-reverification")
    assert all(step["deadline"] is None or step["deadline"]["at"] < "2023-05-23" for step in bundles["steps"])
    assert after["owners"][0]["accounts"][0]["bundle_usable_until"] == "2023-07-19"


def test_progress_refuses_token_shaped_values(tmp_path):
    with pytest.raises(ProgressRefused):
        ProgressStore(tmp_path).save({"note": "0123456789abcdef0123456789abcdef"})
    ProgressStore(tmp_path).save({"note": "0123456789abcdef0123456789abcdef0"})  # 33 digits: not a token


def test_keyring_lookup_tells_found_missing_and_unavailable_apart(tmp_path):
    path = str(REPO / "examples" / "08-many-owners-keyring.toml")
    no_bus = subprocess.run(
        [sys.executable, "-m", "kwc_desktop", "plan", path, "--keyring", "--json", "--as-of", "2023-04-01"],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=60,
        # No keyring: no session bus on Linux; on Windows (where one always exists) keyring's "fail" backend.
        env={**os.environ, "HOME": str(tmp_path), **({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
                                                     if sys.platform == "win32"
                                                     else {"DBUS_SESSION_BUS_ADDRESS": "disabled:"})},
    )
    accounts = [a for o in json.loads(no_bus.stdout)["owners"] for a in o["accounts"]]
    assert {a["sid_source"] for a in accounts} == {"keyring-unavailable"}


@pytest.mark.skipif(os.environ.get("KWC_TEST_REAL_KEYRING") != "1" and sys.platform != "win32",
                    reason="needs scripts/test.sh's keyring (or Windows' Credential Manager)")
def test_keyring_lookup_with_the_real_keyring():
    from kwc_desktop.services.secrets import open_keyring

    store = open_keyring()
    store.set("HQ main", "sid", "AC" + "ab" * 16)
    try:
        result = run("plan", str(REPO / "examples" / "08-many-owners-keyring.toml"), "--keyring", "--json",
                     "--as-of", "2023-04-01")
        accounts = {a["label"]: a for o in json.loads(result.stdout)["owners"] for a in o["accounts"]}
        assert (accounts["HQ main"]["sid"], accounts["HQ main"]["sid_source"]) == ("ACab…abab", "keyring")
        assert accounts["R&D sandbox"]["sid_source"] == "keyring-missing"
        assert "AC" + "ab" * 16 not in result.stdout
    finally:
        store.delete("HQ main", "sid")


def test_smoke_never_writes_progress_or_settings(tmp_path):
    from kwc_desktop.services.progress import ProgressStore

    ProgressStore(tmp_path).save({"page": "payment", "accounts": [{"label": "Main", "owner_email": "a@example.com"}]})
    before = (tmp_path / "progress.json").read_bytes()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KWC_DESKTOP_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "kwc_desktop", "--smoke"], env=env, capture_output=True, timeout=60)
    assert result.returncode == 0
    assert (tmp_path / "progress.json").read_bytes() == before
    assert not (tmp_path / "settings.ini").exists()


def test_reopening_a_profile_keeps_the_secrets_of_accounts_it_names_again(qtbot):
    from kwc_desktop.services.secrets import SessionSecrets
    from tests.wizard_helpers import open_window, settle

    secrets = SessionSecrets()
    secrets.set("HQ main", "sid", "AC" + "ab" * 16)
    secrets.set("HQ main", "token", "f" * 32)
    secrets.set("Gone", "token", "e" * 32)
    window = open_window(qtbot, "en", secrets=secrets)
    window.context.session.add_account(__import__("kwc_desktop.domain.answers", fromlist=["x"]).AccountEntry(
        "Gone", "x@example.com"))
    profile = REPO / "examples" / "08-many-owners-keyring.toml"
    assert window.open_profile_file(profile) is None
    settle(qtbot, window)
    assert secrets.get("HQ main", "token") == "f" * 32  # named again: kept
    assert secrets.get("Gone", "token") is None  # dropped by the profile: forgotten
    assert window.context.session.secrets.sids["HQ main"].value == "AC" + "ab" * 16  # read from the keyring after opening


def test_profile_facts_land_where_the_wizard_asks_them(program):
    from kwc_desktop.domain.answers import answers_from_profile

    owner_level = load_profile(REPO / "examples" / "08-many-owners-keyring.toml", program)
    answers, _, _ = answers_from_profile(owner_level)
    hq = answers.account("HQ main")
    assert hq is not None and hq.facts["hq_sms"] is False  # written on the owner, asked per account
    account_level = load_profile(REPO / "examples" / "01-card-only.toml", program)
    answers, _, _ = answers_from_profile(account_level)
    assert answers.owner_facts["it-admin@example.com"]["owner_change_planned"] is False  # asked per owner
    assert "owner_change_planned" not in answers.account("Production").facts
