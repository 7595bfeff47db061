"""The program file: complete, and a broken copy is refused with a message naming entry and field."""

from __future__ import annotations

import re
import tomllib
from copy import deepcopy
from datetime import date, datetime
from typing import Any

import pytest

from kwc_desktop.domain.program import ProgramError
from kwc_desktop.domain.program_loader import parse_program
from kwc_desktop.resources import resource_path

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


CONTRACT_IDS = [
    "consent", "owner-change", "invoice-payment", "hq-sms", "toll-free-porting", "editions",
    "paypal-card", "paypal-invoice", "bundle-reverification", "support-switch",
]


@pytest.fixture()
def raw() -> dict[str, Any]:
    with resource_path("program_kwc_2023.toml").open("rb") as f:
        return tomllib.load(f)


def test_every_contract_procedure_id_is_in_the_program(program):
    ids = [p.id for p in program.procedures]
    assert ids[: len(CONTRACT_IDS)] == CONTRACT_IDS
    assert set(ids) - set(CONTRACT_IDS) == {"billing-setup", "card-invoice"}
    assert program.procedure("billing-setup").source == "twilio-help"  # Twilio's later help article, marked as such
    assert program.procedure("card-invoice").source == "notice"  # the FAQ's card payer who wants invoices


def test_timeline_matches_the_notice_to_the_minute(program):
    def at(key: str) -> datetime | date | None:
        m = program.milestone(key).moment
        assert m is not None
        return m.at.replace(tzinfo=None) if m.at else m.day

    assert at("consent-deadline") == datetime(2023, 4, 21, 23, 59)
    assert at("kwc-bundle-intake-end") == datetime(2023, 4, 21, 18, 0)
    assert at("editions-apply-deadline") == datetime(2023, 4, 14, 18, 0)
    assert at("owner-change-deadline") == date(2023, 4, 14)
    assert at("kwc-service-end") == date(2023, 5, 1)
    assert at("no-consent-cutoff") == date(2023, 5, 2)
    assert at("card-brands-open") == date(2023, 5, 2)
    assert at("kwc-signup-end") == date(2023, 3, 17)
    assert at("confirmation-mail") == date(2023, 4, 25)
    assert program.milestone("bundle-usable-until").from_transfer_days == 90
    assert program.milestone("consent-deadline").moment.at.utcoffset().total_seconds() == 9 * 3600


def test_seven_items_in_the_notice_order(program):
    labels = [program.item(i).label.ja for i in program.procedure("invoice-payment").items]
    assert labels == ["対象 Account SID", "日本語正式会社名", "英文正式会社名", "英文請求書住所",
                      "請求先メールアドレス", "日本語請求担当者氏名", "英文請求担当者氏名"]
    assert program.procedure("hq-sms").items == program.procedure("invoice-payment").items
    assert program.contact(program.procedure("hq-sms").mail_to).email == "kwc-migration@twilio.com"


def test_the_whole_faq_in_both_languages(program):
    assert len(program.faq) == 43
    assert program.faq[0].question.ja == "2023年5月1日以降Twilioを利用できなくなるのでしょうか。"
    assert all(entry.question.en and entry.answer.en for entry in program.faq)
    assert all(not re.search(r"[ぁ-んァ-ン]", e.answer.en.replace("【KWC移行】", "")) for e in program.faq)


def test_card_brands_are_exactly_the_notices(program):
    names = [b.name.en for b in program.card_brands]
    assert names == ["Mastercard", "Visa", "Japan Credit Bureau (JCB)", "American Express",
                     "Discover & Diners", "China UnionPay (CUP)"]


def _break(raw: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    broken = deepcopy(raw)
    target = broken
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return broken


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["procedures", 3, "title"], {"ja": "高品質SMS"}, r"procedures\[3\] 'hq-sms': field 'title.en' is missing"),
        (["procedures", 0, "steps", 0, "deadline"], "no-such-day",
         r"procedures\[0\] 'consent'\.steps\[0\] 'submit-form': field 'deadline' names unknown milestone"),
        (["procedures", 2, "applies_if", 0, "payment"], ["cheque"], r"'invoice-payment'.*field 'payment' must list"),
        (["procedures", 2, "applies_if", 0, "colour"], True, r"field 'colour' is not a known fact"),
        (["milestones", 5, "at"], datetime(2023, 4, 21, 23, 59), r"milestones\[5\] 'consent-deadline'.*needs a UTC offset"),
        (["milestones", 5, "id"], "kwc-bundle-intake-end", r"milestones: id 'kwc-bundle-intake-end' appears twice"),
        (["faq", 7, "a"], KeyError, r"faq\[7\] '[a-z-]+': field 'a' is missing"),
        (["card_brands", 0, "prefixes"], ["5x-55"], r"card_brands\[0\] 'mastercard': field 'prefixes'"),
        (["timezone"], "Asia/Nowhere", r"field 'timezone' 'Asia/Nowhere' is not a known time zone"),
        (["schema"], 2, r"^field 'schema' must be 1"),
        (["id"], "Bad Id!", r"^field 'id' 'Bad Id!' is not a lowercase id"),
        (["id"], "ac" + "0123456789abcdef" * 2, r"field 'id' looks like a SID or token"),  # progress could never be saved
        (["id"], "x" * 65, r"field 'id' is longer than 64"),
        (["procedures", 7, "applies_if", 0, "reason", "en"], "Paid a lot",
         r"'paypal-invoice'\.applies_if\[0\]: field 'reason' has different \{fields\}"),
        (["procedures", 7, "applies_if", 0, "reason", "en"], "Paid {paypal_2022_usd} and {colour}",
         r"'paypal-invoice'\.applies_if\[0\]: field 'reason.en' quotes '\{colour\}', which is not a field it may "
         r"quote \(\{payment\}, \{paypal_2022_usd\}; "),  # the facts its rule tests
        (["procedures", 7, "applies_if", 0, "reason", "en"], "Paid {paypal_2022_usd:,.2f}",
         r"field 'reason.en' quotes '\{paypal_2022_usd:,.2f\}'"),
        (["procedures", 0, "steps", 0, "text", "en"], "Submit {the form",
         r"'consent'\.steps\[0\] 'submit-form': field 'text.en' has a lone '\{' \('\{the form'; write \{\{"),
        (["procedures", 0, "steps", 0, "text", "en"], "Submit\u001b[2J",
         r"'consent'\.steps\[0\] 'submit-form': field 'text.en' holds a control character \(U\+001B\)"),
        (["procedures", 0, "facts", "ja", 0], "\u202e逆さ", r"'consent': field 'facts.ja\[0\]' holds a control character \(U\+202E\)"),
        (["inquiry_rule", "en"], "Write {marker!r}", r"^field 'inquiry_rule.en' quotes '\{marker!r\}'"),
    ],
)
def test_broken_program_names_entry_and_field(raw, path, value, expected):
    with pytest.raises(ProgramError, match=expected):
        parse_program(_break(raw, path, value))


def test_broken_file_on_disk_names_the_file(tmp_path):
    from kwc_desktop.services.program_store import load_program_file

    bad = tmp_path / "other_program.toml"
    bad.write_text("schema = 1\ntitle = [unclosed\n", encoding="utf-8")
    with pytest.raises(ProgramError, match=r"other_program.toml: not valid TOML .*line 2"):
        load_program_file(bad)


def test_a_program_file_is_read_to_its_limit_and_refused_past_it(tmp_path):
    from kwc_desktop.services.program_store import MAX_PROGRAM_BYTES, load_program_file

    text = resource_path("program_kwc_2023.toml").read_text(encoding="utf-8")
    source = tmp_path / "program.toml"
    # Read in 1 MiB steps: a file of several steps comes back whole (the comment pads it out) ...
    padding = "# " + "x" * 1000 + "\n"
    body = (text + padding * (2_500_000 // len(padding))).encode("utf-8")
    source.write_bytes(body)
    assert len(body) > 2 * 1024 * 1024
    assert load_program_file(source) == load_program_file(resource_path("program_kwc_2023.toml"))
    # ... and one byte past the limit is refused by its size, named.
    source.write_bytes(body + b"#" * (MAX_PROGRAM_BYTES + 1 - len(body)))
    with pytest.raises(ProgramError, match=r"program.toml: larger than 8 MiB"):
        load_program_file(source)


def test_cache_gives_the_same_program_and_heals_when_damaged(tmp_path):
    from kwc_desktop.services.program_store import load_program_file

    source = tmp_path / "program.toml"
    source.write_bytes(resource_path("program_kwc_2023.toml").read_bytes())
    cache = tmp_path / "cache"
    fresh = load_program_file(source)
    assert load_program_file(source, cache) == fresh  # parsed, then written
    (cached,) = cache.glob("program-*.json")
    assert '"$datetime"' in cached.read_text(encoding="utf-8")  # TOML dates survive as tagged values
    assert load_program_file(source, cache) == fresh  # read back from the cache
    cached.write_text('{"schema": 1, "tit', encoding="utf-8")  # a crash half-way through a write
    assert load_program_file(source, cache) == fresh
    assert load_program_file(source, cache) == fresh and list(cache.glob("program-*.json")) == [cached]


def test_cache_follows_the_file_and_is_still_checked(tmp_path):
    from kwc_desktop.services.program_store import load_program_file

    source = tmp_path / "program.toml"
    text = resource_path("program_kwc_2023.toml").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    load_program_file(source, cache)
    source.write_text(text.replace("schema = 1", "schema = 2", 1), encoding="utf-8")
    with pytest.raises(ProgramError, match=r"field 'schema' must be 1"):  # a changed file is never served stale
        load_program_file(source, cache)
    source.write_text(text, encoding="utf-8")
    (cached,) = cache.glob("program-*.json")
    good = cached.read_text(encoding="utf-8")
    for tampered in [good.replace('"schema": 1', '"schema": 3'),  # fails the checks
                     good.replace("2023-04-21", "9999-12-31"),  # a date that would overflow later
                     "[" * 100_000 + "]" * 100_000]:  # nested too deep for the JSON reader
        cached.write_text(tampered, encoding="utf-8")
        # What the cache holds is checked; a cache that fails is thrown away, never a reason not to start.
        assert load_program_file(source, cache) == load_program_file(source)
        assert cached.read_text(encoding="utf-8") == good  # and written anew


def test_unwritable_cache_still_loads(tmp_path):
    from kwc_desktop.services.program_store import load_program_file

    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    assert load_program_file(resource_path("program_kwc_2023.toml"), blocker).id
