"""Amounts typed by users (USD totals), read exactly with Decimal."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from kwc_desktop.domain.program import Program
from kwc_desktop.domain.text import UserError

_NOISE = re.compile(r"(?i)\s|,|\$|usd|us\$|ドル")


def parse_usd(text: str) -> Decimal:
    """'50,000', '$50,000.00', '５００００ドル' → Decimal; a clear error for anything else."""
    cleaned = _NOISE.sub("", unicodedata.normalize("NFKC", text))
    if not cleaned:
        raise UserError("money.empty")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise UserError("money.not_a_number", value=text.strip()) from None
    if not amount.is_finite():
        raise UserError("money.not_a_number", value=text.strip())
    if amount < 0:
        raise UserError("money.negative")
    return amount


def paypal_invoice_eligible(paid_usd: Decimal, program: Program) -> bool:
    """The notice: PayPal payments in 2022 of 50,000 USD or more allow a switch to invoice payment."""
    return paid_usd >= program.paypal_invoice_threshold_usd
