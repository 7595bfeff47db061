"""`kwc-desktop plan`: the documented JSON for every example, readable text, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, REPO

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


CONTRACT_IDS = {"consent", "owner-change", "invoice-payment", "hq-sms", "toll-free-porting", "editions",
                "paypal-card", "paypal-invoice", "bundle-reverification", "support-switch"}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kwc_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, env={**os.environ, **(env or {})}, timeout=60)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_plan_json_for_every_example(path, lang):
    result = run("plan", str(path), "--as-of", "2023-04-10T12:00", "--lang", lang, "--json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["format"] == "kwc-desktop/plan" and plan["version"] == 1 and plan["lang"] == lang
    assert plan["as_of"] == "2023-04-10T12:00:00+09:00"
    assert plan["all_deadlines_passed"] is False
    for owner in plan["owners"]:
        for account in owner["accounts"]:
            assert set(account) >= {"label", "kind", "sid", "procedures", "open_questions", "bundle_usable_until"}
            for procedure in [*owner["procedures"], *account["procedures"]]:
                assert procedure["state"] in {"done", "not-yet", "due", "overdue", "missed", "closed"}
                assert procedure["reasons"] and procedure["title"] and procedure["steps"]
                for step in procedure["steps"]:
                    assert step["key"] == f"{procedure['id']}/{step['id']}"
    assert "AuthToken" not in result.stdout and "token" not in json.dumps(plan).lower()


def test_examples_together_cover_every_procedure_id():
    seen: set[str] = set()
    for path in EXAMPLES:
        seen |= set(json.loads(run("plan", str(path), "--as-of", "2023-04-01", "--json").stdout)["procedure_ids"])
    assert seen >= CONTRACT_IDS


def test_the_deadline_line_in_japanese_and_english():
    ja = run("plan", str(EXAMPLES[0]), "--as-of", "2023-04-21T23:59", "--lang", "ja")
    assert "期限 2023年4月21日(金) 23:59 — 未完了" in ja.stdout
    en = run("plan", str(EXAMPLES[0]), "--as-of", "2023-04-22T00:00", "--lang", "en")
    assert "Deadline Fri, Apr 21, 2023, 11:59 PM — missed" in en.stdout


def test_2026_says_every_deadline_has_passed():
    result = run("plan", str(EXAMPLES[0]), "--as-of", "2026-11-23", "--lang", "en", "--json")
    plan = json.loads(result.stdout)
    assert plan["all_deadlines_passed"] is True
    assert plan["counts"]["missed"] > 0 and plan["counts"]["due"] == 0
    text = run("plan", str(EXAMPLES[0]), "--as-of", "2026-11-23", "--lang", "ja").stdout
    assert "移管プログラムの期限はすべて過ぎています" in text


def test_all_done_profile_has_nothing_left():
    path = next(p for p in EXAMPLES if p.name.startswith("09"))
    plan = json.loads(run("plan", str(path), "--as-of", "2026-11-23", "--json").stdout)
    assert plan["counts"] == {"done": 7, "not-yet": 0, "due": 0, "overdue": 0, "missed": 0, "closed": 0}


def test_sids_are_masked_in_output():
    result = run("plan", str(EXAMPLES[0]), "--as-of", "2023-04-01", "--json")
    assert "AC0123456789abcdef0123456789abcdef" not in result.stdout
    assert json.loads(result.stdout)["owners"][0]["accounts"][0]["sid"] == "AC01…cdef"


def test_language_comes_from_the_environment():
    result = run("plan", str(EXAMPLES[0]), "--as-of", "2023-04-01", env={"LANG": "ja_JP.UTF-8", "LC_ALL": ""})
    assert "オーナーメールアドレス" in result.stdout


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_calendar_with_no_deadline_to_come_writes_nothing_and_says_why(tmp_path, lang):
    """2026: it wrote an empty .ics and exited 0 ("Wrote 0 deadlines"); now as the window's disabled Export."""
    out = tmp_path / "kwc.ics"
    result = run("calendar", str(EXAMPLES[0]), "--out", str(out), "--as-of", "2026-12-01", "--lang", lang)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and not out.exists()
    assert {"en": "nothing to put in a calendar", "ja": "カレンダーに書き出すものがありません"}[lang] in result.stderr


def test_show_asks_for_what_s_next_by_itself():
    """`plan --show due` without `--next` printed the whole plan, the filter silently ignored."""
    alone = run("plan", str(EXAMPLES[0]), "--as-of", "2023-04-10", "--show", "due", "--lang", "en")
    with_next = run("plan", str(EXAMPLES[0]), "--as-of", "2023-04-10", "--next", "--show", "due", "--lang", "en")
    assert alone.returncode == 0 and alone.stdout == with_next.stdout and "Do this next" in alone.stdout


def test_lang_may_come_before_the_command_and_the_command_s_own_wins():
    """`kwc-desktop --lang ja plan …` was "invalid choice: 'ja'": the language may be given first too."""
    first = run("--lang", "ja", "plan", str(EXAMPLES[0]), "--as-of", "2023-04-01", env={"LANG": "C.UTF-8"})
    assert first.returncode == 0 and "オーナーメールアドレス" in first.stdout, first.stderr
    both = run("--lang", "ja", "plan", str(EXAMPLES[0]), "--as-of", "2023-04-01", "--lang", "en")
    assert both.returncode == 0 and "Owner email address" in both.stdout and "オーナー" not in both.stdout
    wrong = run("--lang", "fr", "plan", str(EXAMPLES[0]))
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "must be ja or en" in wrong.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "no-such-profile.toml"], "kwc-desktop: no-such-profile.toml: file not found."),
        (["plan", str(EXAMPLES[0]), "--as-of", "soon"], "kwc-desktop: “soon” is not a date or time"),
        (["plan", str(EXAMPLES[0]), "--lang", "fr"], "kwc-desktop plan: argument --lang: must be ja or en"),
        (["plan"], "kwc-desktop plan: the following arguments are required: profile"),
        (["frobnicate"], "kwc-desktop: argument command: invalid choice: 'frobnicate'"),
        (["plan", str(REPO / "examples")], "kwc-desktop: "),
        (["checklist", str(EXAMPLES[0]), "--out", "a" * 300 + ".pdf"], "kwc-desktop: "),  # too long a name
        (["calendar", str(EXAMPLES[0]), "--out", "a" * 300 + ".ics"], "kwc-desktop: "),
        (["plan", str(EXAMPLES[0]), "--as-of", "2023-04-01\nT12:00"], "kwc-desktop: “2023-04-01\\nT12:00” is not"),
        (["charges", "x.csv", "--month", "2021\n08"], "kwc-desktop"),
        (["outage", "--known", "2023-05-10T09:00", "--restored", "2023-05-13T15:00", "--numbers", "-1"],
         "kwc-desktop outage: argument --numbers: '-1' must be from 1"),
        (["outage", "--known", "2023-05-10T09:00", "--restored", "2023-05-13T15:00", "--numbers", "9" * 20],
         "kwc-desktop outage: argument --numbers:"),
        (["outage", "--known", "2023-05-10T09:00", "--restored", "2023-05-13T15:00", "--numbers", "2", "--monthly",
          "600"], "kwc-desktop outage: argument --monthly: not allowed with argument --numbers"),
        (["meters", "--failed-on", "2023-05-10", "--days", "2", "--usage", "2023-04=1", "--usage", "2023-04=2"],
         "kwc-desktop meters: argument --usage: 2023-04 is given twice"),
        (["outage", "--known", "2023-05-10T09:00", "--restored", "2023-05-13T15:00", "--monthly", "1e3"],
         "kwc-desktop outage: argument --monthly: '1e3' is not an amount of yen"),  # plain decimals only
    ],
)
def test_errors_are_one_line_and_exit_2(args, message):
    result = run(*args, env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message)
    assert "Traceback" not in result.stderr


def test_a_broken_profile_error_in_japanese(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('profile = 1\n[[owners]]\nemail = "x@example.com"\n[[owners.accounts]]\nlabel = "本番"\n'
                    'sid = "AC123"\n', encoding="utf-8")
    result = run("plan", str(path), "--lang", "ja")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "kwc-desktop: p.toml: owners[0] <x@example.com> accounts[0] '本番': ACの後は32文字必要ですが、3文字です。"
    )


@pytest.mark.skipif(sys.platform != "win32", reason="the Windows display language (scripts/test-windows.sh runs it)")
def test_on_windows_the_language_comes_from_the_display_language(monkeypatch):
    import ctypes

    from kwc_desktop.environment import environment_lang

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # Windows sets none of them
        monkeypatch.delenv(name, raising=False)
    japanese = ctypes.windll.kernel32.GetUserDefaultUILanguage() & 0x3FF == 0x11
    assert environment_lang() == ("ja" if japanese else "en")
    assert japanese  # scripts/test-windows.sh runs Wine as a Japanese Windows


def test_without_a_console_the_commands_still_work(tmp_path, monkeypatch):
    """The windowed Windows build has no stdout or stderr (None): a command runs, an error exits 2."""
    from kwc_desktop.cli import main

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["plan", str(REPO / "examples" / "01-card-only.toml"), "--as-of", "2023-04-10"]) == 0
    with pytest.raises(SystemExit) as error:
        main(["plan", str(tmp_path / "missing.toml")])
    assert error.value.code == 2


def test_an_error_never_quotes_a_secret_whole(tmp_path):
    sid = "AC" + "0123456789abcdef" * 2
    token = "f" * 16 + "0123456789abcdef"
    profile = tmp_path / "p.toml"
    profile.write_text(f'profile = 1\n[[owners]]\nemail = "a@example.com"\ndone = ["{sid}"]\n', encoding="utf-8")
    owner = tmp_path / "owner.toml"
    owner.write_text(f'profile = 1\n[[owners]]\nemail = "{token}"\n', encoding="utf-8")
    for args in (["plan", str(profile)], ["plan", str(owner)], ["plan", str(EXAMPLES[0]), "--as-of", token]):
        result = run(*args, env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert sid not in result.stderr and token not in result.stderr, result.stderr


def test_every_json_says_as_of_the_same_way():
    # the program's zone, with seconds, as `plan --json` does; `--next --json` said UTC, without seconds
    at = ("--as-of", "2023-04-21T23:59:30")
    plan = json.loads(run("plan", str(EXAMPLES[0]), *at, "--json").stdout)
    upcoming = json.loads(run("plan", str(EXAMPLES[0]), *at, "--next", "--json").stdout)
    assert plan["as_of"] == upcoming["as_of"] == "2023-04-21T23:59:30+09:00"


@pytest.mark.parametrize(("lang", "passed", "next_words"), [("en", "Every deadline", "Do this next"),
                                                           ("ja", "期限はすべて過ぎました", "次にすること")])
def test_plan_next_after_2023_says_every_deadline_passed_as_the_window_does(lang, passed, next_words):
    late = run("plan", str(REPO / "examples" / "02-invoice-hq-sms.toml"), "--next", "--as-of", "2026-12-01",
               "--lang", lang)
    assert late.returncode == 0, late.stderr
    head = late.stdout.splitlines()[1]
    assert passed in head and next_words not in late.stdout, late.stdout
    during = run("plan", str(REPO / "examples" / "02-invoice-hq-sms.toml"), "--next", "--as-of", "2023-04-10",
                 "--lang", lang)
    assert passed not in during.stdout
