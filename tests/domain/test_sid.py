"""SIDs as users paste them: spaces, full-width IME characters, upper-case hex."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwc_desktop.domain.sid import Sid, SidError, parse_sid, parse_sid_list

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


SID = "AC0123456789abcdef0123456789abcdef"
hex_body = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    "pasted",
    [
        SID,
        f"  {SID}\n",
        "AC0123 4567 89ab cdef 0123 4567 89ab cdef",
        SID.upper(),
        "ac" + SID[2:],
        to_full_width(SID),
        to_full_width(SID.upper()).replace("０１２３", "０１２３\u3000"),  # ideographic space from an IME
    ],
)
def test_lenient_input_is_normalised(pasted):
    assert parse_sid(pasted) == Sid(SID)


@pytest.mark.parametrize(
    ("text", "key", "en"),
    [
        ("", "sid.empty", "Enter a SID starting with AC."),
        ("BU0123456789abcdef0123456789abcdef", "sid.wrong_prefix", "must start with AC (this one starts with “BU”)"),
        ("XY0123456789abcdef0123456789abcdef", "sid.wrong_prefix", "starts with “XY”"),
        ("AC0123456789abcdef0123456789abcde", "sid.wrong_length", "32 characters must follow AC; this SID has 31"),
        ("AC0123456789abcdef0123456789abcdef0", "sid.wrong_length", "this SID has 33"),
        ("AC0123456789abcdeg0123456789abcdef", "sid.not_hex", "Character 18 of the SID, “g”"),
        ("AC01234567-9abcdef0123456789abcdef", "sid.not_hex", "“-”"),
    ],
)
def test_specific_messages(text, key, en):
    with pytest.raises(SidError) as error:
        parse_sid(text)
    assert error.value.key == key
    assert en in error.value.message("en")
    assert error.value.message("ja")  # and it exists in Japanese


def test_japanese_message_names_the_problem():
    with pytest.raises(SidError) as error:
        parse_sid("BU0123456789abcdef0123456789abcdef")
    assert error.value.message("ja") == "SIDはACで始まる必要があります(入力は「BU」で始まっています)。"


def test_bundle_and_number_sids():
    assert parse_sid("bu" + SID[2:].upper(), "BU").value == "BU" + SID[2:]
    assert parse_sid("PN" + SID[2:], "PN").kind == "PN"


def test_masked_form_shows_only_the_ends():
    assert Sid(SID).masked() == "AC01…cdef"


def test_many_sids_pasted_at_once():
    other = "AC" + "f" * 32
    result = parse_sid_list(f"{SID}\n{to_full_width(other)}, nonsense;\n\n{SID.upper()}\tAC12")
    assert result.accepted == (Sid(SID), Sid(other))
    assert result.duplicates == (Sid(SID),)
    assert [(text, e.key) for text, e in result.rejected] == [("nonsense", "sid.wrong_prefix"), ("AC12", "sid.wrong_length")]


@given(hex_body, st.sampled_from(["AC", "BU", "PN"]), st.data())
def test_any_valid_sid_in_any_spelling_normalises_to_itself(body, kind, data):
    canonical = kind + body
    spelled = "".join(
        data.draw(st.sampled_from([c, c.upper(), to_full_width(c), to_full_width(c.upper())])) for c in canonical
    )
    spaced = data.draw(st.sampled_from([spelled, f" {spelled} ", spelled[:10] + " " + spelled[10:]]))
    assert parse_sid(spaced, kind).value == canonical  # type: ignore[arg-type]


@given(st.text(max_size=80))
def test_arbitrary_text_either_parses_or_raises_sid_error(text):
    try:
        sid = parse_sid(text)
    except SidError as error:
        assert error.key.startswith("sid.")
        assert error.message("ja") and error.message("en")
    else:
        assert sid.value[:2] == "AC" and len(sid.value) == 34
        assert set(sid.value[2:]) <= set(string.hexdigits.lower())
        assert unicodedata.normalize("NFKC", text).strip()  # something was really typed


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_pasted_lists_never_crash(text):
    result = parse_sid_list(text)
    assert all(isinstance(e, SidError) for _, e in result.rejected)


def test_a_console_address_gives_the_sid_in_it():
    from kwc_desktop.domain.sid import SidError, parse_sid

    sid = "AC" + "ab" * 16
    for text in (f"https://console.twilio.com/us1/account/manage-account/general-settings?accountSid={sid}",
                 f"https://www.twilio.com/console/project/{sid}/settings"):
        assert parse_sid(text).value == sid
    with pytest.raises(SidError) as caught:
        parse_sid("https://console.twilio.com/us1/develop/phone-numbers")
    assert caught.value.key == "sid.no_sid_in_address"
    with pytest.raises(SidError):  # hex run longer than a SID is not one
        parse_sid(f"https://example.com/{sid}ff")
