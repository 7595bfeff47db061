"""PayPal totals typed in any common way."""

from decimal import Decimal

import pytest

from kwc_desktop.domain.money import parse_usd, paypal_invoice_eligible
from kwc_desktop.domain.text import UserError

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("50000", "50000"), ("50,000", "50000"), ("$50,000.00", "50000.00"), ("５００００ドル", "50000"),
     (" 49999.99 USD", "49999.99"), ("US$ 1,234.5", "1234.5")],
)
def test_amounts(text, amount):
    assert parse_usd(text) == Decimal(amount)


@pytest.mark.parametrize(("text", "key"), [("", "money.empty"), ("fifty", "money.not_a_number"),
                                           ("-5", "money.negative"), ("NaN", "money.not_a_number"),
                                           ("Infinity", "money.not_a_number")])
def test_bad_amounts(text, key):
    with pytest.raises(UserError) as error:
        parse_usd(text)
    assert error.value.key == key


def test_threshold(program):
    assert paypal_invoice_eligible(Decimal("50000"), program)
    assert not paypal_invoice_eligible(Decimal("49999.99"), program)
