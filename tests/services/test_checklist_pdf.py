"""The checklist PDF, read back with poppler: exact text in both languages, embedded fonts, no secrets."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (scripts/test.sh)")
AS_OF = "2023-04-10T10:00"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "en_US.UTF-8"}
    return subprocess.run([sys.executable, "-m", "kwc_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, env=env, timeout=120)


def pdf_text(path: Path) -> str:
    """The PDF's text with line breaks and runs of spaces folded (table cells wrap)."""
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return raw.decode("utf-8")


def step_column(path: Path) -> str:
    """Only the step column (A4, 15 mm margins, the column is 4–64 % of 180 mm): wrapped cells of the
    deadline and state columns would otherwise interleave with it in reading order."""
    points = 72 / 25.4
    x0, x1 = (15 + 180 * 0.04) * points, (15 + 180 * 0.64) * points
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-r", "72", "-x", str(int(x0)), "-y", "0",
                          "-W", str(int(x1 - x0)), "-H", "842", str(path), "-"], capture_output=True, check=True)
    return raw.stdout.decode("utf-8")


def folded(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts(path: Path) -> list[list[str]]:
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split() for line in lines[2:]]


def plan(profile: Path, lang: str) -> dict:  # type: ignore[type-arg]
    return json.loads(cli("plan", str(profile), "--json", "--lang", lang, "--as-of", AS_OF).stdout)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("pdf")
    made = {}
    for profile in EXAMPLES:
        for lang in ("ja", "en"):
            out = folder / f"{profile.stem}-{lang}.pdf"
            result = cli("checklist", str(profile), "--out", str(out), "--lang", lang, "--as-of", AS_OF)
            assert result.returncode == 0, result.stderr
            made[(profile.name, lang)] = out
    return made


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.name)
def test_every_example_in_both_languages(pdfs, profile, lang):
    path = pdfs[(profile.name, lang)]
    text = pdf_text(path)
    flat = folded(text)
    steps = folded(step_column(path))
    expected = plan(profile, lang)
    title = {"ja": "移管チェックリスト", "en": "Transfer checklist"}[lang]
    assert title in text
    as_of = {"ja": "基準日時: 2023年4月10日(月) 10:00 (日本時間)", "en": "As of: Mon, Apr 10, 2023, 10:00 AM (JST)"}[lang]
    assert as_of in text
    for owner in expected["owners"]:
        assert folded(owner["email"]) in flat
        for procedure in owner["procedures"] + [p for a in owner["accounts"] for p in a["procedures"]]:
            assert folded(procedure["title"]) in flat, procedure["id"]
            assert f"({procedure['id']})" not in flat  # ids are the program's, not the reader's
            for step in procedure["steps"]:
                assert folded(step["text"]) in steps, step["key"]
        for account in owner["accounts"]:
            assert folded(account["label"]) in flat
    assert re.search(r"(1 / \d+ ページ|Page 1 of \d+)", text)
    # Every address is printed: where the forms were, and each source with one.
    for url in ("https://cloudapi.kddi-web.com/about-service-transfer",
                "https://support.twilio.com/hc/en-us/articles/15378241423131-KDDI-migrations-Billing-setup"):
        assert folded(url) in flat
    assert not re.search(r"[\u2e80-\u2fdf\u0336\uf900-\ufaff]", text)  # no look-alike radicals, no U+0336
    assert "0" * 32 not in text and "Auth Token:" not in text  # never a token
    assert all(row[-5] == "yes" for row in fonts(path))  # every font embedded
    assert {row[0] for row in fonts(path)} <= {"KWCSansJP-Regular"}  # and only ours, no system font


def test_japanese_text_is_exact(pdfs):
    text = pdf_text(pdfs[("01-card-only.toml", "ja")])
    assert "2023年4月21日(金) 23:59" in text  # the full deadline line, exactly
    for kanji in "日月金目行":
        assert kanji in text
    assert "KWC経由で契約しているアカウントは、移管に同意しないと2023年5月2日以降利用できません。" in folded(text) or \
        "KWC経由で契約しているアカウントは、移管に同意しないと2023年5月2日以降利用できません。" in text.replace("\n", "")
    assert "— 未完了" in text  # an em dash, as U+2014
    assert "□" in text
    assert "「【KWC移行】」という文言とAccount SIDを必ず記載してください。" in text.replace("\n", "")


def test_english_text_is_exact(pdfs):
    text = pdf_text(pdfs[("01-card-only.toml", "en")])
    assert "Fri, Apr 21, 2023, 11:59 PM" in text
    assert "Transfer consent (every customer) — to do" in text
    assert "What stays the same" in text and "What changes" in text


def test_done_steps_carry_a_check_mark(pdfs):
    text = pdf_text(pdfs[("09-all-done.toml", "en")])
    assert text.count("✓") >= 8  # header + seven done steps
    assert "□" not in text


def test_sids_are_masked_unless_asked_for_whole(tmp_path):
    profile = str(EXAMPLES[0])
    full, masked, default = tmp_path / "full.pdf", tmp_path / "masked.pdf", tmp_path / "default.pdf"
    assert cli("checklist", profile, "--out", str(full), "--as-of", AS_OF, "--show-sids").returncode == 0
    assert cli("checklist", profile, "--out", str(masked), "--as-of", AS_OF, "--mask-sids").returncode == 0
    assert cli("checklist", profile, "--out", str(default), "--as-of", AS_OF).returncode == 0
    assert "AC0123456789abcdef0123456789abcdef" in pdf_text(full)
    for path in (masked, default):
        text = pdf_text(path)
        assert "AC01…cdef" in text and "0123456789abcdef0123456789" not in text
    both = cli("checklist", profile, "--out", str(full), "--show-sids", "--mask-sids")
    assert both.returncode == 2


def test_a_manager_signs_the_cover(pdfs):
    for (name, lang), path in pdfs.items():
        first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                               text=True).stdout
        words = {"ja": ["作成者", "確認者", "承認者", "氏名", "日付", "印", "手順の状態", "次の期限", "アカウント数"],
                 "en": ["Prepared by", "Checked by", "Approved by", "Name", "Date", "Seal", "Steps by state",
                        "Next deadlines", "Accounts"]}[lang]
        assert all(w in first for w in words), (name, lang)
        pages = int(subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout.split(
            "Pages:")[1].split()[0])
        for number in range(1, pages + 1):  # no page holds only its footer
            text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                                  capture_output=True, text=True).stdout
            assert len([line for line in text.splitlines() if line.strip()]) > 1, (name, lang, number)


def test_the_seven_items_appear_where_needed(pdfs):
    text = pdf_text(pdfs[("02-invoice-hq-sms.toml", "ja")])
    for label in ["対象 Account SID", "日本語正式会社名", "英文正式会社名", "英文請求書住所", "請求先メールアドレス",
                  "日本語請求担当者氏名", "英文請求担当者氏名"]:
        assert label in text
    assert "kwc-migration@twilio.com へ送る7項目" in text
    assert "日本語正式会社名" not in pdf_text(pdfs[("01-card-only.toml", "ja")])


@pytest.mark.parametrize(("args", "message"), [
    (["checklist", "missing.toml", "--out", "{tmp}/x.pdf"], "kwc-desktop: missing.toml: file not found."),
    (["checklist", str(EXAMPLES[0]), "--out", "{tmp}/no/such/folder/x.pdf"], "kwc-desktop: cannot write"),
    (["checklist", str(EXAMPLES[0]), "--out", "{tmp}/x.txt"], "the output must be a .pdf file"),
    (["checklist", str(EXAMPLES[0]), "--out", "{tmp}"], "the output must be a .pdf file"),
    (["checklist", str(EXAMPLES[0])], "kwc-desktop checklist: the following arguments are required: --out"),
])
def test_bad_input_exits_2_with_one_line_and_no_file(tmp_path, args, message):
    result = cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.rglob("*")] == []  # nothing left behind, not even a temp file


def test_an_existing_file_survives_a_failed_run(tmp_path):
    out = tmp_path / "keep.pdf"
    out.write_bytes(b"%PDF-1.4 previous")
    (tmp_path / "bad.toml").write_text("profile = 1\n", encoding="utf-8")
    result = cli("checklist", str(tmp_path / "bad.toml"), "--out", str(out))
    assert result.returncode == 2
    assert out.read_bytes() == b"%PDF-1.4 previous"


def test_export_and_print_from_the_summary_page(qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from kwc_desktop.ui.wizard import Page
    from tests.wizard_helpers import export_pdf, go_to, open_window, print_checklist, settle

    window = open_window(qtbot, "ja", at=AS_OF)
    window.open_profile_file(EXAMPLES[1])  # invoice payment + HQ SMS
    settle(qtbot, window)
    window.context.session.answers.billing["company-name-en"] = "Sample K.K."
    go_to(qtbot, window, Page.SUMMARY)
    page = window.wizard.page(Page.SUMMARY)
    out = tmp_path / "from-gui.pdf"
    assert page.mask_sids.isChecked()  # masked unless the user unticks it
    page.mask_sids.setChecked(False)
    assert export_pdf(qtbot, page, out)
    assert page.status.text() == f"{out} を作成しました(5ページ)。"
    text = pdf_text(out)
    assert "Sample K.K." in text and "AC1111111111111111111111111111aaaa" in text
    page.mask_sids.setChecked(True)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_checklist(qtbot, page, printer)
    assert page.status.text() == "印刷に送りました(5ページ)。"
    del printer
    printed = pdf_text(tmp_path / "printed.pdf")
    assert "AC11…aaaa" in printed and "AC1111111111111111111111111111aaaa" not in printed


def many_accounts_profile(tmp_path, count: int) -> Path:
    lines = ["profile = 1"]
    for owner in range(count // 10):
        lines += ["[[owners]]", f'email = "owner{owner}@example.com"']
        for n in range(10):
            lines += ["[[owners.accounts]]", f'label = "Account {owner}-{n}"', 'payment = "paypal"', "hq_sms = true"]
    path = tmp_path / "many.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_long_export_runs_in_the_background_with_progress_and_can_be_stopped(qtbot, tmp_path):
    """200 accounts: the window keeps handling events while the PDF is written, shows its pages as they
    go, and Stop leaves no file (nor a temp file) behind."""
    from kwc_desktop.ui.wizard import Page
    from tests.wizard_helpers import export_pdf, go_to, open_window, settle

    window = open_window(qtbot, "en", at=AS_OF)
    assert window.open_profile_file(many_accounts_profile(tmp_path, 200)) is None
    settle(qtbot, window)
    go_to(qtbot, window, Page.SUMMARY)
    page = window.wizard.page(Page.SUMMARY)
    out = tmp_path / "many.pdf"
    seen_progress: list[str] = []
    page.progress.valueChanged.connect(lambda _value: seen_progress.append(page.progress.format()))
    with qtbot.waitSignal(page.document_done, timeout=60000):
        page.export_pdf_to(out)
        # The call returns at once: the work is a job, and the page says so while it runs.
        assert page.document_running and not out.exists()
        assert page.progress.isVisible() and page.cancel_button.isVisible() and not page.export_button.isEnabled()
    assert out.stat().st_size > 0 and page.progress.isHidden() and page.export_button.isEnabled()
    pages = int(re.search(r"\((\d+) pages\)", page.status.text()).group(1))
    # Every page was reported through the event loop while the job ran: the window kept handling events.
    assert pages > 50 and seen_progress == [f"Page {n} of {pages}…" for n in range(1, pages + 1)]

    stopped = tmp_path / "stopped.pdf"
    page.progress.valueChanged.connect(lambda value: page.cancel_document() if value == 3 else None)
    assert not export_pdf(qtbot, page, stopped)
    assert page.status.text() == "Stopped. No file was written."
    assert not stopped.exists() and [p.name for p in tmp_path.glob("*.pdf")] == ["many.pdf"]
    assert not list(tmp_path.glob(".checklist-*"))


def test_pages_are_cut_between_paragraphs_never_through_one():
    from kwc_desktop.services.checklist_pdf import page_cuts

    lines = [(0, 40), (40, 90), (90, 130), (130, 180)]
    assert page_cuts(lines, 180, 100) == [(0, 90), (90, 180)]  # (90, 130) would have been cut at 100
    assert page_cuts(lines, 180, 100, forced=[40]) == [(0, 40), (40, 130), (130, 180)]
    assert page_cuts([(0, 250)], 250, 100) == [(0, 100), (100, 200), (200, 250)]  # taller than a page
    assert page_cuts([], 0, 100) == [(0.0, 100)]
    # A full page, then a forced cut just below it: the gap between them is no page of its own.
    assert page_cuts([(0, 100), (110, 150)], 150, 100, forced=[105]) == [(0.0, 105), (105, 150)]


def test_a_long_checklist_holds_each_step_once_in_its_text_layer(tmp_path):
    """200 accounts over many pages: no row is cut through its text, so search and copy find each
    step's text exactly as often as the plan has it."""
    profile = many_accounts_profile(tmp_path, 60)
    out = tmp_path / "long.pdf"
    result = cli("checklist", str(profile), "--out", str(out), "--lang", "en", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    text = folded(step_column(out))
    expected = json.loads(cli("plan", str(profile), "--json", "--lang", "en", "--as-of", AS_OF).stdout)
    counts: dict[str, int] = {}
    for owner in expected["owners"]:
        for procedure in owner["procedures"] + [p for a in owner["accounts"] for p in a["procedures"]]:
            for step in procedure["steps"]:
                counts[step["text"]] = counts.get(step["text"], 0) + 1
    for step_text, count in counts.items():
        assert text.count(folded(step_text)) == count, step_text


def lacking_profile(tmp_path: Path) -> Path:
    path = tmp_path / "lacking.toml"
    path.write_text('profile = 1\n[[owners]]\nemail = "it@example.com"\n  [[owners.accounts]]\n'
                    '  label = "支店 กรุงเทพ 🙂"\n  payment = "card"\n', encoding="utf-8")
    return path


def test_characters_the_font_lacks_are_written_as_code_points_and_named(tmp_path):
    """Thai and an emoji are not in the bundled font: Qt would drop them from the page and the text layer."""
    out = tmp_path / "lacking.pdf"
    result = cli("checklist", str(lacking_profile(tmp_path)), "--out", str(out), "--as-of", AS_OF, "--lang", "ja")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines() == [
        "kwc-desktop: PDFのフォントにない文字は、文字コードで [U+0E01] のように書きました: กรุงเทพ🙂"]
    text = pdf_text(out)
    assert "支店 [U+0E01][U+0E23][U+0E38][U+0E07][U+0E40][U+0E17][U+0E1E] [U+1F642]" in text
    assert "移管" in text  # what the font has stays as it is


def test_the_summary_page_names_the_characters_the_font_lacks(qtbot, tmp_path):
    from kwc_desktop.ui.wizard import Page
    from tests.wizard_helpers import export_pdf, go_to, open_window, settle

    window = open_window(qtbot, "en", at=AS_OF)
    window.open_profile_file(lacking_profile(tmp_path))
    settle(qtbot, window)
    go_to(qtbot, window, Page.SUMMARY)
    page = window.wizard.page(Page.SUMMARY)
    out = tmp_path / "from-gui.pdf"
    assert export_pdf(qtbot, page, out)
    assert page.status.text().endswith("they are written as their code points, like [U+0E01]: กรุงเทพ🙂")
    assert "[U+1F642]" in pdf_text(out)
