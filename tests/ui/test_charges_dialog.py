"""Tools → Charges check, in both languages: a call log priced in the background, old and new terms side by
side, the chart, the export read back, calls read from a (loopback) Twilio account, and the outage
calculator with its steps."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtGui import QFontMetricsF

from tests.services.test_charges import CALLER, IN, LOG, OUT
from tests.wizard_helpers import open_window, settle

pytestmark = pytest.mark.windows


def open_dialog(qtbot, lang: str):  # noqa: ANN001, ANN201
    window = open_window(qtbot, lang)
    window.charges_action.trigger()
    dialog = window.charges
    assert dialog is not None and dialog.isVisible()
    return window, dialog


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_call_log_priced_under_both_terms_and_exported(qtbot, tmp_path, lang):
    window, dialog = open_dialog(qtbot, lang)
    title = {"en": "Charges check", "ja": "料金"}[lang]
    assert title in dialog.windowTitle()
    path = tmp_path / "calls.csv"
    path.write_bytes(LOG.encode("cp932"))
    dialog.price_file(path)
    qtbot.waitUntil(lambda: dialog.log is not None, timeout=10000)
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["2021-07", "2021-08"]
    # July under the old terms: every unit 100 yen (3 out + 4 in) and 2 numbers; under the new terms the
    # call to the outbound number is free and inbound units cost 50.
    july = [table.item(0, c).text() for c in range(table.columnCount())]
    assert july[1:5] == ["1 / 1", "3", "3", "1"]
    assert july[5] == "1,300" and july[7] == "1,050" and july[9] == "-250"
    assert dialog.chart.months[0][1:] == (1300, 1050)
    assert "4" in dialog.rejected_rows.text()  # four rows could not be read
    exported = tmp_path / "out.csv"
    assert dialog.export_to(exported)
    rows = list(csv.DictReader(exported.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["month"], r["terms"], r["total_excl"]) for r in rows][:2] == [("2021-07", "old", "1300"),
                                                                           ("2021-07", "new", "1050")]
    dialog.outbound.setText("+815099999999")
    dialog.outbound.editingFinished.emit()
    assert dialog.table.item(0, 1).text() == "2 / 1"
    dialog.grab().save(str(tmp_path / f"charges-{lang}.png"))
    window.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_outage_calculator_shows_each_step(qtbot, lang):
    window, dialog = open_dialog(qtbot, lang)
    zone = QTimeZone(b"Asia/Tokyo")
    dialog.known.setDateTime(QDateTime(QDate(2023, 5, 10), QTime(9, 0), zone))
    dialog.restored.setDateTime(QDateTime(QDate(2023, 5, 13), QTime(15, 0), zone))
    text = dialog.steps.toPlainText()
    assert {"en": "Whole 24-hour periods: 3 day", "ja": "24時間の倍数である部分: 3日"}[lang] in text
    assert "29" in text  # 3 × 300 ÷ 31 days of May
    dialog.restored.setDateTime(dialog.known.dateTime().addSecs(-60))
    assert dialog.outage_message.text() and dialog.steps.toPlainText() == ""
    window.close()


def test_calls_read_from_a_twilio_account(qtbot, monkeypatch):
    from kwc_desktop.domain.answers import AccountEntry
    from tests.fake_twilio import FakeAccount, serving

    sid, token = "AC" + "12" * 16, "t" * 32
    calls = [{"sid": f"CA{n:032x}", "start_time": "Thu, 19 Aug 2021 01:00:00 +0000", "direction": "outbound-api",
              "from": OUT, "to": CALLER, "duration": "61", "status": "completed"} for n in range(1500)]
    calls.append({"sid": "CA" + "f" * 32, "start_time": "Thu, 19 Aug 2021 01:00:00 +0000", "direction": "inbound",
                  "from": CALLER, "to": IN, "duration": "", "status": "no-answer"})
    with serving() as fake:
        fake.add(FakeAccount(sid, token, calls=calls))
        monkeypatch.setenv("KWC_TWILIO_API_URL", fake.base)
        window = open_window(qtbot, "en")
        context = window.context
        context.session.add_account(AccountEntry("Main", "it@example.com"))
        context.keeper.write_secret("Main", "sid", sid)
        context.keeper.write_secret("Main", "token", token)
        settle(qtbot, window)
        window.charges_action.trigger()
        dialog = window.charges
        assert dialog.account.count() == 1
        dialog.read_from_twilio()
        qtbot.waitUntil(lambda: dialog.log is not None, timeout=10000)
        assert dialog.log.billed == 1500 and dialog.log.not_completed == 1
        assert dialog.table.item(0, 0).text() == "2021-08" and dialog.table.item(0, 2).text() == "3000"
        assert fake.requests == 2  # 1,501 calls: two pages of 1,000
        window.close()


def test_a_long_log_can_be_cancelled(qtbot, tmp_path):
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2] / "bench"))
    from charges import make_log  # the benchmark's own generator

    path = tmp_path / "long.csv"
    make_log(path, 300_000)
    window, dialog = open_dialog(qtbot, "en")
    dialog.price_file(path)
    assert dialog.cancel_button.isVisible() and dialog.progress.isVisible()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.cancel_button.isVisible(), timeout=10000)
    assert dialog.log is None and "stopped" in dialog.status.text()
    window.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_number_typed_as_inbound_stays_inbound_though_the_log_has_it_call_out(qtbot, tmp_path, lang):
    # 料金表 2-1-2 備考1: numbers are assigned 発信用 or 着信用. IN calls out once, and is still 着信用: the call
    # to it costs 着信利用料 (3 units); only the call to OUT is free (備考4).
    window, dialog = open_dialog(qtbot, lang)
    path = tmp_path / "calls.csv"
    path.write_text("start,direction,from,to,duration,status\n"
                    f"2021-08-02T10:00:00+09:00,outbound,{IN},{CALLER},61,completed\n"
                    f"2021-08-03T10:00:00+09:00,inbound,{CALLER},{IN},125,completed\n"
                    f"2021-08-04T10:00:00+09:00,inbound,{CALLER},{OUT},30,completed\n"
                    f"2021-08-05T10:00:00+09:00,outbound,{OUT},{CALLER},60,completed\n", encoding="utf-8")
    dialog.price_file(path)
    qtbot.waitUntil(lambda: dialog.log is not None, timeout=10000)
    dialog.inbound.setText(IN)
    dialog.inbound.editingFinished.emit()
    row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert row[1:5] == ["1 / 1", "3", "3", "1"]
    assert row[7] == "1,050"  # 600 numbers + 300 out + 150 in
    dialog.outbound.setText(IN)  # the same number as both: refused, said in the window's language
    dialog.outbound.editingFinished.emit()
    said = {"en": "both an outbound and an inbound", "ja": "発信用と着信用の両方"}[lang]
    assert said in dialog.status.text() and dialog.table.rowCount() == 0
    dialog.outbound.setText("")
    dialog.outbound.editingFinished.emit()
    assert dialog.table.item(0, 7).text() == "1,050" and said not in dialog.status.text()
    window.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_damages_from_a_log_of_two_months_average_the_61_days_known(qtbot, tmp_path, lang):
    # 第29条 注1: 2023-03 and 2023-04 known (6,100円 over 61 days, 100円 a day), the rest of the 6 months not.
    window, dialog = open_dialog(qtbot, lang)
    path = tmp_path / "calls.csv"
    path.write_text("start,direction,from,to,duration,status\n" + "".join(
        f"{month}-{day:02d}T10:00:00+09:00,outbound,{OUT},{CALLER},60,completed\n"
        for month, days in (("2023-03", 31), ("2023-04", 30)) for day in range(1, days + 1)), encoding="utf-8")
    dialog.price_file(path)
    qtbot.waitUntil(lambda: dialog.log is not None, timeout=10000)
    zone = QTimeZone(b"Asia/Tokyo")
    dialog.known.setDateTime(QDateTime(QDate(2023, 5, 10), QTime(9, 0), zone))
    dialog.restored.setDateTime(QDateTime(QDate(2023, 5, 13), QTime(15, 0), zone))
    text = dialog.steps.toPlainText()
    assert {"en": "6,100 yen ÷ 61 days", "ja": "6,100円 ÷ 61日"}[lang] in text
    assert {"en": "329 yen excl. tax", "ja": "税抜 329円"}[lang] in text
    window.close()


def _priced_log(qtbot, dialog, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "calls.csv"
    path.write_bytes(LOG.encode("cp932"))
    before = dialog.log
    dialog.price_file(path)
    qtbot.waitUntil(lambda: dialog.log is not None and dialog.log is not before, timeout=10000)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_chart_has_a_yen_axis_and_the_values_of_its_bars(qtbot, tmp_path, lang):
    window, dialog = open_dialog(qtbot, lang)
    chart = dialog.chart
    empty = chart.texts()  # before any log: the axis and its unit already
    assert {"en": "Yen (excl. tax)", "ja": "円(税抜)"}[lang] in [t.text for t in empty if t.kind == "unit"]
    _priced_log(qtbot, dialog, tmp_path)
    dialog.resize(980, 660)
    chart.resize(720, 240)
    texts = chart.texts()
    ticks = [t for t in texts if t.kind == "tick"]
    amounts = [int(t.text.replace(",", "")) for t in ticks]
    assert amounts[0] == 0 and amounts == sorted(amounts) and amounts[-1] >= 1300 and len(amounts) >= 3
    assert [t.rect.top() for t in ticks] == sorted((t.rect.top() for t in ticks), reverse=True)  # 0 at the bottom
    values = [t.text for t in texts if t.kind == "value"]
    assert "1,300" in values and "1,050" in values  # July 2021: old terms, new terms
    metrics = QFontMetricsF(chart.font())

    def inked(text) -> tuple[float, float, float]:  # noqa: ANN001
        """Where the text's letters are: left, right, top (as the alignment places them)."""
        width = metrics.horizontalAdvance(text.text)
        if text.align & Qt.AlignmentFlag.AlignRight:
            return text.rect.right() - width, text.rect.right(), text.rect.top()
        if text.align & Qt.AlignmentFlag.AlignLeft:
            return text.rect.left(), text.rect.left() + width, text.rect.top()
        return text.rect.center().x() - width / 2, text.rect.center().x() + width / 2, text.rect.top()

    from decimal import Decimal

    for months in (chart.months, [("2021-08", Decimal(1600), Decimal(1600))]):  # equal bars: once "1,6001,600"
        chart.set_months(months, chart.legend)
        placed = [inked(t) for t in chart.texts() if t.kind == "value"]
        assert len(placed) == 2 * len(months)
        for n, (a_left, a_right, a_top) in enumerate(placed):
            for b_left, b_right, b_top in placed[n + 1:]:
                same_line = abs(a_top - b_top) < metrics.height()
                assert not (same_line and a_left < b_right and b_left < a_right), placed
    assert [t.text for t in texts if t.kind == "month"] == ["2021-07", "2021-08"]
    assert {"en": "2021-07: old terms 1,300 yen, new terms 1,050 yen",
            "ja": "2021-07: 旧約款 1,300円、新約款 1,050円"}[lang] in chart.accessibleDescription()
    window.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_empty_account_list_says_why(qtbot, lang):
    from kwc_desktop.domain.answers import AccountEntry

    window, dialog = open_dialog(qtbot, lang)
    combo, button = dialog.account, dialog.read_button
    assert combo.currentIndex() == -1 and not button.isEnabled()
    none_yet = {"en": "No accounts yet", "ja": "アカウントがまだありません"}[lang]
    assert none_yet in combo.placeholderText() and none_yet in button.toolTip()
    window.context.session.add_account(AccountEntry("Main", "it@example.com"))
    window.context.touch()
    no_sid = {"en": "No account has a SID yet", "ja": "Account SIDが入力されたアカウントがまだありません"}[lang]
    assert combo.currentIndex() == -1 and no_sid in combo.placeholderText() and no_sid in button.toolTip()
    assert combo.itemText(0) == {"en": "Main (no SID yet)", "ja": "Main(SID未入力)"}[lang]
    assert not combo.model().item(0).isEnabled() and not button.isEnabled()
    window.context.keeper.write_secret("Main", "sid", "AC" + "12" * 16)
    settle(qtbot, window)
    assert combo.currentText() == "Main" and button.isEnabled() and button.toolTip() == ""
    window.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_outage_starts_at_the_chosen_moment_then_next_to_the_log(qtbot, tmp_path, lang):
    zone = QTimeZone(b"Asia/Tokyo")
    window = open_window(qtbot, lang, at="2023-05-20T10:00")
    window.charges_action.trigger()
    dialog = window.charges
    assert dialog.known.dateTime() == QDateTime(QDate(2023, 5, 17), QTime(10, 0), zone)
    assert dialog.restored.dateTime() == QDateTime(QDate(2023, 5, 20), QTime(10, 0), zone)
    _priced_log(qtbot, dialog, tmp_path)  # July and August 2021: the outage moves to September 1st
    assert dialog.known.dateTime() == QDateTime(QDate(2021, 9, 1), QTime(9, 0), zone)
    assert dialog.restored.dateTime() == QDateTime(QDate(2021, 9, 4), QTime(9, 0), zone)
    assert "2021-03" in dialog.steps.toPlainText() and "2021-08" in dialog.steps.toPlainText()
    chosen = QDateTime(QDate(2021, 8, 20), QTime(13, 0), zone)
    dialog.known.setDateTime(chosen)  # the user's own moment: another log does not move it
    _priced_log(qtbot, dialog, tmp_path)
    assert dialog.known.dateTime() == chosen
    window.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_reason_for_an_empty_list_does_not_widen_the_window(qtbot, lang):
    from kwc_desktop.domain.answers import AccountEntry

    window = open_window(qtbot, lang)
    window.context.session.add_account(AccountEntry("A label as long as a sentence, for the " * 3, "a@example.com"))
    window.context.touch()
    window.charges_action.trigger()
    dialog = window.charges
    dialog.resize(1024, 640)
    qtbot.wait(20)
    assert dialog.width() <= 1024 and dialog.minimumSizeHint().width() <= 1024
    assert "Accounts" in dialog.account.toolTip() or "「アカウント」" in dialog.account.toolTip()
    window.close()


@pytest.mark.parametrize("typed", ["1e30", "-5", "1,000,000,000,001", "nan", "1円2", "1,2,3"])
def test_the_paid_amount_follows_the_command_line_s_rule(qtbot, typed):
    """The dialog took 1e30 as the 12 months paid; the command line refuses it. One rule: limits.parse_yen."""
    from kwc_desktop.cli import main

    with pytest.raises(SystemExit) as cli:  # the command line refuses it: one line, exit 2
        main(["outage", "--known", "2023-06-01T09:00", "--restored", "2023-06-03T09:00", "--paid-12-months", typed])
    assert cli.value.code == 2
    window, dialog = open_dialog(qtbot, "en")
    zone = QTimeZone(b"Asia/Tokyo")
    dialog.known.setDateTime(QDateTime(QDate(2023, 6, 1), QTime(9, 0), zone))
    dialog.restored.setDateTime(QDateTime(QDate(2023, 6, 3), QTime(9, 0), zone))
    dialog.paid.setText(typed)
    dialog.compute_outage()
    assert dialog.outage_message.text() and dialog.steps.toPlainText() == ""  # refused, as on the command line
    dialog.paid.setText("1,200")
    dialog.compute_outage()
    assert not dialog.outage_message.text() and dialog.steps.toPlainText()
    window.close()


@pytest.mark.parametrize("typed", ["１２００", "1,200円", "¥1,200", "￥１，２００", " 1 200 "])
def test_the_paid_amount_as_a_japanese_keyboard_types_it(qtbot, typed):
    """Full-width digits (the IME left on), 円 and the yen sign: the same 1,200 yen in the window and on the
    command line, as the PayPal amount on the Payment page already was."""
    from kwc_desktop.cli import main

    window, dialog = open_dialog(qtbot, "ja")
    zone = QTimeZone(b"Asia/Tokyo")
    dialog.known.setDateTime(QDateTime(QDate(2023, 6, 1), QTime(9, 0), zone))
    dialog.restored.setDateTime(QDateTime(QDate(2023, 6, 3), QTime(9, 0), zone))
    dialog.paid.setText("1200")
    dialog.compute_outage()
    plain = dialog.steps.toPlainText()
    dialog.paid.setText(typed)
    dialog.compute_outage()
    assert not dialog.outage_message.text() and dialog.steps.toPlainText() == plain
    assert main(["outage", "--known", "2023-06-01T09:00", "--restored", "2023-06-03T09:00",
                 "--paid-12-months", typed]) == 0
    window.close()


def test_the_window_closed_and_opened_again_still_prices(qtbot, tmp_path):
    """Close stops a run under way; the window comes back (the same one) and prices the next log."""
    window, dialog = open_dialog(qtbot, "en")
    path = tmp_path / "calls.csv"
    path.write_bytes(LOG.encode("cp932"))
    dialog.reject()  # the Close button
    window.charges_action.trigger()
    assert window.charges is dialog and dialog.isVisible()
    dialog.price_file(path)
    qtbot.waitUntil(lambda: dialog.log is not None, timeout=10000)
    assert dialog.table.rowCount() == 2 and not dialog.cancel_button.isVisible()
