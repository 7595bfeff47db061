"""Profiles: every example loads; a broken one gives one message naming file, entry and field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kwc_desktop.domain.profile import ProfileError
from kwc_desktop.domain.sid import Sid
from kwc_desktop.services.profiles import load_profile
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_load(program, path):
    profile = load_profile(path, program)
    assert profile.owners and profile.name


def test_examples_cover_every_account_kind(program):
    kinds = {a.kind for path in EXAMPLES for a in load_profile(path, program).accounts()}
    assert kinds == {k.id for k in program.account_kinds}


def test_values_are_read_and_normalised(program):
    from tests.conftest import REPO

    profile = load_profile(REPO / "examples" / "08-many-owners-keyring.toml", program)
    assert [o.email for o in profile.owners] == ["hq-it@example.com", "subsidiary@example.com", "lab@example.com"]
    subsidiary = profile.owners[1].accounts[0]
    assert subsidiary.facts["paypal_2022_usd"] == Decimal("50000")
    assert profile.owners[1].done == frozenset({"consent"})
    paypal = load_profile(REPO / "examples" / "03-paypal.toml", program)
    assert paypal.accounts()[0].facts["paypal_2022_usd"] == Decimal("62500")
    assert paypal.accounts()[0].sid == Sid("AC3333333333333333333333333333cccc")


def write(tmp_path, text: str):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_OWNER = '[[owners]]\nemail = "a@example.com"\n'


@pytest.mark.parametrize(
    ("text", "en", "ja"),
    [
        ("profile = 1\n", "broken.toml: there is no [[owners]] entry.", "[[owners]] が1つもありません"),
        ("profile = 2\n" + GOOD_OWNER, "“profile = 1” is required (found: 2)", "profile = 1"),
        ("profile = 1\n[[owners]\n", "broken.toml: not valid TOML", "TOMLとして読めません"),
        ("profile = 1\n[[owners]]\nemail = \"not-an-email\"\n", "owners[0]: “not-an-email” is not an email address",
         "メールアドレスの形式ではありません"),
        ("profile = 1\n" + GOOD_OWNER, "owners[0] <a@example.com>: this owner has no [[owners.accounts]]",
         "[[owners.accounts]]"),
        ("profile = 1\n" + GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\npayment = "cheque"\n',
         "accounts[0] 'P': “payment” must be one of: card, invoice, paypal", "「payment」は次のいずれか"),
        ("profile = 1\n" + GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\nsid = "BU0123456789abcdef0123456789abcdef"\n',
         "accounts[0] 'P': The SID must start with AC", "ACで始まる必要があります"),
        ("profile = 1\n" + GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\nhq_sms = "yes"\n',
         "“hq_sms” must be true or false", "true か false"),
        ("profile = 1\n" + GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\ncolour = "blue"\n',
         "unknown field “colour”", "項目「colour」は使えません"),
        ("profile = 1\n" + GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\n[[owners.accounts]]\nlabel = "P"\n',
         "accounts[1] 'P': the label “P” is used twice", "2回使われています"),
        ("profile = 1\n" + GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\ndone = ["consent/nope"]\n',
         "“consent/nope” in done is not a procedure or step id", "ステップのIDではありません"),
        ("profile = 1\n" + GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\npaypal_2022_usd = "lots"\n',
         "“paypal_2022_usd” must be a number", "数値"),
        ("profile = 1\n" + GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\ntransferred_on = "May"\n',
         "“transferred_on” must be a date", "日付"),
        ("profile = 1\n" + GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\nkind = "free"\n',
         "“kind” must be one of: standard, trial, suspended, closed, twilio-direct, invited", "kind"),
    ],
)
def test_broken_profiles(program, tmp_path, text, en, ja):
    with pytest.raises(ProfileError) as error:
        load_profile(write(tmp_path, text), program)
    assert en in error.value.message("en")
    assert ja in error.value.message("ja")
    assert "\n" not in error.value.message("en").strip()


def test_bom_and_missing_files(program, tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeffprofile = 1\n".encode() + (GOOD_OWNER + '[[owners.accounts]]\nlabel = "P"\n').encode())
    assert load_profile(path, program).accounts()[0].label == "P"
    with pytest.raises(ProfileError, match="file not found"):
        load_profile(tmp_path / "missing.toml", program)
    (tmp_path / "sjis.toml").write_bytes("name = '日本'".encode("cp932"))
    with pytest.raises(ProfileError, match="not a UTF-8 text file"):
        load_profile(tmp_path / "sjis.toml", program)


@pytest.mark.parametrize("email", ["a\u0000@b.co", "a\u202e@b.co", "a\u200b@b.co", "a\u0007@b.co"])
def test_an_owner_email_with_a_control_or_format_character_is_refused(program, tmp_path, email):
    # the pattern's \s let these through: a NUL reached the calendar (not valid RFC 5545), U+202E shows
    # the address reversed
    from kwc_desktop.domain.accounts import parse_email
    from kwc_desktop.domain.text import UserError

    with pytest.raises(UserError) as caught:
        parse_email(email)
    assert caught.value.key == "email.invalid"
    assert parse_email("IT@Example.com") == "it@example.com"
