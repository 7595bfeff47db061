"""Detection: read one account from Twilio (account, sub-accounts, numbers, Bundles, balance) and turn it
into the program's facts with evidence (domain/detection.py). A part that fails is an error beside the
parts that did not; the account itself failing ends the account."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kwc_desktop.domain.detection import Findings, findings
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.sid import Sid
from kwc_desktop.domain.text import Text
from kwc_desktop.services.twilio import TwilioCancelled, TwilioClient, TwilioError

T = TypeVar("T")


def detect_account(client: TwilioClient, sid: Sid, program: Program) -> Findings:
    api = client.urls.api
    root = f"/2010-04-01/Accounts/{sid.value}"
    try:
        account = client.get(api, f"{root}.json")
    except TwilioCancelled:
        raise
    except TwilioError as e:
        result = Findings()
        result.errors.append((e.kind, _text(e)))
        return result
    errors: list[TwilioError] = []

    def read(work: Callable[[], T]) -> T | None:
        try:
            return work()
        except TwilioCancelled:
            raise
        except TwilioError as e:
            errors.append(e)
            return None

    accounts = read(lambda: list(client.pages(api, "/2010-04-01/Accounts.json", "accounts"))) or []
    numbers = read(lambda: list(client.pages(api, f"{root}/IncomingPhoneNumbers.json", "incoming_phone_numbers")))
    bundles = read(lambda: list(client.pages(client.urls.numbers, "/v2/RegulatoryCompliance/Bundles")))
    balance = read(lambda: client.get(api, f"{root}/Balance.json"))
    result = findings(program.detection, account, numbers, bundles, balance, accounts)
    result.errors += [(e.kind, _text(e)) for e in errors]
    return result


def _text(error: TwilioError) -> Text:
    return Text(ja=error.message("ja"), en=error.message("en"))
