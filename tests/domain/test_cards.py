"""Card brand from the first digits, for exactly the notice's brands, and when each is accepted."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwc_desktop.domain.cards import (
    CardInputError,
    card_digits,
    check_brand,
    check_full_number,
    luhn_valid,
)
from kwc_desktop.domain.text import messages

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


BEFORE = datetime.fromisoformat("2023-05-01T23:59:00+09:00")
FROM = datetime.fromisoformat("2023-05-02T00:00:00+09:00")

# Public test numbers (DOMAIN_FACTS §3).
TEST_NUMBERS = {
    "visa": "4111111111111111",
    "mastercard": "5555555555554444",
    "amex": "378282246310005",
    "discover-diners": "6011111111111117",
    "jcb": "3530111333300000",
    "unionpay": "6200000000000005",
}


@pytest.mark.parametrize(("brand", "number"), [*TEST_NUMBERS.items(), ("mastercard", "2223003122003222"),
                                               ("discover-diners", "30569309025904")])
def test_brand_from_the_first_eight_digits(program, brand, number):
    assert check_brand(number[:8], program, FROM).brand.id == brand


@pytest.mark.parametrize("brand", ["visa", "mastercard"])
def test_visa_and_mastercard_are_accepted_before_may_2(program, brand):
    result = check_brand(TEST_NUMBERS[brand][:6], program, BEFORE)
    assert result.accepted_now is True
    assert result.accepted_from is None


@pytest.mark.parametrize("brand", ["amex", "jcb", "discover-diners", "unionpay"])
def test_other_brands_only_from_may_2(program, brand):
    digits = TEST_NUMBERS[brand][:6]
    assert check_brand(digits, program, BEFORE).accepted_now is False
    result = check_brand(digits, program, FROM)
    assert result.accepted_now is True
    assert result.accepted_from.day.isoformat() == "2023-05-02"


@pytest.mark.parametrize(
    ("digits", "brand"),
    [("622126", "unionpay"), ("622925", "unionpay"), ("65", "discover-diners"), ("36", "discover-diners"),
     ("2720", "mastercard"), ("3589", "jcb"), ("2131", "jcb"), ("8171", "unionpay"), ("300", "discover-diners")],
)
def test_range_edges(program, digits, brand):
    assert check_brand(digits, program, FROM).brand.id == brand


@pytest.mark.parametrize("digits", ["2721", "2220", "3527", "3590", "56", "6763", "9", "1234", "306"])
def test_brands_outside_the_notice_are_not_accepted(program, digits):
    result = check_brand(digits, program, FROM)
    assert result.brand is None and not result.candidates  # e.g. Maestro 6763, not in the notice


def test_one_digit_is_not_enough_to_tell_3_apart(program):
    result = check_brand("3", program, FROM)
    assert result.needs_more_digits
    assert {b.id for b in result.candidates} == {"amex", "jcb", "discover-diners"}
    assert check_brand("35", program, FROM).needs_more_digits  # 35 → JCB only from 3528
    # 3520–3527 belong to no accepted brand, 3528–3589 to JCB: three digits cannot tell.
    assert [b.id for b in check_brand("352", program, FROM).candidates] == ["jcb"]
    assert check_brand("352", program, FROM).brand is None
    assert check_brand("3528", program, FROM).brand.id == "jcb"
    assert check_brand("3527", program, FROM).candidates == ()


@pytest.mark.parametrize("text", ["4111 1111", "4111-1111", "４１１１１１１１"])
def test_spaces_hyphens_and_full_width_digits(program, text):
    assert check_brand(text, program, FROM).brand.id == "visa"


@pytest.mark.parametrize(("text", "key"), [("", "card.empty"), ("41a1", "card.not_digits"),
                                           ("411111111", "card.too_many_digits"), ("٤١١١", "card.not_digits")])
def test_bad_input_is_refused_without_echoing_digits(program, text, key):
    with pytest.raises(CardInputError) as error:
        check_brand(text, program, FROM)
    assert error.value.key == key
    for lang in ("ja", "en"):
        message = error.value.message(lang)
        assert "4111" not in message and "41a1" not in message


def test_luhn(program):
    assert all(luhn_valid(n) for n in TEST_NUMBERS.values())
    assert not luhn_valid("4111111111111112")
    check = check_full_number("4111 1111 1111 1112", program, FROM)
    assert check.problems == ("card.luhn_failed",)
    assert check_full_number(TEST_NUMBERS["visa"], program, FROM).problems == ()
    assert check_full_number("378282246310005" + "0", program, FROM).problems[0] == "card.wrong_length"


def test_unionpay_that_fails_luhn_only_warns(program):
    check = check_full_number("6200000000000006", program, FROM)
    assert check.brand.id == "unionpay"
    assert check.problems == ("card.luhn_warning",)


def test_card_messages_never_have_a_digit_field():
    for key in messages().keys():
        if key.startswith("card."):
            assert "{" not in messages().text(key).en.replace("{max}", "")


@given(st.text(max_size=30))
def test_any_input_gives_a_result_or_a_card_error(text):
    from kwc_desktop.services.program_store import load_program

    program = load_program()
    try:
        result = check_brand(text, program, FROM)
    except CardInputError as error:
        assert error.key.startswith("card.")
        assert all(d not in error.message("en") for d in card_digits_or_empty(text))
    else:
        assert result.brand is None or result.brand in result.candidates
        assert (result.accepted_now is None) == (result.brand is None)


def card_digits_or_empty(text: str) -> list[str]:
    try:
        digits = card_digits(text)
    except CardInputError:
        return []
    return [digits] if len(digits) >= 2 else []


@given(st.text(alphabet="0123456789", min_size=1, max_size=8))
def test_a_definite_brand_never_changes_with_more_digits(digits):
    from kwc_desktop.services.program_store import load_program

    program = load_program()
    first = check_brand(digits, program, FROM).brand
    if first is not None:
        for extra in "0123456789":
            if len(digits) < 8:
                assert check_brand(digits + extra, program, FROM).brand in (first, None)
                assert check_brand(digits + extra, program, FROM).brand is not None or \
                    check_brand(digits + extra, program, FROM).candidates == ()
