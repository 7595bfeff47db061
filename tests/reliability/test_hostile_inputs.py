"""The inputs that broke the app when it was tried by hand, each now refused with a message naming the
limit — in the command line (one line, exit 2) and in the wizard (beside the field) — and nothing lost."""

from __future__ import annotations

import os
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from kwc_desktop.domain.csv_import import parse_accounts_csv
from kwc_desktop.domain.limits import MAX_CSV_BYTES
from kwc_desktop.domain.sid import parse_sid_list
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.files import read_user_file
from kwc_desktop.services.paths import app_data_dir
from kwc_desktop.services.progress import ProgressStore
from kwc_desktop.ui.wizard import Page
from tests.reliability.conftest import app_env, run_app
from tests.wizard_helpers import go_to, open_window, settle, type_text, with_modal

HEAD = 'profile = 1\n[[owners]]\nemail = "it@example.com"\n[[owners.accounts]]\nlabel = "P"\n'


def plan(tmp_path, text: str | None = None, path=None, *extra: str):  # noqa: ANN001, ANN201
    if path is None:
        path = tmp_path / "p.toml"
        path.write_text(text or "", encoding="utf-8")
    return run_app("plan", str(path), *extra, env=app_env(tmp_path / "data", tmp_path))


@pytest.mark.parametrize(("text", "expected"), [
    (HEAD + "x = " + "[" * 500 + "]" * 500 + "\n", "nested too deeply"),
    (HEAD + 'paypal_2022_usd = "1e999999999"\n', "must be a number"),
    (HEAD + "paypal_2022_usd = 1e300\n", "must be a number"),
    (HEAD + 'paypal_2022_usd = "NaN"\n', "must be a number"),
    (HEAD + 'paypal_2022_usd = "5000000000000"\n', "too large"),
    (HEAD + "transferred_on = 9999-12-31\n", "out of range"),
    (HEAD + "transferred_on = 1999-12-31\n", "out of range"),
    (HEAD.replace('"P"', '"AC0123456789abcdef0123456789abcdef"'), "shaped like a SID"),
])
def test_profiles_that_once_crashed_or_overflowed(tmp_path, text, expected):
    result = plan(tmp_path, text)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_a_fifo_dev_zero_and_a_13_mb_profile_are_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert "not a regular file" in plan(tmp_path, path=fifo).stderr  # no hang waiting for a writer
    assert "not a regular file" in plan(tmp_path, path="/dev/zero").stderr  # no MemoryError
    big = tmp_path / "big.toml"
    accounts = "".join(f'[[owners.accounts]]\nlabel = "A{n}"\nsid = "AC{n:032x}"\n' for n in range(200_000))
    big.write_text('profile = 1\n[[owners]]\nemail = "it@example.com"\n' + accounts, encoding="utf-8")
    assert big.stat().st_size > 13_000_000
    result = plan(tmp_path, path=big)
    assert result.returncode == 2 and "too large (at most 2 MiB)" in result.stderr


def test_too_many_accounts_within_the_size_limit(tmp_path):
    accounts = "".join(f'[[owners.accounts]]\nlabel = "A{n}"\n' for n in range(5001))
    result = plan(tmp_path, 'profile = 1\n[[owners]]\nemail = "it@example.com"\n' + accounts)
    assert result.returncode == 2 and "at most 5000" in result.stderr


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01T00:00", "2023-04-21T23:59+14:00x"])
def test_far_or_broken_as_of(tmp_path, as_of):
    result = plan(tmp_path, HEAD, None, "--as-of", as_of)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(("raw", "key"), [
    (b"\xff\xfe" + "label,owner_email,account_sid\n".encode("utf-16-le") + b"\x00", "csv.bad_encoding"),
    (b"\xfe\xff\x00", "csv.bad_encoding"),
    (b"label,owner_email,account_sid\nP,it@example.com," + b"x" * 200_000 + b"\n", "csv.cell_too_long"),
    (b"owner_email,account_sid\n" + b"it@example.com,AC" + b"0" * 32 + b"\n" * 1, None),
])
def test_csv_bytes_that_once_raised(program, raw, key):
    if key is None:
        assert len(parse_accounts_csv(raw, program).accepted) == 1
        return
    with pytest.raises(UserError) as error:
        parse_accounts_csv(raw, program)
    assert error.value.key == key


def test_a_million_rows_are_refused_without_reading_them_all(program, tmp_path):
    rows = b"owner_email,account_sid\n" + b"a@b.co,x\n" * 1_000_000
    with pytest.raises(UserError) as error:
        parse_accounts_csv(rows, program)  # 9 MB in memory already: refused by size
    assert error.value.key == "file.too_large"
    small = b"owner_email,account_sid\n" + b"a,b\n" * 1_000_000  # 4 MB: under the size limit
    assert len(small) <= MAX_CSV_BYTES
    with pytest.raises(UserError) as error:
        parse_accounts_csv(small, program)
    assert error.value.key == "csv.too_many_rows" and error.value.params["max"] == 5000
    path = tmp_path / "huge.csv"
    path.write_bytes(rows)
    with pytest.raises(UserError) as error:
        read_user_file(path, MAX_CSV_BYTES)  # the GUI never even reads it
    assert error.value.key == "file.too_large"


def test_pasting_20000_sids_keeps_every_one_and_only_once():
    sids = [f"AC{n:032x}" for n in range(20_000)]
    result = parse_sid_list("\n".join(sids + sids[:100]))
    assert len(result.accepted) == 20_000 and len(result.duplicates) == 100 and not result.rejected


def test_a_far_bundle_date_cannot_be_typed(qtbot):
    from kwc_desktop.domain.answers import AccountEntry

    window = open_window(qtbot, "en")
    context = window.context
    context.session.add_account(AccountEntry("P", "it@example.com", facts={"has_bundles": True}))
    context.touch()
    go_to(qtbot, window, Page.BUNDLES)
    page = window.wizard.page(Page.BUNDLES)
    page.transfer.setDate(QDate(9999, 12, 31))  # what typing or the calendar could ask for
    assert page.transfer.date() == QDate(2099, 12, 31)
    assert context.session.answers.account("P").transferred_on == date(2099, 12, 31)
    assert context.save_now()
    saved = ProgressStore(app_data_dir()).load().state
    assert saved["accounts"][0]["transferred_on"] == "2099-12-31"
    window.close()


def test_sid_shaped_text_in_a_label_or_an_english_field_is_refused_beside_it_and_saving_goes_on(qtbot):
    window = open_window(qtbot, "en")
    context = window.context
    go_to(qtbot, window, Page.ACCOUNTS)
    page = window.wizard.page(Page.ACCOUNTS)
    seen: dict[str, object] = {}

    def fill(dialog) -> None:  # noqa: ANN001
        qtbot.keyClicks(dialog.label, "AC0123456789abcdef0123456789abcdef")
        qtbot.keyClicks(dialog.email.lineEdit(), "it@example.com")
        seen["message"] = dialog.messages["label"].text()
        seen["ok"] = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        dialog.label.clear()
        qtbot.keyClicks(dialog.label, "Prod")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    with_modal(fill)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "shaped like a SID" in str(seen["message"]) and seen["ok"] is False
    context.session.answers.accounts[0].facts["hq_sms"] = True
    context.touch()
    go_to(qtbot, window, Page.BILLING)
    billing = window.wizard.page(Page.BILLING)
    field = billing.fields["company-name-en"]
    type_text(qtbot, field, "Example KK 0123456789abcdef0123456789abcdef")
    assert "shaped like a SID" in billing.messages["company-name-en"].text()
    assert field.text().endswith("abcdef")  # what was typed stays in the field
    assert context.save_now()  # and the rest still saves
    assert context.save_problem is None and window.notices["autosave"].text() == ""
    text = (app_data_dir() / "progress.json").read_text(encoding="utf-8")
    assert "Prod" in text and "0123456789abcdef0123456789abcdef" not in text
    window.close()  # quitting is quiet
