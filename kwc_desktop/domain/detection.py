"""What an account's own Twilio data says about the procedures: parsed JSON in, facts with evidence out.

Every field of Twilio's JSON is optional and may be null (TWILIO_API.md §0): each function reads what is
there, ignores what is not, and never raises on a value of an unexpected type. What the API cannot tell
(payment method, the high-quality SMS route, Editions) stays a question for the user.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from kwc_desktop.domain.program import KIND_FACT, DetectionSpec, FactValue, Program
from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.sid import Sid, SidError, parse_sid
from kwc_desktop.domain.text import Lang, Text, messages, shown

NUMBER_KINDS = ("toll-free", "ip-050", "mobile", "geographic", "other-jp", "other-country")
MAX_EVIDENCE_NUMBERS = 5  # numbers quoted in one line of evidence ("+81120…, and 3 more")
MAX_NAME = 200  # characters of a name Twilio gave that are kept (its friendly names are up to 64)


def _text(key: str, **params: object) -> Text:
    m = messages()
    return Text(ja=m(key, "ja", **params), en=m(key, "en", **params))


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _name(value: Any) -> str | None:
    """A name or word Twilio gave (a friendly name, a status, a balance): shown as text and kept in the
    progress file, so anything in it shaped like a SID or token is masked, control characters are escaped
    and it is cut to MAX_NAME characters. A Bundle named after its owner's Account SID is plausible."""
    text = _str(value)
    return str(shown(text[:MAX_NAME])) if text is not None else None


@record
class Detected:
    """One fact read from an account, and what it was read from (shown to the user beside it)."""

    value: FactValue
    evidence: tuple[Text, ...] = ()


@record
class NumberSummary:
    counts: Mapping[str, int]  # by NUMBER_KINDS
    toll_free_not_bought: tuple[str, ...]  # toll-free numbers whose origin is not a Twilio purchase
    by_bundle: Mapping[str, tuple[str, ...]]  # Bundle SID -> the numbers that point to it


@record
class BundleInfo:
    sid: str
    friendly_name: str
    status: str
    valid_until: str | None
    numbers: tuple[str, ...] = ()


@record(frozen=False)
class Findings:
    """What was read from one account: facts with evidence, what else is worth showing, what failed."""

    facts: dict[str, Detected] = field(default_factory=dict)
    subaccounts: list[tuple[str, str]] = field(default_factory=list)  # (SID, friendly name)
    numbers: NumberSummary | None = None
    bundles: list[BundleInfo] = field(default_factory=list)
    balance: tuple[str, str] | None = None  # (amount, currency), as Twilio gives them
    errors: list[tuple[str, Text]] = field(default_factory=list)  # (error kind, message)
    read_at: str = ""  # when it was read (ISO), set when it lands in the session

    def bundle_sids(self) -> list[Sid]:
        """The Bundles read, as SIDs (those whose SID is well formed)."""
        found = []
        for bundle in self.bundles:
            try:
                found.append(parse_sid(bundle.sid, "BU"))
            except SidError:
                continue
        return found

    def overview(self) -> list[Text]:
        """What was read beside the facts: the numbers by kind, the Bundles, the balance, sub-accounts."""
        lines = []
        if self.numbers is not None:
            c = self.numbers.counts
            lines.append(_text("detect.numbers", total=sum(c.values()), toll_free=c["toll-free"], ip=c["ip-050"],
                               mobile=c["mobile"], geographic=c["geographic"],
                               other=c["other-jp"] + c["other-country"]))
        if self.balance is not None:
            lines.append(_text("detect.balance", amount=self.balance[0], currency=self.balance[1]))
        if self.subaccounts:
            lines.append(_text("detect.subaccounts", count=len(self.subaccounts)))
        return lines

    def evidence(self, lang: Lang) -> list[tuple[str, str]]:
        return [(fact, text(lang)) for fact, found in self.facts.items() for text in found.evidence]


def account_kind(account: Any, spec: DetectionSpec) -> Detected | None:
    """The account kind from `status` and `type` (closed, suspended, trial; else an active account), as
    the program names it; None when the program maps none or Twilio said nothing usable."""
    if not isinstance(account, Mapping):
        return None
    status, kind = _str(account.get("status")), _str(account.get("type"))
    twilio = ("closed" if status == "closed" else "suspended" if status == "suspended"
              else "trial" if kind == "Trial" else "active" if status == "active" else None)
    if twilio is None or twilio not in spec.kinds:
        return None
    return Detected(spec.kinds[twilio], (_text(f"detect.kind_{twilio}", type=kind or "?"),))


def once(items: Iterable[Any], *keys: str) -> Iterator[Mapping[str, Any]]:
    """The objects of a list read from Twilio, each once: a server that repeats an item across pages
    (its pages shifted while they were read, or it is broken) must not count it twice. An item is known by
    the first of `keys` it has as a string (its SID, else its number, say); one that has none is kept."""
    seen: set[tuple[str, str]] = set()
    for entry in items:
        if not isinstance(entry, Mapping):
            continue
        identity = next(((key, value) for key in keys if (value := _str(entry.get(key))) is not None), None)
        if identity is not None:
            if identity in seen:
                continue
            seen.add(identity)
        yield entry


def subaccounts(accounts: Iterable[Any], parent_sid: str) -> list[tuple[str, str]]:
    """The accounts owned by `parent_sid` other than itself (owner_account_sid ≠ sid), each once."""
    found = []
    for entry in once(accounts, "sid"):
        sid, owner = _str(entry.get("sid")), _str(entry.get("owner_account_sid"))
        if sid and owner == parent_sid and sid != parent_sid:
            found.append((sid, _name(entry.get("friendly_name")) or sid))
    return found


def number_kind(e164: str) -> str:
    """A number's kind as the notice cares about it (toll-free 0120/0800, 050, mobile, geographic)."""
    national = e164[3:]
    if e164.startswith("+81") and 8 <= len(national) <= 12 and national[0] != "0" and national.isascii() \
            and national.isdigit():
        # The common case, an E.164 number of Japan as Twilio gives it: +81 is Japan alone, so it is
        # matched against Japan's metadata directly (5× faster; 1,200 numbers an account add up).
        return _japan()(national)
    import phonenumbers  # phonenumberslite: libphonenumber's metadata, without geocoder or carrier data

    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "other-country"
    if phonenumbers.region_code_for_number(parsed) != "JP":
        return "other-country"
    from phonenumbers import PhoneNumberType

    return {PhoneNumberType.TOLL_FREE: "toll-free", PhoneNumberType.VOIP: "ip-050",
            PhoneNumberType.MOBILE: "mobile", PhoneNumberType.FIXED_LINE: "geographic"}.get(
        phonenumbers.number_type(parsed), "other-jp")


@functools.cache
def _japan() -> Callable[[str], str]:
    """libphonenumber's number-type decision for Japan (phonenumberutil._number_type_helper: the same
    descriptions, in the same order, with their possible lengths), over patterns compiled once."""
    import re

    from phonenumbers import PhoneMetadata

    meta = PhoneMetadata.metadata_for_region("JP")
    assert meta is not None

    def desc(d: Any) -> Callable[[str], bool]:
        if d is None or not d.national_number_pattern:
            return lambda _n: False
        lengths, pattern = frozenset(d.possible_length or ()), re.compile(d.national_number_pattern)
        return lambda n: (not lengths or len(n) in lengths) and pattern.fullmatch(n) is not None

    general, fixed, mobile = desc(meta.general_desc), desc(meta.fixed_line), desc(meta.mobile)
    ordered = [(desc(d), kind) for d, kind in [
        (meta.premium_rate, "other-jp"), (meta.toll_free, "toll-free"), (meta.shared_cost, "other-jp"),
        (meta.voip, "ip-050"), (meta.personal_number, "other-jp"), (meta.pager, "other-jp"),
        (meta.uan, "other-jp"), (meta.voicemail, "other-jp")]]
    same = bool(meta.same_mobile_and_fixed_line_pattern)

    def classify(national: str) -> str:
        if not general(national):
            return "other-jp"
        for matches, kind in ordered:
            if matches(national):
                return kind
        if fixed(national):
            return "other-jp" if same or mobile(national) else "geographic"  # fixed-or-mobile: neither
        return "mobile" if not same and mobile(national) else "other-jp"

    return classify


def summarise_numbers(numbers: Iterable[Any]) -> NumberSummary:
    counts: Counter[str] = Counter()
    not_bought: list[str] = []
    by_bundle: dict[str, list[str]] = {}
    for entry in once(numbers, "sid", "phone_number"):
        e164 = _str(entry.get("phone_number"))
        if e164 is None:
            continue
        kind = number_kind(e164)
        counts[kind] += 1
        if kind == "toll-free" and _str(entry.get("origin")) != "twilio":
            not_bought.append(e164)  # hosted or unknown: not bought in the Console — perhaps ported in
        bundle = _str(entry.get("bundle_sid"))
        if bundle is not None:
            by_bundle.setdefault(bundle, []).append(e164)
    return NumberSummary({k: counts[k] for k in NUMBER_KINDS}, tuple(not_bought),
                         {k: tuple(v) for k, v in by_bundle.items()})


def bundles(items: Iterable[Any], numbers: NumberSummary | None) -> list[BundleInfo]:
    found = []
    for entry in once(items, "sid"):
        if _str(entry.get("sid")) is None:
            continue
        sid = _str(entry.get("sid")) or ""
        found.append(BundleInfo(sid, _name(entry.get("friendly_name")) or sid, _name(entry.get("status")) or "?",
                                _name(entry.get("valid_until")),
                                numbers.by_bundle.get(sid, ()) if numbers is not None else ()))
    return found


def balance(document: Any) -> tuple[str, str] | None:
    if not isinstance(document, Mapping):
        return None
    amount, currency = _name(document.get("balance")), _name(document.get("currency"))
    return (amount, currency) if amount is not None and currency is not None else None


def _quoted(numbers: tuple[str, ...]) -> str:
    shown = ", ".join(numbers[:MAX_EVIDENCE_NUMBERS])
    return shown + (f" (+{len(numbers) - MAX_EVIDENCE_NUMBERS})" if len(numbers) > MAX_EVIDENCE_NUMBERS else "")


def findings(spec: DetectionSpec, account: Any, numbers: Iterable[Any] | None, bundle_items: Iterable[Any] | None,
             balance_document: Any = None, accounts: Iterable[Any] = ()) -> Findings:
    """All that one account's data says, as the program's facts. Lists not read (None) answer nothing."""
    result = Findings()
    kind = account_kind(account, spec)
    if kind is not None:
        result.facts[KIND_FACT] = kind
    parent = _str(account.get("sid")) if isinstance(account, Mapping) else None
    if parent is not None:
        result.subaccounts = subaccounts(accounts, parent)
    if numbers is not None:
        summary = summarise_numbers(numbers)
        result.numbers = summary
        ported = spec.ported_toll_free
        if ported is not None and summary.toll_free_not_bought:
            result.facts[ported] = Detected(True, (_text(
                "detect.toll_free_not_bought", count=len(summary.toll_free_not_bought),
                numbers=_quoted(summary.toll_free_not_bought)),))
        elif ported is not None and summary.counts["toll-free"] == 0:
            result.facts[ported] = Detected(False, (_text("detect.no_toll_free"),))
        elif ported is not None:
            result.facts[ported] = Detected(False, (_text(
                "detect.toll_free_bought", count=summary.counts["toll-free"]),))
    flag = spec.has_bundles
    if bundle_items is not None:
        result.bundles = bundles(bundle_items, result.numbers)
        if flag is not None and result.bundles:
            names = ", ".join(b.friendly_name for b in result.bundles[:MAX_EVIDENCE_NUMBERS])
            result.facts[flag] = Detected(True, (_text("detect.bundles", count=len(result.bundles), names=names),))
        elif flag is not None:
            result.facts[flag] = Detected(False, (_text("detect.no_bundles"),))
    elif result.numbers is not None and result.numbers.by_bundle:
        # No Bundles list (a sub-account read with its owner's credentials): its numbers name them.
        result.bundles = [BundleInfo(sid, sid, "?", None, numbers) for sid, numbers in result.numbers.by_bundle.items()]
        if flag is not None:
            result.facts[flag] = Detected(True, (_text("detect.bundles_from_numbers", count=len(result.bundles)),))
    result.balance = balance(balance_document)
    return result


# --- in the progress file: what was read, so it is still shown (and counts) after a restart ----------
# SIDs are never written: a Bundle's SID is kept masked here (the keyring has the Bundle SIDs), and
# sub-accounts are accounts of their own by then.

MAX_STORED_TEXT = 1000  # characters of one line of evidence or one message
MAX_STORED_ITEMS = 1000  # numbers or Bundles kept per account
MAX_COUNT = 10**7


def findings_to_json(found: Findings) -> dict[str, Any]:
    return {
        "read_at": found.read_at,
        "facts": {fact: {"value": str(d.value) if isinstance(d.value, Decimal) else d.value,
                         "evidence": [{"ja": t.ja, "en": t.en} for t in d.evidence]}
                  for fact, d in found.facts.items()},
        "numbers": None if found.numbers is None else {
            "counts": dict(found.numbers.counts), "toll_free_not_bought": list(found.numbers.toll_free_not_bought)},
        "bundles": [{"sid": _masked(b.sid), "friendly_name": b.friendly_name, "status": b.status,
                     "valid_until": b.valid_until, "numbers": list(b.numbers)} for b in found.bundles],
        "balance": list(found.balance) if found.balance else None,
        "errors": [{"kind": kind, "ja": t.ja, "en": t.en} for kind, t in found.errors],
    }


def _masked(sid: str) -> str:
    return f"{sid[:4]}…{sid[-4:]}" if len(sid) > 10 else sid


def findings_from_json(raw: Any, program: Program) -> tuple[Findings | None, list[str]]:
    """What a progress file kept of one account's detection, every value checked; the places left out."""
    from kwc_desktop.domain.answers import ProgressReader

    reader = ProgressReader(program)
    if not isinstance(raw, Mapping):
        return None, ["detections.<account>"]
    found = Findings(read_at=reader.text(raw.get("read_at"), "detections.read_at", 40))

    def text(value: Any, where: str, limit: int = MAX_STORED_TEXT) -> str:
        return reader.text(value, where, limit)

    def texts(value: Any, where: str) -> Text | None:
        if not isinstance(value, Mapping):
            reader.bad(where)
            return None
        ja, en = text(value.get("ja"), where), text(value.get("en"), where)
        return Text(ja=ja, en=en) if ja and en else None

    for fact_id, entry in reader.mapping(raw.get("facts"), "detections.facts").items():
        if not isinstance(entry, Mapping):
            reader.bad("detections.facts")
            continue
        value = reader.detected_value(fact_id, entry.get("value"), "detections.facts")
        if value is None:
            continue
        evidence: list[Any] = _list(entry.get("evidence"))
        lines = tuple(t for t in (texts(e, "detections.evidence") for e in evidence[:10]) if t is not None)
        found.facts[fact_id] = Detected(value, lines)
    numbers = raw.get("numbers")
    if isinstance(numbers, Mapping):
        raw_counts = numbers.get("counts")
        counts: Mapping[str, Any] = raw_counts if isinstance(raw_counts, Mapping) else {}
        clean = {k: _count(counts.get(k, 0)) for k in NUMBER_KINDS}
        listed = numbers.get("toll_free_not_bought")
        found.numbers = NumberSummary(clean, tuple(n for n in (listed if isinstance(listed, list) else [])
                                                   [:MAX_STORED_ITEMS] if _e164(n)), {})
    elif numbers is not None:
        reader.bad("detections.numbers")
    bundle_list = raw.get("bundles")
    for entry in (bundle_list if isinstance(bundle_list, list) else [])[:MAX_STORED_ITEMS]:
        if not isinstance(entry, Mapping):
            continue
        sid = text(entry.get("sid"), "detections.bundles", 12)
        if not sid:
            continue
        listed = entry.get("numbers")
        found.bundles.append(BundleInfo(sid, text(entry.get("friendly_name"), "detections.bundles") or sid,
                                        text(entry.get("status"), "detections.bundles", 40) or "?",
                                        text(entry.get("valid_until"), "detections.bundles", 40) or None,
                                        tuple(n for n in (listed if isinstance(listed, list) else [])
                                              [:MAX_STORED_ITEMS] if _e164(n))))
    balance_value = raw.get("balance")
    if isinstance(balance_value, list) and len(balance_value) == 2:
        amount, currency = text(balance_value[0], "detections.balance", 40), text(balance_value[1],
                                                                               "detections.balance", 8)
        found.balance = (amount, currency) if amount and currency else None
    errors = raw.get("errors")
    for entry in (errors if isinstance(errors, list) else [])[:20]:
        message = texts(entry, "detections.errors")
        kind = text(entry.get("kind"), "detections.errors", 40) if isinstance(entry, Mapping) else ""
        if message is not None and kind:
            found.errors.append((kind, message))
    return found, reader.problems


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _count(value: Any) -> int:
    return value if type(value) is int and 0 <= value <= MAX_COUNT else 0


def _e164(value: Any) -> bool:
    return isinstance(value, str) and 2 < len(value) <= 20 and value[0] == "+" and value[1:].isdigit()
