"""A stand-in for Twilio's REST API on 127.0.0.1, for the tests and bench/detect.py: the endpoints the
detection reads, bodies shaped as ../shared/TWILIO_API.md gives them (2010 envelopes with relative
`next_page_uri`; numbers v2 with `meta` and an absolute `next_page_url`), `PageSize` honoured (default 50,
at most 1000), HTTP Basic checked (Account SID + Auth Token, or an API Key + secret; a parent's
credentials read its sub-accounts), an optional delay per response, and a count of requests and of the
most requests in flight at once. Served by pytest-httpserver's werkzeug server (threaded)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response


def sid(prefix: str, n: int, salt: int = 0) -> str:
    return f"{prefix}{salt:08x}{n:024x}"


@dataclass
class FakeAccount:
    sid: str
    token: str
    owner: str = ""  # the parent's SID (a sub-account); "" = a top-level account
    status: str = "active"
    type: str = "Full"
    numbers: list[dict] = field(default_factory=list)
    bundles: list[dict] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # API Key SID -> secret
    calls: list[dict] = field(default_factory=list)  # Calls.json items
    friendly_name: str = "Acme"


def numbers_for(account: str, count: int, toll_free_hosted: int = 0, bundle: str | None = None) -> list[dict]:
    """`count` numbers: the first `toll_free_hosted` are hosted 0120 numbers, then 050, 03, 090 in turn."""
    kinds = ["+815012{:06d}", "+81352{:06d}", "+819012{:06d}"]
    found = []
    for n in range(count):
        e164 = f"+81120{n:06d}" if n < toll_free_hosted else kinds[n % 3].format(n)
        found.append({"sid": sid("PN", n, int(account[-6:], 16)), "account_sid": account, "phone_number": e164,
                      "origin": "hosted" if n < toll_free_hosted else "twilio", "status": "in-use",
                      "bundle_sid": bundle if n % 2 == 0 else None, "friendly_name": e164,
                      "capabilities": {"voice": True, "sms": False, "mms": False, "fax": False}})
    return found


def bundles_for(account: str, count: int) -> list[dict]:
    return [{"sid": sid("BU", n, int(account[-6:], 16)), "account_sid": account, "friendly_name": f"Bundle {n}",
             "status": "twilio-approved", "valid_until": None, "regulation_sid": sid("RN", n)} for n in range(count)]


class FakeTwilio:
    """The handler: `server.expect_request(re.compile(".*")).respond_with_handler(fake)`."""

    def __init__(self, base: str, delay_s: float = 0.0) -> None:
        self.base = base.rstrip("/")
        self.delay_s = delay_s
        self.accounts: dict[str, FakeAccount] = {}
        self.lock = threading.Lock()
        self.requests = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self.seen: list[tuple[str, str]] = []  # (path, Basic user name)
        self.max_page_size = 1000  # a smaller one: items spread over more pages
        self.next_link: Callable[[str], str] = lambda link: link  # a hostile server's next links

    def add(self, account: FakeAccount) -> FakeAccount:
        self.accounts[account.sid] = account
        return account

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)
            return self._answer(request)
        finally:
            with self.lock:
                self.in_flight -= 1

    # --- the API ---------------------------------------------------------------------------------------

    def _who(self, request: Request) -> FakeAccount | None:
        auth = request.authorization
        if auth is None:
            return None
        with self.lock:
            self.seen.append((request.path, auth.username or ""))
        for account in self.accounts.values():
            if auth.username == account.sid and auth.password == account.token:
                return account
            if account.keys.get(auth.username or "") == auth.password and auth.password:
                return account
        return None

    def _json(self, body: object, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _answer(self, request: Request) -> Response:
        caller = self._who(request)
        if caller is None:
            return self._json({"code": 20003, "message": "Authenticate", "status": 401}, 401)
        path = request.path
        if path == "/2010-04-01/Accounts.json":
            mine = [a for a in self.accounts.values() if a.owner == caller.sid]
            return self._page_2010(request, path, "accounts", [self._account(a) for a in mine])
        if path == "/v2/RegulatoryCompliance/Bundles":
            return self._page_v2(request, path, "results", caller.bundles)
        match = re.fullmatch(r"/2010-04-01/Accounts/(AC[0-9a-f]{32})(\.json|/IncomingPhoneNumbers\.json|"
                             r"/Balance\.json|/Calls\.json)", path)
        if match is None:
            return self._json({"code": 20404, "message": "Not found", "status": 404}, 404)
        target = self.accounts.get(match.group(1))
        if target is None or (target.sid != caller.sid and target.owner != caller.sid):
            return self._json({"code": 20404, "message": "Not found", "status": 404}, 404)
        what = match.group(2)
        if what == ".json":
            return self._json(self._account(target))
        if what == "/Balance.json":
            return self._json({"account_sid": target.sid, "balance": "42.17", "currency": "USD"})
        if what == "/Calls.json":
            return self._page_2010(request, path, "calls", target.calls)
        return self._page_2010(request, path, "incoming_phone_numbers", target.numbers)

    def _account(self, account: FakeAccount) -> dict:
        return {"sid": account.sid, "owner_account_sid": account.owner or account.sid,
                "friendly_name": account.friendly_name, "status": account.status, "type": account.type,
                "auth_token": "<redacted>", "uri": f"/2010-04-01/Accounts/{account.sid}.json"}

    def _window(self, request: Request) -> tuple[int, int]:
        size = min(self.max_page_size, max(1, int(request.args.get("PageSize", "50"))))
        return size, max(0, int(request.args.get("Page", "0")))

    def _page_2010(self, request: Request, path: str, key: str, items: list[dict]) -> Response:
        size, page = self._window(request)
        chunk = items[page * size:(page + 1) * size]
        more = (page + 1) * size < len(items)
        following = f"{path}?" + urlencode({"PageSize": size, "Page": page + 1, "PageToken": f"PA{page + 1}"})
        return self._json({key: chunk, "page": page, "page_size": size, "start": page * size,
                           "end": page * size + max(len(chunk) - 1, 0), "uri": f"{path}?PageSize={size}&Page={page}",
                           "first_page_uri": f"{path}?PageSize={size}&Page=0", "previous_page_uri": None,
                           "next_page_uri": self.next_link(following) if more else None})

    def _page_v2(self, request: Request, path: str, key: str, items: list[dict]) -> Response:
        size, page = self._window(request)
        chunk = items[page * size:(page + 1) * size]
        more = (page + 1) * size < len(items)
        url = f"{self.base}{path}?PageSize={size}&Page={page}"
        following = f"{self.base}{path}?" + urlencode({"PageSize": size, "Page": page + 1,
                                                       "PageToken": f"PT{page + 1}"})
        return self._json({key: chunk, "meta": {"page": page, "page_size": size, "first_page_url": url,
                                                "previous_page_url": None, "url": url, "key": key,
                                                "next_page_url": self.next_link(following) if more else None}})


def company(fake: FakeTwilio, count: int, numbers: int = 3, bundles: int = 1, salt: int = 1) -> list[FakeAccount]:
    """`count` top-level accounts with their own tokens, numbers and Bundles."""
    made = []
    for n in range(count):
        account_sid = sid("AC", n, salt)
        token = f"{n:08x}" + "e" * 24
        account_bundles = bundles_for(account_sid, bundles)
        made.append(fake.add(FakeAccount(account_sid, token, numbers=numbers_for(
            account_sid, numbers, toll_free_hosted=1 if n % 2 == 0 else 0,
            bundle=account_bundles[0]["sid"] if account_bundles else None), bundles=account_bundles,
            friendly_name=f"Account {n}")))
    return made


@contextmanager
def serving(delay_s: float = 0.0) -> Iterator[FakeTwilio]:
    """A FakeTwilio on a threaded server on 127.0.0.1, for the length of the block."""
    import logging

    from pytest_httpserver import HTTPServer

    # The server's own line per request names the paths, SIDs in them: it is the stand-in's log, not the
    # app's, and would only blur the tests that scan the output for secrets.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        fake = FakeTwilio(server.url_for("/"), delay_s)
        server.expect_request(re.compile(".*")).respond_with_handler(fake)
        yield fake
    finally:
        server.clear()
        server.stop()
