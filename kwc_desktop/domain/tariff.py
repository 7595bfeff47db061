"""The COTOHA Voice DX Basic tariff (seed 004, a 現改比較表): the old terms until 2021-07-14, the new terms
from 2021-07-15 — every rule a function, amounts in `Decimal` yen, times in Asia/Tokyo.

Where the seed is cut off or open to more than one reading, the reading taken is a named option
(`Readings`), shown in the UI and written down in docs/charges.md. No Qt, no I/O.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from kwc_desktop.domain.records import field, record

JST = ZoneInfo("Asia/Tokyo")
NEW_TERMS_FROM = datetime(2021, 7, 15, tzinfo=JST)  # 附則第1項: 令和3年7月15日から実施
NEW_TERMS_DAY = "2021-07-15"
TAX_RATE = Decimal("0.10")  # every parenthesised amount of the seed is the amount × 1.10
NUMBER_FEE = Decimal(300)  # 加算料 (old) / 電話番号利用料 (new): per number per billing month
OLD_CALL_FEE = Decimal(100)  # 通話料: per call, per 60 s begun
NEW_OUTBOUND_FEE = Decimal(100)  # 発信利用料: per call, per 60 s begun
NEW_INBOUND_FEE = Decimal(50)  # 着信利用料: per call, per 60 s begun; none on an outbound number (備考4)
UNIT_SECONDS = 60
OLD_DAMAGES_MONTH_DAYS = 30  # old Article 29 ②: "料金月の日数は30日として計算します"
DAY = timedelta(hours=24)

Terms = Literal["old", "new"]
Rounding = Literal["down", "half-up", "up"]
_ROUNDING = {"down": ROUND_DOWN, "half-up": ROUND_HALF_UP, "up": ROUND_UP}


@record
class Readings:
    """The readings taken where the seed is cut off or open (docs/charges.md says why each)."""

    # 通則11 (rounding) is cut off in the seed: the tax is computed on an invoice's total and the
    # fraction of a yen dropped (切り捨て), unless another rounding is chosen.
    rounding: Rounding = "down"
    # Article 29 ②(2): "the daily average of the previous 6 billing months" — their total over their days
    # ("total-over-days"), or the mean of each month's own daily average ("mean-of-months").
    daily_average: Literal["total-over-days", "mean-of-months"] = "total-over-days"
    # Article 21 ② row 2 (wilful or grossly negligent outages): "the time it could not be used" — all of
    # it, to the minute ("exact"), with no 24-hour floor.
    wilful_time: Literal["exact"] = "exact"
    # The changeover month (July 2021) under `auto`: its number fee is counted once, in the part of the
    # terms in force at the end of the month (new), since a monthly fee falls due for the whole month.
    changeover_number_fee: Terms = "new"


READINGS = Readings()


# --- units, terms, months, tax -----------------------------------------------------------------------------


def units(duration_s: int) -> int:
    """Billing units of one completed call: each 60 s begun (1 s → 1, 60 s → 1, 61 s → 2); 0 s → 0."""
    if duration_s < 0:
        raise ValueError("a duration is never negative")
    return -(-duration_s // UNIT_SECONDS)


def terms_at(moment: datetime) -> Terms:
    """The terms in force at `moment` (aware): old before 2021-07-15 00:00 JST, new from then on."""
    return "new" if moment >= NEW_TERMS_FROM else "old"


def billing_month(moment: datetime) -> str:
    """The billing month (a JST calendar month) of an aware moment, as "YYYY-MM"."""
    return moment.astimezone(JST).strftime("%Y-%m")


def month_days(month: str) -> int:
    year, number = int(month[:4]), int(month[5:7])
    return calendar.monthrange(year, number)[1]


def with_tax(amount: Decimal, readings: Readings = READINGS) -> Decimal:
    """An amount including the 10 % consumption tax, rounded to the yen as `readings` says."""
    return (amount * (1 + TAX_RATE)).quantize(Decimal(1), rounding=_ROUNDING[readings.rounding])


def to_yen(amount: Decimal, readings: Readings = READINGS) -> Decimal:
    return amount.quantize(Decimal(1), rounding=_ROUNDING[readings.rounding])


# --- one month's fees --------------------------------------------------------------------------------------


@record
class MonthUsage:
    """What one billing month used, under one terms: numbers available, and units by direction."""

    month: str
    terms: Terms
    outbound_numbers: int = 0
    inbound_numbers: int = 0
    units_outbound: int = 0
    units_inbound: int = 0  # inbound units on inbound numbers (charged under the new terms)
    units_inbound_free: int = 0  # inbound units on outbound numbers (free under the new terms, 備考4)
    charge_numbers: bool = True  # False: the number fee of this month is in its other part (changeover)


@record
class Fees:
    number_fee: Decimal
    outbound: Decimal
    inbound: Decimal

    @property
    def total(self) -> Decimal:
        return self.number_fee + self.outbound + self.inbound


@record
class Bill:
    usage: MonthUsage
    excl: Fees  # 税抜
    incl: Fees  # 税込: each line with its tax, rounded (shown); the total is the invoice's own (below)
    total_incl: Decimal  # the invoice's total with tax: tax on the total, rounded once


def number_count(usage: MonthUsage) -> int:
    return usage.outbound_numbers + usage.inbound_numbers if usage.charge_numbers else 0


def fees(usage: MonthUsage) -> Fees:
    """The month's fees before tax. Old terms: 300 yen per number, 100 yen per unit of every call (通話料).
    New terms: 300 yen per outbound and per inbound number, 100 yen per outbound unit, 50 yen per inbound
    unit, nothing for a call to an outbound number."""
    numbers = NUMBER_FEE * number_count(usage)
    if usage.terms == "old":
        inbound_units = usage.units_inbound + usage.units_inbound_free
        return Fees(numbers, OLD_CALL_FEE * usage.units_outbound, OLD_CALL_FEE * inbound_units)
    return Fees(numbers, NEW_OUTBOUND_FEE * usage.units_outbound, NEW_INBOUND_FEE * usage.units_inbound)


def bill(usage: MonthUsage, readings: Readings = READINGS) -> Bill:
    excl = fees(usage)
    incl = Fees(with_tax(excl.number_fee, readings), with_tax(excl.outbound, readings),
                with_tax(excl.inbound, readings))
    return Bill(usage, excl, incl, with_tax(excl.total, readings))


# --- proration, outages, damages ---------------------------------------------------------------------------


def prorate(monthly: Decimal, days: int, month: str) -> Decimal:
    """通則2–3: a monthly fee for `days` days of `month`, by the days of that billing month (usage fees are
    never prorated)."""
    return monthly * days / month_days(month)


def whole_days(known_at: datetime, restored_at: datetime) -> int:
    """The 24-hour periods in an outage, counted from when the provider knew (78 h → 3; 23 h 59 min → 0)."""
    if restored_at <= known_at:
        return 0
    return int((restored_at - known_at) // DAY)


@record
class Line:
    """One step of a computation, as the UI and the CLI show it: a message key, its values, an amount."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    amount: Decimal | None = None


@record
class Computation:
    amount: Decimal  # before tax, exact (rounded only when shown)
    lines: tuple[Line, ...]
    terms: Terms


def _blocks(known_at: datetime, count: int) -> list[date]:
    """The JST day each 24-hour block starts on (通則3: a block belongs to the day it starts)."""
    start = known_at.astimezone(JST)
    return [(start + n * DAY).date() for n in range(count)]


def _per_day(monthly: Decimal, day: date, terms: Terms, damages: bool) -> Decimal:
    if damages and terms == "old":
        return monthly / OLD_DAMAGES_MONTH_DAYS
    return monthly / calendar.monthrange(day.year, day.month)[1]


def outage_credit(known_at: datetime, restored_at: datetime, monthly: Decimal, wilful: bool = False,
                  readings: Readings = READINGS) -> Computation:
    """Article 21 ②: the monthly fees not payable for an outage the customer did not cause. Only whole
    24-hour periods from when the provider knew (none unless it lasted 24 h); each period at the fee per
    day of the billing month it starts in. Wilful or grossly negligent: all the time it lasted."""
    terms = terms_at(known_at)
    lines: list[Line] = []
    hours = (restored_at - known_at).total_seconds() / 3600 if restored_at > known_at else 0.0
    lines.append(Line("charges.outage_hours", {"hours": f"{hours:.2f}"}))
    if wilful:
        # Every minute counts: day by day, the share of that day's fee.
        amount, moment, end = Decimal(0), known_at.astimezone(JST), restored_at.astimezone(JST)
        while moment < end:
            next_midnight = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), JST)
            part = min(end, next_midnight) - moment
            share = _per_day(monthly, moment.date(), terms, False) * Decimal(part.total_seconds()) / 86400
            amount += share
            moment = next_midnight
        lines.append(Line("charges.credit_wilful", {"monthly": monthly}, amount))
        return Computation(amount, tuple(lines), terms)
    days = whole_days(known_at, restored_at)
    lines.append(Line("charges.whole_days", {"days": days}))
    amount = Decimal(0)
    for day in _blocks(known_at, days):
        share = _per_day(monthly, day, terms, False)
        amount += share
        lines.append(Line("charges.credit_day", {"day": day.isoformat(), "monthly": monthly,
                                                 "days_in_month": calendar.monthrange(day.year, day.month)[1]},
                          share))
    return Computation(amount, tuple(lines), terms)


def known_months(usage_by_month: Mapping[str, Decimal], months: Sequence[str]) -> list[str]:
    """Of `months`, those whose usage fees are known: the months in `usage_by_month` (0 yen included). A month
    not there is unknown, never 0 yen. Damages (Article 29 ②(2) and 注1) and the meters' estimate (第1表
    1(4)) both ask this, so the same history gives both the same months."""
    return [m for m in months if m in usage_by_month]


def daily_average(usage_by_month: Mapping[str, Decimal], months: Sequence[str],
                  readings: Readings = READINGS) -> Decimal:
    """The daily average of usage fees over the months of `months` that are known (`known_months`): unknown
    months are left out, not counted as 0 yen (Article 29 注1: 「実績が把握できる期間における1日当たりの平均」).
    0 when none is known."""
    known = known_months(usage_by_month, months)
    if not known:
        return Decimal(0)
    if readings.daily_average == "mean-of-months":
        return sum((usage_by_month[m] / month_days(m) for m in known), Decimal(0)) / len(known)
    return sum((usage_by_month[m] for m in known), Decimal(0)) / sum(month_days(m) for m in known)


def previous_months(month: str, count: int) -> list[str]:
    """The `count` billing months before `month`, oldest first."""
    year, number = int(month[:4]), int(month[5:7])
    found = []
    for _ in range(count):
        number -= 1
        if number == 0:
            year, number = year - 1, 12
        found.append(f"{year:04d}-{number:02d}")
    return found[::-1]


def damages(known_at: datetime, restored_at: datetime, monthly: Decimal, usage_by_month: Mapping[str, Decimal],
            paid_12_months: Decimal | None = None, readings: Readings = READINGS) -> Computation:
    """Article 29: what the provider pays for an outage it caused, once it lasted 24 hours from when it
    knew: per whole 24-hour period, the monthly fees per day (old terms: a 30-day month; new terms: the
    days of the billing month the period starts in, 注2 → 通則3) plus the daily average of the usage fees
    of the 6 billing months before the month the outage began — of those known, over their days, when not
    all 6 are (注1). New terms (注3): never more than what was paid for the service in the 12 months before
    the first event. Damages whose cause arose before 2021-07-15 stay under the old terms (附則第3項); the
    cause is taken as arising when the provider knew."""
    terms = terms_at(known_at)
    days = whole_days(known_at, restored_at)
    lines = [Line("charges.whole_days", {"days": days})]
    if terms == "old":
        lines.append(Line("charges.damages_old_terms"))
    if days == 0:
        lines.append(Line("charges.no_damages"))
        return Computation(Decimal(0), tuple(lines), terms)
    fixed = Decimal(0)
    for day in _blocks(known_at, days):
        fixed += _per_day(monthly, day, terms, True)
    divisor = OLD_DAMAGES_MONTH_DAYS if terms == "old" else None
    lines.append(Line("charges.damages_fixed_old" if divisor else "charges.damages_fixed_new",
                      {"days": days, "monthly": monthly}, fixed))
    first_month = billing_month(known_at)
    months = previous_months(first_month, 6)
    known = known_months(usage_by_month, months)
    average = daily_average(usage_by_month, known, readings)
    usage = average * days
    span = {"from": months[0], "to": months[-1]}
    if not known:  # 注1: no period is known before the outage: nothing to average
        lines.append(Line("charges.damages_nothing_known", span))
    else:
        # All 6 months known: their average (②(2)). Fewer (前6料金月の実績を把握することが困難な場合):
        # 注1, the average of the period that is known — the months known, over their own days.
        lines.append(Line("charges.damages_average" if len(known) == len(months) else "charges.damages_average_known",
                          {**span, "count": len(known), "known": ", ".join(known),
                           "total": sum((usage_by_month[m] for m in known), Decimal(0)),
                           "days_total": sum(month_days(m) for m in known),
                           "average": average.quantize(Decimal("0.01"))}, None))
        lines.append(Line("charges.damages_usage", {"days": days}, usage))
    amount = fixed + usage
    if terms == "new" and paid_12_months is not None and amount > paid_12_months:
        lines.append(Line("charges.damages_cap", {"cap": paid_12_months}, paid_12_months))
        amount = paid_12_months
    return Computation(amount, tuple(lines), terms)


def meter_failure_estimate(usage_by_month: Mapping[str, Decimal], failed_on: date, days: int,
                           after_recovery_7_days: Decimal | None = None) -> Computation:
    """第1表 1(4): the usage fees of days the meters could not measure. ア — a year of history: the lowest
    daily average of the 12 billing months before the failure's month, × the days. イ(1) — 2 months or
    more: the lowest daily average of the months known. イ(2) — less: the lower of the daily average of
    the period known and that of the 7 days after recovery."""
    month = f"{failed_on.year:04d}-{failed_on.month:02d}"
    months = previous_months(month, 12)
    known = known_months(usage_by_month, months)
    lines: list[Line] = []
    if len(known) == 12 or len(known) >= 2:
        rule = "charges.meters_year" if len(known) == 12 else "charges.meters_months"
        lowest = min(known, key=lambda m: usage_by_month[m] / month_days(m))
        average = usage_by_month[lowest] / month_days(lowest)
        lines.append(Line(rule, {"month": lowest, "average": average.quantize(Decimal("0.01"))}))
    else:
        averages = []
        if known:
            averages.append(usage_by_month[known[0]] / month_days(known[0]))
        if after_recovery_7_days is not None:
            averages.append(after_recovery_7_days / 7)
        if not averages:
            lines.append(Line("charges.meters_nothing_known"))
            return Computation(Decimal(0), tuple(lines), terms_at(datetime.combine(failed_on, datetime.min.time(),
                                                                                  JST)))
        average = min(averages)
        lines.append(Line("charges.meters_short", {"average": average.quantize(Decimal("0.01"))}))
    amount = average * days
    lines.append(Line("charges.meters_days", {"days": days}, amount))
    return Computation(amount, tuple(lines), terms_at(datetime.combine(failed_on, datetime.min.time(), JST)))
