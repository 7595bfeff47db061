"""What the charges window shows, computed without a widget (services/charges.py): a row a month under both
terms, the chart's series and axis, the rows that could not be read, the CSV export, the numbers and the
amount typed, the outage's moments and steps, a log read with progress and cancel, and calls read from a
(loopback) Twilio account. The window and the command line show the same steps from the same functions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kwc_desktop.domain.calls import CallLog
from kwc_desktop.domain.tariff import JST
from kwc_desktop.domain.text import UserError
from kwc_desktop.services import charges
from kwc_desktop.services.detect import FOR_WINDOW
from tests.conftest import REPO
from tests.services.test_charges import CALLER, IN, LOG, OURS, OUT, write

pytestmark = pytest.mark.windows


def both_terms(tmp_path: Path, text: str = LOG) -> tuple[CallLog, list[charges.MonthPair]]:
    log = charges.read_log(write(tmp_path, text))
    return log, charges.month_pairs(charges.priced(log, "both"))


# --- the table, the chart, the rows that could not be read -------------------------------------------------


def test_a_month_is_one_row_with_both_terms_side_by_side(tmp_path):
    _log, pairs = both_terms(tmp_path)
    assert [p.month for p in pairs] == ["2021-07", "2021-08"]
    assert [(p.old.usage.terms, p.new.usage.terms) for p in pairs] == [("old", "new")] * 2
    # July: 3 units out and 3 in (1 of them free under the new terms), 2 numbers; before and with tax.
    assert charges.month_row(pairs[0], "en") == ["2021-07", "1 / 1", "3", "3", "1", "1,300", "1,430", "1,050",
                                                 "1,155", "-250"]
    assert charges.month_row(pairs[1], "ja")[5:] == ["400", "440", "400", "440", "0"]


def test_the_chart_draws_each_month_s_totals_before_tax(tmp_path):
    _log, pairs = both_terms(tmp_path)
    assert charges.chart_series(pairs) == [("2021-07", Decimal(1300), Decimal(1050)),
                                           ("2021-08", Decimal(400), Decimal(400))]


@pytest.mark.parametrize(("top", "ticks"), [
    (Decimal(0), [Decimal(0)]),
    (Decimal(1300), [Decimal(n) for n in (0, 500, 1000, 1500)]),
    (Decimal(4000), [Decimal(n) for n in (0, 1000, 2000, 3000, 4000, 5000)]),
    (Decimal(4001), [Decimal(n) for n in (0, 2000, 4000, 6000)]),
    (Decimal("0.4"), [Decimal(0), Decimal(1)]),
])
def test_the_axis_marks_round_steps_past_the_highest_bar(top, ticks):
    assert charges.axis_ticks([("2021-07", top, Decimal(0)), ("2021-08", Decimal(0), top / 2)]) == ticks


def test_every_axis_is_a_round_step_from_0_past_the_top():
    for top in [Decimal(n) for n in (1, 7, 99, 100, 101, 2_500, 33_333, 999_999, 10**9)]:
        ticks = charges.axis_ticks([("2023-01", top, top)])
        step = ticks[1]
        assert ticks[0] == 0 and ticks[-2] <= top < ticks[-1] and 2 <= len(ticks) - 1 <= 5, (top, ticks)
        assert all(b - a == step for a, b in zip(ticks, ticks[1:], strict=False))
        digits = str(int(step)).rstrip("0")
        assert digits in {"1", "2", "5"}, (top, step)
    assert charges.axis_ticks([]) == [Decimal(0)]


def test_the_rows_that_could_not_be_read_are_summed_up_with_their_lines(tmp_path):
    log, _pairs = both_terms(tmp_path)
    assert log.rejected_count == 4
    every = charges.rejected_summary(log, "en")
    assert re.findall(r"(?:^|; )(line \d+):", every) == ["line 8", "line 9", "line 10", "line 11"]
    assert not every.endswith("…")
    first = charges.rejected_summary(log, "ja", first=2)
    assert first.startswith("8行目: ") and "; 9行目: " in first and "10行目" not in first and first.endswith("…")
    # The command line lists the same lines, word for word.
    listed = [line.strip() for line in charges.charges_text([], log, "en").splitlines()[1:]]
    assert every == "; ".join(listed)


def test_numbers_typed_are_split_at_commas_of_either_kind():
    assert charges.typed_numbers(f" {OUT}、{IN} ,, ") == frozenset({OUT, IN})
    assert charges.typed_numbers("+81 3-5200-0001") == frozenset({"+81 3-5200-0001"})  # the tariff reads it
    assert charges.typed_numbers(" , 、") == frozenset()


def test_the_export_is_a_csv_excel_opens_in_japanese(tmp_path):
    import csv

    _log, pairs = both_terms(tmp_path)
    bills = [b for p in pairs for b in (p.old, p.new)]
    path = tmp_path / "料金.csv"
    written = charges.export_charges(path, bills)
    assert written.shown("en")
    data = path.read_bytes()
    assert data == charges.charges_csv(bills) and data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == len(bills) + 1 and data.count(b"\n") == len(bills) + 1
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == charges.CSV_COLUMNS
    assert rows[1][:2] == ["2021-07", "old"] and rows[1][-2:] == ["1300", "1430"]
    assert rows[2][:2] == ["2021-07", "new"] and rows[2][-2:] == ["1050", "1155"]
    with pytest.raises(UserError):  # a folder is not a file to write
        charges.export_charges(tmp_path, bills)


# --- the outage ------------------------------------------------------------------------------------------


KNOWN, RESTORED = datetime(2023, 5, 10, 9, 0, tzinfo=JST), datetime(2023, 5, 13, 15, 0, tzinfo=JST)


def test_the_restoration_comes_after_the_provider_knew():
    for restored in (KNOWN, datetime(2023, 5, 10, 8, 59, tzinfo=JST)):
        with pytest.raises(UserError) as refused:
            charges.outage_window(KNOWN, restored)
        assert refused.value.key == "charges.restored_first"
        with pytest.raises(UserError):
            charges.outage(KNOWN, restored, Decimal(300), {})
    charges.outage_window(KNOWN, RESTORED)


def test_the_amount_paid_may_be_left_empty_and_is_read_by_the_command_line_s_rule():
    assert charges.typed_yen("") is None and charges.typed_yen("   ") is None
    assert charges.typed_yen(" 1,200 ") == Decimal(1200)
    for typed in ("1e30", "-5", "nan", "1,000,000,000,001"):
        with pytest.raises(UserError):
            charges.typed_yen(typed)


def test_the_outage_s_credit_and_damages_step_by_step():
    usage = {"2023-03": Decimal(3100), "2023-04": Decimal(3000)}  # 61 days known, 100 yen a day
    computations = charges.outage(KNOWN, RESTORED, charges.monthly_fees(1), usage)
    assert list(computations) == ["credit", "damages"] and charges.monthly_fees(3) == Decimal(900)
    credit = charges.shown_computation(computations["credit"], "en")
    assert any("Whole 24-hour periods: 3 day" in step.text for step in credit.steps)
    assert credit.excl == Decimal(29) and credit.incl == Decimal(31)  # 3 × 300 ÷ 31 days of May; tax, yen dropped
    assert credit.steps[-1].amount == Decimal("9.68")  # a day of May's 300 yen, to the sen
    text = charges.computations_text({"credit": charges.computation_json(computations["credit"], "en")}, "en")
    assert text.splitlines()[0] == "● Fees not payable (Article 21 ②) (new terms (from 2021-07-15))"
    assert text.splitlines()[-2].endswith("  = 9.68") and text.endswith("\n    29 yen excl. tax / 31 yen incl. tax\n")
    html = charges.computations_html(computations, "en")
    assert html.startswith("<h3>Fees not payable (Article 21 ②) <small>(new terms (from 2021-07-15))</small></h3>")
    assert "6,100 yen ÷ 61 days" in html and "329 yen excl. tax" in html and "<h3>Damages (Article 29)" in html
    capped = charges.outage(KNOWN, RESTORED, charges.monthly_fees(1), usage, paid=Decimal(100))
    assert charges.shown_computation(capped["damages"], "en").excl == Decimal(100)  # the new terms' cap


def test_the_window_and_the_command_line_show_the_same_steps():
    computations = charges.outage(KNOWN, RESTORED, Decimal(300), {"2023-04": Decimal("1234.5")}, wilful=True)
    for name, computation in computations.items():
        shown = charges.shown_computation(computation, "ja")
        as_json = charges.computation_json(computation, "ja")
        assert [s["text"] for s in as_json["steps"]] == [step.text for step in shown.steps]
        assert [s["amount"] for s in as_json["steps"]] == [None if s.amount is None else str(s.amount)
                                                          for s in shown.steps]
        assert (as_json["excl"], as_json["incl"], as_json["exact"]) == (str(shown.excl), str(shown.incl),
                                                                         str(shown.exact))
        text = charges.computations_text({name: as_json}, "ja")
        html = charges.computations_html({name: computation}, "ja")
        for step in shown.steps:
            assert f"    {step.text}" in text and step.text.replace("<", "&lt;") in html
    result = subprocess.run([sys.executable, "-m", "kwc_desktop", "outage", "--known", "2023-05-10T09:00",
                             "--restored", "2023-05-13T15:00", "--usage", "2023-04=1234.5", "--wilful", "--lang",
                             "ja", "--json"], capture_output=True, encoding="utf-8", cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {name: json.loads(json.dumps(charges.computation_json(c, "ja")))
                                         for name, c in computations.items()}


def test_after_a_log_the_outage_starts_the_month_after_its_last():
    assert charges.outage_start_after(["2021-07", "2021-08", "2021-07"]) == datetime(2021, 9, 1, 9, 0, tzinfo=JST)
    assert charges.outage_start_after(iter(["2021-12"])) == datetime(2022, 1, 1, 9, 0, tzinfo=JST)
    assert charges.outage_start_after([]) is None
    assert [charges.next_month(m) for m in ("2021-01", "2021-11", "2021-12")] == ["2021-02", "2021-12", "2022-01"]


def test_a_month_without_calls_between_two_with_calls_has_no_usage_fees(tmp_path):
    log = charges.read_log(write(tmp_path, OURS + f"2022-11-02T10:00:00+09:00,outbound,{OUT},{CALLER},60,completed\n"
                                 f"2023-02-02T10:00:00+09:00,inbound,{CALLER},{IN},60,completed\n"))
    assert charges.usage_by_month(log) == {"2022-11": Decimal(100), "2022-12": Decimal(0), "2023-01": Decimal(0),
                                           "2023-02": Decimal(50)}


# --- reading: a file with progress and cancel, an account's calls from Twilio -------------------------------


def long_log(tmp_path: Path, rows: int) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from charges import make_log  # the benchmark's own generator
    finally:
        sys.path.remove(str(REPO / "bench"))
    path = tmp_path / "long.csv"
    make_log(path, rows)
    return path


def test_a_log_is_read_with_its_progress_in_thousandths(tmp_path):
    path = long_log(tmp_path, 70_000)
    reported: list[int] = []
    log = charges.read_log_per_mille(path, reported.append)
    assert log.rows == 70_000 and log == charges.read_log(path, parallel=False)
    assert len(reported) >= 3 and reported == sorted(reported) and 0 < reported[0] and reported[-1] == 1000
    with pytest.raises(UserError) as stopped:
        charges.read_log_per_mille(path, reported.append, cancelled=lambda: True)
    assert stopped.value.key == "charges.cancelled"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(UserError) as nothing:  # an empty file: its own message, not a division by zero
        charges.read_log_per_mille(empty, reported.append)
    assert nothing.value.key == "calls.empty"


def test_an_account_s_calls_are_read_with_its_credentials(program, monkeypatch):
    from kwc_desktop.domain.answers import AccountEntry, Answers
    from kwc_desktop.domain.session import Session
    from kwc_desktop.domain.sid import parse_sid
    from tests.fake_twilio import FakeAccount, serving

    monkeypatch.delenv("KWC_TWILIO_API_URL", raising=False)
    sid, token = "AC" + "34" * 16, "u" * 32
    calls = [{"sid": f"CA{n:032x}", "start_time": "Thu, 19 Aug 2021 01:00:00 +0000", "direction": "outbound-api",
              "from": OUT, "to": CALLER, "duration": "61", "status": "completed"} for n in range(3)]
    calls.append({"sid": "CA" + "e" * 32, "start_time": "Thu, 19 Aug 2021 01:00:00 +0000", "direction": "inbound",
                  "from": CALLER, "to": IN, "duration": "", "status": "busy"})
    session = Session(program, Answers([AccountEntry("Main", "it@example.com"), AccountEntry("New", "n@example.com")]))
    session.secrets.sids["Main"] = parse_sid(sid)
    asked: list[tuple[str, str]] = []

    def secret_for(label: str, kind: str) -> str | None:
        asked.append((label, kind))
        return token if (label, kind) == ("Main", "token") else None

    with serving() as fake:
        fake.add(FakeAccount(sid, token, calls=calls))
        settings = {"api_url": fake.base}  # the settings file's [twilio] api_url
        log = charges.read_calls_of(session, "Main", secret_for, settings)
        assert (log.billed, log.not_completed) == (3, 1)
        assert charges.usage_by_month(log) == {"2021-08": Decimal(600)}  # 3 calls of 2 units
        assert ("Main", "token") in asked
        with pytest.raises(UserError) as no_sid:
            charges.read_calls_of(session, "New", secret_for, settings)
        assert no_sid.value.key == "detect.no_sid"
        session.secrets.sids["New"] = parse_sid("AC" + "56" * 16)
        with pytest.raises(UserError) as no_secret:
            charges.read_calls_of(session, "New", secret_for, settings, missing=FOR_WINDOW)
        assert no_secret.value.key == "detect.no_secret_window"
        with pytest.raises(UserError):  # stopped: the client asks before each page
            charges.read_calls_of(session, "Main", secret_for, settings, cancelled=lambda: True)


def test_the_charges_service_loads_no_qt():
    code = ("import sys; import kwc_desktop.services.charges, kwc_desktop.cli.charges; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))")
    result = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(REPO)!r}); {code}"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
