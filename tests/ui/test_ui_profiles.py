"""Profiles go both ways in the window: File → Save profile as… writes what was entered as the profile
`plan` reads (no SID, no secret), File → Open says what it loaded and the title names it, and the File menu
remembers the recent ones."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox

from kwc_desktop.domain.answers import AccountEntry, DoneScope
from tests.conftest import REPO
from tests.reliability.conftest import app_env, run_app
from tests.wizard_helpers import open_window, settle

SID = "AC" + "0123456789abcdef" * 2


def enter_accounts(window) -> None:  # noqa: ANN001
    context = window.context
    context.session.add_account(AccountEntry("本番 \"main\"", "ops@example.com", "standard",
                                                 {"payment": "paypal", "paypal_2022_usd": __import__("decimal").Decimal("4800")}))
    context.session.add_account(AccountEntry("Staging", "ops@example.com", "trial", {"hq_sms": True}))
    context.session.answers.owner_facts["ops@example.com"] = {"owner_change_planned": True}
    context.session.answers.done[DoneScope.owner("ops@example.com")] = {"consent/submit-form"}
    context.keeper.write_secret("Staging", "sid", SID)
    context.touch()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_save_profile_as_writes_what_plan_reads_and_no_sid(qtbot, tmp_path, lang):
    window = open_window(qtbot, lang)
    enter_accounts(window)
    settle(qtbot, window)
    target = tmp_path / "saved"
    assert window.save_profile_file(target) is None  # ".toml" is added
    saved = tmp_path / "saved.toml"
    text = saved.read_text(encoding="utf-8")
    assert SID not in text and SID[2:] not in text
    said = window.statusBar().currentMessage()
    assert str(saved) in said and {"en": "no SIDs or tokens", "ja": "SIDとトークンは含めていません"}[lang] in said
    assert window.windowTitle().startswith("saved.toml — ")
    assert window.save_profile_action.text() == {"en": "&Save profile as…", "ja": "プロファイルに名前を付けて保存(&S)…"}[lang]
    plan = run_app("plan", str(saved), "--json", "--as-of", "2023-04-10T10:00", env=app_env(tmp_path / "data"))
    assert plan.returncode == 0, plan.stderr
    accounts = {a["label"]: a for owner in json.loads(plan.stdout)["owners"] for a in owner["accounts"]}
    assert set(accounts) == {"本番 \"main\"", "Staging"}
    window_plan = {s.procedure.id for s in window.context.session.plan().statuses()}
    cli_plan = {p["id"] for owner in json.loads(plan.stdout)["owners"] for p in owner.get("procedures", [])} | \
        {p["id"] for a in accounts.values() for p in a.get("procedures", [])}
    assert window_plan == cli_plan


def test_saving_with_no_account_says_so(qtbot, tmp_path):
    window = open_window(qtbot, "ja")
    error = window.save_profile_file(tmp_path / "empty.toml")
    assert error is not None and "アカウント" in error and not (tmp_path / "empty.toml").exists()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_open_names_what_it_loaded_and_recent_profiles_reopen(qtbot, tmp_path, monkeypatch, lang):
    window = open_window(qtbot, lang)
    first, second = REPO / "examples" / "01-card-only.toml", REPO / "examples" / "05-bundles.toml"
    assert window.open_profile_file(first) is None
    assert window.windowTitle().startswith("01-card-only.toml — ")
    said = window.statusBar().currentMessage()
    assert str(first) in said and {"en": "Opened", "ja": "読み込みました"}[lang] in said
    assert window.open_profile_file(second) is None
    window.file_menu.aboutToShow.emit()  # File opens: Open recent is made and filled
    assert window.recent_menu is not None and window.recent_menu.title() == {"en": "Open &recent", "ja": "最近使ったプロファイル(&R)"}[lang]
    actions = [a for a in window.recent_menu.actions() if a.isEnabled()]
    assert [a.text() for a in actions][:2] == ["05-bundles.toml", "01-card-only.toml"]  # newest first
    monkeypatch.setattr(QMessageBox, "question", lambda *_args, **_kw: QMessageBox.StandardButton.Yes)
    actions[1].trigger()  # File → Open recent → 01-card-only.toml
    settle(qtbot, window)
    assert window.windowTitle().startswith("01-card-only.toml — ")
    labels = [a.label for a in window.context.session.answers.accounts]
    from kwc_desktop.domain.answers import answers_from_profile
    from kwc_desktop.services.profiles import load_profile

    assert labels == [a.label for a in answers_from_profile(load_profile(first, window.context.session.program))[0].accounts]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_profile_with_an_unknown_field_names_the_fields_not_a_file_of_the_source_tree(qtbot, tmp_path, lang):
    """File → Open of a profile with a misspelt field: the message lists what may be written there (the
    installed app has no docs/ folder to point at), and the window keeps what it had."""
    window = open_window(qtbot, lang)
    window.context.session.add_account(AccountEntry("Kept", "it@example.com"))
    text = (REPO / "examples" / "02-invoice-hq-sms.toml").read_text(encoding="utf-8")
    top, account = tmp_path / "top.toml", tmp_path / "account.toml"
    top.write_text("colour = 1\n" + text, encoding="utf-8")
    account.write_text(text.replace('label = "Notifications"', 'label = "Notifications"\nlabl = "x"', 1),
                       encoding="utf-8")
    for path, field, allowed in ((top, "colour", "owners"), (account, "labl", "transferred_on")):
        error = window.open_profile_file(path)
        assert error is not None and field in error and allowed in error, error
        assert "docs/" not in error and ".md" not in error
    assert [a.label for a in window.context.session.answers.accounts] == ["Kept"]
