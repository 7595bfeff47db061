"""Hostile call logs, end to end: what the charges check reads is what one process reading the file row by row
would read (two processes, pieces, CR / LF / CRLF, quotes), time stamps, numbers and durations each have one
strict grammar, CP932 is found wherever its first character is, a line too long is refused as it is read,
standard input is a log like any other, and the second process never runs code from the user's folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwc_desktop.domain.calls import CallLog, Numbers, read_header
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.charges import (
    PARALLEL_FROM_BYTES,
    charges_json,
    priced,
    read_log,
    split_point,
    start_part,
)
from tests.reliability.conftest import app_env, installed_app

HEADER = "start,direction,from,to,duration,status,note"
OUT, CALLER, IN = "+815012345678", "+819012000002", "+81352000001"


def summary(log: CallLog) -> tuple[object, ...]:
    """Everything a read gives: totals, counts and each rejected row's line and reason."""
    return (sorted(log.units.items()), log.rows, log.billed, log.not_completed, log.rejected_count,
            [(r.line, r.key, r.value) for r in log.rejected])


def run_charges(*args: str, cwd: Path, data: Path, stdin: object = None,
                timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(installed_app()), *args], capture_output=True, env=app_env(data), cwd=cwd,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL, timeout=timeout)


def big_rows(count: int, newline: str = "\r\n") -> str:
    return newline.join(
        f"2021-{7 + n % 3:02d}-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}:00+09:00,"
        f"{'outbound' if n % 4 else 'inbound'},{OUT},{CALLER if n % 4 else IN},{n % 700},"
        f"{'completed' if n % 10 else 'busy'},memo {n}" for n in range(count)) + newline


# --- 2: the second process imports nothing from the current folder -----------------------------------------


def test_the_second_process_runs_no_code_from_the_users_folder(tmp_path, monkeypatch):
    folder = tmp_path / "where the user stands"
    planted = folder / "kwc_desktop"
    planted.mkdir(parents=True)
    marker = tmp_path / "planted code ran"
    code = f"open({str(marker)!r}, 'a').write('ran\\n')\n"
    (planted / "__init__.py").write_text(code, encoding="utf-8")
    (planted / "__main__.py").write_text(code + "raise SystemExit(0)\n", encoding="utf-8")
    path = folder / "calls.csv"
    path.write_text(HEADER + "\r\n" + big_rows(240_000), encoding="utf-8", newline="")
    assert path.stat().st_size >= PARALLEL_FROM_BYTES
    result = run_charges("charges", "calls.csv", "--json", cwd=folder, data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    log = read_log(path, parallel=False)
    assert json.loads(result.stdout) == json.loads(json.dumps(charges_json(priced(log), log, "en")))
    # The isolated process really answered (a failed one would have left its half to this process).
    monkeypatch.chdir(folder)
    small = log_of(folder, [f"2021-08-01T10:00:00,outbound,{OUT},{CALLER},60,completed,"] * 40, name="small.csv")
    begin, first_line = split_point(small, small.stat().st_size)
    columns = read_header(HEADER.split(","))
    part = start_part((str(small), "utf-8", begin, None, first_line, columns, None))
    assert part is not None
    half = part.result()
    assert half is not None and 0 < half.rows < 40 and not marker.exists()


# --- 4: two processes, one process and the file in pieces give the same -----------------------------------


def test_a_lone_cr_inside_quoted_fields_is_read_alike_by_one_and_two_processes(tmp_path):
    rows = [f'2021-08-01T10:00:00,outbound,{OUT},{CALLER},{n % 90 + 1},completed,"two\rlines"' for n in range(600)]
    path = tmp_path / "calls.csv"
    path.write_bytes((HEADER + "\n" + "\n".join(rows) + "\n").encode())
    one = read_log(path, parallel=False)
    two = read_log(path, parallel=True)
    assert one.rows == 600 and one.rejected_count == 0
    assert summary(two) == summary(one)


LINE_BREAK = st.sampled_from(["\r", "\n", "\r\n"])
PLAIN = st.text(alphabet="abc xyz012-", max_size=6)
QUOTED = st.builds(lambda parts: '"' + "".join(parts).replace('"', '""') + '"',
                   st.lists(st.one_of(PLAIN, LINE_BREAK, st.just(","), st.just('"')), max_size=5))
STRAY = st.builds(lambda a, b: f'{a or "x"}"{b}', PLAIN, PLAIN)  # a quote inside an unquoted field
# Characters after a closing quote (not a quote: that would be a doubled one, still inside the field).
AFTER_QUOTE = st.builds(lambda q, first, tail: q + first + tail, QUOTED, st.sampled_from("ab"),
                        st.text(alphabet='ab"', max_size=3))
NOTE = st.one_of(PLAIN, QUOTED, STRAY, AFTER_QUOTE)
START = st.sampled_from(["2021-07-14T23:59:59+09:00", "2021-07-15T00:00:00", "2021-08-01 10:00:00Z",
                         "Wed, 14 Jul 2021 15:00:00 +0000", "2021-W30-1T10:00:00", "not a time"])


@st.composite
def call_row(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["call", "call", "call", "junk", "empty"]))
    if kind == "empty":
        return ""
    if kind == "junk":
        return ",".join(draw(st.lists(NOTE, min_size=1, max_size=3)))
    direction = draw(st.sampled_from(["outbound", "inbound", "outbound-api", "sideways"]))
    duration = draw(st.sampled_from(["0", "59", "61", "600", "-1", "x"]))
    status = draw(st.sampled_from(["completed", "busy", ""]))
    fields = [draw(START), direction, OUT, draw(st.sampled_from([CALLER, OUT, IN])), duration, status, draw(NOTE)]
    return ",".join(fields)


@st.composite
def call_log(draw: st.DrawFn) -> list[str]:
    """The rows of a log, each with its own line break (the last maybe none): a row boundary of the list is a
    row boundary to the csv module. An empty row never follows a lone CR with a LF (that would be one CRLF)."""
    rows = [HEADER + draw(LINE_BREAK)]
    for text in draw(st.lists(call_row(), min_size=1, max_size=60)):
        ending = draw(st.sampled_from(["\r", "\r\n"]) if not text else LINE_BREAK)
        rows.append(text + ending)
    if draw(st.booleans()) and rows[-1].rstrip("\r\n"):
        rows[-1] = rows[-1].rstrip("\r\n")
    return rows


def lines_in(data: bytes) -> int:
    return len(re.findall(rb"\r\n|\r|\n", data))


def read_in_pieces(tmp_path: Path, rows: list[str], cuts: list[int]) -> CallLog:
    """The log cut at these row boundaries, each piece a file of its own (with the header), read and merged;
    each piece's line numbers moved to where the piece starts in the whole file."""
    header, body = rows[0], rows[1:]
    bounds = sorted({c % len(body) for c in cuts} | {0, len(body)})
    merged = CallLog()
    for n, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
        piece = tmp_path / f"piece-{n}.csv"
        piece.write_bytes((header + "".join(body[a:b])).encode())
        log = read_log(piece, parallel=False)
        before = lines_in((header + "".join(body[:a])).encode()) - lines_in(header.encode())
        log.rejected = [type(r)(r.line + before, r.key, r.value) for r in log.rejected]
        merged.merge(log)
    return merged


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(rows=call_log(), cuts=st.lists(st.integers(min_value=0, max_value=1000), max_size=4))
def test_one_process_two_processes_and_pieces_read_the_same(tmp_path_factory, rows, cuts):
    folder = tmp_path_factory.mktemp("log")
    path = folder / "calls.csv"
    path.write_bytes("".join(rows).encode())
    one = read_log(path, parallel=False)
    assert summary(read_log(path, parallel=True)) == summary(one)
    assert summary(read_in_pieces(folder, rows, cuts)) == summary(one)


# --- 5: one strict grammar per time stamp ----------------------------------------------------------------

READ = [  # (start, billing month, terms)
    ("2021-07-14T23:59:59+09:00", "2021-07", "old"),
    ("2021-07-14 23:59:59.999999999+09:00", "2021-07", "old"),
    ("2021-07-14T14:59:59Z", "2021-07", "old"),
    ("2021-07-14T15:00:00+0000", "2021-07", "new"),
    ("2021-07-15T00:00:00", "2021-07", "new"),  # no offset: JST, as docs/charges.md says
    ("2021-07-31T15:30:00Z", "2021-08", "new"),
    ("Wed, 14 Jul 2021 14:59:59 +0000", "2021-07", "old"),
    ("Wed, 14 Jul 2021 15:00:00 -0000", "2021-07", "new"),  # RFC 5322: -0000 is UTC
    ("Wed, 14 Jul 2021 15:00:00 GMT", "2021-07", "new"),
    ("Wed, 14 Jul 2021 15:00:00 UT", "2021-07", "new"),
    ("Wed, 14 Jul 2021 15:00:00 UTC", "2021-07", "new"),
    ("Sat, 31 Jul 2021 15:30:00 +0000", "2021-08", "new"),
    ("Thu, 1 Jul 2021 00:00:00 +0900", "2021-07", "old"),
    (" 2021-08-01T10:00:00+09:00 ", "2021-08", "new"),  # spaces around a field are not part of it
]
REFUSED = [
    "2021-W30-1T10:00:00",          # ISO week date
    "2021-W30-1T10:00:00+09:00",
    "2021-195T10:00:00",            # ordinal date
    "20210714T100000+0900",         # basic format
    "2021-07-14T24:00:00+09:00",    # hour 24
    "2021-07-14T10:00+09:00",       # no seconds
    "2021-07-14",                   # no time
    "2021-02-30T10:00:00",
    "2021-07-14t10:00:00z",
    "２０２１-07-14T10:00:00",       # full-width digits
    "2021-07-14T10:00:00+09",
    "Wed, 14 Jul 2021 15:00:00",    # no zone: never JST
    "Wed, 14 Jul 2021 15:00:00 JST",
    "Wed, 14 Jul 2021 15:00:00 XYZ",
    "Thu, 14 Jul 2021 15:00:00 +0000",  # 14 July 2021 was a Wednesday
    "14 Jul 2021 15:00:00 +0000",   # not as Twilio writes it: no day name
    "Wed, 14 Jul 2021 15:00 +0000",
    "1999-12-31T14:59:59Z",         # 1999-12-31 23:59:59 JST: before the supported months
    "2099-12-31T15:00:00Z",         # 2100-01-01 00:00 JST: after them
    "Thu, 31 Dec 2099 15:00:00 +0000",
]


def log_of(tmp_path: Path, rows: list[str], name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8", newline="")
    return path


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_each_time_stamp_form_has_one_strict_grammar(tmp_path):
    rows = [f"{quoted(s)},outbound,{OUT},{CALLER},60,completed," for s, _m, _t in READ]
    rows += [f"{quoted(s)},outbound,{OUT},{CALLER},60,completed," for s in REFUSED]
    log = read_log(log_of(tmp_path, rows), parallel=False)
    refused = {r.line: r.key for r in log.rejected}
    assert refused == {n + 2: "calls.bad_start" for n in range(len(READ), len(READ) + len(REFUSED))}
    for n, (start, month, terms) in enumerate(READ):
        one = read_log(log_of(tmp_path, [rows[n]], name=f"one-{n}.csv"), parallel=False)
        assert [(m, t) for m, t, _d, _n in one.units] == [(month, terms)], start


# --- 6: numbers are E.164, durations ASCII digits -----------------------------------------------------------


def test_four_spellings_of_one_number_are_one_number_fee_and_a_non_number_is_refused(tmp_path):
    spellings = ["+81 3-1234-5678", "+81312345678", "+81-3-1234-5678", "(+81) 3 1234 5678", "03-1234-5678"]
    rows = [f"2021-08-0{n + 1}T10:00:00,outbound,{quoted(s)},{CALLER},60,completed," for n, s in enumerate(spellings)]
    rows += [f"2021-08-09T10:00:00,outbound,not-a-number,{CALLER},60,completed,",
             f"2021-08-09T10:00:00,inbound,{CALLER},+1 800 FLOWERS,60,completed,",
             f"2021-08-09T10:00:00,inbound,{CALLER},+81 12,60,completed,",
             f"2021-08-09T10:00:00,inbound,{CALLER},81312345678,60,completed,"]
    log = read_log(log_of(tmp_path, rows), parallel=False)
    assert [(r.line, r.key) for r in log.rejected] == [(n, "calls.bad_number") for n in range(7, 11)]
    (august,) = charges_json(priced(log, "new"), log, "en")["months"]
    assert august["numbers"] == {"outbound": 1, "inbound": 0, "charged": 1}
    assert august["units"]["outbound"] == 5 and august["excl"]["number_fee"] == "300"
    given = priced(log, "new", Numbers(outbound=frozenset({"+81 3 1234 5678"})))
    assert given[0].usage.outbound_numbers == 1  # a given number is the same number in another spelling


def test_durations_are_ascii_digits(tmp_path):
    good = ["60", " 60 ", "0060"]
    bad = ["6_0", "٦٠", "６０", "+60", "-0", "60.0", "1e2", "60s", "", "²"]
    rows = [f"2021-08-01T10:00:00,outbound,{OUT},{CALLER},{quoted(d)},completed," for d in good + bad]
    log = read_log(log_of(tmp_path, rows), parallel=False)
    assert [(r.line, r.key) for r in log.rejected] == [(n + 2, "calls.bad_duration")
                                                      for n in range(len(good), len(good) + len(bad))]
    assert log.billed == len(good) and sum(log.units.values()) == 3


@pytest.mark.parametrize("option", ["--outbound-number", "--inbound-number"])
def test_numbers_given_on_the_command_line_are_checked(tmp_path, option):
    path = log_of(tmp_path, [f"2021-08-01T10:00:00,outbound,{OUT},{CALLER},60,completed,"])
    bad = run_charges("charges", str(path), option, "not-a-number", cwd=tmp_path, data=tmp_path / "data")
    assert bad.returncode == 2 and bad.stderr.count(b"\n") == 1 and b"not-a-number" in bad.stderr, bad.stderr
    assert b"Traceback" not in bad.stderr and bad.stdout == b""
    good = run_charges("charges", str(path), option, "+81 3-1234-5678", "--json", cwd=tmp_path,
                       data=tmp_path / "data")
    assert good.returncode == 0, good.stderr


# --- 7: CP932 after a long ASCII start ----------------------------------------------------------------------


def test_a_cp932_log_whose_first_mib_is_ascii_is_read_as_cp932(tmp_path):
    ascii_rows = big_rows(16_000, "\n")
    assert len(ascii_rows) > 1.1 * 1024 * 1024
    japanese = "\n".join(f"2021-09-0{n}T10:00:00,inbound,{CALLER},{IN},120,completed,お問い合わせ{n}"
                         for n in range(1, 6)) + "\n"
    path = tmp_path / "calls.csv"
    path.write_bytes((HEADER + "\n" + ascii_rows).encode("ascii") + japanese.encode("cp932"))
    one = read_log(path, parallel=False)
    assert one.rows == 16_005 and one.rejected_count == 0
    assert summary(read_log(path, parallel=True)) == summary(one)
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes((HEADER + "\n" + ascii_rows + japanese).encode("utf-8"))
    assert summary(read_log(utf8, parallel=False)) == summary(one)


# --- 8: a line too long is refused as it is read -------------------------------------------------------------

MEASURED = """
import resource, subprocess, sys, time
start = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True)
print(done.returncode, round(time.monotonic() - start, 2),
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
sys.stderr.buffer.write(done.stderr)
"""


def measured(command: list[str], env: dict[str, str]) -> tuple[int, float, int, bytes]:
    """Exit status, seconds and peak memory (MiB) of `command`, measured in a process of its own."""
    done = subprocess.run([sys.executable, "-c", MEASURED, *command], capture_output=True, env=env, timeout=120)
    status, seconds, mib = done.stdout.split()
    return int(status), float(seconds), int(mib), done.stderr


@pytest.mark.parametrize("shape", ["one line", "one quoted field"])
def test_a_line_or_field_longer_than_the_limit_is_refused_as_it_is_read(tmp_path, shape):
    path = tmp_path / "calls.csv"
    size = 50 * 1024 * 1024
    with open(path, "wb") as f:
        f.write((HEADER + "\n").encode())
        f.write(f"2021-08-01T10:00:00,outbound,{OUT},{CALLER},60,completed,".encode())
        if shape == "one line":
            f.write(b"x" * size)
        else:
            f.write(b'"' + b"a fairly short line\n" * (size // 20) + b'"')
        f.write(b"\n")
    small = log_of(tmp_path, [f"2021-08-01T10:00:00,outbound,{OUT},{CALLER},60,completed,"], name="small.csv")
    env = app_env(tmp_path / "data")
    base = measured([str(installed_app()), "charges", str(small)], env)
    status, seconds, mib, err = measured([str(installed_app()), "charges", str(path)], env)
    assert status == 2 and err.count(b"\n") == 1 and b"Traceback" not in err, err
    assert re.search(rb"[Ll]ine [0-9]+", err), err  # the line it is on
    assert seconds < 10 and mib < base[2] + 40, (seconds, mib, base)


def test_a_line_too_long_in_the_second_half_is_the_same_error_with_the_same_line(tmp_path):
    path = tmp_path / "calls.csv"
    rows = big_rows(20_000, "\n").splitlines()
    rows[-5] += "," + "y" * (1024 * 1024 + 10)
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8", newline="")
    errors = []
    for parallel in (False, True):
        with pytest.raises(UserError) as raised:
            read_log(path, parallel=parallel)
        errors.append((raised.value.key, raised.value.message("en")))
    assert errors[0] == errors[1] and errors[0][0] == "calls.too_long"
    assert f"Line {len(rows) - 3}:" in errors[0][1]  # the header, then rows[-5] on its own line


# --- 10: a CR-only log over 16 MiB --------------------------------------------------------------------------


def test_a_cr_only_log_over_16_mib_is_read_by_the_installed_command(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(HEADER + "\r" + big_rows(240_000, "\r"), encoding="utf-8", newline="")
    assert path.stat().st_size >= PARALLEL_FROM_BYTES
    result = run_charges("charges", str(path), "--json", cwd=tmp_path, data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rows"] == 240_000 and report["rejected_count"] == 0
    log = read_log(path, parallel=False)
    assert report == json.loads(json.dumps(charges_json(priced(log), log, "en")))


# --- 12: `-` is standard input --------------------------------------------------------------------------------


def test_a_dash_reads_the_log_from_standard_input(tmp_path):
    rows = big_rows(3000, "\r\n")
    path = tmp_path / "calls.csv"
    path.write_bytes((HEADER + "\r\n" + rows).encode("cp932") + "2021-09-01T10:00:00,outbound,x,y,1,completed,メモ\r\n"
                     .encode("cp932"))
    by_name = run_charges("charges", str(path), "--json", cwd=tmp_path, data=tmp_path / "data")
    assert by_name.returncode == 0, by_name.stderr
    with open(path, "rb") as f:
        piped = run_charges("charges", "-", "--json", cwd=tmp_path, data=tmp_path / "data", stdin=f)
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout) == json.loads(by_name.stdout)
    with open(path, "rb") as f:  # also through a real pipe, not a file handed over as stdin
        cat = subprocess.Popen(["cat"], stdin=f, stdout=subprocess.PIPE)
        outage = run_charges("outage", "--known", "2021-10-10T09:00", "--restored", "2021-10-13T15:00", "--calls",
                             "-", "--json", cwd=tmp_path, data=tmp_path / "data", stdin=cat.stdout)
        cat.wait()
    assert outage.returncode == 0, outage.stderr
    assert json.loads(outage.stdout)["damages"]["excl"] != "0"
    empty = run_charges("charges", "-", cwd=tmp_path, data=tmp_path / "data")
    assert empty.returncode == 2 and empty.stderr.count(b"\n") == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_given_by_name_is_still_refused(tmp_path):
    fifo = tmp_path / "calls.csv"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = run_charges("charges", str(fifo), cwd=tmp_path, data=tmp_path / "data", timeout=30)
    assert result.returncode == 2 and result.stderr.count(b"\n") == 1 and time.monotonic() - started < 30
