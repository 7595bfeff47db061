"""Amounts typed by users (USD totals), read exactly with Decimal."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from kwc_desktop.domain.limits import MAX_AMOUNT_TEXT, parse_amount_text
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.text import UserError

_NOISE = re.compile(r"(?i)\s|,|\$|usd|us\$|ドル")


def parse_usd(text: str) -> Decimal:
    """'50,000', '$50,000.00', '５００００ドル' → Decimal; a clear error for anything else (exponents,
    NaN and amounts over 10^12 included: they could only overflow later)."""
    if len(text) > 4 * MAX_AMOUNT_TEXT:
        raise UserError("money.not_a_number", value=text[:MAX_AMOUNT_TEXT] + "…")
    cleaned = _NOISE.sub("", unicodedata.normalize("NFKC", text))
    if not cleaned:
        raise UserError("money.empty")
    if cleaned.startswith("-") and cleaned[1:2].isdigit():
        raise UserError("money.negative")
    return parse_amount_text(cleaned, text.strip())


def paypal_invoice_eligible(paid_usd: Decimal, program: Program) -> bool:
    """The notice: PayPal payments in 2022 of 50,000 USD or more allow a switch to invoice payment."""
    threshold = program.paypal_invoice_threshold_usd
    return threshold is not None and paid_usd >= threshold
