"""Detection: read one account from Twilio (account, sub-accounts, numbers, Bundles, balance) and turn it
into the program's facts with evidence (domain/detection.py). A part that fails is an error beside the
parts that did not; the account itself failing ends the account."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kwc_desktop.domain.detection import Findings, findings
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.sid import Sid
from kwc_desktop.domain.text import Text, UserError
from kwc_desktop.services.twilio import BaseUrls, Credentials, TwilioCancelled, TwilioClient, TwilioError

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


def read_accounts(accounts: list[tuple[str, Sid]], secret_for: Callable[[str], str | None], program: Program,
                  report: Callable[[tuple[str, Findings]], None], cancelled: Callable[[], bool],
                  urls: BaseUrls | None = None) -> int:
    """Read each (label, SID) with its Auth Token (`secret_for(label)`, called here: on the worker thread,
    where keyring calls belong), handing each account's findings to `report` as it is read. Stops
    before the next account once `cancelled()`; the number of requests made."""
    urls = urls or BaseUrls.from_environment()
    made = 0
    for label, sid in accounts:
        if cancelled():
            break
        problem: UserError = UserError("detect.no_secret")
        try:
            secret = secret_for(label)
        except UserError as e:  # the keyring could not give it: say why
            secret, problem = None, e
        if not secret:
            result = Findings()
            result.errors.append(("missing", Text(ja=problem.message("ja"), en=problem.message("en"))))
            report((label, result))
            continue
        client = TwilioClient(Credentials(sid, sid.value, secret), urls, cancelled=cancelled)
        try:
            report((label, detect_account(client, sid, program)))
        except TwilioCancelled:
            break
        finally:
            made += client.requests
            client.close()
    return made
