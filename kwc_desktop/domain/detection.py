"""What an account's own Twilio data says about the procedures: parsed JSON in, facts with evidence out.

Every field of Twilio's JSON is optional and may be null (TWILIO_API.md §0): each function reads what is
there, ignores what is not, and never raises on a value of an unexpected type. What the API cannot tell
(payment method, the high-quality SMS route, Editions) stays a question for the user.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kwc_desktop.domain.program import KIND_FACT, DetectionSpec
from kwc_desktop.domain.session import Detected
from kwc_desktop.domain.text import Lang, Text, messages

NUMBER_KINDS = ("toll-free", "ip-050", "mobile", "geographic", "other-jp", "other-country")
MAX_EVIDENCE_NUMBERS = 5  # numbers quoted in one line of evidence ("+81120…, and 3 more")


def _text(key: str, **params: object) -> Text:
    m = messages()
    return Text(ja=m(key, "ja", **params), en=m(key, "en", **params))


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class NumberSummary:
    counts: Mapping[str, int]  # by NUMBER_KINDS
    toll_free_not_bought: tuple[str, ...]  # toll-free numbers whose origin is not a Twilio purchase
    by_bundle: Mapping[str, tuple[str, ...]]  # Bundle SID -> the numbers that point to it


@dataclass(frozen=True)
class BundleInfo:
    sid: str
    friendly_name: str
    status: str
    valid_until: str | None
    numbers: tuple[str, ...] = ()


@dataclass
class Findings:
    """What was read from one account: facts with evidence, what else is worth showing, what failed."""

    facts: dict[str, Detected] = field(default_factory=dict)
    subaccounts: list[tuple[str, str]] = field(default_factory=list)  # (SID, friendly name)
    numbers: NumberSummary | None = None
    bundles: list[BundleInfo] = field(default_factory=list)
    balance: tuple[str, str] | None = None  # (amount, currency), as Twilio gives them
    errors: list[tuple[str, Text]] = field(default_factory=list)  # (error kind, message)

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


def subaccounts(accounts: Iterable[Any], parent_sid: str) -> list[tuple[str, str]]:
    """The accounts owned by `parent_sid` other than itself (owner_account_sid ≠ sid)."""
    found = []
    for entry in accounts:
        if not isinstance(entry, Mapping):
            continue
        sid, owner = _str(entry.get("sid")), _str(entry.get("owner_account_sid"))
        if sid and owner == parent_sid and sid != parent_sid:
            found.append((sid, _str(entry.get("friendly_name")) or sid))
    return found


def number_kind(e164: str) -> str:
    """A number's kind as the notice cares about it (toll-free 0120/0800, 050, mobile, geographic)."""
    import phonenumbers  # phonenumberslite: libphonenumber's metadata, without geocoder or carrier data
    from phonenumbers import PhoneNumberType

    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "other-country"
    if phonenumbers.region_code_for_number(parsed) != "JP":
        return "other-country"
    kind = phonenumbers.number_type(parsed)
    return {PhoneNumberType.TOLL_FREE: "toll-free", PhoneNumberType.VOIP: "ip-050",
            PhoneNumberType.MOBILE: "mobile", PhoneNumberType.FIXED_LINE: "geographic"}.get(kind, "other-jp")


def summarise_numbers(numbers: Iterable[Any]) -> NumberSummary:
    counts: Counter[str] = Counter()
    not_bought: list[str] = []
    by_bundle: dict[str, list[str]] = {}
    for entry in numbers:
        if not isinstance(entry, Mapping):
            continue
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
    for entry in items:
        if not isinstance(entry, Mapping) or _str(entry.get("sid")) is None:
            continue
        sid = _str(entry.get("sid")) or ""
        found.append(BundleInfo(sid, _str(entry.get("friendly_name")) or sid, _str(entry.get("status")) or "?",
                                _str(entry.get("valid_until")),
                                numbers.by_bundle.get(sid, ()) if numbers is not None else ()))
    return found


def balance(document: Any) -> tuple[str, str] | None:
    if not isinstance(document, Mapping):
        return None
    amount, currency = _str(document.get("balance")), _str(document.get("currency"))
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
    if bundle_items is not None:
        result.bundles = bundles(bundle_items, result.numbers)
        flag = spec.has_bundles
        if flag is not None and result.bundles:
            names = ", ".join(b.friendly_name for b in result.bundles[:MAX_EVIDENCE_NUMBERS])
            result.facts[flag] = Detected(True, (_text("detect.bundles", count=len(result.bundles), names=names),))
        elif flag is not None:
            result.facts[flag] = Detected(False, (_text("detect.no_bundles"),))
    result.balance = balance(balance_document)
    return result
