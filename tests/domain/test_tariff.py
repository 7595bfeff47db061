"""The COTOHA Voice DX Basic tariff (seed 004), rule by rule, with the seed's own numbers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from kwc_desktop.domain.tariff import (
    JST,
    MonthUsage,
    Readings,
    bill,
    billing_month,
    daily_average,
    damages,
    fees,
    meter_failure_estimate,
    outage_credit,
    previous_months,
    prorate,
    terms_at,
    units,
    whole_days,
    with_tax,
)

pytestmark = pytest.mark.windows
D = Decimal


@pytest.mark.parametrize(("seconds", "expected"), [(0, 0), (1, 1), (59, 1), (60, 1), (61, 2), (150, 3), (3600, 60)])
def test_each_60_seconds_begun_is_a_unit(seconds, expected):
    assert units(seconds) == expected


def test_the_seeds_amounts_with_tax():
    assert [with_tax(D(a)) for a in (300, 100, 50)] == [D(330), D(110), D(55)]
    assert with_tax(D("39.6") / D("1.1")) == D(39)  # rounded once, down (通則11 is cut off: a reading)
    assert with_tax(D(45), Readings(rounding="half-up")) == D(50) and with_tax(D(45)) == D(49)


def test_the_terms_change_at_midnight_jst_to_the_second():
    assert terms_at(datetime(2021, 7, 14, 23, 59, 59, tzinfo=JST)) == "old"
    assert terms_at(datetime(2021, 7, 15, 0, 0, 0, tzinfo=JST)) == "new"
    assert terms_at(datetime(2021, 7, 14, 15, 0, 0, tzinfo=JST).astimezone(JST) - timedelta(seconds=1)) == "old"
    from zoneinfo import ZoneInfo

    utc = ZoneInfo("UTC")
    assert terms_at(datetime(2021, 7, 14, 15, 0, 0, tzinfo=utc)) == "new"  # 00:00 JST
    assert terms_at(datetime(2021, 7, 14, 14, 59, 59, tzinfo=utc)) == "old"


def test_billing_months_are_jst_calendar_months():
    from zoneinfo import ZoneInfo

    assert billing_month(datetime(2021, 7, 31, 15, 30, tzinfo=ZoneInfo("UTC"))) == "2021-08"
    assert billing_month(datetime(2021, 7, 31, 14, 59, tzinfo=ZoneInfo("UTC"))) == "2021-07"


def test_old_terms_charge_every_call_100_yen_a_unit():
    usage = MonthUsage("2021-06", "old", outbound_numbers=1, inbound_numbers=1, units_outbound=12,
                       units_inbound=7, units_inbound_free=2)
    f = fees(usage)
    assert (f.number_fee, f.outbound, f.inbound) == (D(600), D(1200), D(900))  # 2 numbers; 12 + 9 units


def test_new_terms_outbound_100_inbound_50_and_nothing_on_an_outbound_number():
    usage = MonthUsage("2021-08", "new", outbound_numbers=1, inbound_numbers=1, units_outbound=12,
                       units_inbound=7, units_inbound_free=2)
    b = bill(usage)
    assert (b.excl.number_fee, b.excl.outbound, b.excl.inbound, b.excl.total) == (D(600), D(1200), D(350), D(2150))
    assert (b.incl.number_fee, b.incl.outbound, b.incl.inbound, b.total_incl) == (D(660), D(1320), D(385), D(2365))


def test_the_changeover_part_without_its_number_fee():
    assert fees(MonthUsage("2021-07", "old", 1, 0, 5, charge_numbers=False)).number_fee == 0


def test_proration_by_the_days_of_the_billing_month():
    assert prorate(D(300), 10, "2021-06") == D(100)  # 300 × 10 / 30
    assert prorate(D(310), 1, "2021-07") == D(10)


@pytest.mark.parametrize(("hours", "days"), [(78, 3), (23 + 59 / 60, 0), (24, 1), (47.99, 1), (0, 0)])
def test_whole_24_hour_periods(hours, days):
    known = datetime(2023, 5, 10, 9, 0, tzinfo=JST)
    assert whole_days(known, known + timedelta(hours=hours)) == days


def test_the_outage_credit_counts_whole_periods_and_wilful_ones_all_the_time():
    known = datetime(2023, 5, 10, 9, 0, tzinfo=JST)
    credit = outage_credit(known, datetime(2023, 5, 13, 15, 0, tzinfo=JST), D(300))
    assert credit.amount == D(300) * 3 / 31 and credit.terms == "new"
    assert outage_credit(known, known + timedelta(hours=23, minutes=59), D(300)).amount == 0
    wilful = outage_credit(known, known + timedelta(hours=23, minutes=59), D(300), wilful=True)
    assert wilful.amount.quantize(D("0.0001")) == (D(300) / 31 * D(23 * 60 + 59) / 1440).quantize(D("0.0001"))


def test_damages_of_the_domain_facts_example_new_and_old_terms():
    # Known 2023-05-10 09:00, restored 05-13 15:00 (78 h → 3 days), one number, 543,000 yen of usage over
    # the 181 days of 2022-11 … 2023-04.
    usage = {m: D(0) for m in previous_months("2023-05", 6)}
    usage["2023-04"] = D(543_000)
    known, restored = datetime(2023, 5, 10, 9, 0, tzinfo=JST), datetime(2023, 5, 13, 15, 0, tzinfo=JST)
    new = damages(known, restored, D(300), usage)
    assert new.terms == "new"
    assert new.amount == D(300) * 3 / 31 + D(9000)  # 29.03 + 9,000
    assert new.amount.quantize(D("0.01")) == D("9029.03")
    capped = damages(known, restored, D(300), usage, paid_12_months=D(5000))
    assert capped.amount == D(5000)
    # The same outage in 2021, under the old terms: a 30-day month, and no cap.
    old_usage = {m: D(0) for m in previous_months("2021-05", 6)}
    old_usage["2021-04"] = D(543_000)
    old = damages(datetime(2021, 5, 10, 9, 0, tzinfo=JST), datetime(2021, 5, 13, 15, 0, tzinfo=JST), D(300),
                  old_usage, paid_12_months=D(5000))
    assert old.terms == "old" and old.amount == D(30) + D(9000)
    assert damages(known, known + timedelta(hours=23, minutes=59), D(300), usage).amount == 0


def test_the_six_month_average_two_readings():
    months = previous_months("2023-05", 6)
    assert months == ["2022-11", "2022-12", "2023-01", "2023-02", "2023-03", "2023-04"]
    usage = {m: D(0) for m in months} | {"2023-04": D(30_000), "2023-03": D(31_000)}  # all 6 known
    assert daily_average(usage, months) == D(61_000) / 181
    mean = daily_average(usage, months, Readings(daily_average="mean-of-months"))
    assert mean == (D(1000) + D(1000)) / 6


def test_meter_failure_estimates():
    year = {m: D(3000) * (i + 1) for i, m in enumerate(previous_months("2023-05", 12))}
    estimate = meter_failure_estimate(year, date(2023, 5, 10), 3)
    lowest = previous_months("2023-05", 12)[0]  # 2022-05: 3,000 yen over 31 days
    assert estimate.amount == D(3000) / 31 * 3 and lowest in estimate.lines[0].values["month"]
    two = {"2023-03": D(3100), "2023-04": D(6000)}
    assert meter_failure_estimate(two, date(2023, 5, 10), 2).amount == D(3100) / 31 * 2
    one = {"2023-04": D(9000)}  # 300 a day; the 7 days after recovery: 1,400 (200 a day) is lower
    assert meter_failure_estimate(one, date(2023, 5, 10), 2, after_recovery_7_days=D(1400)).amount == D(400)
    assert meter_failure_estimate({}, date(2023, 5, 10), 2).amount == 0
