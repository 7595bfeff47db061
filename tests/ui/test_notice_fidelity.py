"""What the notice says about missed items and conflicting sources reaches the user, in both languages:
in `plan`, on the Summary, Consent and Payment pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kwc_desktop.ui.wizard import Page
from tests.conftest import REPO
from tests.wizard_helpers import go_to, open_window, settle

pytestmark = pytest.mark.windows

EXAMPLES = REPO / "examples"

MISSED_CONSENT = {
    "ja": ("保持している電話番号とともにすべて削除されます", "個別に以下までお問い合わせくださいませ。株式会社KDDIウェブコミュニケーションズ Twilio本部",
           "Twilio社の新規アカウントを作成できます"),
    "en": ("deleted together with all its phone numbers",
           "please contact us individually: KDDI Web Communications' Twilio division",
           "create a new account with Twilio itself"),
}
CONFLICT = {
    "ja": ("KWCのお知らせの記載は異なります", "とくにお手続きは不要です", "新しいのはTwilioヘルプ記事"),
    "en": ("KWC's notice says otherwise", "no further procedure is needed", "the newer one: Twilio help article"),
}


def plan_text(profile: str | Path, lang: str, as_of: str) -> str:
    """`kwc-desktop plan` of an example (by name) or of a profile file, as text."""
    path = EXAMPLES / profile if isinstance(profile, str) else profile
    result = subprocess.run([sys.executable, "-m", "kwc_desktop", "plan", str(path), "--lang", lang,
                             "--as-of", as_of], capture_output=True, text=True, encoding="utf-8", cwd=REPO)
    assert result.returncode == 0, result.stderr
    return result.stdout


def page_of(qtbot, lang: str, at: str, example: str, page: Page):  # noqa: ANN001, ANN201
    """The window at `at` with an example profile opened, showing `page`; (window, page widget)."""
    window = open_window(qtbot, lang, at=at)
    window.open_profile_file(EXAMPLES / example)
    settle(qtbot, window)
    go_to(qtbot, window, page)
    return window, window.wizard.page(page)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_missed_consent_says_what_happened_and_what_can_be_done_now(lang):
    text = plan_text("01-card-only.toml", lang, "2026-12-01T09:00")
    consent = text.split("consent:", 1)[1].split("\n  support-switch:", 1)[0]
    for words in MISSED_CONSENT[lang]:
        assert words in consent
    assert text.count(MISSED_CONSENT[lang][0]) == 1  # once, at consent: the blocked procedures point to it
    before = plan_text("01-card-only.toml", lang, "2023-04-21T23:59")
    assert MISSED_CONSENT[lang][0] not in before  # still due: nothing missed to explain


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_in_2026_the_summary_and_consent_pages_say_it_plainly(qtbot, lang):
    window, summary = page_of(qtbot, lang, "2026-12-01T09:00", "01-card-only.toml", Page.SUMMARY)
    banner = summary.banner
    assert banner.isVisible() and banner.warning
    for words in MISSED_CONSENT[lang]:
        assert words in banner.text()
    assert "(it-admin@example.com): " in banner.text()  # whom it concerns, beside the title (not after the quote)
    go_to(qtbot, window, Page.CONSENT)
    deadline = window.wizard.page(Page.CONSENT).deadline
    assert deadline.warning and MISSED_CONSENT[lang][1] in deadline.text()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_billing_setup_conflict_is_shown_where_the_step_is(qtbot, lang):
    text = plan_text("03-paypal.toml", lang, "2023-04-10T10:00")
    billing = text.split("billing-setup:", 1)[1]
    for words in CONFLICT[lang]:
        assert words in billing
    _window, payment = page_of(qtbot, lang, "2023-04-10T10:00", "03-paypal.toml", Page.PAYMENT)
    note = payment.billing_note.text()
    for words in CONFLICT[lang]:
        assert words in note


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_overdue_paypal_step_is_a_warning_not_information(qtbot, lang):
    window, payment = page_of(qtbot, lang, "2023-04-20T10:00", "03-paypal.toml", Page.PAYMENT)
    note = payment.paypal_note
    assert not note.warning  # the top-up is due until the end of April
    window.context.set_as_of(window.context.session.now().replace(month=5, day=1))  # the end of April has passed
    payment.refresh()
    assert note.warning


PROFILE = """profile = 1
[[owners]]
email = "it@example.com"
owner_change_planned = true
done = ["consent/submit-form"]
  [[owners.accounts]]
  label = "Main"
  payment = "paypal"
  hq_sms = false
  dedicated_sms_sender = false
  ported_toll_free = false
  editions = true
  has_bundles = false
"""
SAYS = {  # (as of, the words that must be there) for each of the examples, per language
    "ja": [
        ("2023-04-10T10:00", "期限 2023年4月14日(金) 18:00 — 未完了"),  # Editions: options unanswered
        ("2023-04-10T10:00", "開始 2023年5月2日(火) / 期限の記載なし — 開始前"),  # PayPal: register a card
        ("2023-05-02T00:00", "開始 2023年5月2日(火) / 期限の記載なし — 未完了"),
        ("2023-04-16T10:00", "owner-change: オーナー変更 — 開始前"),  # not missed on April 16
        ("2023-04-16T10:00", "期限 2023年4月14日(金) — 受付終了(別の手順へ)"),
        ("2023-04-30T10:00", "必要なやり取りを保存する\n        2023年5月1日(月)まで — 未完了"),
        ("2023-05-10T10:00", "2023年5月1日(月)まで — 終了(状況が変わりました)\n        現在の状況: "),  # ticket history
    ],
    "en": [
        ("2023-04-10T10:00", "Deadline Fri, Apr 14, 2023, 6:00 PM — to do"),
        ("2023-04-10T10:00", "from Tue, May 2, 2023 / no deadline given — not yet"),
        ("2023-05-02T00:00", "from Tue, May 2, 2023 / no deadline given — to do"),
        ("2023-04-16T10:00", "owner-change: Owner change — not yet"),
        ("2023-04-16T10:00", "Deadline Fri, Apr 14, 2023 — closed (see the other step)"),
        ("2023-04-30T10:00", "past tickets are not carried over\n        until Mon, May 1, 2023 — to do"),
        ("2023-05-10T10:00", "until Mon, May 1, 2023 — over (things have changed)\n        What is left: "),
    ],
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_plan_says_what_the_notice_says(tmp_path, lang):
    profile = tmp_path / "notice.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    for as_of, words in SAYS[lang]:
        assert words in plan_text(profile, lang, as_of), (as_of, words)
