"""A second, invented program (tests/data/) runs through the CLI, the PDF and the wizard with no code
change: proof that the migration program lives in data, not in the app."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kwc_desktop.app import build_window
from kwc_desktop.domain.clock import FixedClock
from kwc_desktop.services.program_store import PROGRAM_ENV, load_program, load_program_file
from kwc_desktop.services.secrets import SessionSecrets
from kwc_desktop.ui.wizard import Page
from tests.conftest import REPO
from tests.wizard_helpers import settle, summary_steps, walk

windows = pytest.mark.windows  # also under Wine; the PDF test reads the file back with poppler (Linux only)

DATA = REPO / "tests" / "data"
PROGRAM = DATA / "program_reseller_exit.toml"
PROFILE = DATA / "profile_reseller_exit.toml"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kwc_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, env={**os.environ, **(env or {})})


def plan(as_of: str, lang: str = "en") -> dict:
    result = cli("plan", str(PROFILE), "--program", str(PROGRAM), "--json", "--lang", lang, "--as-of", as_of)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def states(document: dict) -> dict[str, str]:
    found = {}
    for owner in document["owners"]:
        for procedure in owner["procedures"]:
            found.update({s["key"]: s["state"] for s in procedure["steps"]})
        for account in owner["accounts"]:
            for procedure in account["procedures"]:
                found.update({f"{account['label']}:{s['key']}": s["state"] for s in procedure["steps"]})
    return found


@windows
def test_the_plan_follows_the_other_program_its_zone_and_its_dates():
    before = plan("2024-09-30T16:59")  # Berlin time (the program's zone), one minute before the deadline
    assert before["program"] == "nordlicht-exit-2024"
    assert before["procedure_ids"] == ["opt-in", "export-records", "address-proof"]
    assert states(before) == {"opt-in/sign-form": "due", "Berlin:export-records/download": "not-yet",
                              "Berlin:address-proof/upload": "due"}  # the export opens on switch day
    assert before["as_of"] == "2024-09-30T16:59:00+02:00"
    assert states(plan("2024-09-30T17:00"))["opt-in/sign-form"] == "due"  # a deadline's minute is in it
    after = plan("2024-09-30T17:01")
    assert states(after)["opt-in/sign-form"] == "missed"
    # The address proof is due 60 days after the switch day (2024-10-15): the whole of 2024-12-14.
    assert states(plan("2024-12-14T23:59"))["Berlin:address-proof/upload"] == "due"
    assert states(plan("2024-12-15T00:00"))["Berlin:address-proof/upload"] == "overdue"
    berlin = after["owners"][0]["accounts"][0]
    assert berlin["bundle_usable_until"] == "2024-12-14"
    assert berlin["bundles"] == ["BU01…cdef"]
    assert [a["kind_label"] for a in after["owners"][0]["accounts"]] == ["Business account", "Sandbox account",
                                                                         "Cancelled"]


@windows
def test_the_text_plan_names_the_programs_zone():
    result = cli("plan", str(PROFILE), "--program", str(PROGRAM), "--lang", "ja", "--as-of", "2024-10-01")
    assert result.returncode == 0, result.stderr
    assert "基準日時: 2024年10月1日(火) 0:00 (中央ヨーロッパ時間)" in result.stdout
    assert "JST" not in result.stdout and "日本時間" not in result.stdout
    # The environment variable chooses the program as --program does.
    by_env = cli("plan", str(PROFILE), "--lang", "ja", "--as-of", "2024-10-01", env={PROGRAM_ENV: str(PROGRAM)})
    assert by_env.stdout == result.stdout


def test_the_checklist_pdf_of_the_other_program(tmp_path):
    out = tmp_path / "nordlicht.pdf"
    result = cli("checklist", str(PROFILE), "--program", str(PROGRAM), "--out", str(out), "--lang", "en",
                 "--as-of", "2024-10-01T09:00")
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Move of Nordlicht Telecom's accounts to Example Cloud EU" in text
    assert "Tue, Oct 1, 2024, 9:00 AM (CET)" in text
    for title in ("Opt in to the move", "Export the call records", "Send proof of address"):
        assert title in text
    assert "Every inquiry must contain the words" in text and "[NORDLICHT-MOVE]" in text
    assert "Twilio" not in text and "KWC" not in text and "JST" not in text


@windows
def test_a_broken_program_file_is_one_line_and_exit_2(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(PROGRAM.read_text(encoding="utf-8").replace('procedure = "address-proof"',
                                                                  'procedure = "no-such-thing"'), encoding="utf-8")
    result = cli("plan", str(PROFILE), "--program", str(broken))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "pages.bundles." in result.stderr and "no-such-thing" in result.stderr


@windows
def test_a_wizard_walk_through_the_other_program(qtbot, monkeypatch):
    monkeypatch.setenv(PROGRAM_ENV, str(PROGRAM))
    program = load_program()
    assert program.id == "nordlicht-exit-2024"
    moment = datetime.fromisoformat("2024-10-01T09:00").replace(tzinfo=program.tz)
    window = build_window(QApplication.instance(), clock=FixedClock(moment), secrets=SessionSecrets(), lang="en")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_profile_file(PROFILE) is None
    settle(qtbot, window)
    # Consent and Bundles are this program's pages too; it has no billing or payment page.
    assert walk(qtbot, window) == [Page.WELCOME, Page.OVERVIEW, Page.ACCOUNTS, Page.CONSENT, Page.OPTIONS,
                                   Page.BUNDLES, Page.SUMMARY]
    expected = {"due": "to do", "overdue": "overdue", "missed": "missed", "done": "done", "not-yet": "not yet",
                "closed": "closed (see the other step)"}
    rows = summary_steps(window)
    cli_rows = []
    document = plan("2024-10-01T09:00")
    for owner in document["owners"]:
        for procedure in owner["procedures"]:
            cli_rows += [(f"owner:{owner['email']}", s["key"], expected[s["state"]]) for s in procedure["steps"]]
        for account in owner["accounts"]:
            for procedure in account["procedures"]:
                cli_rows += [(f"account:{account['label']}", s["key"], expected[s["state"]])
                             for s in procedure["steps"]]
    assert rows == cli_rows
    assert ("owner:ops@example.org", "opt-in/sign-form", "missed") in rows
    # The consent page prepares this program's form: its acknowledgement, its deadline, in its zone.
    consent = window.wizard.page(Page.CONSENT)
    assert consent.title() == "Opt in to the move"
    assert [box.text() for box in consent.acks.values()] == ["After the move, Example Cloud EU's terms apply."]
    welcome = window.wizard.page(Page.WELCOME)
    assert welcome.as_of_button.text() == "A chosen &moment (CET)"
    # Progress records which program it belongs to.
    window.context.save_now()
    from kwc_desktop.services.paths import app_data_dir

    saved = json.loads((app_data_dir() / "progress.json").read_text(encoding="utf-8"))
    assert saved["state"]["program"] == "nordlicht-exit-2024"


@windows
def test_progress_of_another_program_is_not_read_as_this_ones():
    """Progress saved under one program is not read as another's (its ids would mean other things)."""
    from kwc_desktop.domain.answers import Answers

    kwc = load_program_file(REPO / "resources" / "program_kwc_2023.toml")
    other = load_program_file(PROGRAM)
    state = {"program": other.id, "accounts": [{"label": "Berlin", "owner_email": "ops@example.org",
                                                "kind": "business"}]}
    answers, problems = Answers.from_json(state, kwc)
    assert answers.accounts == [] and problems == ("program",)
    same, problems = Answers.from_json(state, other)
    assert [a.label for a in same.accounts] == ["Berlin"] and problems == ()


# --- no program id in the app's code ---------------------------------------------------------------

SCHEMA_WORDS = {"kind", "notice"}  # the schema's own names (KIND_FACT, MAIN_SOURCE): every program has them
# Words that are an id in a program file and something else in the code: (file, word, what it is there).
NOT_IDS = {("kwc_desktop/ui/translations.py", "kwc"),  # the app's translation catalogue (i18n/kwc_ja.ts)
           ("kwc_desktop/services/twilio.py", "numbers"),  # Twilio's numbers.twilio.com API, by its name
           # The detection report's own keys (the phone numbers and the balance read from Twilio).
           ("kwc_desktop/services/reports.py", "numbers"), ("kwc_desktop/services/reports.py", "balance"),
           # The overview's JSON key for a row's procedure.
           ("kwc_desktop/services/reports.py", "procedure"),
           # The charges check's JSON and CSV keys (the tariff's old or new terms, a month's numbers).
           ("kwc_desktop/services/charges.py", "terms"), ("kwc_desktop/services/charges.py", "numbers"),
           ("kwc_desktop/ui/dialogs/charges.py", "terms")}


def program_ids(path: Path) -> set[str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("id"), str):
                found.add(value["id"])
            for inner in value.values():
                visit(inner)
        elif isinstance(value, list):
            for inner in value:
                visit(inner)

    for key in ("facts", "account_kinds", "milestones", "sources", "contacts", "items", "procedures",
                "card_brands", "bundles", "unchanged", "changed", "faq_sections", "faq"):
        visit(data.get(key, []))
    return found - SCHEMA_WORDS


@windows
def test_no_procedure_or_fact_id_is_written_in_the_ui_or_services():
    ids = program_ids(REPO / "resources" / "program_kwc_2023.toml") | program_ids(PROGRAM)
    assert {"consent", "paypal-card", "paypal_2022_usd", "account-sid", "bundle-reverification"} <= ids
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    literal = re.compile(rf"""["']({alternatives})["'/:]""")
    offenders = []
    for folder in ("ui", "services"):
        for source in sorted((REPO / "kwc_desktop" / folder).rglob("*.py")):
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                name = source.relative_to(REPO).as_posix()
                for match in literal.finditer(line):
                    if (name, match.group(1)) not in NOT_IDS and not line.lstrip().startswith("#"):
                        offenders.append(f"{name}:{number}: {match.group(1)}")
    assert offenders == []
