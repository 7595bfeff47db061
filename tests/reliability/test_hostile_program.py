"""A program file is data: its texts are plain templates (`{name}` of a field the text may quote, `{{` and `}}` for
braces), no character in it is a control character, and planning grows with its size, no faster. Each is shown
through the installed `kwc-desktop` as a user runs it; what the loader cannot let through is also checked where
text leaves the app (the .ics, the text reports)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import kwc_desktop
from bench.program_size import SECOND_PROFILE, SECOND_PROGRAM, plan_everything, program_of
from kwc_desktop.domain.answers import answers_from_profile
from kwc_desktop.domain.profile import read_profile
from kwc_desktop.domain.records import replace
from kwc_desktop.domain.session import Session
from kwc_desktop.domain.text import Text
from kwc_desktop.services.calendar import calendar_bytes
from kwc_desktop.services.program_store import load_program_file
from kwc_desktop.services.reports import overview_text, plan_text
from tests.reliability.conftest import app_env, run_app

BASE = SECOND_PROGRAM.read_text(encoding="utf-8")
REASON = 'reason.ja = "移行するアカウントです。"\n  reason.en = "The account moves."'
STEP = 'text.ja = "同意フォームに署名して送る"\n  text.en = "Sign and send the opt-in form"'
AS_OF = "2024-09-01T09:00"
# What no output may carry: C0 but tab and line feed, DEL, C1, the bidi controls, the line and paragraph separators.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def program_file(tmp_path: Path, old: str, new: str, name: str = "hostile.toml") -> Path:
    assert old in BASE
    path = tmp_path / name
    path.write_text(BASE.replace(old, new, 1), encoding="utf-8")
    return path


def both(text: str) -> str:
    """A reason of the first procedure, the same in both languages (so its fields agree)."""
    return f'reason.ja = "{text}"\n  reason.en = "{text}"'


def app(tmp_path: Path, *args: str) -> Any:
    return run_app(*args, env=app_env(tmp_path / "data", tmp_path), timeout=120)


def plan(tmp_path: Path, program: Path, *extra: str) -> Any:
    return app(tmp_path, "plan", str(SECOND_PROFILE), "--program", str(program), "--as-of", AS_OF, *extra)


# --- 9. texts are plain templates ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "piece"), [
    ("The account { moves.", "'{'"),
    ("The account } moves.", "'}'"),
    ("The account {kind moves.", "'{'"),
    ("The account {kind:%} moves.", "{kind:%}"),
    ("The account {kind:>100000000} moves.", "{kind:>100000000}"),
    ("The account {kind!r} moves.", "{kind!r}"),
    ("The account {kind.__class__} moves.", "{kind.__class__}"),
    ("The account {kind[0]} moves.", "{kind[0]}"),
    ("The account {} moves.", "{}"),
    ("The account {0} moves.", "{0}"),
    ("The account {colour} moves.", "{colour}"),  # no such fact
    ("The account {has_numbers} moves.", "{has_numbers}"),  # a fact, but not one its rule tests: nothing to quote
    ("The account {kind:{kind}} moves.", "'{'"),
])
def test_a_reason_that_is_not_a_plain_template_is_refused_naming_it(tmp_path, text, piece):
    result = plan(tmp_path, program_file(tmp_path, REASON, both(text)))
    assert result.returncode == 2, result.stdout[:200]
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert "procedures[0] 'opt-in'.applies_if[0]: field 'reason.ja'" in result.stderr, result.stderr
    assert piece in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("old", "new", "where"), [
    (STEP, 'text.ja = "{kind} に署名"\n  text.en = "Sign for {kind}"',  # a text that quotes nothing
     "procedures[0] 'opt-in'.steps[0] 'sign-form': field 'text.ja' quotes '{kind}'"),
    ('title.en = "Opt in to the move"', 'title.en = "Opt in to the move}"', "field 'title.en' has a lone '}'"),
    ('inquiry_marker = "[NORDLICHT-MOVE]"', 'inquiry_marker = "[NORDLICHT-MOVE]"\n'
     'inquiry_rule.ja = "{marker:>99999999}"\ninquiry_rule.en = "{marker:>99999999}"',
     "field 'inquiry_rule.ja' quotes '{marker:>99999999}'"),
    ('inquiry_marker = "[NORDLICHT-MOVE]"', 'inquiry_marker = "[NORDLICHT-MOVE]"\n'
     'mail_intro.ja = "{procedure!a}"\nmail_intro.en = "{procedure!a}"', "field 'mail_intro.ja' quotes '{procedure!a}'"),
])
def test_every_program_text_is_checked_as_a_template(tmp_path, old, new, where):
    result = plan(tmp_path, program_file(tmp_path, old, new))
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert where in result.stderr


def test_the_piece_a_message_quotes_is_cut_short(tmp_path):
    result = plan(tmp_path, program_file(tmp_path, REASON, both("{kind:" + "9" * 100_000 + "}")))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert len(result.stderr) < 400 and "{kind:999" in result.stderr and "…" in result.stderr


def test_double_braces_are_one_brace_and_a_field_is_filled(tmp_path):
    path = program_file(tmp_path, REASON, both("The {{kind}} is {kind}."))
    path.write_text(path.read_text(encoding="utf-8").replace(STEP, 'text.ja = "{{様式}}に署名"\n'
                                                             '  text.en = "Sign the {{form}}"'), encoding="utf-8")
    result = plan(tmp_path, path)
    assert result.returncode == 0, result.stderr
    assert "The {kind} is business." in result.stdout and "Sign the {form}" in result.stdout


# --- 12. no control character reaches an .ics or a report -----------------------------------------------------


@pytest.mark.parametrize(("old", "new", "where", "code"), [
    (STEP, 'text.ja = "署名"\n  text.en = "Sign\\u001b[2J\\u001b[H"', "procedures[0] 'opt-in'.steps[0] 'sign-form': "
     "field 'text.en'", "U+001B"),
    ('title.en = "Opt in to the move"', 'title.en = "Opt in \\u202eevom eht ot"', "procedures[0] 'opt-in': "
     "field 'title.en'", "U+202E"),
    ('name.en = "Nordlicht Telecom support"', 'name.en = "Nordlicht\\u0085support"', "contacts[0] 'nordlicht': "
     "field 'name.en'", "U+0085"),
    ('inquiry_marker = "[NORDLICHT-MOVE]"', 'inquiry_marker = "[NORDLICHT\\u007f-MOVE]"', "field 'inquiry_marker'",
     "U+007F"),
    ('zone_label.en = "CET"', 'zone_label.en = "CET\\r"', "field 'zone_label.en'", "U+000D"),
    ('a.en = "Nordlicht stops reselling."', 'a.en = "Nordlicht\\u0000 stops reselling."', "faq[0] 'why': field 'a.en'",
     "U+0000"),
    ('id = "opt-in"', 'id = "opt-in\\u001b[31m"', "procedures[0] 'opt-in\\x1b[31m': field 'id'", "U+001B"),
    ('label = "Berlin"', 'label = "Berlin"', "", ""),  # the profile below carries the control characters
])
@pytest.mark.parametrize("command", ["plan", "plan --next", "plan --json", "calendar", "checklist"])
def test_control_characters_are_refused_naming_the_entry(tmp_path, old, new, where, code, command):
    if old == 'label = "Berlin"':
        program = SECOND_PROGRAM
        profile = tmp_path / "profile.toml"
        profile.write_text(SECOND_PROFILE.read_text(encoding="utf-8").replace(
            old, 'label = "Berlin\\u001b[2J\\u202e"'), encoding="utf-8")
    else:
        program, profile = program_file(tmp_path, old, new), SECOND_PROFILE
    name, *options = command.split()
    out = tmp_path / ("deadlines.ics" if name == "calendar" else "checklist.pdf")
    if name in ("calendar", "checklist"):
        options += ["--out", str(out)]
    result = app(tmp_path, name, str(profile), "--program", str(program), "--as-of", AS_OF, *options)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert where in result.stderr and code in result.stderr
    assert not CONTROL.search(result.stdout + result.stderr) and "\u001b" not in result.stderr
    assert not out.exists()


def test_tabs_and_line_breaks_in_texts_stay_and_the_ics_holds_no_control_character(tmp_path):
    path = program_file(tmp_path, STEP, 'text.ja = "署名\\tする"\n  text.en = "Sign\\tthe form,\\nthen send it"')
    out = tmp_path / "deadlines.ics"
    result = app(tmp_path, "calendar", str(SECOND_PROFILE), "--program", str(path), "--as-of", AS_OF, "--out", str(out))
    assert result.returncode == 0, result.stderr
    texts = ics_texts(out.read_bytes())
    assert any("Sign\tthe form,\nthen send it" in t for t in texts)
    assert not [t for t in texts if CONTROL.search(t)]
    shown = plan(tmp_path, path)
    assert shown.returncode == 0 and "Sign\tthe form," in shown.stdout and not CONTROL.search(shown.stdout)


def ics_texts(data: bytes) -> list[str]:
    """Every text property of every component, as a calendar reads it back (RFC 5545 escapes undone); the raw
    lines carry no control character but the CRLF that ends them and the tab TEXT allows."""
    from icalendar import Calendar

    raw = data.decode("utf-8")
    assert not re.search("[\x00-\x08\x0a-\x1f\x7f-\x9f]", raw.replace("\r\n", "")), "a control character in the file"
    found = []
    for component in Calendar.from_ical(data).walk():
        for value in component.values():
            for one in value if isinstance(value, list) else [value]:
                if isinstance(one, str):
                    found.append(str(one))
    assert found
    return found


def hostile(text: str) -> Text:
    return Text(ja=text, en=text)


def test_what_leaves_the_app_is_escaped_even_if_a_text_got_past_the_loader():
    """The loader refuses control characters; the .ics and the text reports escape any that a program built
    otherwise (the wizard's, a test's) would carry, so the terminal and the calendar never get them raw."""
    program = load_program_file(SECOND_PROGRAM)
    bad = "A\u001b[2J\u202eB\u0085C\u007fD\rE\u2028F"
    procedures = tuple(replace(p, title=hostile(bad), steps=tuple(replace(s, text=hostile(bad)) for s in p.steps))
                       for p in program.procedures)
    contacts = tuple(replace(c, name=hostile(bad)) for c in program.contacts)
    program = replace(program, procedures=procedures, contacts=contacts, title=hostile(bad),
                      zone_label=hostile(bad), inquiry_marker=bad)
    answers, sids, _ = answers_from_profile(read_profile(SECOND_PROFILE.read_bytes(), program))
    session = Session(program, answers)
    moment = datetime(2024, 9, 1, 9, 0, tzinfo=program.tz)
    session.set_as_of(moment)
    for text in (plan_text(session, "en"), overview_text(session, "ja")):
        assert "A\\x1b[2J\\u202eB" in text and not CONTROL.search(text)
    texts = ics_texts(calendar_bytes(session.plan(), "en", moment))
    assert any("A\\x1b[2J\\u202eB\\x85C\\x7fD\\rE\\u2028F" in t for t in texts)
    assert not [t for t in texts if CONTROL.search(t)]


# --- 9. planning grows with the program's size, no faster ---------------------------------------------------


PACKAGE = str(Path(kwc_desktop.__file__).parent)


def lines_run(work: Callable[[], object]) -> int:
    """How many lines of the app's own code `work` runs (loops count once per turn): a measure of its work that
    does not depend on the machine's speed or load."""
    count = 0

    def in_app(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return in_app

    def on_call(frame: FrameType, event: str, arg: object) -> Any:
        return in_app if frame.f_code.co_filename.startswith(PACKAGE) else None

    before = sys.gettrace()
    sys.settrace(on_call)
    try:
        work()
    finally:
        sys.settrace(before)
    return count


def test_planning_work_grows_linearly_with_the_number_of_procedures(tmp_path):
    small, large = tmp_path / "small.toml", tmp_path / "large.toml"
    small.write_text(program_of(150), encoding="utf-8")
    large.write_text(program_of(600), encoding="utf-8")
    plan_everything(small)  # the first run imports what the reports need: not the program's work
    few, many = lines_run(lambda: plan_everything(small)), lines_run(lambda: plan_everything(large))
    assert many / few < 5, f"4× the procedures ran {many / few:.1f}× the lines ({few:,} → {many:,})"


def test_a_large_program_plans_through_the_installed_app(tmp_path):
    path = tmp_path / "large.toml"
    path.write_text(program_of(2_000), encoding="utf-8")
    result = plan(tmp_path, path, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"extra-') >= 2_000
