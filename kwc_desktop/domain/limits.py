"""The sane ranges every value the app reads must fall in: dates, amounts, sizes, counts.

Anything typed, pasted, imported or loaded is checked against these before the rest of the app sees it,
so no value can make a later computation overflow, hang or crash (a Bundle date of 9999-12-31 plus 90
days once did, at every start).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.secret_shape import looks_like_secret
from kwc_desktop.domain.text import UserError

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2099, 12, 31)
MAX_AMOUNT = Decimal(10) ** 12  # USD; the notice's threshold is 50,000
MAX_AMOUNT_TEXT = 32  # characters of a typed amount
MAX_ACCOUNTS = 5000  # per profile, CSV import, paste and progress file
MAX_TEXT = 200  # characters of any free-text answer (company names, addresses …)
MAX_PROFILE_BYTES = 2 * 1024 * 1024
MAX_CSV_BYTES = 4 * 1024 * 1024
MAX_PASTE_CHARS = 4 * 1024 * 1024  # about 110,000 SIDs
MAX_PROGRESS_BYTES = 32 * 1024 * 1024

# What reading one account from Twilio may take in all, whatever the server sends (services/twilio.py): an
# account of 10,000 numbers is 10 pages of about 1.5 MB at PageSize=1000, its sub-accounts (at most
# MAX_ACCOUNTS) 5 more.
MAX_ACCOUNT_PAGES = 200  # HTTP requests, retries and redirects included
MAX_ACCOUNT_ITEMS = 100_000  # items of all its lists
MAX_ACCOUNT_BYTES = 256 * 1024 * 1024  # of all its answers' bodies, as read and as decoded
ACCOUNT_DEADLINE_S = 300.0  # from its first request to the end of its last answer, headers included

def refuse_secret(text: str) -> str:
    """`text` unchanged, or a UserError when it holds something shaped like a SID or token."""
    if looks_like_secret(text):
        raise UserError("text.secret_shaped")
    return text


def check_date(day: date) -> date:
    """`day` unchanged, or a UserError when it lies outside 2000-01-01 … 2099-12-31."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise UserError("date.out_of_range", value=day.isoformat(), min=MIN_DATE.isoformat(),
                        max=MAX_DATE.isoformat())
    return day


def parse_date(text: str) -> date:
    """An ISO date (2023-04-20) in the sane range."""
    if not isinstance(text, str) or len(text) > 10:
        raise UserError("date.invalid", value=str(text)[:20])
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UserError("date.invalid", value=text) from None
    return check_date(day)


_AMOUNT = Pattern(r"[0-9]+(\.[0-9]+)?")


def parse_amount_text(cleaned: str, shown: str) -> Decimal:
    """A plain decimal number ('50000', '12.5'), at most MAX_AMOUNT; no exponents, NaN or infinity."""
    if len(cleaned) > MAX_AMOUNT_TEXT or not _AMOUNT.fullmatch(cleaned):
        raise UserError("money.not_a_number", value=shown[:MAX_AMOUNT_TEXT])
    amount = Decimal(cleaned)
    if amount > MAX_AMOUNT:
        raise UserError("money.too_large", max=f"{MAX_AMOUNT:,}")
    return amount


def parse_yen(text: str) -> Decimal:
    """A yen amount as typed on the command line or in the charges check: full-width digits (an IME left
    on), a yen sign before or 円 after, thousands grouped by commas or spaces; a plain decimal from 0 to
    MAX_AMOUNT (no sign, exponent, NaN or infinity) — one rule for both."""
    import re
    import unicodedata

    if len(text) > 4 * MAX_AMOUNT_TEXT:
        raise UserError("money.not_a_number", value=text[:MAX_AMOUNT_TEXT] + "…")
    cleaned = re.sub(r"(?i)^[¥\\]\s*|\s*(?:円|jpy)$", "", unicodedata.normalize("NFKC", text).strip())
    if re.fullmatch(r"\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?", cleaned):  # thousands separated: 1,200 or 1 200
        cleaned = cleaned.replace(",", "").replace(" ", "")
    return parse_amount_text(cleaned, text.strip())
