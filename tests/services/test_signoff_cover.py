"""The checklist's cover as a Japanese office signs it, read back with poppler (word boxes): 承認者 → 確認者 →
作成者 from the left, each with a seal square and a date line with 年 月 日 to fill in, all on page 1; the
owners listed without a count in front; the next deadlines one line per owner, step and deadline."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO
from tests.services.test_checklist_pdf import AS_OF, cli

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (scripts/test.sh)")
MANY_OWNERS = REPO / "examples" / "08-many-owners-keyring.toml"
ROLES = {"ja": ["承認者", "確認者", "作成者"], "en": ["Approved", "Checked", "Prepared"]}
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')


def cover(tmp_path: Path, profile: Path, lang: str) -> tuple[list[tuple[float, float, str]], str]:
    """Page 1's words as (x, y, text), and its text laid out."""
    out = tmp_path / f"{profile.stem}-{lang}.pdf"
    result = cli("checklist", str(profile), "--out", str(out), "--lang", lang, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(out), "-"], capture_output=True,
                           text=True, check=True).stdout
    layout = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(out), "-"], capture_output=True,
                            text=True, check=True).stdout
    return [(float(x), float(y), html.unescape(t)) for x, y, t in WORD.findall(boxes)], layout


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("profile", [EXAMPLES[0], MANY_OWNERS], ids=lambda p: p.name)
def test_the_approver_signs_at_the_left_and_each_date_has_its_guides(tmp_path, profile, lang):
    words, _layout = cover(tmp_path, profile, lang)
    roles = [next(w for w in words if w[2] == role) for role in ROLES[lang]]
    assert [r[0] for r in roles] == sorted(r[0] for r in roles)  # 承認者, 確認者, 作成者 from the left
    assert len({r[1] for r in roles}) == 1  # on one line
    seals = [w for w in words if w[2] == {"ja": "印", "en": "(印)"}[lang] and w[1] > roles[0][1]]
    assert len(seals) == 3  # a seal square under each role
    for role, seal in zip(roles, seals, strict=True):
        assert seal[0] > role[0] - 40 and seal[0] < role[0] + 80  # under its own role
    label = {"ja": "日付:", "en": "(Y/M/D):"}[lang]
    dates = [w for w in words if w[2] == label]
    assert len(dates) == 3 and len({d[1] for d in dates}) == 1
    guides = {"ja": ["年", "月", "日"], "en": ["/", "/"]}[lang]
    for date in dates:
        after = [w for w in words if w[1] == date[1] and w[0] > date[0]]
        nearest = sorted(after)[:len(guides)]
        assert [w[2] for w in nearest] == guides  # blanks between them to write in: the guides stand apart
        assert all(b[0] - a[0] > 20 for a, b in zip([date, *nearest], nearest, strict=False))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_owners_line_lists_addresses_without_a_count(tmp_path, lang):
    _words, layout = cover(tmp_path, MANY_OWNERS, lang)
    label = {"ja": "オーナーメールアドレス", "en": "Owner email addresses"}[lang]
    line = next(line for line in layout.splitlines() if label in line)
    assert line.split(label, 1)[1].split() == ["hq-it@example.com,", "subsidiary@example.com,", "lab@example.com"]
    # the next deadlines: HQ's two accounts' billing setup on May 22 is one line
    deadlines = re.sub(r"\s+", " ", layout.split("Sign-off")[0].split("確認・承認")[0])
    assert re.search(r"\(HQ main, HQ sub- ?account: IVR\)", deadlines)
    assert deadlines.count({"ja": "2023年5月22日", "en": "May 22, 2023"}[lang]) == 2  # HQ's and the subsidiary's


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_past_six_owners_the_cover_says_how_many_more(tmp_path, lang):
    profile = tmp_path / "eight.toml"
    profile.write_text("profile = 1\n" + "".join(
        f'[[owners]]\nemail = "owner{n}@example.com"\n  [[owners.accounts]]\n  label = "Account {n}"\n'
        for n in range(1, 9)), encoding="utf-8")
    _words, layout = cover(tmp_path, profile, lang)
    text = re.sub(r"\s+", " ", layout)
    assert "owner6@example.com" in text and "owner7@example.com" not in text
    assert {"ja": "owner6@example.com ほか2件", "en": "owner6@example.com and 2 more"}[lang] in text
    assert not re.search(r"\b8: owner1", text)
