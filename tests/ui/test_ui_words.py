"""Words a user reads: counts in proper English plurals, "to do" (未完了) for a step not yet done, brand names in
Japanese on the Japanese Payment page, and the account dialog's errors only after typing, each under its field."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QWidget

from kwc_desktop.domain.csv_import import parse_accounts_csv
from kwc_desktop.domain.text import messages, placeholders
from kwc_desktop.ui.wizard import Page
from tests.conftest import REPO
from tests.ui.test_ui_language import shown_texts
from tests.wizard_helpers import each_page, go_to, open_window, settle, type_text

pytestmark = pytest.mark.windows

PROFILE = REPO / "examples" / "08-many-owners-keyring.toml"
SID1, SID2 = "AC" + "1" * 32, "AC" + "2" * 32


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_message_reads_right_for_one_and_for_two(lang):
    """No "(s)", and no plural form left as it is written in the catalogue, whatever the counts."""
    m = messages()
    wrong = []
    # the app's own limits and the days of a month or of six: never 1
    limits = {"max", "limit", "expected", "length", "days_in_month", "days_total"}
    for key in m.keys():
        fields = placeholders(m.text(key)(lang))
        for count in (1, 2):
            text = m(key, lang, **{f: 100 if f in limits else count for f in fields})
            if "(s)" in text or "|" in text or re.search(r"\b1 (day|account|row|number|deadline|page)s\b", text):
                wrong.append((key, text))
    assert wrong == []
    assert m("cli.days_left", lang, days=1) == ("1 day left" if lang == "en" else "あと1日")
    assert m("cli.days_left", lang, days=2) == ("2 days left" if lang == "en" else "あと2日")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_csv_preview_counts_one_account_and_one_row(qtbot, lang):
    from kwc_desktop.ui.dialogs.csv_preview import CsvPreviewDialog

    window = open_window(qtbot, lang)
    raw = f"label,owner_email,account_sid\nMain,ops@example.com,{SID1}\nBad,,{SID2}\n".encode()
    dialog = CsvPreviewDialog(window.context, parse_accounts_csv(raw, window.context.session.program), "a.csv", window)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = shown_texts(dialog)
    if lang == "en":
        assert any("1 account can be added, 1 row was rejected." in t for t in texts), texts
        assert dialog.import_button.text() == "&Import 1 account"
    else:
        assert any("1件のアカウントを追加できます。1行は読み込めません。" in t for t in texts), texts
        assert dialog.import_button.text() == "1件を読み込み(&I)"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_days_left_on_whats_next_are_singular_for_one(qtbot, lang):
    window = open_window(qtbot, lang, at="2023-04-13T10:00")  # the owner change's deadline is the next day
    window.open_profile_file(PROFILE)
    settle(qtbot, window)
    go_to(qtbot, window, Page.OVERVIEW)
    table = window.wizard.page(Page.OVERVIEW).panel.table
    table.parent().findChild(QWidget)  # the panel is built
    days = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert ("1 day left" if lang == "en" else "あと1日") in days, days
    assert not any(re.fullmatch(r"1 days.*|\d+ day(s)?|.*\(s\).*", d) for d in days), days


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_step_not_done_is_to_do_not_due(qtbot, lang):
    """Steps with no deadline (and all others not done yet) say "to do" as 未完了 does, never "due"."""
    window = open_window(qtbot, lang, at="2023-05-10T10:00")  # the support channel step: no deadline
    window.open_profile_file(PROFILE)
    settle(qtbot, window)
    texts = []
    for _page_id, _page in each_page(window):
        texts += shown_texts(window)
    no_deadline = [t for t in texts if ("no deadline" in t or "期限の記載なし" in t)]
    assert no_deadline, "a step with no deadline is shown"
    if lang == "en":
        assert not [t for t in texts if re.search(r"(^|— |/ )due\b", t)]
        assert "to do" in texts
    else:
        assert "未完了" in texts


def test_the_japanese_payment_page_names_brands_in_japanese(qtbot):
    window = open_window(qtbot, "ja")
    window.open_profile_file(REPO / "examples" / "03-paypal.toml")
    settle(qtbot, window)
    go_to(qtbot, window, Page.PAYMENT)
    texts = shown_texts(window.wizard.page(Page.PAYMENT))
    for japanese in ("アメリカン・エキスプレス", "銀聯(China UnionPay)", "ディスカバー/ダイナースクラブ", "JCB"):
        assert japanese in texts
    assert not {"American Express", "Discover & Diners", "Japan Credit Bureau (JCB)"} & set(texts)


def account_dialog(qtbot, lang: str, profile: bool):  # noqa: ANN201
    from kwc_desktop.ui.dialogs.account import AccountDialog

    window = open_window(qtbot, lang)
    if profile:
        window.open_profile_file(PROFILE)
        settle(qtbot, window)
    dialog = AccountDialog(window.context, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def errors(dialog: QWidget) -> list[QWidget]:
    from kwc_desktop.ui.widgets import FieldMessage

    return [w for w in dialog.findChildren(FieldMessage) if w.isVisible() and w.text()]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("profile", [False, True])
def test_the_add_account_dialog_opens_without_an_error(qtbot, lang, profile):
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = account_dialog(qtbot, lang, profile)
    assert [w.text() for w in errors(dialog)] == []
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()  # nothing typed yet
    type_text(qtbot, dialog.label, "x")
    dialog.label.clear()  # typed, then emptied: now it says so
    assert len(errors(dialog)) == 1


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(("field", "text"), [("label", "HQ main"), ("sid", "AC12"), ("key_sid", "SK12"),
                                             ("key_secret", "s3cret")])
def test_each_error_is_under_its_own_field(qtbot, lang, field, text):
    """The one error shown sits right below the field typed in, above the next field."""
    dialog = account_dialog(qtbot, lang, profile=True)
    edit = getattr(dialog, field)
    edit.setFocus()
    type_text(qtbot, edit, text)
    shown = errors(dialog)
    assert len(shown) == 1, [w.text() for w in shown]
    fields = [dialog.label, dialog.email, dialog.kind, dialog.sid, dialog.key_sid, dialog.key_secret, dialog.token]
    top = {f: f.mapTo(dialog, f.rect().topLeft()).y() for f in fields}
    error_top = shown[0].mapTo(dialog, shown[0].rect().topLeft()).y()
    below = [f for f in fields if top[f] > top[edit]]
    # the key SID's missing secret is the secret's error: type a key SID alone and it is under the secret
    assert top[edit] < error_top < min(top[f] for f in below), (field, shown[0].text())
