"""Tools → Charges check, in both languages: a call log priced in the background, old and new terms side by
side, the chart, the export read back, calls read from a (loopback) Twilio account, and the outage
calculator with its steps."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone

from tests.test_charges import CALLER, IN, LOG, OUT
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
    assert {"en": "Whole 24-hour periods: 3 day(s)", "ja": "24時間の倍数である部分: 3日"}[lang] in text
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
        context.answers.accounts.append(AccountEntry("Main", "it@example.com"))
        context.write_secret("Main", "sid", sid)
        context.write_secret("Main", "token", token)
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

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "bench"))
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
