"""Which procedures apply, and why: cases straight from the notice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kwc_desktop.domain.accounts import Account, group_by_owner
from kwc_desktop.domain.checklist import build_plan
from kwc_desktop.domain.rules import open_questions, reasons_for
from tests.conftest import clock_at

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


ALL_NO = {
    "payment": "card", "hq_sms": False, "dedicated_sms_sender": False, "ported_toll_free": False,
    "editions": False, "editions_new_options": False, "has_bundles": False, "owner_change_planned": False,
}


def applicable(program, kind: str = "standard", **facts) -> dict[str, list[str]]:
    account = Account("A", "owner@example.com", kind, facts={**ALL_NO, **facts})
    plan = build_plan(program, group_by_owner([account]), clock_at(program, "2023-04-01T09:00"))
    return {s.procedure.id: [r.render("en") for r in s.reasons] for s in plan.statuses()}


def test_card_customer_needs_consent_support_switch_and_billing_setup_only(program):
    assert set(applicable(program)) == {"consent", "support-switch", "billing-setup"}


@pytest.mark.parametrize(
    ("facts", "procedure", "reason"),
    [
        ({"payment": "invoice"}, "invoice-payment", "The account pays by invoice."),
        ({"hq_sms": True}, "hq-sms", "uses high-quality SMS (domestic direct route)"),
        ({"dedicated_sms_sender": True}, "hq-sms", "procedure is still required"),
        ({"ported_toll_free": True}, "toll-free-porting", "brought in by number portability"),
        ({"editions": True}, "editions", "uses Twilio Editions"),
        ({"payment": "paypal"}, "paypal-card", "cannot be used after the transfer"),
        ({"has_bundles": True}, "bundle-reverification", "regulatory Bundles"),
        ({"owner_change_planned": True}, "owner-change", "plan to change the owner"),
    ],
)
def test_each_option_procedure_applies_with_its_reason(program, facts, procedure, reason):
    result = applicable(program, **facts)
    assert procedure in result
    assert any(reason in r for r in result[procedure])
    assert "consent" in result


def test_dedicated_sender_number_still_needs_the_hq_sms_procedure(program):
    assert "hq-sms" in applicable(program, dedicated_sms_sender=True)
    assert "hq-sms" not in applicable(program)


@pytest.mark.parametrize(("amount", "eligible"), [("49999.99", False), ("50000", True), ("62500", True)])
def test_paypal_invoice_needs_50000_usd_in_2022(program, amount, eligible):
    result = applicable(program, payment="paypal", paypal_2022_usd=Decimal(amount))
    assert ("paypal-invoice" in result) is eligible
    assert "paypal-card" in result
    if eligible:
        assert result["paypal-invoice"] == [
            f"PayPal payments in 2022 came to {Decimal(amount):,.0f} USD, which is 50,000 USD or more."
        ]


def test_paypal_threshold_does_not_apply_to_card_payers(program):
    assert "paypal-invoice" not in applicable(program, payment="card", paypal_2022_usd=Decimal(90000))


@pytest.mark.parametrize(("kind", "reason"), [
    ("trial", "Trial accounts need the transfer procedure too."),
    ("suspended", "Even when suspended, an account without consent is deleted together with its phone numbers."),
])
def test_trial_and_suspended_accounts_need_consent(program, kind, reason):
    assert applicable(program, kind=kind)["consent"] == [reason]


def test_trial_accounts_need_no_billing_setup(program):
    assert "billing-setup" not in applicable(program, kind="trial")


@pytest.mark.parametrize("kind", ["twilio-direct", "closed", "invited"])
def test_accounts_that_do_not_transfer_need_nothing(program, kind):
    assert applicable(program, kind=kind, payment="paypal", hq_sms=True, has_bundles=True) == {}


def test_consent_is_once_per_owner_email_for_all_its_accounts(program):
    accounts = [
        Account("Prod", "Owner@Example.com", facts=ALL_NO),
        Account("Trial", "owner@example.com ", "trial", facts=ALL_NO),
        Account("Other", "other@example.com", facts=ALL_NO),
    ]
    owners = group_by_owner(accounts)
    assert [o.email for o in owners] == ["owner@example.com", "other@example.com"]
    plan = build_plan(program, owners, clock_at(program, "2023-04-01T09:00"))
    consent = [s for s in plan.statuses() if s.procedure.id == "consent"]
    assert len(consent) == 2
    assert consent[0].accounts == ("Prod", "Trial")
    assert len(consent[0].reasons) == 2  # one for the standard account, one for the trial


def test_owner_facts_fill_what_an_account_leaves_open(program):
    owners = group_by_owner([Account("A", "o@example.com")], owner_facts={"o@example.com": {"hq_sms": True}})
    plan = build_plan(program, owners, clock_at(program, "2023-04-01T09:00"))
    assert "hq-sms" in plan.procedure_ids()


def test_unanswered_facts_are_open_questions(program):
    facts = {"kind": "standard", "payment": "paypal"}
    assert open_questions(facts, program) == (
        "hq_sms", "dedicated_sms_sender", "ported_toll_free", "editions", "paypal_2022_usd", "has_bundles",
        "owner_change_planned",
    )
    assert "paypal_2022_usd" not in open_questions({**facts, "payment": "card"}, program)
    assert open_questions({"kind": "closed"}, program) == ()
    # The Editions options are asked of Editions users only (the notice's section 4), and not as a
    # question that adds a procedure: unanswered, the application step (and its deadline) still shows.
    assert "editions_new_options" not in open_questions({**facts, "editions": False}, program)


def test_an_answer_to_a_question_no_longer_asked_does_not_count(program):
    """Editions: no, after "apply new options: yes": the options are not applied for; switching back to
    Editions: yes restores the kept answer."""
    from kwc_desktop.domain.rules import effective_facts

    kept = {"kind": "standard", "editions": False, "editions_new_options": True, "payment": "card",
            "paypal_2022_usd": Decimal(90000)}
    assert effective_facts(program, kept) == {"kind": "standard", "editions": False, "payment": "card"}
    assert "editions" not in applicable(program, editions=False, editions_new_options=True)
    assert effective_facts(program, {**kept, "editions": True})["editions_new_options"] is True


def test_rules_ignore_values_of_the_wrong_type(program):
    procedure = program.procedure("paypal-invoice")
    assert reasons_for(procedure, {"kind": "standard", "payment": "paypal", "paypal_2022_usd": "60000"}, program) == ()


def test_the_editions_deadline_shows_until_the_user_says_no_new_options(program):
    def apply_step(**facts: object):  # noqa: ANN202
        base = {k: v for k, v in ALL_NO.items() if k != "editions_new_options"}
        account = Account("A", "o@example.com", facts={**base, "editions": True, **facts})
        plan = build_plan(program, group_by_owner([account]), clock_at(program, "2023-04-10T10:00"))
        return next((s for p in plan.statuses() for s in p.steps if s.key == "editions/apply-options"), None)

    unanswered = apply_step()
    assert unanswered is not None and unanswered.deadline.at.isoformat() == "2023-04-14T18:00:00+09:00"
    assert apply_step(editions_new_options=True) is not None
    assert apply_step(editions_new_options=False) is None
