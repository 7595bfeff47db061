"""CSV import as Excel in Japan saves it: CP932, UTF-8 with BOM, CRLF, and rows that must be rejected."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from kwc_desktop.domain.csv_import import decode_csv, parse_accounts_csv
from kwc_desktop.domain.text import UserError
from kwc_desktop.ui.wizard import Page
from tests.wizard_helpers import go_to, open_window, settle, with_modal

SID1, SID2, SID3 = "AC" + "1" * 32, "AC" + "2" * 32, "AC" + "3" * 32
ROWS = (
    "ラベル,オーナーメールアドレス,Account SID,種類\r\n"
    f"本番,IT@Example.com,{SID1},standard\r\n"
    f"検証,it@example.com,{SID2.upper()},trial\r\n"
    "壊れた行,it@example.com,AC123,standard\r\n"
    f"メールなし,,{SID3},standard\r\n"
    f"重複,it@example.com,{SID1},standard\r\n"
    f"種類違い,it@example.com,{'AC' + '4' * 32},free\r\n"
    "\r\n"
)


pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


@pytest.mark.parametrize(("encoding", "raw", "name"), [
    ("cp932", ROWS.encode("cp932"), "Shift_JIS (CP932)"),
    ("utf-8-sig", ROWS.encode("utf-8-sig"), "UTF-8"),
    ("utf-8", ROWS.replace("\r\n", "\n").encode("utf-8"), "UTF-8"),
    ("utf-16", ROWS.replace(",", "\t").encode("utf-16"), "UTF-16"),  # Excel's "Unicode text"
])
def test_every_encoding_gives_the_same_preview(program, encoding, raw, name):
    preview = parse_accounts_csv(raw, program)
    assert preview.encoding == name
    assert [(a.line, a.label, a.owner_email, a.sid.value, a.kind) for a in preview.accepted] == [
        (2, "本番", "it@example.com", SID1, "standard"),
        (3, "検証", "it@example.com", SID2, "trial"),
    ]
    assert [(r.line, r.error.key) for r in preview.rejected] == [
        (4, "sid.wrong_length"), (5, "email.empty"), (6, "csv.duplicate_sid"), (7, "csv.bad_kind"),
    ]
    assert "AC11…1111" in preview.rejected[2].text and SID1 not in preview.rejected[2].text  # masked in the preview
    assert preview.rejected[3].error.message("ja") == "種類「free」は使えません(closed, declined, invited, standard, suspended, trial, twilio-direct)。"


def test_labels_default_to_the_masked_sid_and_must_be_new(program):
    raw = f"owner_email,account_sid\nops@example.com,{SID1}\nops@example.com,{SID2}\n".encode()
    preview = parse_accounts_csv(raw, program, existing_labels={"AC22…2222"})
    assert [a.label for a in preview.accepted] == ["AC11…1111"]
    assert preview.rejected[0].error.key == "csv.duplicate_label"


@pytest.mark.parametrize(("raw", "key"), [
    (b"", "csv.empty"),
    (b"label,email\nx,y@example.com\n", "csv.missing_column"),
    (b"\x81\x39\xff\xfe\x00garbage\x80", "csv.bad_encoding"),
])
def test_files_that_cannot_be_read_at_all(program, raw, key):
    with pytest.raises(UserError) as error:
        parse_accounts_csv(raw, program)
    assert error.value.key == key


def test_decode_prefers_utf8_then_cp932():
    assert decode_csv("株式会社".encode()) == ("株式会社", "UTF-8")
    assert decode_csv("株式会社".encode("cp932")) == ("株式会社", "Shift_JIS (CP932)")


def test_import_through_the_accounts_page(qtbot, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_bytes(ROWS.encode("cp932"))
    window = open_window(qtbot, "ja")
    go_to(qtbot, window, Page.ACCOUNTS)
    page = window.wizard.page(Page.ACCOUNTS)
    shown: dict[str, str] = {}

    def accept(dialog: QDialog) -> None:
        shown["title"] = dialog.windowTitle()
        shown["import"] = dialog.import_button.text()
        dialog.accept()

    with_modal(accept)
    page.import_csv_file(path)  # read off the GUI thread; the preview opens when it is ready
    qtbot.waitUntil(lambda: len(window.context.session.answers.accounts) == 2, timeout=5000)
    settle(qtbot, window)
    assert shown == {"title": "CSVからのアカウント読み込み", "import": "2件のアカウントを読み込む(&I)"} or \
        shown["import"].endswith("(&I)")
    assert [a.label for a in window.context.session.answers.accounts] == ["本番", "検証"]
    assert window.context.session.secrets.sids["本番"].value == SID1
    assert window.wizard.button(window.wizard.WizardButton.NextButton).isEnabled()


def test_an_unreadable_csv_is_reported_on_the_page(qtbot, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"label,email\nx,y\n")
    window = open_window(qtbot, "en")
    go_to(qtbot, window, Page.ACCOUNTS)
    page = window.wizard.page(Page.ACCOUNTS)
    with qtbot.waitSignal(page.csv_previewed, timeout=5000) as previewed:
        page.import_csv_file(path)
    assert previewed.args == [None]
    assert page.message.text() == "broken.csv: The header on line 1 has no “account_sid” column."
    assert window.context.session.answers.accounts == []
