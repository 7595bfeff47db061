"""Twilio SIDs (Account AC…, Bundle BU…, Phone number PN…, API Key SK…): read leniently, stored normalised."""

from __future__ import annotations

import re
from typing import Literal

from kwc_desktop.domain.limits import MAX_PASTE_CHARS
from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.records import record
from kwc_desktop.domain.text import UserError

SidKind = Literal["AC", "BU", "PN", "SK"]
SID_KINDS: tuple[SidKind, ...] = ("AC", "BU", "PN", "SK")
SID_BODY_LENGTH = 32
_HEX = set("0123456789abcdef")
_SPACES = Pattern(r"\s+")
_SEPARATORS = Pattern(r"[\n\r,;\t、，；]+")


class SidError(UserError):
    """A SID that cannot be read; `key` says which rule it broke."""


@record(order=True)
class Sid:
    """A normalised SID: two upper-case letters and 32 lower-case hex digits."""

    value: str

    @property
    def kind(self) -> str:
        return self.value[:2]

    def masked(self) -> str:
        """AC12…cdef: enough to recognise an account on paper, not enough to use it."""
        return f"{self.value[:4]}…{self.value[-4:]}"

    def __str__(self) -> str:
        return self.value


def _normalise(text: str) -> str:
    # NFKC folds full-width letters and digits from a Japanese IME (ＡＣ１２…) to ASCII. unicodedata here and
    # in the other parsers is imported on first use: the first paint parses nothing a user typed.
    import unicodedata

    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


_WELL_FORMED = {kind: Pattern(f"{kind}[0-9a-f]{{{SID_BODY_LENGTH}}}", re.IGNORECASE) for kind in SID_KINDS}
MAX_SID_TEXT = 4096  # characters of one SID field, spaces included
# A SID inside an address: its own path segment or query value, not part of a longer hex string.
_IN_ADDRESS = {kind: Pattern(f"(?<![0-9A-Za-z]){kind}([0-9a-fA-F]{{{SID_BODY_LENGTH}}})(?![0-9A-Za-z])")
               for kind in SID_KINDS}


def parse_sid(text: str, kind: SidKind = "AC") -> Sid:
    """Read one SID of `kind`; raise SidError saying exactly what is wrong. A Console address with the SID
    in it (https://console.twilio.com/…/AC…) gives that SID."""
    if len(text) > MAX_SID_TEXT:
        raise SidError("sid.wrong_length", kind=kind, length=len(text), expected=SID_BODY_LENGTH)
    if _WELL_FORMED[kind].fullmatch(text):  # the common case, already clean: no normalising needed
        return Sid(kind + text[2:].lower())
    if "://" in text:
        found = _IN_ADDRESS[kind].search(text)
        if found is None:
            raise SidError("sid.no_sid_in_address", kind=kind)
        return Sid(kind + found.group(1).lower())
    return _parse_normalised(_normalise(text), kind)


def _parse_normalised(cleaned: str, kind: SidKind) -> Sid:
    if not cleaned:
        raise SidError("sid.empty", kind=kind)
    prefix, body = cleaned[:2].upper(), cleaned[2:].lower()
    if prefix != kind:
        raise SidError("sid.wrong_prefix", kind=kind, prefix=cleaned[:2])
    bad = next((c for c in body if c not in _HEX), None)
    if bad is not None:
        raise SidError("sid.not_hex", kind=kind, char=bad, position=body.index(bad) + 3)
    if len(body) != SID_BODY_LENGTH:
        raise SidError("sid.wrong_length", kind=kind, length=len(body), expected=SID_BODY_LENGTH)
    return Sid(prefix + body)


@record
class SidListResult:
    accepted: tuple[Sid, ...]
    rejected: tuple[tuple[str, SidError], ...]
    duplicates: tuple[Sid, ...]


def parse_sid_list(text: str, kind: SidKind = "AC") -> SidListResult:
    """Many SIDs pasted at once, one per line or separated by commas, semicolons or tabs.
    Linear in the length of the text (50,000 SIDs in well under a second); longer than MAX_PASTE_CHARS
    is refused with a SidError."""
    if len(text) > MAX_PASTE_CHARS:
        raise SidError("sid.paste_too_long", max=MAX_PASTE_CHARS // (SID_BODY_LENGTH + 3))
    accepted: list[Sid] = []
    seen: set[Sid] = set()
    rejected: list[tuple[str, SidError]] = []
    duplicates: list[Sid] = []
    # One NFKC pass over the whole text (full-width separators become ASCII ones), then split.
    import unicodedata

    for chunk in _SEPARATORS.split(unicodedata.normalize("NFKC", text)):
        if not chunk or chunk.isspace():
            continue
        try:
            sid = parse_sid(chunk.strip(), kind)
        except SidError as error:
            rejected.append((chunk.strip()[:64], error))
            continue
        if sid in seen:
            duplicates.append(sid)
        else:
            seen.add(sid)
            accepted.append(sid)
    return SidListResult(tuple(accepted), tuple(rejected), tuple(duplicates))
