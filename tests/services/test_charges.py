"""Call logs priced end to end: both encodings and both column sets, bad rows with their line numbers, the
terms by each call's start (July 2021 in two parts), numbers, the two-process read, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from kwc_desktop.domain.calls import Numbers
from kwc_desktop.domain.text import UserError
from kwc_desktop.services import charges
from kwc_desktop.services.charges import charges_json, priced, read_log
from tests.conftest import REPO

pytestmark = pytest.mark.windows
OURS = "start,direction,from,to,duration,status\n"
OUT, IN, CALLER = "+815012345678", "+81352000001", "+819012000002"

LOG = OURS + "\n".join([
    f"2021-07-14T23:59:59+09:00,outbound,{OUT},{CALLER},61,completed",   # old terms: 2 units
    f"2021-07-15T00:00:00+09:00,outbound,{OUT},{CALLER},60,completed",   # new terms: 1 unit
    f"2021-07-20T10:00:00,inbound,{CALLER},{IN},125,completed",         # no offset: JST; 3 units
    f"2021-07-21T10:00:00+09:00,inbound,{CALLER},{OUT},30,completed",   # to the outbound number: free
    f"2021-07-31T15:30:00Z,outbound,{OUT},{CALLER},10,completed",       # 2021-08-01 00:30 JST: August
    f"2021-08-02T09:00:00+09:00,outbound,{OUT},{CALLER},0,no-answer",   # not billed
    "2021-08-02T09:00:00+09:00,sideways,a,b,10,completed",              # line 8: bad direction
    f"2021-02-30T09:00:00+09:00,outbound,{OUT},{CALLER},10,completed",   # line 9: no such day
    f"2021-08-03T09:00:00+09:00,outbound,{OUT},{CALLER},-5,completed",   # line 10: bad duration
    f"2021-08-03T09:00:00+09:00,outbound,{OUT}",                          # line 11: too few fields
    "",
]) + "\n"


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "calls.csv", newline: str = "\n"):  # noqa: ANN001
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def months(path, mode: str = "auto", **kwargs) -> list[dict]:  # noqa: ANN001
    log = read_log(path)
    return charges_json(priced(log, mode, Numbers(**kwargs)), log, "en")["months"]


def test_july_2021_in_two_parts_with_its_number_fee_once(tmp_path):
    found = months(write(tmp_path, LOG))
    assert [(m["month"], m["terms"]) for m in found] == [("2021-07", "old"), ("2021-07", "new"), ("2021-08", "new")]
    old, new, august = found
    assert old["units"] == {"outbound": 2, "inbound": 0, "inbound_free": 0} and old["excl"]["number_fee"] == "0"
    assert new["units"] == {"outbound": 1, "inbound": 3, "inbound_free": 1}
    assert new["numbers"] == {"outbound": 1, "inbound": 1, "charged": 2}
    assert new["excl"] == {"number_fee": "600", "outbound": "100", "inbound": "150", "total": "850"}
    assert new["incl"] == {"number_fee": "660", "outbound": "110", "inbound": "165", "total": "935"}
    assert old["excl"]["total"] == "200" and old["incl"]["total"] == "220"
    assert august["units"]["outbound"] == 1 and august["numbers"]["outbound"] == 1  # the UTC call of 31 July


def test_bad_rows_are_reported_with_their_line_and_reason(tmp_path):
    log = read_log(write(tmp_path, LOG))
    report = charges_json(priced(log), log, "en")
    assert [(r["line"], r["reason"].split(" ")[1]) for r in report["rejected"]] == [
        (8, "direction"), (9, "start"), (10, "duration"), (11, "few")]
    assert report["rows"] == 10 and report["billed"] == 5 and report["not_completed"] == 1
    ja = charges_json(priced(log), log, "ja")["rejected"][0]["reason"]
    assert "sideways" in ja and "方向" in ja


@pytest.mark.parametrize(("encoding", "newline", "bom"), [("utf-8", "\n", False), ("utf-8", "\r\n", True),
                                                          ("cp932", "\r\n", False), ("cp932", "\n", False)])
def test_utf8_with_or_without_bom_and_cp932_with_crlf_or_lf(tmp_path, encoding, newline, bom):
    text = LOG.replace(OURS, "start,direction,from,to,duration,status,メモ\n")
    text = text.replace(",completed\n", ",completed,日本語のメモ\n", 1)
    path = tmp_path / "calls.csv"
    data = text.replace("\n", newline).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    assert months(path) == months(write(tmp_path, LOG, name="plain.csv"))


def test_twilios_own_calls_fields(tmp_path):
    twilio = ("sid,start_time,end_time,direction,from,to,duration,status,price\n"
              f"CA1,\"Wed, 14 Jul 2021 14:59:59 +0000\",,outbound-api,{OUT},{CALLER},61,completed,-1.0\n"
              f"CA2,\"Wed, 14 Jul 2021 15:00:00 +0000\",,outbound-dial,{OUT},{CALLER},60,completed,\n"
              f"CA3,2021-07-20T01:00:00Z,,inbound,{CALLER},{IN},125,completed,\n"
              f"CA4,2021-07-21T01:00:00Z,,inbound,{CALLER},{OUT},,busy,\n")
    found = months(write(tmp_path, twilio))
    assert [(m["terms"], m["units"]["outbound"], m["units"]["inbound"]) for m in found] == [
        ("old", 2, 0), ("new", 1, 3)]


def test_old_new_and_both_terms_numbers_given_and_the_service_start(tmp_path):
    path = write(tmp_path, LOG)
    old = months(path, "old")
    assert [m["terms"] for m in old] == ["old", "old"]
    assert old[0]["units"] == {"outbound": 3, "inbound": 4, "inbound_free": 0}  # every call charged
    both = months(path, "both")
    assert [(m["month"], m["terms"]) for m in both] == [("2021-07", "old"), ("2021-07", "new"), ("2021-08", "old"),
                                                        ("2021-08", "new")]
    given = months(path, "new", outbound=frozenset({"+815099999999"}))
    assert given[1]["numbers"] == {"outbound": 2, "inbound": 0, "charged": 2}  # August: OUT and the given one
    from datetime import date

    started = months(path, "new", service_start=date(2021, 7, 10))
    assert started[0]["excl"]["number_fee"] == "0" and started[1]["excl"]["number_fee"] != "0"


def test_the_two_process_read_gives_what_one_process_gives(tmp_path):
    rows = [f"2021-{m:02d}-{d:02d}T{h:02d}:00:00+09:00,{'outbound' if n % 3 else 'inbound'},{OUT},"
            f"{CALLER if n % 3 else OUT},{n % 400},completed" for n, (m, d, h) in
            enumerate((m, d, h) for m in (6, 7, 8) for d in range(1, 29) for h in range(24))]
    rows.insert(700, "bad,row")
    text = OURS + "\n".join(rows) + "\n"
    path = write(tmp_path, text, newline="\r\n")
    one = read_log(path, parallel=False)
    two = read_log(path, parallel=True)
    assert charges_json(priced(one), one, "en") == charges_json(priced(two), two, "en")
    assert [r.line for r in two.rejected] == [702]


def test_the_two_process_read_meets_at_a_row_even_when_a_stray_quote_fools_the_split(tmp_path):
    # A stray quote inside an unquoted part of a quoted field ('"multi<CRLF>line, "q"" ,x"': five quotes) is a
    # character to the csv module, but it turns the split's quote count, and the split landed inside a
    # quoted line break: one row too many and a refused half row (found with a 20 MiB log; this layout
    # puts the split there at 400 rows).
    rows = [f'2021-08-01T10:00:00,outbound,{OUT},{CALLER},{n % 90 + 1},completed,"multi\r\nline, "q"" ,x"'
            if n % 7 == 0 else f"2021-08-01T10:00:00,outbound,{OUT},{CALLER},{n % 90 + 1},completed,ok"
            for n in range(400)]
    path = tmp_path / "calls.csv"
    path.write_bytes(("start,direction,from,to,duration,status,note\r\n" + "\r\n".join(rows) + "\r\n").encode())
    one = read_log(path, parallel=False)
    two = read_log(path, parallel=True)
    assert (two.rows, two.rejected_count) == (one.rows, one.rejected_count) == (400, 0)
    assert charges_json(priced(one), one, "en") == charges_json(priced(two), two, "en")


def two_halves(tmp_path, bad_end: bool = False):  # noqa: ANN201
    """A log and the job for its second half. With `bad_end`, 2.4 MB whose first non-ASCII characters are
    UTF-8 (so the file is read as UTF-8) and whose last rows are not."""
    count = 32_000 if bad_end else 28 * 24
    rows = [f"2021-08-{n % 28 + 1:02d}T{n % 24:02d}:00:00+09:00,outbound,{OUT},{CALLER},{n % 500},completed"
            for n in range(count)]
    if bad_end:
        rows[1] += ",メモ"
        rows[-3] = rows[-3].replace("completed", "compl\xe9ted")
    path = tmp_path / "calls.csv"
    path.write_bytes((OURS + "\n".join(rows) + "\n").encode("utf-8").replace(b"\xc3\xa9", b"\xe9"))
    begin, first_line = charges.split_point(path, path.stat().st_size)
    columns = charges.read_header(OURS.strip().split(","))
    return path, (str(path), "utf-8-sig", begin, None, first_line, columns, None)


def test_the_second_process_is_this_program_and_answers_for_its_half(tmp_path):
    path, job = two_halves(tmp_path)
    part = charges.start_part(job)
    assert part is not None
    other = part.result()
    assert other is not None and other.rows == 28 * 24 - (job[4] - 2)  # the rows from the split on
    whole = read_log(path, parallel=False)
    assert other.rows < whole.rows and other.billed > 0


def test_an_error_in_the_second_half_reaches_the_user_as_it_would_from_one_process(tmp_path):
    path, job = two_halves(tmp_path, bad_end=True)
    with pytest.raises(UserError) as one:
        read_log(path, parallel=False)
    part = charges.start_part(job)
    assert part is not None
    with pytest.raises(UserError) as two:
        part.result()
    assert one.value.key == two.value.key == "calls.bad_encoding"
    with pytest.raises(UserError) as both:
        read_log(path, parallel=True)
    assert both.value.key == "calls.bad_encoding"


def test_a_second_process_that_fails_leaves_its_half_to_this_one(tmp_path, monkeypatch):
    path, _job = two_halves(tmp_path)
    one = read_log(path, parallel=False)
    for command in ([sys.executable, "-c", "import sys; sys.exit(3)"],     # ends with an error
                    [sys.executable, "-c", "print('not an answer')"],       # answers nonsense
                    [str(tmp_path / "no-such-program")]):                   # cannot be started
        monkeypatch.setattr(charges, "part_command", lambda _job, command=command: command)
        two = read_log(path, parallel=True)
        assert charges_json(priced(two), two, "en") == charges_json(priced(one), one, "en")


def test_cancelling_stops_the_second_process_too(tmp_path):
    path, _job = two_halves(tmp_path)
    with pytest.raises(charges.Cancelled):
        read_log(path, parallel=True, cancelled=lambda: True)


def test_the_charges_command(tmp_path):
    path = write(tmp_path, LOG)
    run = [sys.executable, "-m", "kwc_desktop", "charges", str(path)]
    result = subprocess.run([*run, "--json", "--month", "2021-08"], capture_output=True, text=True, cwd=REPO,
                            encoding="utf-8")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [m["month"] for m in report["months"]] == ["2021-08"]
    assert Decimal(report["months"][0]["incl"]["total"]) == Decimal(report["months"][0]["excl"]["total"]) * 11 // 10
    text = subprocess.run([*run, "--lang", "ja"], capture_output=True, text=True, cwd=REPO, encoding="utf-8")
    assert text.returncode == 0 and "新約款" in text.stdout and "8行目" in text.stdout
    for bad in (["--month", "2021-13"], ["--terms", "future"], ["--service-start", "2021-02-30"]):
        result = subprocess.run([*run, *bad], capture_output=True, text=True, cwd=REPO, encoding="utf-8")
        assert result.returncode == 2 and result.stderr.count("\n") == 1, (bad, result.stderr)
    missing = subprocess.run([sys.executable, "-m", "kwc_desktop", "charges", str(tmp_path / "none.csv")],
                             capture_output=True, text=True, cwd=REPO, encoding="utf-8")
    assert missing.returncode == 2 and "none.csv" in missing.stderr and missing.stderr.count("\n") == 1
    headless = write(tmp_path, "a,b\n1,2\n", name="headless.csv")
    result = subprocess.run([sys.executable, "-m", "kwc_desktop", "charges", str(headless), "--lang", "ja"],
                            capture_output=True, text=True, cwd=REPO, encoding="utf-8")
    assert result.returncode == 2 and "start" in result.stderr and result.stderr.count("\n") == 1


def test_the_outage_and_meters_commands(tmp_path):
    # 543,000 yen in 2023-04 and 0 yen in each of the five months before: all 6 known, 181 days.
    zeros = [a for m in ("2022-11", "2022-12", "2023-01", "2023-02", "2023-03") for a in ("--usage", f"{m}=0")]
    result = subprocess.run([sys.executable, "-m", "kwc_desktop", "outage", "--known", "2023-05-10T09:00",
                             "--restored", "2023-05-13T15:00", "--usage", "2023-04=543000", *zeros, "--json"],
                            capture_output=True, text=True, cwd=REPO, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["damages"]["excl"] == "9029" and report["credit"]["excl"] == "29"
    assert report["damages"]["incl"] == "9931"  # 9,029.03 × 1.1, rounded down
    assert any("181" in step["text"] for step in report["damages"]["steps"])
    text = subprocess.run([sys.executable, "-m", "kwc_desktop", "outage", "--known", "2023-05-10T09:00",
                           "--restored", "2023-05-11T08:59", "--lang", "ja"], capture_output=True, text=True,
                          cwd=REPO, encoding="utf-8")
    assert text.returncode == 0 and "24時間以上連続していない" in text.stdout
    backwards = subprocess.run([sys.executable, "-m", "kwc_desktop", "outage", "--known", "2023-05-10T09:00",
                                "--restored", "2023-05-09T09:00"], capture_output=True, text=True, cwd=REPO,
                               encoding="utf-8")
    assert backwards.returncode == 2 and backwards.stderr.count("\n") == 1
    meters = subprocess.run([sys.executable, "-m", "kwc_desktop", "meters", "--failed-on", "2023-05-10", "--days",
                             "2", "--usage", "2023-03=3100", "--usage", "2023-04=6000", "--json"],
                            capture_output=True, text=True, cwd=REPO, encoding="utf-8")
    assert meters.returncode == 0 and json.loads(meters.stdout)["meters"]["excl"] == "200"
