"""The COTOHA Voice DX Basic terms (seed 004) read again: a number keeps the role it was assigned
(料金表 2-1-2 備考1 and 4), damages with less than six months of history average the days that are known
(第29条第2項第2号 and 注1) — and the outage and meters commands agree on which months are known — and the
附則 cited as the seed numbers it (one 附則 of 令和3年7月7日, paragraphs 1 to 3). Through the installed command,
in both languages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.windows
HEADER = "start,direction,from,to,duration,status\n"
OUT, IN, CALLER = "+815012345678", "+81352000001", "+819012000002"


def command() -> list[str]:
    """The installed `kwc-desktop` beside this Python, else this Python running the package."""
    found = shutil.which("kwc-desktop", path=os.path.dirname(sys.executable))
    return [found] if found else [sys.executable, "-m", "kwc_desktop"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "en_US.UTF-8"}
    return subprocess.run([*command(), *args], capture_output=True, text=True, encoding="utf-8", cwd=REPO,
                          env=env, timeout=120)


def write(tmp_path: Path, rows: list[str], name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# --- 8: an inbound number stays an inbound number --------------------------------------------------------

# August 2021, new terms: the inbound number IN also calls out once (the log says so; the number is still
# the one assigned 着信用). 着信利用料 50円 a unit is due on every call to it; only a call to the outbound
# number OUT is free (備考4). 電話番号利用料 300円 for each of the two numbers, whatever their role.
ROLES = [
    f"2021-08-02T10:00:00+09:00,outbound,{IN},{CALLER},61,completed",   # 2 units 発信利用料
    f"2021-08-03T10:00:00+09:00,inbound,{CALLER},{IN},125,completed",   # 3 units 着信利用料
    f"2021-08-04T10:00:00+09:00,inbound,{CALLER},{OUT},30,completed",   # to the outbound number: free
    f"2021-08-05T10:00:00+09:00,outbound,{OUT},{CALLER},60,completed",  # 1 unit 発信利用料
]


def test_a_number_given_as_inbound_stays_inbound_though_it_also_called_out(tmp_path):
    path = write(tmp_path, ROLES)
    result = run("charges", str(path), "--inbound-number", "03-5200-0001", "--json")
    assert result.returncode == 0, result.stderr
    (august,) = json.loads(result.stdout)["months"]
    assert august["numbers"] == {"outbound": 1, "inbound": 1, "charged": 2}
    assert august["units"] == {"outbound": 3, "inbound": 3, "inbound_free": 1}
    assert august["excl"] == {"number_fee": "600", "outbound": "300", "inbound": "150", "total": "1050"}
    assert august["incl"]["inbound"] == "165"  # 3 × 55円
    texts = {lang: run("charges", str(path), "--inbound-number", IN, "--lang", lang).stdout for lang in ("ja", "en")}
    assert "発信用番号1・着信用番号1(番号利用料の対象2件)、発信3単位・着信3単位・無料の着信1単位" in texts["ja"]
    assert "1 outbound and 1 inbound numbers (2 charged), 3 outbound, 3 inbound and 1 free inbound units" in texts["en"]
    assert "着信 150円" in texts["ja"] and "inbound 150" in texts["en"]


def test_a_number_not_given_is_outbound_when_it_calls_out_and_given_outbound_wins_too(tmp_path):
    path = write(tmp_path, ROLES)
    inferred = json.loads(run("charges", str(path), "--json").stdout)["months"][0]
    assert inferred["numbers"] == {"outbound": 2, "inbound": 0, "charged": 2}  # both numbers call out
    assert inferred["units"] == {"outbound": 3, "inbound": 0, "inbound_free": 4}
    given = json.loads(run("charges", str(path), "--outbound-number", IN, "--json").stdout)["months"][0]
    assert given["units"]["inbound_free"] == 4 and given["excl"]["inbound"] == "0"


@pytest.mark.parametrize(("lang", "said"), [("ja", "発信用と着信用の両方"), ("en", "both an outbound and an inbound")])
def test_one_number_given_both_outbound_and_inbound_is_refused_in_one_line(tmp_path, lang, said):
    path = write(tmp_path, ROLES)
    result = run("charges", str(path), "--outbound-number", IN, "--inbound-number", "+81 3-5200-0001", "--lang", lang)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert said in result.stderr and IN in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


# --- 9: damages with less than six months of history ---------------------------------------------------

# Only 2023-03 (31 calls of 60 s out: 3,100円) and 2023-04 (30 calls: 3,000円) are known: 61 days, 100円 a
# day. The outage: known 2023-05-10 09:00, restored 05-13 15:00 — 3 whole days. 注1: the daily average of
# the period known (6,100円 ÷ 61日 = 100円), not 6,100円 over the 181 days of 2022-11 … 2023-04.
def history(tmp_path: Path, months: dict[str, int], name: str = "calls.csv") -> Path:
    rows = [f"{month}-{day:02d}T10:00:00+09:00,outbound,{OUT},{CALLER},60,completed"
            for month, days in months.items() for day in range(1, days + 1)]
    return write(tmp_path, rows, name)


OUTAGE = ("outage", "--known", "2023-05-10T09:00", "--restored", "2023-05-13T15:00")


def test_damages_average_the_days_known_when_six_months_are_not(tmp_path):
    path = history(tmp_path, {"2023-03": 31, "2023-04": 30})
    result = run(*OUTAGE, "--calls", str(path), "--json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    damages = json.loads(result.stdout)["damages"]
    # 300円 × 3 ÷ 31 (May) + 100円 × 3 days
    assert Decimal(damages["exact"]).quantize(Decimal("0.01")) == Decimal("329.03")
    assert damages["excl"] == "329" and damages["incl"] == "361"
    step = next(s["text"] for s in damages["steps"] if "6,100" in s["text"])
    assert "61 days" in step and "2023-03, 2023-04" in step and "note 1" in step and "181" not in step
    ja = json.loads(run(*OUTAGE, "--calls", str(path), "--json", "--lang", "ja").stdout)["damages"]
    step = next(s["text"] for s in ja["steps"] if "6,100" in s["text"])
    assert "61日" in step and "2か月" in step and "注1" in step


def test_damages_with_no_month_known_say_so_and_leave_the_usage_out(tmp_path):
    for lang, said in (("ja", "実績が把握できない"), ("en", "No usage is known")):
        result = run(*OUTAGE, "--json", "--lang", lang)
        damages = json.loads(result.stdout)["damages"]
        assert damages["excl"] == "29"  # 300円 × 3 ÷ 31 only
        assert any(said in s["text"] for s in damages["steps"]), damages["steps"]


def test_a_month_given_as_0_yen_is_known_and_averaged_as_0(tmp_path):
    args = [*OUTAGE, "--usage", "2023-04=543000", "--json"]
    only_april = json.loads(run(*args).stdout)["damages"]
    assert Decimal(only_april["exact"]) == Decimal(300) * 3 / 31 + Decimal(543_000) / 30 * 3
    zeros = [a for m in ("2022-11", "2022-12", "2023-01", "2023-02", "2023-03") for a in ("--usage", f"{m}=0")]
    six = json.loads(run(*args, *zeros).stdout)["damages"]
    assert six["excl"] == "9029"  # 543,000円 ÷ 181日 = 3,000円 a day, × 3 + 29.03
    assert any("181" in s["text"] for s in six["steps"])


def test_outage_and_meters_take_the_same_months_as_known_from_one_log(tmp_path):
    # A log of 2023-02 and 2023-04 with no call in 2023-03: the log covers March, which is known (0円); the
    # months before February are not. Damages: 2,800 + 0 + 3,000円 over 28 + 31 + 30 = 89 days. Meters
    # (イ(1), two months or more known): the lowest daily average of the months known is March's, 0円.
    path = history(tmp_path, {"2023-02": 28, "2023-04": 30})
    damages = json.loads(run(*OUTAGE, "--calls", str(path), "--json", "--lang", "en").stdout)["damages"]
    step = next(s["text"] for s in damages["steps"] if "5,800" in s["text"])
    assert "89 days" in step and "2023-02, 2023-03, 2023-04" in step
    meters = json.loads(run("meters", "--failed-on", "2023-05-10", "--days", "2", "--calls", str(path),
                            "--json", "--lang", "en").stdout)["meters"]
    assert meters["excl"] == "0" and "2023-03" in meters["steps"][0]["text"]
    # One month known (2023-04, 100円 a day): damages and meters (イ(2)) take the same daily average.
    april = history(tmp_path, {"2023-04": 30}, "april.csv")
    damages = json.loads(run(*OUTAGE, "--calls", str(april), "--json", "--lang", "en").stdout)["damages"]
    meters = json.loads(run("meters", "--failed-on", "2023-05-10", "--days", "3", "--calls", str(april),
                            "--json", "--lang", "en").stdout)["meters"]
    usage_step = next(s for s in damages["steps"] if s["text"].startswith("Usage fees:"))
    assert Decimal(usage_step["amount"]) == Decimal(meters["exact"]) == Decimal(300)


# --- 10: the 附則 cited as the seed numbers it -------------------------------------------------------------

SEED = REPO.parent / "shared" / "seeds" / "004_503f9fd900de956c.txt"


def supplementary() -> dict[str, str]:
    """The seed's 附則 paragraphs by number (there is one 附則, of 令和3年7月7日)."""
    text = SEED.read_text(encoding="utf-8")
    tail = text[text.rindex("附則（令和3年7月7日"):]
    return dict(re.findall(r"^([0-9]) (.+)$", tail, flags=re.MULTILINE))


def test_the_supplementary_provisions_as_the_seed_has_them():
    if not SEED.exists():
        pytest.skip("the seed is not beside the project")
    paragraphs = supplementary()
    assert sorted(paragraphs) == ["1", "2", "3"]
    assert "令和3年7月15日から実施" in paragraphs["1"]
    assert "料金その他の債務" in paragraphs["2"] and "損害賠償" in paragraphs["3"]


def test_every_citation_of_the_supplementary_provisions_names_a_paragraph_the_seed_has():
    cited = []
    for folder in ("kwc_desktop", "docs", "resources"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix in (".py", ".md", ".toml") and path.is_file():
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if "附則" in line or "supplementary provision" in line.lower():
                        cited.append((path.relative_to(REPO).as_posix(), number, line))
    assert cited
    for where, number, line in cited:
        # Each citation is 附則第N項 (N of 1–3), never a bare 附則3 that reads as a third 附則.
        assert not re.search(r"附則\s*[0-9]", line), (where, number, line)
        for paragraph in re.findall(r"附則第([0-9]+)項", line):
            assert paragraph in ("1", "2", "3"), (where, number, line)
    # The damages rule cites 附則第3項 (損害賠償), the terms of a call 附則第2項 (料金), in the docs and the code.
    text: dict[str, str] = {}
    for where, _number, line in cited:
        text[where] = text.get(where, "") + line + "\n"
    assert "附則第3項" in text["docs/charges.md"] and "附則第2項" in text["docs/charges.md"]
    assert "附則第3項" in text["docs/cli.md"] and "附則第3項" in text["kwc_desktop/domain/tariff.py"]


@pytest.mark.parametrize(("lang", "said"), [("ja", "附則第3項"), ("en", "Supplementary Provisions, paragraph 3")])
def test_damages_under_the_old_terms_say_why(lang, said):
    result = run("outage", "--known", "2021-05-10T09:00", "--restored", "2021-05-13T15:00", "--json", "--lang", lang)
    damages = json.loads(result.stdout)["damages"]
    assert damages["terms"] == "old" and any(said in s["text"] for s in damages["steps"]), damages["steps"]
    new = json.loads(run(*OUTAGE, "--json", "--lang", lang).stdout)["damages"]
    assert not any(said in s["text"] for s in new["steps"])


def test_the_daily_average_leaves_unknown_months_out_under_both_readings():
    from kwc_desktop.domain.tariff import Readings, daily_average, known_months, previous_months

    months = previous_months("2023-05", 6)
    usage = {"2023-03": Decimal(31_000), "2023-04": Decimal(30_000)}  # 1,000円 a day each; the rest unknown
    assert known_months(usage, months) == ["2023-03", "2023-04"]
    assert daily_average(usage, months) == Decimal(1000)  # 61,000円 ÷ 61日, not ÷ 181日
    assert daily_average(usage, months, Readings(daily_average="mean-of-months")) == Decimal(1000)
    assert daily_average({}, months) == 0
