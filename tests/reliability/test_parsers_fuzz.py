"""Every parser, for any input: a result or its own typed error — no other exception, no hang. Each runs
200 examples by default and 10,000 in the `slow` run that .ci/run includes; a deadline per example keeps
the time bounded."""

from __future__ import annotations

import json
import tomllib
from copy import deepcopy
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwc_desktop.domain.accounts import parse_email, parse_label
from kwc_desktop.domain.answers import Answers
from kwc_desktop.domain.billing import check_item
from kwc_desktop.domain.cards import check_brand, check_full_number
from kwc_desktop.domain.clock import parse_as_of
from kwc_desktop.domain.csv_import import parse_accounts_csv
from kwc_desktop.domain.money import parse_usd
from kwc_desktop.domain.profile import read_profile
from kwc_desktop.domain.program import ProgramError
from kwc_desktop.domain.program_loader import parse_program
from kwc_desktop.domain.sid import parse_sid, parse_sid_list
from kwc_desktop.domain.text import UserError
from kwc_desktop.resources import resource_path
from kwc_desktop.services.program_store import load_program_file
from kwc_desktop.services.progress import ProgressStore

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


EXAMPLES = [200, pytest.param(10_000, marks=pytest.mark.slow, id="10000")]
DEADLINE = timedelta(seconds=2)  # per example: far above any real one, far below a hang


def fuzz(examples: int, strategy: st.SearchStrategy[Any], check: Any) -> None:
    """Run `check` on `examples` inputs drawn from `strategy`."""
    settings(max_examples=examples, deadline=DEADLINE, database=None, derandomize=examples > 1000,
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
             )(given(strategy)(check))()


def typed(call: Any, *errors: type[BaseException]) -> Any:
    """The result of `call()`, or None when it raised one of the parser's own errors."""
    try:
        return call()
    except (UserError, *errors):
        return None


# Text that looks like what users paste: SIDs, IME full-width forms, separators, emoji, controls.
SID_LIKE = st.from_regex(r"(?i)[ＡＣacbupnsk]{0,3}[0-9a-fＡ-Ｆ０-９ \t]{0,40}", fullmatch=True)
ANY_TEXT = st.one_of(st.text(max_size=300), SID_LIKE, st.text(alphabet="ACBU0123456789abcdef,;、\n\t ", max_size=500))


@pytest.mark.parametrize("examples", EXAMPLES)
def test_sids(examples):
    def check(text: str) -> None:
        for kind in ("AC", "BU", "PN"):
            sid = typed(lambda: parse_sid(text, kind))  # noqa: B023
            assert sid is None or (len(sid.value) == 34 and sid.value.startswith(kind))
        result = typed(lambda: parse_sid_list(text))
        assert result is None or len(result.accepted) + len(result.rejected) + len(result.duplicates) <= len(text)

    fuzz(examples, ANY_TEXT, check)


@pytest.mark.parametrize("examples", EXAMPLES)
def test_emails_labels_and_the_seven_items(examples, program):
    items = [program.item(i) for i in program.procedure("invoice-payment").items]

    def check(text: str) -> None:
        typed(lambda: parse_email(text))
        label = typed(lambda: parse_label(text))
        assert label is None or 0 < len(label) <= 64
        for item in items:
            value = typed(lambda: check_item(item, text))  # noqa: B023
            if value is not None and item.kind == "text-en":
                assert value.isascii()

    fuzz(examples, st.one_of(ANY_TEXT, st.emails().map(str)), check)


@pytest.mark.parametrize("examples", EXAMPLES)
def test_card_digits_amounts_and_moments(examples, program):
    now = program.milestone("consent-deadline").moment.at  # type: ignore[union-attr]

    def check(text: str) -> None:
        typed(lambda: check_brand(text, program, now))
        typed(lambda: check_full_number(text, program, now))
        amount = typed(lambda: parse_usd(text))
        assert amount is None or (amount.is_finite() and 0 <= amount <= 10**12)
        moment = typed(lambda: parse_as_of(text, program.tz))
        assert moment is None or 2000 <= moment.year <= 2099

    digits = st.from_regex(r"[0-9０-９ \-]{0,30}", fullmatch=True)
    numbers = st.from_regex(r"-?[0-9,.eE+ ]{0,40}(USD|ドル)?|NaN|inf|sNaN|1e9999999999", fullmatch=True)
    moments = st.datetimes().map(lambda d: d.isoformat())
    fuzz(examples, st.one_of(ANY_TEXT, digits, numbers, moments), check)


CSV_CELLS = st.one_of(st.sampled_from(["label", "owner_email", "account_sid", "kind", "standard", "trial",
                                       "it@example.com", "AC" + "ab" * 16, "", "\"", "\"\"", "\x00"]),
                      st.text(max_size=40))


@pytest.mark.parametrize("examples", EXAMPLES)
def test_csv_imports(examples, program):
    rows = st.lists(st.lists(CSV_CELLS, max_size=6), max_size=12)

    def as_bytes(table: list[list[str]], separator: str, encoding: str) -> bytes:
        text = "\r\n".join(separator.join(row) for row in table)
        return text.encode(encoding, errors="replace")

    files = st.one_of(
        st.binary(max_size=2000),
        st.builds(as_bytes, rows, st.sampled_from([",", "\t", ";"]),
                  st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16", "latin-1"])),
        st.binary(max_size=64).map(lambda b: b"\xff\xfe" + b),  # a UTF-16 BOM, then anything (odd lengths)
    )

    def check(raw: bytes) -> None:
        preview = typed(lambda: parse_accounts_csv(raw, program))
        # At most one row per line; a line ends with \n, \r\n or a lone \r (csv reads all three).
        lines = raw.count(b"\n") + raw.count(b"\r") + 1
        assert preview is None or len(preview.accepted) + len(preview.rejected) <= lines

    fuzz(examples, files, check)


TOML_PIECES = st.sampled_from([
    "profile = 1\n", "[[owners]]\n", 'email = "a@example.com"\n', "[[owners.accounts]]\n", 'label = "P"\n',
    'sid = "AC0123456789abcdef0123456789abcdef"\n', 'payment = "paypal"\n', 'paypal_2022_usd = "1e999999999"\n',
    "paypal_2022_usd = nan\n", "paypal_2022_usd = inf\n", "transferred_on = 9999-12-31\n",
    "transferred_on = 0001-01-01T00:00:00\n", 'kind = ["trial"]\n', "has_bundles = 1\n", 'done = ["consent"]\n',
    'bundles = ["BU0123456789abcdef0123456789abcdef"]\n', "x = " + "[" * 300 + "]" * 300 + "\n",
    'label = "' + "AC" + "0" * 32 + '"\n', "[owners]\n", "profile = 1.0\n", "=\n", '"\\u0000" = 1\n',
])


@pytest.mark.parametrize("examples", EXAMPLES)
def test_profiles(examples, program):
    def check(raw: bytes) -> None:
        profile = typed(lambda: read_profile(raw, program, "fuzz.toml"))
        assert profile is None or len(profile.accounts()) <= 5000

    fuzz(examples, st.one_of(st.binary(max_size=500), st.lists(TOML_PIECES, max_size=20).map(lambda p: "".join(p)
                                                                                              .encode())), check)


def json_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40),
                       st.sampled_from(["9999-12-31", "NaN", "1e999999999", "AC" + "ab" * 16, "paypal", "card",
                                        "standard", "summary", "it@example.com", "2023-04-20"]))
    return st.recursive(leaves, lambda children: st.one_of(st.lists(children, max_size=5),
                                                           st.dictionaries(st.sampled_from(
                                                               ["accounts", "label", "owner_email", "kind", "facts",
                                                                "payment", "paypal_2022_usd", "has_bundles",
                                                                "transferred_on", "bundle_count", "consent", "done",
                                                                "billing", "page", "as_of", "owner_facts",
                                                                "acknowledged", "submitted_on", "company"]),
                                                               children, max_size=6)), max_leaves=40)


@pytest.mark.parametrize("examples", EXAMPLES)
def test_progress_states(examples, program):
    def check(state: Any) -> None:
        answers, problems = Answers.from_json(state, program)
        json.dumps(answers.to_json(program))  # what was kept can be saved again
        answers.owners(program)

    fuzz(examples, json_values(), check)


@pytest.mark.parametrize("examples", EXAMPLES)
def test_progress_files(examples, tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("progress")

    def check(raw: bytes) -> None:
        (folder / "progress.json").write_bytes(raw)
        loaded = ProgressStore(folder).load(read_only=True)
        assert isinstance(loaded.state, dict)

    wrapped = json_values().map(lambda v: json.dumps({"version": 1, "state": v}).encode())
    fuzz(examples, st.one_of(st.binary(max_size=300), wrapped), check)


@pytest.fixture(scope="module")
def program_data() -> dict[str, Any]:
    with resource_path("program_kwc_2023.toml").open("rb") as f:
        return tomllib.load(f)


def _mutate(data: dict[str, Any], path: list[int], value: Any) -> dict[str, Any]:
    """Replace one value somewhere in the program (the path picks a branch at each level)."""
    broken = deepcopy(data)
    target: Any = broken
    for choice in path:
        children = list(target.items()) if isinstance(target, dict) else list(enumerate(target)) \
            if isinstance(target, list) else []
        if not children:
            break
        key, child = children[choice % len(children)]
        if not isinstance(child, (dict, list)) or choice % 3 == 0:
            target[key] = value
            return broken
        target = child
    return broken


@pytest.mark.parametrize("examples", EXAMPLES)
def test_program_data(examples, program_data, tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("program")
    values = st.one_of(json_values(), st.dates(), st.datetimes(), st.decimals(allow_nan=True).map(str))

    def check(path: list[int], value: Any, raw: bytes) -> None:
        typed(lambda: parse_program(_mutate(program_data, path, value)), ProgramError)
        (folder / "program.toml").write_bytes(raw)
        typed(lambda: load_program_file(folder / "program.toml", folder / "cache"), ProgramError)

    fuzz(examples, st.tuples(st.lists(st.integers(0, 50), min_size=1, max_size=6), values,
                             st.binary(max_size=200)).map(lambda t: t), lambda t: check(*t))
