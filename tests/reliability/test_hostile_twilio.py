"""A hostile Twilio: servers on 127.0.0.1 that point the next page or a redirect at another server, trickle
their headers, send no end of pages or items, repeat items across pages, speak something that is not HTTP,
cut a chunked or gzip body short, or ask to wait a negative time — and the client (services/twilio.py) and
`kwc-desktop detect` that must stay within their bounds, keep the credentials at home and say what happened."""

from __future__ import annotations

import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from werkzeug.wrappers import Request, Response

from kwc_desktop.domain.sid import parse_sid
from kwc_desktop.services.twilio import (
    BadSecret,
    BadUrl,
    BaseUrls,
    Budget,
    Credentials,
    DamagedAnswer,
    ForeignLink,
    NotHttp,
    RateLimited,
    Redirected,
    TooMuch,
    TwilioClient,
    TwilioError,
    TwilioTimeout,
    UnknownAccount,
)
from tests.fake_twilio import FakeAccount, bundles_for, numbers_for, serving
from tests.fake_twilio import sid as make_sid
from tests.reliability.conftest import app_env, run_app

SID = parse_sid("AC5f3c0e9a1b2d4c6e8f0a1b2c3d4e5f60")
TOKEN = "f" * 16 + "0123456789abcdef"
ACCOUNT_PATH = f"/2010-04-01/Accounts/{SID.value}"
PROFILE = f"""profile = 1
[[owners]]
email = "it@example.com"
  [[owners.accounts]]
  label = "Main"
  sid = "{SID.value}"
"""


# --- servers -------------------------------------------------------------------------------------------


class Listener:
    """A TCP server on 127.0.0.1 that runs `answer(connection)` for each connection it accepts and counts
    them: the server that must receive nothing, or one that speaks in bytes no HTTP server would."""

    def __init__(self, answer: Callable[[socket.socket], None] = lambda _c: None) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.received = b""
        self.answer = answer
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._one, args=(connection,), daemon=True).start()

    def _one(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(10)
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.received += data
                self.answer(connection)
            except OSError:
                pass

    def close(self) -> None:
        self.socket.close()


@contextmanager
def listening(answer: Callable[[socket.socket], None] = lambda _c: None) -> Iterator[Listener]:
    server = Listener(answer)
    try:
        yield server
    finally:
        server.close()


def client_for(base: str, **kwargs: object) -> TwilioClient:
    waits: list[float] = []
    client = TwilioClient(Credentials(SID, SID.value, TOKEN), BaseUrls(base, base, base), sleep=waits.append,
                          **kwargs)  # type: ignore[arg-type]
    client.waits = waits  # type: ignore[attr-defined]
    return client


def base_of(httpserver) -> str:  # noqa: ANN001
    return httpserver.url_for("/").rstrip("/")


# --- 1. every link the client follows stays on the base it came from -------------------------------------


def hostile_links(base: str, port: int) -> list[str]:
    host = base.split("//", 1)[1]
    return [f"@127.0.0.1:{port}/x.json", f"//127.0.0.1:{port}/x.json", f"http://127.0.0.1:{port}/x.json",
            f"http://user@{host}/x.json", f"http://{SID.value}:{TOKEN}@{host}/x.json",
            f"https://{host}/x.json", f":{port}/x.json", "x.json", f"{base}/x.json#fragment",
            f"{base}/x.json\r\nHost: 127.0.0.1:{port}", f"\\\\127.0.0.1:{port}/x.json"]


@pytest.mark.parametrize("style", ["next_page_uri", "next_page_url"])
def test_no_next_link_leads_the_credentials_to_another_server(httpserver, style):
    base = base_of(httpserver)
    with listening() as elsewhere:
        for n, link in enumerate(hostile_links(base, elsewhere.port)):
            path = f"/list{n}.json"
            body = ({"items": [{"sid": "PN1"}], "next_page_uri": link} if style == "next_page_uri" else
                    {"items": [{"sid": "PN1"}], "meta": {"key": "items", "next_page_url": link}})
            httpserver.expect_request(path).respond_with_json(body)
            client = client_for(base)
            with pytest.raises(TwilioError) as caught:
                list(client.pages(base, path, "items" if style == "next_page_uri" else None))
            assert isinstance(caught.value, ForeignLink), (link, caught.value)
            text = caught.value.message("en")
            assert TOKEN not in text and SID.value not in text and "\n" not in text
            if str(elsewhere.port) in link.split("/x.json")[0]:
                assert str(elsewhere.port) in text, text  # says where it would have gone
            assert client.requests == 1, link
        time.sleep(0.2)
        assert elsewhere.connections == 0 and elsewhere.received == b""
    assert all(request.path.startswith("/list") for request, _ in httpserver.log)


def test_a_v2_link_naming_twilio_itself_is_read_from_the_configured_base(httpserver):
    """Behind a company proxy (or a stand-in), Twilio's answers still name numbers.twilio.com: the path and
    query go on the configured base, the link's own host is never asked."""
    base = base_of(httpserver)
    httpserver.expect_ordered_request("/v2/L").respond_with_json(
        {"results": [{"sid": "BU1"}], "meta": {"key": "results",
                                               "next_page_url": "https://numbers.twilio.com/v2/L?Page=1"}})
    httpserver.expect_ordered_request("/v2/L", query_string="Page=1").respond_with_json(
        {"results": [{"sid": "BU2"}], "meta": {"key": "results", "next_page_url": None}})
    assert [b["sid"] for b in client_for(base).pages(base, "/v2/L")] == ["BU1", "BU2"]


def test_a_redirect_to_another_port_or_with_userinfo_is_refused_and_names_the_port(httpserver):
    base = base_of(httpserver)
    host = base.split("//", 1)[1]
    with listening() as elsewhere:
        targets = [f"http://127.0.0.1:{elsewhere.port}/x.json", f"//127.0.0.1:{elsewhere.port}/x.json",
                   f"http://user:pw@{host}/x.json", f"https://{host}/x.json", f"http://localhost:{elsewhere.port}/"]
        for n, target in enumerate(targets):
            for status in (301, 302, 307, 308):
                httpserver.expect_request(f"/r{n}-{status}.json").respond_with_response(
                    Response("", status, {"Location": target}))
                client = client_for(base)
                with pytest.raises(Redirected) as caught:
                    client.get(base, f"/r{n}-{status}.json")
                if str(elsewhere.port) in target:
                    assert str(elsewhere.port) in caught.value.message("en"), caught.value.message("en")
                assert "user" not in caught.value.message("en") and "pw" not in caught.value.message("en")
        time.sleep(0.2)
        assert elsewhere.connections == 0
    # A redirect on the same server is still followed (a path and query on the base).
    httpserver.expect_request("/same.json").respond_with_response(Response("", 302, {"Location": "/here.json?a=1"}))
    httpserver.expect_request("/here.json", query_string="a=1").respond_with_json({"ok": True})
    assert client_for(base).get(base, "/same.json") == {"ok": True}


def test_kwc_desktop_detect_sends_nothing_to_the_server_a_next_link_names(tmp_path):
    """The probe's case: `meta.next_page_url` = `@127.0.0.1:PORT/…` joined into a URL of another authority."""
    with listening() as elsewhere, serving() as fake:
        fake.add(FakeAccount(SID.value, TOKEN, numbers=numbers_for(SID.value, 1),
                             bundles=bundles_for(SID.value, 2)))
        fake.max_page_size = 1  # the Bundles take two pages: the first one's next link is the hostile one
        fake.next_link = lambda _link: f"@127.0.0.1:{elsewhere.port}/v2/RegulatoryCompliance/Bundles?Page=1"
        profile = tmp_path / "p.toml"
        profile.write_text(PROFILE, encoding="utf-8")
        env = app_env(tmp_path / "data", tmp_path, KWC_TWILIO_API_URL=fake.base, KWC_TWILIO_NUMBERS_URL=fake.base,
                      KWC_TWILIO_AUTH_TOKEN=TOKEN)
        result = run_app("detect", str(profile), "--json", env=env)
        time.sleep(0.2)
        assert elsewhere.connections == 0 and elsewhere.received == b""
        assert result.returncode == 1, result.stderr  # the account was not read in full
        (account,) = json.loads(result.stdout)["accounts"]
        kinds = [e["kind"] for e in account["errors"]]
        assert kinds == ["foreign-link"], account["errors"]
        assert f"127.0.0.1:{elsewhere.port}" in account["errors"][0]["message"]
        assert TOKEN not in result.stdout + result.stderr and "Traceback" not in result.stderr


# --- 8. a budget per account, before the work ------------------------------------------------------------


def trickling_headers(connection: socket.socket) -> None:
    """One byte of the status line and headers every 0.1 s: within every read timeout, never done."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: " + b"a" * 10_000:
        connection.sendall(bytes([byte]))
        time.sleep(0.1)


def test_a_server_that_trickles_its_headers_is_stopped_at_the_deadline():
    with listening(trickling_headers) as server:
        base = f"http://127.0.0.1:{server.port}"
        client = client_for(base, budget=Budget(seconds=1.0))
        started = time.monotonic()
        with pytest.raises(TwilioTimeout):
            client.get(base, "/slow.json")
        took = time.monotonic() - started
        assert took < 2.5, took
        with pytest.raises(TwilioTimeout):  # the account's time is spent: nothing more is asked
            client.get(base, "/next.json")
        assert time.monotonic() - started < 2.5 and server.connections == 1


def test_kwc_desktop_detect_ends_a_trickling_account_at_its_deadline(tmp_path):
    with listening(trickling_headers) as server:
        base = f"http://127.0.0.1:{server.port}"
        profile = tmp_path / "p.toml"
        profile.write_text(PROFILE, encoding="utf-8")
        env = app_env(tmp_path / "data", tmp_path, KWC_TWILIO_API_URL=base, KWC_TWILIO_NUMBERS_URL=base,
                      KWC_TWILIO_AUTH_TOKEN=TOKEN, KWC_TWILIO_DEADLINE_S="1.5")
        started = time.monotonic()
        result = run_app("detect", str(profile), "--json", env=env, timeout=60)
        took = time.monotonic() - started
    assert took < 8, took  # 1.5 s of the account's time and the app's start, not 60 s for each request
    assert result.returncode == 1, result.stderr
    (account,) = json.loads(result.stdout)["accounts"]
    assert [e["kind"] for e in account["errors"]] == ["timeout"]
    assert server.connections == 1  # the account's time was spent on the first request: none asked after


def endless_pages(request: Request) -> Response:
    page = int(request.args.get("Page", "0"))
    return Response(json.dumps({"items": [{"sid": f"PN{page}-{n}", "pad": "x" * 100} for n in range(10)],
                                "next_page_uri": f"/endless.json?Page={page + 1}"}),
                    content_type="application/json")


def test_an_account_is_read_within_its_budget_of_pages_items_and_bytes(httpserver):
    base = base_of(httpserver)
    httpserver.expect_request("/endless.json").respond_with_handler(endless_pages)
    for budget, what in [(Budget(pages=5), "pages"), (Budget(items=35), "items"), (Budget(bytes=2000), "bytes")]:
        client = client_for(base, budget=budget)
        before = len(httpserver.log)
        with pytest.raises(TooMuch) as caught:
            list(client.pages(base, "/endless.json", "items"))
        assert caught.value.what == what
        asked = len(httpserver.log) - before
        assert asked <= 5, (what, asked)  # stopped before the work, not after
        assert "\n" not in caught.value.message("ja")
    # The budget is the account's, over all its lists: a second list spends what the first left.
    client = client_for(base, budget=Budget(pages=3))
    httpserver.expect_request("/one.json").respond_with_json({"items": [], "next_page_uri": None})
    list(client.pages(base, "/one.json", "items"))
    list(client.pages(base, "/one.json", "items"))
    with pytest.raises(TooMuch):
        list(client.pages(base, "/endless.json", "items"))
    assert client.requests == 3


def test_ten_thousand_sub_accounts_stop_at_the_limit_of_accounts(program, monkeypatch):
    """The 5,000-account limit of a profile holds for the sub-accounts detection finds too (scaled down)."""
    import kwc_desktop.services.detect as detect
    from kwc_desktop.services.detect import AccountRead, Target, read_accounts

    monkeypatch.setattr(detect, "MAX_ACCOUNTS", 50)
    with serving() as fake:
        fake.add(FakeAccount(SID.value, TOKEN))
        for n in range(100):
            fake.add(FakeAccount(make_sid("AC", n, 7), "d" * 32, owner=SID.value, friendly_name=f"Sub {n}"))
        reads: list[AccountRead] = []
        urls = BaseUrls(fake.base, fake.base, fake.base)
        read_accounts([Target("Main", SID, Credentials(SID, SID.value, TOKEN))], program, reads.append,
                      lambda: False, urls, taken_labels=["Main", "Other"])
        main = next(r for r in reads if r.label == "Main")
        assert len(reads) == 50 - 1  # the profile's two accounts and 48 found: 50 in all
        assert [kind for kind, _text in main.findings.errors] == ["too-many"], main.findings.errors
        assert "50" in main.findings.errors[0][1].en
        assert fake.requests < 49 * 3 + 20  # the list of 100 was not read past the limit


def test_an_item_repeated_across_pages_is_counted_once(program):
    from kwc_desktop.services.detect import AccountRead, Target, read_accounts

    bundle = bundles_for(SID.value, 1)
    numbers = numbers_for(SID.value, 1, toll_free_hosted=1, bundle=bundle[0]["sid"])
    with serving() as fake:
        # One number and one Bundle, each on every page of its list (a server that repeats itself).
        fake.add(FakeAccount(SID.value, TOKEN, numbers=numbers * 4, bundles=bundle * 3))
        reads: list[AccountRead] = []
        urls = BaseUrls(fake.base, fake.base, fake.base)
        fake.max_page_size = 1  # every item a page of its own
        read_accounts([Target("Main", SID, Credentials(SID, SID.value, TOKEN))], program, reads.append,
                      lambda: False, urls)
    (main,) = reads
    assert not main.findings.errors
    assert main.findings.numbers.counts["toll-free"] == 1
    assert main.findings.numbers.toll_free_not_bought == (numbers[0]["phone_number"],)
    assert [b.sid for b in main.findings.bundles] == [bundle[0]["sid"]]
    assert main.findings.bundles[0].numbers == (numbers[0]["phone_number"],)
    assert main.findings.facts["has_bundles"].evidence[0].en.count("Bundle 0") == 1


# --- 10. a secret or a base URL that cannot be used: one line, never a traceback ------------------------


@pytest.mark.parametrize("secret", ["tökén" + "0" * 27, "トークン" + "0" * 28, "a b" + "0" * 29, "x\r\nX: y"])
def test_a_secret_that_is_not_ascii_is_refused_before_any_request(secret):
    with pytest.raises(BadSecret) as caught:
        Credentials(SID, SID.value, secret)
    text = caught.value.message("en") + caught.value.message("ja")
    assert secret not in text and "\n" not in text


@pytest.mark.parametrize("url", ["http://[127.0.0.1", "http://127.0.0.1]:8", "http://[::1", "https://[nope]",
                                 "http://127.0.0.1:99999", "http://127.0.0.1:x"])
def test_a_base_url_that_does_not_parse_is_a_bad_url(url):
    with pytest.raises(BadUrl):
        BaseUrls.from_environment({"KWC_TWILIO_API_URL": url})


@pytest.mark.parametrize(("variable", "value"), [("KWC_TWILIO_API_URL", "http://[127.0.0.1"),
                                                 ("KWC_TWILIO_NUMBERS_URL", "https://[::1")])
def test_kwc_desktop_detect_with_a_bracket_in_a_base_url_says_one_line(tmp_path, variable, value):
    profile = tmp_path / "p.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    env = app_env(tmp_path / "data", tmp_path, KWC_TWILIO_AUTH_TOKEN=TOKEN, **{variable: value})
    result = run_app("detect", str(profile), env=env)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert variable in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("variables"), [{"KWC_TWILIO_AUTH_TOKEN": "tökén" + "0" * 27},
                                         {"KWC_TWILIO_API_KEY": make_sid("SK", 1),
                                          "KWC_TWILIO_API_SECRET": "シークレット" + "0" * 26}])
def test_kwc_desktop_detect_with_a_secret_that_is_not_ascii_says_one_line(tmp_path, variables):
    profile = tmp_path / "p.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    with listening() as server:
        base = f"http://127.0.0.1:{server.port}"
        env = app_env(tmp_path / "data", tmp_path, KWC_TWILIO_API_URL=base, KWC_TWILIO_NUMBERS_URL=base,
                      **variables)
        result = run_app("detect", str(profile), env=env)
        assert server.connections == 0
    assert "Traceback" not in result.stderr
    assert result.returncode == 2 and result.stderr.count("\n") == 1, (result.returncode, result.stderr)
    assert next(iter(variables)).rsplit("_", 1)[0] in result.stderr


def test_a_secret_that_is_not_ascii_in_the_keyring_is_the_accounts_error(program):
    """The window's path: the secret comes from the keyring, and the account says why it was not read."""
    from kwc_desktop.domain.answers import AccountEntry, Answers
    from kwc_desktop.domain.session import Session
    from kwc_desktop.services.detect import target_for

    session = Session(program, Answers([AccountEntry("Main", "it@example.com")]))
    session.secrets.sids["Main"] = SID
    target = target_for(session, "Main", lambda _label, kind: "tökén" + "0" * 27 if kind == "token" else None)
    assert target.credentials is None and isinstance(target.problem, BadSecret)


# --- 11. error kinds say what happened -------------------------------------------------------------------


def answering(data: bytes, then_wait: float = 0.0) -> Callable[[socket.socket], None]:
    def answer(connection: socket.socket) -> None:
        connection.sendall(data)
        time.sleep(then_wait)

    return answer


def http(body: bytes, *headers: str) -> bytes:
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + "".join(f"{h}\r\n" for h in headers)
            + "\r\n").encode() + body


GZIPPED = zlib.compress(b'{"ok": true, "pad": "' + b"x" * 5000 + b'"}', wbits=31)
CASES = [
    ("a chunked body cut short", http(b"400\r\n" + b"x" * 100, "Transfer-Encoding: chunked"), DamagedAnswer),
    ("a bad chunk size", http(b"zz\r\nxx\r\n0\r\n\r\n", "Transfer-Encoding: chunked"), DamagedAnswer),
    ("a body shorter than its length", http(b'{"ok": ', "Content-Length: 100"), DamagedAnswer),
    ("gzip cut short", http(GZIPPED[:40], "Content-Encoding: gzip", f"Content-Length: {len(GZIPPED[:40])}"),
     DamagedAnswer),
    ("gzip that is not gzip", http(b"not gzip at all", "Content-Encoding: gzip", "Content-Length: 15"),
     DamagedAnswer),
    ("garbage instead of HTTP", b"SSH-2.0-OpenSSH_9.6\r\n" + b"\x00\xff" * 100, NotHttp),
    ("a status line with no status", b"HTTP/1.1 OK\r\n\r\n", NotHttp),
    ("a header line of a megabyte", b"HTTP/1.1 200 OK\r\nX: " + b"a" * 2**20 + b"\r\n\r\n", NotHttp),
]


@pytest.mark.parametrize(("case", "data", "error"), CASES, ids=[c[0] for c in CASES])
def test_a_damaged_or_non_http_answer_is_called_what_it_is(case, data, error):
    with listening(answering(data, then_wait=0.3)) as server:
        base = f"http://127.0.0.1:{server.port}"
        with pytest.raises(TwilioError) as caught:
            client_for(base).get(base, "/x.json")
    assert type(caught.value) is error, (case, type(caught.value).__name__)
    assert "\n" not in caught.value.message("en")


def test_a_server_that_hangs_up_without_an_answer_is_not_offline():
    with listening() as server:  # reads the request, then closes
        base = f"http://127.0.0.1:{server.port}"
        with pytest.raises(NotHttp) as caught:
            client_for(base).get(base, "/x.json")
    assert f"127.0.0.1:{server.port}" in caught.value.message("en") or "127.0.0.1" in caught.value.message("en")


@pytest.mark.parametrize("header", ["-1", "-86400", "soon", "", "0", "-0.5", "nan"])
def test_a_retry_after_that_is_no_wait_is_a_normal_backoff(httpserver, header):
    path = f"{ACCOUNT_PATH}/Balance.json"
    httpserver.expect_request(path).respond_with_response(Response("no", 429, {"Retry-After": header}))
    client = client_for(base_of(httpserver))
    with pytest.raises(RateLimited) as caught:
        client.get(client.urls.api, path)
    assert client.waits == [0.5, 1.0, 2.0]  # three retries with the backoff, never "0 s"
    seconds = caught.value.wait_s
    assert seconds >= 1 and "about 0 s" not in caught.value.message("en")


def test_a_redirect_loop_and_a_wait_beyond_the_deadline_are_not_waited_for(httpserver):
    base = base_of(httpserver)
    httpserver.expect_request("/limited.json").respond_with_response(Response("", 429, {"Retry-After": "20"}))
    client = client_for(base, budget=Budget(seconds=5.0))
    with pytest.raises(RateLimited):
        client.get(base, "/limited.json")
    assert client.waits == []  # 20 s would pass the account's deadline: reported, not slept


# --- #29: Twilio's own error code is kept ------------------------------------------------------------------


def test_twilio_s_error_code_is_in_the_message(httpserver):
    base = base_of(httpserver)
    httpserver.expect_request("/gone.json").respond_with_json(
        {"code": 20404, "message": f"The requested resource {ACCOUNT_PATH}.json was not found",
         "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}, status=404)
    httpserver.expect_request("/huge.json").respond_with_data('{"code": 20404, "pad": "' + "x" * 2**21 + '"}',
                                                              status=404, content_type="application/json")
    with pytest.raises(UnknownAccount) as caught:
        client_for(base).get(base, "/gone.json")
    assert caught.value.code == 20404 and caught.value.more_info == "https://www.twilio.com/docs/errors/20404"
    assert "20404" in caught.value.message("en") and "20404" in caught.value.message("ja")
    assert SID.value not in caught.value.message("en")
    with pytest.raises(UnknownAccount) as huge:  # a body too big for an error: not read, the status says it
        client_for(base).get(base, "/huge.json")
    assert huge.value.code is None
