"""Which accepted card brand a number starts with, and when; the digits are never kept."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from kwc_desktop.domain.program import CardBrand, Moment, Program
from kwc_desktop.domain.records import record
from kwc_desktop.domain.text import UserError

BRAND_CHECK_MAX_DIGITS = 8


class CardInputError(UserError):
    """Card input that cannot be read. Its message never repeats the digits."""


def card_digits(text: str, max_digits: int | None = None) -> str:
    """Digits of typed or pasted card input (spaces, hyphens and full-width digits allowed)."""
    cleaned = unicodedata.normalize("NFKC", text)
    cleaned = "".join(c for c in cleaned if not c.isspace() and c not in "-‐‑–—")
    if not cleaned:
        raise CardInputError("card.empty")
    if not cleaned.isascii() or not cleaned.isdigit():
        raise CardInputError("card.not_digits")
    if max_digits is not None and len(cleaned) > max_digits:
        raise CardInputError("card.too_many_digits", max=max_digits)
    return cleaned


@record
class BrandCheck:
    """What the first digits say: one brand, several still possible, or none accepted."""

    brand: CardBrand | None
    candidates: tuple[CardBrand, ...]
    accepted_from: Moment | None  # None: accepted all along (or no brand)
    accepted_now: bool | None  # None: not known yet (no single brand)

    @property
    def needs_more_digits(self) -> bool:
        return self.brand is None and len(self.candidates) > 0


def check_brand(text: str, program: Program, now: datetime) -> BrandCheck:
    """The brand from at most the first 8 digits, and whether it is accepted at `now`."""
    digits = card_digits(text, BRAND_CHECK_MAX_DIGITS)
    possible = tuple(b for b in program.card_brands if any(r.possible(digits) for r in b.prefixes))
    matched = [b for b in possible if any(r.matches(digits) for r in b.prefixes)]
    if len(possible) == 1 and matched:
        brand = matched[0]
        moment = program.milestone(brand.accepted_from).moment if brand.accepted_from else None
        accepted = moment is None or now >= moment.starts()
        return BrandCheck(brand, possible, moment, accepted)
    return BrandCheck(None, possible, None, None)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum of a whole card number (digits only)."""
    total = 0
    for n, char in enumerate(reversed(digits)):
        value = int(char)
        if n % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


@record
class FullNumberCheck:
    brand: CardBrand | None
    length_ok: bool
    luhn_ok: bool
    problems: tuple[str, ...]  # message keys: errors for brands that require Luhn, warnings otherwise


def check_full_number(text: str, program: Program, now: datetime) -> FullNumberCheck:
    """Check a whole number in memory (length and Luhn); nothing of it is returned or kept."""
    digits = card_digits(text, 19)
    brand = check_brand(digits[:BRAND_CHECK_MAX_DIGITS], program, now).brand
    luhn_ok = luhn_valid(digits)
    length_ok = brand is not None and len(digits) in brand.lengths
    problems = []
    if brand is None:
        problems.append("card.not_accepted_brand")
    elif not length_ok:
        problems.append("card.wrong_length")
    if not luhn_ok:
        problems.append("card.luhn_warning" if brand is not None and not brand.luhn else "card.luhn_failed")
    return FullNumberCheck(brand, length_ok, luhn_ok, tuple(problems))
