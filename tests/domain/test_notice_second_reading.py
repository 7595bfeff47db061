"""A second reading of the notice: what it says that the plan left unsaid — in `plan` (text, JSON and
`--next`), on the Summary page and in the checklist PDF, in both languages, from the notice's own words."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kwc_desktop.domain.text import messages
from kwc_desktop.ui.wizard import Page
from tests.conftest import REPO
from tests.wizard_helpers import go_to, open_window, settle

pytestmark = pytest.mark.windows

LANGS = ["ja", "en"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "kwc_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, env=env, timeout=120)


def profile(tmp_path: Path, text: str, name: str = "profile.toml") -> Path:
    path = tmp_path / name
    path.write_text("profile = 1\n" + text, encoding="utf-8")
    return path


def plan_text(path: Path, lang: str, as_of: str) -> str:
    result = run("plan", str(path), "--lang", lang, "--as-of", as_of)
    assert result.returncode == 0, result.stderr
    return result.stdout


def plan_json(path: Path, as_of: str, *extra: str, lang: str = "en") -> dict:  # type: ignore[type-arg]
    result = run("plan", str(path), "--json", "--lang", lang, "--as-of", as_of, *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def steps(plan: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    """Every step of the plan by "account label/key" (owner procedures: "owner/key")."""
    found = {}
    for owner in plan["owners"]:
        for procedure in owner["procedures"]:
            found.update({f"owner/{s['key']}": s for s in procedure["steps"]})
        for account in owner["accounts"]:
            for procedure in account["procedures"]:
                found.update({f"{account['label']}/{s['key']}": s for s in procedure["steps"]})
    return found


def folded(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path, lang: str, as_of: str, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (scripts/test.sh)")
    out = tmp_path / f"checklist-{lang}.pdf"
    result = run("checklist", str(path), "--out", str(out), "--lang", lang, "--as-of", as_of)
    assert result.returncode == 0, result.stderr
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True).stdout
    return folded(raw.decode("utf-8"))


def summary_texts(qtbot, lang: str, at: str, path: Path) -> str:  # noqa: ANN001
    """Everything the Summary page shows without a click: the banner and every row of the checklist."""
    window = open_window(qtbot, lang, at=at)
    window.open_profile_file(path)
    settle(qtbot, window)
    go_to(qtbot, window, Page.SUMMARY)
    page = window.wizard.page(Page.SUMMARY)
    texts = [page.banner.text()]

    def visit(item) -> None:  # noqa: ANN001
        texts.extend(item.text(column) for column in range(3))
        for i in range(item.childCount()):
            visit(item.child(i))

    for i in range(page.tree.topLevelItemCount()):
        visit(page.tree.topLevelItem(i))
    return "\n".join(texts)


# --- 1. an owner change after the transfer consent: the transfer is done again ---------------------------

OWNER_CHANGE = """
[[owners]]
email = "it@example.com"
owner_change_planned = true
done = [{done}]
  [[owners.accounts]]
  label = "Main"
  payment = "card"
"""
# FAQ: 「※既に移管手続きが完了しておりその後オーナー変更を行った場合、再度移管手続きが必要となりますのでご注意ください。」
TRANSFER_AGAIN = {"ja": "再度移管手続きが必要", "en": "the transfer procedure must be done again"}


@pytest.mark.parametrize("lang", LANGS)
def test_an_owner_change_after_the_consent_means_transferring_again_in_plan_and_pdf(tmp_path, lang):
    consented = profile(tmp_path, OWNER_CHANGE.format(done='"consent/submit-form"'))
    text = plan_text(consented, lang, "2023-04-12T10:00")
    owner_change = text.split("owner-change:", 1)[1].split("\n  support-switch:", 1)[0]
    assert TRANSFER_AGAIN[lang] in owner_change
    assert folded(TRANSFER_AGAIN[lang]) in pdf_text(consented, lang, "2023-04-12T10:00", tmp_path)
    not_yet = profile(tmp_path, OWNER_CHANGE.format(done=""), "not-yet.toml")
    assert TRANSFER_AGAIN[lang] not in plan_text(not_yet, lang, "2023-04-12T10:00")  # nothing done to redo


@pytest.mark.parametrize("lang", LANGS)
def test_an_owner_change_after_the_consent_is_said_first_on_the_summary(qtbot, tmp_path, lang):
    consented = profile(tmp_path, OWNER_CHANGE.format(done='"consent/submit-form"'))
    window = open_window(qtbot, lang, at="2023-04-12T10:00")
    window.open_profile_file(consented)
    settle(qtbot, window)
    go_to(qtbot, window, Page.SUMMARY)
    banner = window.wizard.page(Page.SUMMARY).banner
    assert banner.isVisible() and TRANSFER_AGAIN[lang] in banner.text()
    assert TRANSFER_AGAIN[lang] in summary_texts(qtbot, lang, "2023-04-12T10:00", consented)


# --- 2. KWC's intake of new Bundle applications ends 2023-04-21 (Fri) 18:00 ---------------------------

BUNDLES = """
[[owners]]
email = "it@example.com"
done = ["consent/submit-form"]
  [[owners.accounts]]
  label = "Main"
  has_bundles = true
  [[owners.accounts]]
  label = "Plain"
  has_bundles = false
"""
KWC_WAY, TWILIO_WAY = "Main/bundle-reverification/apply-new-bundle-kwc", "Main/bundle-reverification/apply-new-bundle-twilio"


def test_kwc_takes_new_bundle_applications_until_april_21_18_00_then_twilio_japan(tmp_path):
    path = profile(tmp_path, BUNDLES)
    last_minute, after = steps(plan_json(path, "2023-04-21T18:00")), steps(plan_json(path, "2023-04-21T18:01"))
    assert last_minute[KWC_WAY]["deadline"]["at"] == "2023-04-21T18:00:00+09:00"  # 4月21日(金)18:00 をもって終了
    assert (last_minute[KWC_WAY]["state"], last_minute[TWILIO_WAY]["state"]) == ("due", "not-yet")
    assert (after[KWC_WAY]["state"], after[TWILIO_WAY]["state"]) == ("closed", "due")  # これ以降: Twilio Japan
    assert not [key for key in after if key.startswith("Plain/bundle")]  # only for accounts with Bundles


def test_the_bundle_intake_end_is_a_row_of_plan_next(tmp_path):
    path = profile(tmp_path, BUNDLES)
    rows = plan_json(path, "2023-04-20T10:00", "--next")["rows"]
    bundle = next(r for r in rows if r["procedure"] == "bundle-reverification")
    assert (bundle["accounts"], bundle["step"]["key"], bundle["deadline"]["at"], bundle["days_left"]) == (
        ["Main"], "bundle-reverification/apply-new-bundle-kwc", "2023-04-21T18:00:00+09:00", 1)


@pytest.mark.parametrize(("lang", "words"), [("ja", "期限 2023年4月21日(金) 18:00 — "),
                                             ("en", "Deadline Fri, Apr 21, 2023, 6:00 PM — ")])
def test_the_bundle_intake_end_is_dated_in_the_text(tmp_path, lang, words):
    text = plan_text(profile(tmp_path, BUNDLES), lang, "2023-04-20T10:00")
    assert words + messages()("state.due", lang) in text.split("bundle-reverification:", 1)[1]


# --- 3. the shared sender ID changes on May 1; a dedicated sender number stays ---------------------------

SMS = """
[[owners]]
email = "it@example.com"
done = ["consent/submit-form"]
  [[owners.accounts]]
  label = "Shared"
  hq_sms = true
  dedicated_sms_sender = false
  [[owners.accounts]]
  label = "Own number"
  dedicated_sms_sender = true
"""
SENDER_ID_STEP = {"ja": "共有Sender IDが5月1日に変わる", "en": "the shared sender ID changes on May 1"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_shared_sender_id_step_is_for_shared_id_users_only(tmp_path, lang):
    text = plan_text(profile(tmp_path, SMS), lang, "2023-04-20T10:00")
    shared, own = text.split("Shared", 1)[1].split("Own number", 1)
    assert SENDER_ID_STEP[lang] in shared
    # 「SMS個別送信元番号をご利用中のお客様 現在ご利用中の番号はそのまま継続してご利用いただけます」
    assert "hq-sms:" in own and SENDER_ID_STEP[lang] not in own


# --- 4. Bundles usable at least until the transfer + 90 days -------------------------------------------

EXAMPLE_BUNDLES = REPO / "examples" / "05-bundles.toml"  # transferred_on = 2023-04-20: + 90 days = 2023-07-19
USABLE_UNTIL = {"ja": "少なくとも2023年7月19日(水)まで利用できます", "en": "usable at least until Wed, Jul 19, 2023"}


@pytest.mark.parametrize("lang", LANGS)
def test_bundles_usable_until_is_in_the_text_and_the_pdf(tmp_path, lang):
    assert plan_json(EXAMPLE_BUNDLES, "2023-04-10")["owners"][0]["accounts"][0]["bundle_usable_until"] == "2023-07-19"
    assert USABLE_UNTIL[lang] in plan_text(EXAMPLE_BUNDLES, lang, "2023-04-10T10:00")
    assert folded(USABLE_UNTIL[lang]) in pdf_text(EXAMPLE_BUNDLES, lang, "2023-04-10T10:00", tmp_path)


@pytest.mark.parametrize("lang", LANGS)
def test_bundles_usable_until_is_on_the_summary(qtbot, lang):
    assert USABLE_UNTIL[lang] in summary_texts(qtbot, lang, "2023-04-10T10:00", EXAMPLE_BUNDLES)


# --- 5. what changed on May 1: after that day, what is left --------------------------------------------

SUPPORT = """
[[owners]]
email = "it@example.com"
done = ["consent/submit-form"]
  [[owners.accounts]]
  label = "Main"
  hq_sms = true
  dedicated_sms_sender = false
"""
HISTORY, SENDER = "owner/support-switch/save-ticket-history", "Main/hq-sms/tell-sender-id-change"
LEFT = {  # 「履歴は引き継がれません」; the shared sender ID 「2023年5月1日から変更」
    "ja": ("履歴はTwilioに引き継がれない", "KWCからこれ以上保存することはできません", "終了(状況が変わりました)",
           "2023年5月1日から、KWC顧客向けのものからTwilio顧客向けのものに変わっています"),
    "en": ("not carried over to Twilio", "nothing more can be saved from KWC", "over (things have changed)",
           "Since May 1, 2023 the shared sender ID is Twilio's shared sender ID"),
}


def test_ticket_history_and_the_sender_id_notice_are_over_after_may_1(tmp_path):
    path = profile(tmp_path, SUPPORT)
    on_the_day, after = steps(plan_json(path, "2023-05-01T23:59")), steps(plan_json(path, "2023-05-02T00:00"))
    assert (on_the_day[HISTORY]["state"], on_the_day[SENDER]["state"]) == ("due", "due")
    assert (after[HISTORY]["state"], after[SENDER]["state"]) == ("closed", "closed")
    assert after[HISTORY]["until"]["at"] == "2023-05-01" and after[HISTORY]["deadline"] is None  # not a deadline
    assert "not carried over" in after[HISTORY]["what_is_left"]
    assert steps(plan_json(path, "2026-12-01"))[HISTORY]["state"] == "closed"  # not due for ever


@pytest.mark.parametrize("lang", LANGS)
def test_what_is_left_after_may_1_is_said_in_the_text_and_the_summary(qtbot, tmp_path, lang):
    path = profile(tmp_path, SUPPORT)
    text = plan_text(path, lang, "2023-05-10T10:00")
    for words in LEFT[lang]:
        assert words in text
    assert LEFT[lang][0] not in plan_text(path, lang, "2023-04-30T10:00")
    shown = summary_texts(qtbot, lang, "2023-05-10T10:00", path)
    assert LEFT[lang][2] in shown


# --- 6. what a profile could not say: told KWC consent would be late; declined; card to invoice ----------

LATE = """
[[owners]]
email = "it@example.com"
late_consent_told_kwc = true
  [[owners.accounts]]
  label = "Main"
"""
# FAQ (契約移管期限である4/21までに同意が間に合わないと事前に連絡しても…): 「個別に以下までお問い合わせくださいませ。」
LATE_ANSWER = {"ja": "個別に以下までお問い合わせくださいませ", "en": "please contact us individually"}


@pytest.mark.parametrize("lang", LANGS)
def test_having_told_kwc_consent_would_be_late_gets_the_faqs_answer(tmp_path, lang):
    path = profile(tmp_path, LATE)
    consent = plan_text(path, lang, "2023-04-20T10:00").split("consent:", 1)[1].split("\n  support-switch:", 1)[0]
    assert LATE_ANSWER[lang] in consent  # before the deadline already: the consent is not missed yet
    plain = profile(tmp_path, LATE.replace("late_consent_told_kwc = true", "late_consent_told_kwc = false"), "no.toml")
    assert LATE_ANSWER[lang] not in plan_text(plain, lang, "2023-04-20T10:00")


DECLINED = """
[[owners]]
email = "it@example.com"
  [[owners.accounts]]
  label = "Old project"
  kind = "declined"
"""
# FAQ: 「Twilio Japan合同会社への契約移管を希望しない場合…」「移管の手続きは不要です。2023年5月1日以降アカウントを停止します。」
DECLINED_SAYS = {"ja": ("移管の手続きは不要です", "2023年5月1日以降アカウントは停止"),
                 "en": ("no transfer procedure is needed", "stopped from May 1, 2023")}


@pytest.mark.parametrize("lang", LANGS)
def test_choosing_not_to_transfer_says_what_that_means_instead_of_missed(tmp_path, lang):
    path = profile(tmp_path, DECLINED)
    text = plan_text(path, lang, "2026-12-01T10:00")
    for words in DECLINED_SAYS[lang]:
        assert words in text
    plan = plan_json(path, "2026-12-01T10:00")
    assert plan["counts"]["missed"] == 0 and plan["procedure_ids"] == []
    assert plan["owners"][0]["accounts"][0]["transfers"] is False


CARD_TO_INVOICE = """
[[owners]]
email = "it@example.com"
done = ["consent/submit-form"]
  [[owners.accounts]]
  label = "Main"
  payment = "card"
  card_to_invoice = true
"""
# FAQ: 「現在クレジットカード支払いですが、TwilioJapanに移行したタイミングで請求書払いに変更したいです。」
# 「請求書への切り替えには条件がございますので、詳しくはTwilioJapan様の窓口へお問い合わせ下さい。」
CARD_SAYS = {"ja": ("移行したタイミングで請求書払いに変更したい", "「【KWC移行】」とAccount SID"),
             "en": ("invoice payment when it moves to Twilio Japan", "「【KWC移行】」 and the Account SID")}


@pytest.mark.parametrize("lang", LANGS)
def test_a_card_payer_who_wants_invoice_payment_is_sent_to_twilio_japan(tmp_path, lang):
    path = profile(tmp_path, CARD_TO_INVOICE)
    plan = plan_json(path, "2023-04-20T10:00", lang=lang)
    (procedure,) = [p for p in plan["owners"][0]["accounts"][0]["procedures"] if p["id"] == "card-invoice"]
    assert CARD_SAYS[lang][0] in procedure["reasons"][0] and CARD_SAYS[lang][1] in procedure["steps"][0]["text"]
    paypal = profile(tmp_path, CARD_TO_INVOICE.replace('"card"', '"paypal"'), "paypal.toml")
    assert "card-invoice" not in plan_json(paypal, "2023-04-20T10:00")["procedure_ids"]  # asked of card payers only


def test_the_new_answers_are_documented_with_their_sources(program):
    formats = (REPO / "docs" / "profile-format.md").read_text(encoding="utf-8")
    for fact in program.facts:
        assert f"| `{fact.id}` |" in formats, fact.id
    for kind in program.account_kinds:
        assert f"| `{kind.id}`" in formats, kind.id
    sources = (REPO / "docs" / "program-sources.md").read_text(encoding="utf-8")
    for procedure in program.procedures:
        for note in procedure.notes:
            assert f"| `{procedure.id}` note `{note.id}` |" in sources
        for step in procedure.steps:
            if step.ends:
                assert f"| `{procedure.id}/{step.id}` |" in sources
    for fact in ("late_consent_told_kwc", "card_to_invoice"):
        assert f"`{fact}`" in sources
    assert "`declined`" in sources


# --- 7. docs/cli.md says what the app does ------------------------------------------------------------

CLI_DOC = REPO / "docs" / "cli.md"


def test_the_documented_default_transfer_day_is_the_apps(tmp_path):
    path = profile(tmp_path, SUPPORT)
    shown = plan_json(path, "2023-04-10")["owners"][0]["accounts"][0]["transferred_on"]
    row = next(line for line in CLI_DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `transferred_on`"))
    assert re.findall(r"\d{4}-\d\d-\d\d", row) == [shown] == ["2023-04-22"]  # 「契約移管後(4月22日以降)」


def test_the_documented_from_is_what_the_state_does(tmp_path):
    path = profile(tmp_path, SUPPORT)
    step = steps(plan_json(path, "2023-04-24T10:00"))["owner/consent/confirm-switch"]  # 4月25日以降
    assert step["from"]["at"] == "2023-04-25" and step["state"] == "not-yet"
    row = next(line for line in CLI_DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `from`"))
    assert "does not change" not in row and "not-yet" in row


def test_the_text_examples_of_cli_md_are_what_the_commands_print():
    """Each example in “Text output” is the output of the command named above it (lines left out: …)."""
    doc = CLI_DOC.read_text(encoding="utf-8").split("## Text output", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"`kwc-desktop (plan [^`]+)`(?:(?!```).)*?```\n(.*?)```", doc, flags=re.DOTALL)
    assert len(examples) >= 2
    for command, shown in examples:
        printed = run(*command.split())
        assert printed.returncode == 0, printed.stderr
        for line in shown.splitlines():
            if line.strip() and line.strip() != "…":
                assert line in printed.stdout.splitlines(), (command, line)


def test_declining_is_the_users_answer_and_wins_over_what_twilio_reports(program):
    from kwc_desktop.domain.answers import AccountEntry, Answers

    answers = Answers([AccountEntry("Old project", "it@example.com", "declined")])
    (owner,) = answers.owners(program, {"Old project": {"kind": "standard"}})  # Twilio: an active account
    assert owner.accounts[0].kind == "declined"
